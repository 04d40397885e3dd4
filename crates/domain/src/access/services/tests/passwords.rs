//! Changing and confirming the password.

use super::*;
use crate::access::audit::AuditAction;
use crate::access::ports::{PasswordError, PasswordHash};
use crate::access::services::accounts::{AuthenticateError, ChangePasswordError};

const NEW: &str = "a much better passphrase";

#[tokio::test]
async fn changing_the_password_ends_every_session_and_opens_a_new_one() {
    let world = World::new();
    let ada = world.owner();
    let first = world
        .accounts
        .login("ada@example.com", password(PASSWORD), &origin())
        .await
        .unwrap();
    let second = world
        .accounts
        .login("ada@example.com", password(PASSWORD), &other_network())
        .await
        .unwrap();
    let who = world.accounts.authenticate(&first.token).await.unwrap();
    let new = world
        .accounts
        .change_password(&who, password(PASSWORD), NEW.into(), &origin())
        .await
        .unwrap();
    let state = world.snapshot();
    assert_eq!(
        state.user(ada.id).unwrap().password_hash,
        FakePasswordHasher::hash_of(NEW)
    );
    assert_eq!(state.sessions.values().collect::<Vec<_>>(), [&new.session]);
    for old in [&first.token, &second.token] {
        assert!(matches!(
            world.accounts.authenticate(old).await,
            Err(AuthenticateError::InvalidToken)
        ));
    }
    world.accounts.authenticate(&new.token).await.unwrap();
    let changed = state.events(AuditAction::PasswordChanged);
    assert_eq!(changed.len(), 1);
    assert_eq!(changed[0].target.as_ref().unwrap().id, ada.id.as_uuid());
    world
        .accounts
        .login("ada@example.com", password(NEW), &origin())
        .await
        .unwrap();
}

#[tokio::test]
async fn an_api_token_cannot_change_the_password() {
    let world = World::new();
    let ada = world.owner();
    let before = world.snapshot();
    assert!(matches!(
        world
            .accounts
            .change_password(&by_api_token(&ada), password(PASSWORD), NEW.into(), &origin())
            .await,
        Err(ChangePasswordError::SessionRequired)
    ));
    assert_eq!(world.snapshot(), before);
    assert_eq!(world.passwords.verifies(), 0);
}

#[tokio::test]
async fn a_weak_new_password_is_refused_before_the_current_one_is_checked() {
    let world = World::new();
    let ada = world.owner();
    for (new, why) in [
        ("short", PasswordError::TooShort),
        ("password1", PasswordError::TooCommon),
        (&*"x".repeat(129), PasswordError::TooLong),
    ] {
        match world
            .accounts
            .change_password(&signed_in(&ada), password(PASSWORD), new.into(), &origin())
            .await
        {
            Err(ChangePasswordError::Weak(error)) => assert_eq!(error, why),
            other => panic!("expected Weak, got {other:?}"),
        }
    }
    assert_eq!((world.passwords.verifies(), world.passwords.hashes()), (0, 0));
}

#[tokio::test]
async fn a_wrong_current_password_changes_nothing() {
    let world = World::new();
    let ada = world.owner();
    let before = world.snapshot();
    assert!(matches!(
        world
            .accounts
            .change_password(&signed_in(&ada), password("not it"), NEW.into(), &origin())
            .await,
        Err(ChangePasswordError::WrongPassword)
    ));
    assert_eq!(world.snapshot(), before);
    assert_eq!(world.passwords.hashes(), 0);
}

#[tokio::test]
async fn an_account_without_a_password_has_no_current_one_to_give() {
    let world = World::new();
    let ada = world.owner();
    world.edit_user(&ada, |s| s.password_hash = PasswordHash::unusable());
    assert!(matches!(
        world
            .accounts
            .change_password(&signed_in(&ada), password("!no-password"), NEW.into(), &origin())
            .await,
        Err(ChangePasswordError::WrongPassword)
    ));
    assert_eq!(world.passwords.verifies(), 0);
}

#[tokio::test]
async fn a_removed_user_cannot_change_the_password() {
    let world = World::new();
    let ada = world.owner();
    world.store.edit(|s| s.users.clear());
    assert!(matches!(
        world
            .accounts
            .change_password(&signed_in(&ada), password(PASSWORD), NEW.into(), &origin())
            .await,
        Err(ChangePasswordError::UserGone)
    ));
}

#[tokio::test]
async fn confirming_the_password_is_true_only_for_the_users_own() {
    let world = World::new();
    let ada = world.owner();
    let who = principal(&ada);
    assert!(
        world
            .accounts
            .confirm_password(&who, &password(PASSWORD))
            .await
            .unwrap()
    );
    assert!(!world.accounts.confirm_password(&who, &password("guess")).await.unwrap());

    let mut elsewhere = who;
    elsewhere.tenant_id = world.organization("Other");
    assert!(
        !world
            .accounts
            .confirm_password(&elsewhere, &password(PASSWORD))
            .await
            .unwrap()
    );

    world.edit_user(&ada, |s| s.password_hash = PasswordHash::unusable());
    assert!(
        !world
            .accounts
            .confirm_password(&who, &password("!no-password"))
            .await
            .unwrap()
    );
    let verifies = world.passwords.verifies();
    world.store.edit(|s| s.users.clear());
    assert!(
        !world
            .accounts
            .confirm_password(&who, &password(PASSWORD))
            .await
            .unwrap()
    );
    assert_eq!(world.passwords.verifies(), verifies);
}
