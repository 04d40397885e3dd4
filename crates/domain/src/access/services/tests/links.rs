//! Emailed links: asking for them, signing in, resetting the password and
//! confirming the address with them.

use super::delivery::link;
use super::*;
use crate::access::audit::AuditAction;
use crate::access::ports::PasswordError;
use crate::access::services::accounts::{AuthenticateError, RedeemLinkError, RequestLinkError};
use crate::kernel::tokens::SecretToken;
use crate::messaging::outbox::{AccountEmail, Effect};

const NEW: &str = "a much better passphrase";

#[tokio::test]
async fn asking_for_a_link_for_an_unknown_address_writes_nothing() {
    let world = World::new();
    world.owner();
    let before = world.snapshot();
    world.accounts.request_login_link("nobody@example.com").await.unwrap();
    world
        .accounts
        .request_password_reset("nobody@example.com")
        .await
        .unwrap();
    assert_eq!(world.snapshot(), before);
}

#[tokio::test]
async fn a_link_is_queued_once_per_user_kind_and_minute() {
    let world = World::new();
    let ada = world.owner();
    world.advance(TimeDelta::seconds(5));
    world.accounts.request_login_link(" ADA@example.com").await.unwrap();
    world.advance(TimeDelta::seconds(30));
    world.accounts.request_login_link("ada@example.com").await.unwrap();
    world.accounts.request_password_reset("ada@example.com").await.unwrap();
    world.advance(TimeDelta::seconds(30));
    world.accounts.request_login_link("ada@example.com").await.unwrap();
    let minute = start().timestamp() / 60;
    let state = world.snapshot();
    assert_eq!(
        state.job_keys(),
        [
            format!("account-email:{}:LoginLink:{minute}", ada.id),
            format!("account-email:{}:PasswordReset:{minute}", ada.id),
            format!("account-email:{}:LoginLink:{}", ada.id, minute + 1),
        ]
    );
    assert_eq!(
        state.jobs[1].effect,
        Effect::SendAccountEmail {
            user_id: ada.id,
            email: AccountEmail::PasswordReset,
        }
    );
    assert!(state.one_time_tokens.is_empty(), "no token waits in the queue");
}

#[tokio::test]
async fn a_verification_email_is_queued_only_for_an_unverified_address() {
    let world = World::new();
    let ada = world.owner();
    let before = world.snapshot();
    assert!(matches!(
        world.accounts.request_email_verification(&signed_in(&ada)).await,
        Err(RequestLinkError::AlreadyVerified)
    ));
    assert_eq!(world.snapshot(), before);
    world.edit_user(&ada, |s| s.user.email_verified_at = None);
    world
        .accounts
        .request_email_verification(&signed_in(&ada))
        .await
        .unwrap();
    let minute = start().timestamp() / 60;
    assert_eq!(
        world.snapshot().job_keys(),
        [format!("account-email:{}:EmailVerification:{minute}", ada.id)]
    );
}

#[tokio::test]
async fn a_removed_user_asks_for_no_verification() {
    let world = World::new();
    let ada = world.owner();
    world.store.edit(|s| s.users.clear());
    assert!(matches!(
        world.accounts.request_email_verification(&signed_in(&ada)).await,
        Err(RequestLinkError::UserGone)
    ));
    assert!(world.snapshot().jobs.is_empty());
}

#[tokio::test]
async fn a_login_link_signs_in_once_and_proves_the_address() {
    let world = World::new();
    let ada = world.owner();
    world.edit_user(&ada, |s| s.user.email_verified_at = None);
    let token = link(&world, &ada, AccountEmail::LoginLink).await;
    world.advance(TimeDelta::minutes(14));
    let new = world.accounts.redeem_login_link(&token, &origin()).await.unwrap();
    assert_eq!(new.session.user_id, ada.id);
    world.accounts.authenticate(&new.token).await.unwrap();
    let state = world.snapshot();
    assert_eq!(state.user(ada.id).unwrap().user.email_verified_at, Some(world.now()));
    let stored = &state.one_time_tokens[SecretToken::new(token.clone()).digest().as_str()];
    assert_eq!(stored.used_at, Some(world.now()));
    let signed = state.events(AuditAction::SignInSucceeded);
    assert_eq!(signed.len(), 1);
    assert_eq!(signed[0].details["method"], "magic_link");

    let before = world.snapshot();
    assert!(matches!(
        world.accounts.redeem_login_link(&token, &origin()).await,
        Err(RedeemLinkError::Gone)
    ));
    assert_eq!(world.snapshot(), before);
}

#[tokio::test]
async fn a_login_link_expires_after_fifteen_minutes() {
    let world = World::new();
    let ada = world.owner();
    let token = link(&world, &ada, AccountEmail::LoginLink).await;
    world.advance(TimeDelta::minutes(15));
    let before = world.snapshot();
    assert!(matches!(
        world.accounts.redeem_login_link(&token, &origin()).await,
        Err(RedeemLinkError::Gone)
    ));
    assert_eq!(world.snapshot(), before);
}

#[tokio::test]
async fn unknown_links_and_links_of_another_purpose_are_invalid() {
    let world = World::new();
    let ada = world.owner();
    let reset = link(&world, &ada, AccountEmail::PasswordReset).await;
    let before = world.snapshot();
    for token in ["nothing", reset.as_str()] {
        assert!(matches!(
            world.accounts.redeem_login_link(token, &origin()).await,
            Err(RedeemLinkError::Invalid)
        ));
        assert!(matches!(
            world.accounts.confirm_email(token, &origin()).await,
            Err(RedeemLinkError::Invalid)
        ));
    }
    assert!(matches!(
        world
            .accounts
            .complete_password_reset("nothing", NEW.into(), &origin())
            .await,
        Err(RedeemLinkError::Invalid)
    ));
    assert_eq!(world.snapshot(), before, "the reset link is still unused");
}

