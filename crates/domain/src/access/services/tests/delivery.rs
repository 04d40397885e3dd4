//! Preparing account emails and invitations: fresh single-use links made
//! when the email goes out, or nothing once there is nothing to send.

use super::*;
use crate::access::one_time_tokens::TokenPurpose;
use crate::access::team::Invitation;
use crate::kernel::tokens::SecretToken;
use crate::messaging::delivery::{Notice, Prepared};
use crate::messaging::outbox::{AccountEmail, Effect};

/// Queues an account email for `user` and prepares it; the link's token.
pub(super) async fn link(world: &World, user: &User, email: AccountEmail) -> String {
    let job = account_job(world, user, email);
    match world
        .delivery
        .prepare_account_email(&job, user.tenant_id, user.id, email)
        .await
        .unwrap()
    {
        Prepared::Send(outgoing) => match outgoing.notice {
            Notice::AccountLink { token, .. } => token,
            other => panic!("expected a link, got {other:?}"),
        },
        Prepared::Skip(why) => panic!("skipped: {why}"),
    }
}

fn account_job(world: &World, user: &User, email: AccountEmail) -> Job {
    claimed(&NewJob {
        id: world.ids.new_uuid(),
        tenant_id: Some(user.tenant_id),
        effect: Effect::SendAccountEmail {
            user_id: user.id,
            email,
        },
        idempotency_key: format!("account-email:{}:{email:?}:0", user.id),
        run_at: world.now(),
        max_attempts: 8,
    })
}

/// Prepares the invitation's email; the link's token.
pub(super) async fn invitation_link(world: &World, invitation: &Invitation) -> String {
    let job = world
        .snapshot()
        .jobs
        .into_iter()
        .find(|j| {
            j.effect
                == Effect::SendInvitation {
                    invitation_id: invitation.id,
                }
        })
        .unwrap();
    match world
        .delivery
        .prepare_invitation(&claimed(&job), invitation.tenant_id, invitation.id)
        .await
        .unwrap()
    {
        Prepared::Send(outgoing) => match outgoing.notice {
            Notice::Invitation { token, .. } => token,
            other => panic!("expected an invitation, got {other:?}"),
        },
        Prepared::Skip(why) => panic!("skipped: {why}"),
    }
}

#[tokio::test]
async fn a_login_link_is_made_when_the_email_is_prepared_and_stored_as_a_digest() {
    let world = World::new();
    let ada = world.owner();
    let job = account_job(&world, &ada, AccountEmail::LoginLink);
    let prepared = world
        .delivery
        .prepare_account_email(&job, ada.tenant_id, ada.id, AccountEmail::LoginLink)
        .await
        .unwrap();
    let Prepared::Send(outgoing) = prepared else {
        panic!("expected an email");
    };
    assert_eq!(outgoing.to, ada.email);
    assert_eq!(outgoing.to_name, "ada");
    assert_eq!(outgoing.from_name, "Fakturo");
    assert_eq!(outgoing.message_key, job.idempotency_key);
    let Notice::AccountLink {
        email,
        token,
        valid_minutes,
    } = outgoing.notice
    else {
        panic!("expected a link");
    };
    assert_eq!((email, valid_minutes), (AccountEmail::LoginLink, 15));
    let state = world.snapshot();
    let stored = state
        .one_time_tokens
        .get(SecretToken::new(token.clone()).digest().as_str())
        .unwrap();
    assert_eq!(stored.purpose, TokenPurpose::LoginLink);
    assert_eq!((stored.tenant_id, stored.user_id), (Some(ada.tenant_id), Some(ada.id)));
    assert_eq!(stored.expires_at, start() + TimeDelta::minutes(15));
    assert!(!state.one_time_tokens.keys().any(|k| k.contains(&token)));
}

#[tokio::test]
async fn a_retried_job_makes_a_fresh_token() {
    let world = World::new();
    let ada = world.owner();
    let first = link(&world, &ada, AccountEmail::PasswordReset).await;
    let second = link(&world, &ada, AccountEmail::PasswordReset).await;
    assert_ne!(first, second);
    let state = world.snapshot();
    assert_eq!(state.one_time_tokens.len(), 2);
    assert!(
        state
            .one_time_tokens
            .values()
            .all(|t| t.purpose == TokenPurpose::PasswordReset && t.used_at.is_none())
    );
}

