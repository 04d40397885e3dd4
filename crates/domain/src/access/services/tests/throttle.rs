//! The sign-in throttle over time, per account and network, and what a
//! broken stored hash means.

use super::*;
use crate::access::audit::AuditAction;
use crate::access::ports::PasswordHash;
use crate::access::services::accounts::{AuthenticateError, ChangePasswordError, LoginError};
use crate::tenancy::Closure;

async fn fail(world: &World, email: &str, times: usize) {
    for _ in 0..times {
        assert!(matches!(
            world.accounts.login(email, password("guess"), &origin()).await,
            Err(LoginError::InvalidCredentials)
        ));
    }
}

#[tokio::test]
async fn failures_older_than_the_window_are_forgotten() {
    let world = World::new();
    world.owner();
    fail(&world, "ada@example.com", 10).await;
    world.advance(TimeDelta::hours(1) + TimeDelta::seconds(1));
    fail(&world, "ada@example.com", 10).await;
    let state = world.snapshot();
    assert!(state.events(AuditAction::SignInThrottled).is_empty());
    let counter = state.throttles.values().next().unwrap();
    assert_eq!((counter.failures, counter.blocked_until), (10, None));
    assert_eq!(counter.window_started_at, Some(world.now()));
}

#[tokio::test]
async fn unknown_addresses_are_throttled_alike_but_notify_nobody() {
    let world = World::new();
    world.owner();
    fail(&world, "nobody@example.com", 11).await;
    assert!(matches!(
        world
            .accounts
            .login("nobody@example.com", password("guess"), &origin())
            .await,
        Err(LoginError::Throttled {
            retry_after_seconds: 30
        })
    ));
    let state = world.snapshot();
    assert!(state.audit.is_empty() && state.jobs.is_empty());
}

#[tokio::test]
async fn a_block_covers_one_account_only() {
    let world = World::new();
    let ada = world.owner();
    world.user(ada.tenant_id, "bob@example.com", Role::Member);
    fail(&world, "ada@example.com", 11).await;
    world
        .accounts
        .login("bob@example.com", password(PASSWORD), &origin())
        .await
        .unwrap();
    assert!(matches!(
        world
            .accounts
            .login("ADA@example.com", password(PASSWORD), &origin())
            .await,
        Err(LoginError::Throttled { .. })
    ));
}

#[tokio::test]
async fn a_notice_is_queued_again_in_the_next_hour() {
    let world = World::new();
    let ada = world.owner();
    fail(&world, "ada@example.com", 11).await;
    world.advance(TimeDelta::hours(1));
    fail(&world, "ada@example.com", 1).await;
    let hour = start().timestamp() / 3600;
    assert_eq!(
        world.snapshot().job_keys(),
        [
            format!("sign-in-throttled:{}:{hour}", ada.id),
            format!("sign-in-throttled:{}:{}", ada.id, hour + 1),
        ]
    );
}

#[tokio::test]
async fn a_stored_hash_that_does_not_parse_is_unexpected_and_not_counted() {
    let world = World::new();
    let ada = world.owner();
    world.edit_user(&ada, |s| {
        s.password_hash = PasswordHash::from_phc("$argon2id$broken".into())
    });
    let before = world.snapshot();
    assert!(matches!(
        world
            .accounts
            .login("ada@example.com", password(PASSWORD), &origin())
            .await,
        Err(LoginError::Unexpected(_))
    ));
    assert!(matches!(
        world
            .accounts
            .change_password(
                &signed_in(&ada),
                password(PASSWORD),
                "a much better passphrase".into(),
                &origin()
            )
            .await,
        Err(ChangePasswordError::Unexpected(_))
    ));
    assert!(
        world
            .accounts
            .confirm_password(&principal(&ada), &password(PASSWORD))
            .await
            .is_err()
    );
    assert_eq!(world.snapshot(), before);
}

#[tokio::test]
async fn an_api_token_of_a_removed_user_is_refused_and_a_closed_account_is_flagged() {
    let world = World::new();
    let ada = world.owner();
    let bob = world.user(ada.tenant_id, "bob@example.com", Role::Member);
    let ada_token = world
        .api_tokens
        .create(&signed_in(&ada), "a", None, &origin())
        .await
        .unwrap();
    let bob_token = world
        .api_tokens
        .create(&signed_in(&bob), "b", None, &origin())
        .await
        .unwrap();
    world.store.edit(|s| {
        s.users.remove(&(bob.tenant_id, bob.id));
        s.organizations.get_mut(&ada.tenant_id).unwrap().closure = Some(Closure {
            closed_at: start(),
            purge_after: start() + TimeDelta::days(30),
        });
    });
    assert!(matches!(
        world.accounts.authenticate(&bob_token.secret).await,
        Err(AuthenticateError::InvalidToken)
    ));
    let who = world.accounts.authenticate(&ada_token.secret).await.unwrap();
    assert!(who.account_closed);
    assert_eq!(who.principal, principal(&ada));
}
