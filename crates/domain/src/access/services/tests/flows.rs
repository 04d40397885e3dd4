//! Whole journeys through several services: the queued job is what the
//! worker prepares, and the prepared link is what the person follows.

use super::*;
use crate::access::audit::AuditAction;
use crate::access::services::accounts::RedeemLinkError;
use crate::access::services::team::AcceptFields;
use crate::kernel::pagination::PageRequest;
use crate::messaging::delivery::{Notice, Prepared};
use crate::messaging::outbox::Effect;

async fn prepare(world: &World, job: &NewJob) -> Prepared {
    match &job.effect {
        Effect::SendAccountEmail { user_id, email } => world
            .delivery
            .prepare_account_email(&claimed(job), job.tenant_id.unwrap(), *user_id, *email)
            .await
            .unwrap(),
        Effect::SendInvitation { invitation_id } => world
            .delivery
            .prepare_invitation(&claimed(job), job.tenant_id.unwrap(), *invitation_id)
            .await
            .unwrap(),
        other => panic!("not an access email: {other:?}"),
    }
}

fn token_of(prepared: Prepared) -> String {
    match prepared {
        Prepared::Send(outgoing) => match outgoing.notice {
            Notice::AccountLink { token, .. } | Notice::Invitation { token, .. } => token,
            other => panic!("no link in {other:?}"),
        },
        Prepared::Skip(why) => panic!("skipped: {why}"),
    }
}

#[tokio::test]
async fn a_new_owner_confirms_the_address_from_the_sign_up_email() {
    let world = World::new();
    let signed = world.accounts.signup(signup_fields()).await.unwrap();
    let who = world.accounts.authenticate(&signed.session.token).await.unwrap();
    assert_eq!(who.principal, principal(&signed.user));
    let job = world.snapshot().jobs[0].clone();
    let token = token_of(prepare(&world, &job).await);
    world.advance(TimeDelta::hours(30));
    world.accounts.confirm_email(&token, &origin()).await.unwrap();
    let state = world.snapshot();
    assert_eq!(
        state.user(signed.user.id).unwrap().user.email_verified_at,
        Some(world.now())
    );
    assert_eq!(state.events(AuditAction::EmailVerified).len(), 1);
    // The job run again finds nothing left to send.
    assert_eq!(
        prepare(&world, &job).await,
        Prepared::Skip("the address is verified already")
    );
}

#[tokio::test]
async fn a_requested_login_link_signs_in_once() {
    let world = World::new();
    let ada = world.owner();
    world.accounts.request_login_link("ada@example.com").await.unwrap();
    let job = world.snapshot().jobs[0].clone();
    let token = token_of(prepare(&world, &job).await);
    let new = world.accounts.redeem_login_link(&token, &origin()).await.unwrap();
    assert_eq!(
        world.accounts.authenticate(&new.token).await.unwrap().principal,
        principal(&ada)
    );
    assert!(matches!(
        world.accounts.redeem_login_link(&token, &origin()).await,
        Err(RedeemLinkError::Gone)
    ));
}

#[tokio::test]
async fn an_invited_person_joins_and_the_team_sees_them() {
    let world = World::new();
    let ada = world.owner();
    let invitation = world
        .team
        .invite(&signed_in(&ada), "nina@example.com", "member", &origin())
        .await
        .unwrap();
    let job = world.snapshot().jobs[0].clone();
    let token = token_of(prepare(&world, &job).await);
    let joined = world
        .team
        .accept(
            AcceptFields {
                token,
                name: "Nina".into(),
                password: PASSWORD.into(),
                accept_policy_version: POLICY.into(),
                confirm_minimum_age: true,
            },
            &origin(),
        )
        .await
        .unwrap();
    let who = world.accounts.authenticate(&joined.session.token).await.unwrap();
    assert_eq!(who.principal.role, Role::Member);
    let team = world.team.users(&principal(&ada), PageRequest::first()).await.unwrap();
    assert_eq!(team.items, vec![joined.user.clone(), ada]);
    world
        .accounts
        .login("nina@example.com", password(PASSWORD), &origin())
        .await
        .unwrap();
    assert_eq!(
        prepare(&world, &job).await,
        Prepared::Skip("the invitation is no longer pending"),
        "the invitation {} was used",
        invitation.id
    );
}

#[tokio::test]
async fn a_forgotten_password_is_reset_from_the_email() {
    let world = World::new();
    world.owner();
    world.accounts.request_password_reset("ada@example.com").await.unwrap();
    let job = world.snapshot().jobs[0].clone();
    let token = token_of(prepare(&world, &job).await);
    world
        .accounts
        .complete_password_reset(&token, "a much better passphrase".into(), &origin())
        .await
        .unwrap();
    world
        .accounts
        .login("ada@example.com", password("a much better passphrase"), &origin())
        .await
        .unwrap();
    assert!(
        world
            .accounts
            .login("ada@example.com", password(PASSWORD), &origin())
            .await
            .is_err()
    );
}