#[tokio::test]
async fn account_emails_are_skipped_for_a_gone_user_or_a_verified_address() {
    let world = World::new();
    let ada = world.owner();
    let job = account_job(&world, &ada, AccountEmail::EmailVerification);
    assert_eq!(
        world
            .delivery
            .prepare_account_email(&job, ada.tenant_id, ada.id, AccountEmail::EmailVerification)
            .await
            .unwrap(),
        Prepared::Skip("the address is verified already")
    );
    let other = world.organization("Other");
    assert_eq!(
        world
            .delivery
            .prepare_account_email(&job, other, ada.id, AccountEmail::LoginLink)
            .await
            .unwrap(),
        Prepared::Skip("the user no longer exists")
    );
    assert!(world.snapshot().one_time_tokens.is_empty());
}

#[tokio::test]
async fn a_verification_link_lasts_two_days_and_a_throttle_notice_has_no_link() {
    let world = World::new();
    let ada = world.owner();
    world.edit_user(&ada, |s| s.user.email_verified_at = None);
    let token = link(&world, &ada, AccountEmail::EmailVerification).await;
    let stored = world.snapshot().one_time_tokens[SecretToken::new(token).digest().as_str()].clone();
    assert_eq!(stored.expires_at, start() + TimeDelta::days(2));

    let job = account_job(&world, &ada, AccountEmail::SignInThrottled);
    let Prepared::Send(outgoing) = world
        .delivery
        .prepare_account_email(&job, ada.tenant_id, ada.id, AccountEmail::SignInThrottled)
        .await
        .unwrap()
    else {
        panic!("expected an email");
    };
    assert_eq!(outgoing.notice, Notice::SignInThrottled);
    assert_eq!(world.snapshot().one_time_tokens.len(), 1);
}

#[tokio::test]
async fn an_invitation_email_carries_a_fresh_link_and_replies_go_to_the_inviter() {
    let world = World::new();
    let ada = world.owner();
    let invitation = world
        .team
        .invite(&signed_in(&ada), "new@example.com", "member", &origin())
        .await
        .unwrap();
    let job = world.snapshot().jobs[0].clone();
    let Prepared::Send(outgoing) = world
        .delivery
        .prepare_invitation(&claimed(&job), ada.tenant_id, invitation.id)
        .await
        .unwrap()
    else {
        panic!("expected an email");
    };
    assert_eq!(outgoing.to.as_str(), "new@example.com");
    assert_eq!(outgoing.from_name, "Ada Design");
    assert_eq!(outgoing.reply_to, Some(ada.email.clone()));
    assert_eq!(outgoing.message_key, format!("invitation:{}", invitation.id));
    let Notice::Invitation {
        organization_name,
        role,
        token,
        valid_days,
    } = outgoing.notice
    else {
        panic!("expected an invitation");
    };
    assert_eq!(
        (organization_name.as_str(), role.as_str(), valid_days),
        ("Ada Design", "member", 7)
    );
    let stored = world.snapshot().invitations[&(ada.tenant_id, invitation.id)].clone();
    assert_eq!(stored.token_digest, Some(SecretToken::new(token.clone()).digest()));

    // Sent again, the link is replaced: the first one no longer leads anywhere.
    let again = invitation_link(&world, &invitation).await;
    assert_ne!(again, token);
    let stored = world.snapshot().invitations[&(ada.tenant_id, invitation.id)].clone();
    assert_eq!(stored.token_digest, Some(SecretToken::new(again).digest()));
}

#[tokio::test]
async fn invitation_emails_are_skipped_once_there_is_nothing_to_join() {
    let world = World::new();
    let ada = world.owner();
    let who = signed_in(&ada);
    let invitation = world
        .team
        .invite(&who, "new@example.com", "member", &origin())
        .await
        .unwrap();
    let job = claimed(&world.snapshot().jobs[0]);
    let other = world.organization("Other");
    assert_eq!(
        world
            .delivery
            .prepare_invitation(&job, other, invitation.id)
            .await
            .unwrap(),
        Prepared::Skip("the invitation no longer exists")
    );

    world.store.edit(|s| {
        s.organizations.remove(&ada.tenant_id);
    });
    assert_eq!(
        world
            .delivery
            .prepare_invitation(&job, ada.tenant_id, invitation.id)
            .await
            .unwrap(),
        Prepared::Skip("the organization no longer exists")
    );

    world.advance(TimeDelta::days(7));
    assert_eq!(
        world
            .delivery
            .prepare_invitation(&job, ada.tenant_id, invitation.id)
            .await
            .unwrap(),
        Prepared::Skip("the invitation is no longer pending")
    );
    let stored = world.snapshot().invitations[&(ada.tenant_id, invitation.id)].clone();
    assert_eq!(stored.token_digest, None, "no link was made");
}