#[tokio::test]
async fn a_login_link_of_a_user_removed_from_the_tenant_is_invalid() {
    let world = World::new();
    let ada = world.owner();
    let token = link(&world, &ada, AccountEmail::LoginLink).await;
    // The token row survives (as if the user moved), the user does not.
    world.store.edit(|s| {
        s.users.clear();
    });
    let before = world.snapshot();
    assert!(matches!(
        world.accounts.redeem_login_link(&token, &origin()).await,
        Err(RedeemLinkError::Invalid)
    ));
    assert_eq!(world.snapshot(), before, "the redemption was rolled back");
}

#[tokio::test]
async fn a_reset_sets_the_password_ends_sessions_other_reset_links_and_sign_in_links() {
    let world = World::new();
    let ada = world.owner();
    world.edit_user(&ada, |s| s.user.email_verified_at = None);
    let session = world
        .accounts
        .login("ada@example.com", password(PASSWORD), &origin())
        .await
        .unwrap();
    let first = link(&world, &ada, AccountEmail::PasswordReset).await;
    let second = link(&world, &ada, AccountEmail::PasswordReset).await;
    let login = link(&world, &ada, AccountEmail::LoginLink).await;
    world
        .accounts
        .complete_password_reset(&second, NEW.into(), &origin())
        .await
        .unwrap();

    let state = world.snapshot();
    let stored = state.user(ada.id).unwrap();
    assert_eq!(stored.password_hash, FakePasswordHasher::hash_of(NEW));
    assert_eq!(stored.user.email_verified_at, Some(start()));
    assert!(state.sessions.is_empty());
    assert!(matches!(
        world.accounts.authenticate(&session.token).await,
        Err(AuthenticateError::InvalidToken)
    ));
    let reset = state.events(AuditAction::PasswordReset);
    assert_eq!(reset.len(), 1);
    assert_eq!(reset[0].actor.user_id, Some(ada.id));
    assert!(matches!(
        world
            .accounts
            .complete_password_reset(&first, "yet another passphrase".into(), &origin())
            .await,
        Err(RedeemLinkError::Gone)
    ));
    assert!(
        matches!(
            world.accounts.redeem_login_link(&login, &origin()).await,
            Err(RedeemLinkError::Gone)
        ),
        "an unused sign-in link from before the reset no longer signs in"
    );
    world
        .accounts
        .login("ada@example.com", password(NEW), &origin())
        .await
        .unwrap();
}

#[tokio::test]
async fn a_weak_new_password_is_refused_before_the_link_is_used() {
    let world = World::new();
    let ada = world.owner();
    let token = link(&world, &ada, AccountEmail::PasswordReset).await;
    let before = world.snapshot();
    for (new, why) in [
        ("short", PasswordError::TooShort),
        ("qwertyuiop", PasswordError::TooCommon),
    ] {
        match world
            .accounts
            .complete_password_reset(&token, new.into(), &origin())
            .await
        {
            Err(RedeemLinkError::Weak(error)) => assert_eq!(error, why),
            other => panic!("expected Weak, got {other:?}"),
        }
    }
    assert_eq!(world.snapshot(), before);
    assert_eq!(world.passwords.hashes(), 0);
}

#[tokio::test]
async fn a_reset_link_of_a_removed_user_is_invalid_and_changes_nothing() {
    let world = World::new();
    let ada = world.owner();
    let token = link(&world, &ada, AccountEmail::PasswordReset).await;
    world.store.edit(|s| s.users.clear());
    let before = world.snapshot();
    assert!(matches!(
        world
            .accounts
            .complete_password_reset(&token, NEW.into(), &origin())
            .await,
        Err(RedeemLinkError::Invalid)
    ));
    assert_eq!(world.snapshot(), before);
}

#[tokio::test]
async fn a_verification_link_confirms_the_address_within_two_days() {
    let world = World::new();
    let ada = world.owner();
    world.edit_user(&ada, |s| s.user.email_verified_at = None);
    let token = link(&world, &ada, AccountEmail::EmailVerification).await;
    world.advance(TimeDelta::days(2) - TimeDelta::seconds(1));
    world.accounts.confirm_email(&token, &origin()).await.unwrap();
    let state = world.snapshot();
    assert_eq!(state.user(ada.id).unwrap().user.email_verified_at, Some(world.now()));
    assert_eq!(state.events(AuditAction::EmailVerified).len(), 1);
    assert!(matches!(
        world.accounts.confirm_email(&token, &origin()).await,
        Err(RedeemLinkError::Gone)
    ));
}

#[tokio::test]
async fn a_verification_link_expires_after_two_days() {
    let world = World::new();
    let ada = world.owner();
    world.edit_user(&ada, |s| s.user.email_verified_at = None);
    let token = link(&world, &ada, AccountEmail::EmailVerification).await;
    world.advance(TimeDelta::days(2));
    let before = world.snapshot();
    assert!(matches!(
        world.accounts.confirm_email(&token, &origin()).await,
        Err(RedeemLinkError::Gone)
    ));
    assert_eq!(world.snapshot(), before);
}
