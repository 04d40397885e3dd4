//! Sign-in with a password, its throttle, bearer authentication, sign-out.

use super::*;
use crate::access::audit::{ActorKind, AuditAction};
use crate::access::ports::PasswordHash;
use crate::access::services::accounts::{AuthenticateError, LoginError, LogoutError};
use crate::access::throttle::ThrottleKey;
use crate::kernel::tokens::SecretToken;
use crate::messaging::outbox::{AccountEmail, Effect};
use crate::tenancy::Closure;

fn key(email: &str, origin: &RequestOrigin) -> (String, String) {
    let key = ThrottleKey::new(email, origin.ip.clone().unwrap());
    (key.subject, key.network.as_str().to_owned())
}

#[tokio::test]
async fn a_sign_in_opens_a_session_records_it_and_clears_the_throttle() {
    let world = World::new();
    let ada = world.owner();
    let _ = world
        .accounts
        .login("ada@example.com", password("wrong"), &origin())
        .await;
    assert_eq!(
        world.snapshot().throttles[&key("ada@example.com", &origin())].failures,
        1
    );

    let new = world
        .accounts
        .login(" ADA@example.com ", password(PASSWORD), &origin())
        .await
        .unwrap();
    let state = world.snapshot();
    assert_eq!(state.sessions.values().collect::<Vec<_>>(), [&new.session]);
    assert_eq!(new.session.user_id, ada.id);
    assert_eq!(new.session.token_digest, new.token.digest());
    assert_eq!(new.session.expires_at, start() + TimeDelta::hours(24));
    assert!(state.throttles.is_empty());
    let events = state.events(AuditAction::SignInSucceeded);
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].actor.user_id, Some(ada.id));
    assert_eq!(events[0].details["method"], "password");
    assert_eq!(events[0].ip, origin().ip);

    let who = world.accounts.authenticate(&new.token).await.unwrap();
    assert_eq!(who.principal, principal(&ada));
    assert_eq!(who.credential, Credential::Session(new.session.id));
}

#[tokio::test]
async fn a_wrong_password_is_counted_and_recorded_without_a_session() {
    let world = World::new();
    let ada = world.owner();
    assert!(matches!(
        world
            .accounts
            .login("ada@example.com", password("wrong"), &origin())
            .await,
        Err(LoginError::InvalidCredentials)
    ));
    let state = world.snapshot();
    assert!(state.sessions.is_empty());
    let throttle = &state.throttles[&key("ada@example.com", &origin())];
    assert_eq!((throttle.failures, throttle.blocked_until), (1, None));
    let failed = state.events(AuditAction::SignInFailed);
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].actor.kind, ActorKind::Anonymous);
    assert_eq!(failed[0].target.as_ref().unwrap().id, ada.id.as_uuid());
}

#[tokio::test]
async fn an_unknown_email_fails_alike_after_the_same_hashing_and_leaves_no_event() {
    let world = World::new();
    world.owner();
    assert!(matches!(
        world
            .accounts
            .login("nobody@example.com", password(PASSWORD), &origin())
            .await,
        Err(LoginError::InvalidCredentials)
    ));
    assert_eq!((world.passwords.hashes(), world.passwords.verifies()), (1, 0));
    let state = world.snapshot();
    assert!(state.audit.is_empty());
    assert_eq!(state.throttles[&key("nobody@example.com", &origin())].failures, 1);
}

#[tokio::test]
async fn an_account_without_a_password_never_signs_in_with_one() {
    let world = World::new();
    let ada = world.owner();
    world.edit_user(&ada, |s| s.password_hash = PasswordHash::unusable());
    assert!(matches!(
        world
            .accounts
            .login("ada@example.com", password("!no-password"), &origin())
            .await,
        Err(LoginError::InvalidCredentials)
    ));
    assert_eq!(world.passwords.verifies(), 0);
    assert_eq!(world.snapshot().events(AuditAction::SignInFailed).len(), 1);
}

#[tokio::test]
async fn the_eleventh_failure_blocks_this_network_notifies_once_and_the_block_ends() {
    let world = World::new();
    let ada = world.owner();
    for _ in 0..10 {
        let _ = world
            .accounts
            .login("ada@example.com", password("guess"), &origin())
            .await;
        world.advance(TimeDelta::seconds(1));
    }
    assert!(world.snapshot().events(AuditAction::SignInThrottled).is_empty());
    let _ = world
        .accounts
        .login("ada@example.com", password("guess"), &origin())
        .await;
    let state = world.snapshot();
    let throttled = state.events(AuditAction::SignInThrottled);
    assert_eq!(throttled.len(), 1);
    assert_eq!(throttled[0].actor.kind, ActorKind::System);
    assert_eq!(throttled[0].details["failures"], "11");
    assert_eq!(throttled[0].details["blocked_seconds"], "30");
    let hour = world.now().timestamp() / 3600;
    assert_eq!(state.job_keys(), [format!("sign-in-throttled:{}:{hour}", ada.id)]);
    assert_eq!(
        state.jobs[0].effect,
        Effect::SendAccountEmail {
            user_id: ada.id,
            email: AccountEmail::SignInThrottled,
        }
    );

    // Even the right password waits, from this network only.
    world.advance(TimeDelta::seconds(10));
    assert!(matches!(
        world
            .accounts
            .login("ada@example.com", password(PASSWORD), &origin())
            .await,
        Err(LoginError::Throttled {
            retry_after_seconds: 20
        })
    ));
    world
        .accounts
        .login("ada@example.com", password(PASSWORD), &other_network())
        .await
        .unwrap();

    // A twelfth failure after the block doubles it, without a second notice this hour.
    world.advance(TimeDelta::seconds(21));
    let _ = world
        .accounts
        .login("ada@example.com", password("guess"), &origin())
        .await;
    let state = world.snapshot();
    assert_eq!(
        state.events(AuditAction::SignInThrottled)[1].details["blocked_seconds"],
        "60"
    );
    assert_eq!(state.jobs.len(), 1);

    world.advance(TimeDelta::seconds(61));
    world
        .accounts
        .login("ada@example.com", password(PASSWORD), &origin())
        .await
        .unwrap();
    assert!(world.snapshot().throttles.is_empty());
}

#[tokio::test]
async fn a_throttled_attempt_checks_no_password_and_writes_nothing() {
    let world = World::new();
    world.owner();
    for _ in 0..11 {
        let _ = world
            .accounts
            .login("ada@example.com", password("guess"), &origin())
            .await;
    }
    let before = world.snapshot();
    let (hashes, verifies) = (world.passwords.hashes(), world.passwords.verifies());
    assert!(matches!(
        world
            .accounts
            .login("ada@example.com", password("guess"), &origin())
            .await,
        Err(LoginError::Throttled {
            retry_after_seconds: 30
        })
    ));
    assert_eq!(
        (world.passwords.hashes(), world.passwords.verifies()),
        (hashes, verifies)
    );
    assert_eq!(world.snapshot(), before);
}

#[tokio::test]
async fn unknown_tokens_are_refused() {
    let world = World::new();
    world.owner();
    let before = world.snapshot();
    for token in ["fks_nothing", "fkt_nothing"] {
        assert!(matches!(
            world.accounts.authenticate(&SecretToken::new(token.into())).await,
            Err(AuthenticateError::InvalidToken)
        ));
    }
    assert_eq!(world.snapshot(), before);
}

#[tokio::test]
async fn a_session_lapses_after_two_idle_hours() {
    let world = World::new();
    world.owner();
    let new = world
        .accounts
        .login("ada@example.com", password(PASSWORD), &origin())
        .await
        .unwrap();
    world.advance(TimeDelta::minutes(119));
    world.accounts.authenticate(&new.token).await.unwrap();
    let touched = world.snapshot().sessions[&(new.session.tenant_id, new.session.id)].clone();
    assert_eq!(touched.last_seen_at, world.now());
    world.advance(TimeDelta::hours(2));
    assert!(matches!(
        world.accounts.authenticate(&new.token).await,
        Err(AuthenticateError::InvalidToken)
    ));
}

#[tokio::test]
async fn a_session_ends_after_a_day_however_active() {
    let world = World::new();
    world.owner();
    let new = world
        .accounts
        .login("ada@example.com", password(PASSWORD), &origin())
        .await
        .unwrap();
    for _ in 0..23 {
        world.advance(TimeDelta::hours(1));
        world.accounts.authenticate(&new.token).await.unwrap();
    }
    world.advance(TimeDelta::minutes(59));
    world.accounts.authenticate(&new.token).await.unwrap();
    world.advance(TimeDelta::minutes(1));
    assert!(matches!(
        world.accounts.authenticate(&new.token).await,
        Err(AuthenticateError::InvalidToken)
    ));
}

#[tokio::test]
async fn a_session_is_marked_used_at_most_once_a_minute() {
    let world = World::new();
    world.owner();
    let new = world
        .accounts
        .login("ada@example.com", password(PASSWORD), &origin())
        .await
        .unwrap();
    let commits = world.snapshot().commits;
    world.advance(TimeDelta::seconds(59));
    world.accounts.authenticate(&new.token).await.unwrap();
    assert_eq!(world.snapshot().commits, commits, "no write within the minute");
    world.advance(TimeDelta::seconds(1));
    world.accounts.authenticate(&new.token).await.unwrap();
    let state = world.snapshot();
    assert_eq!(state.commits, commits + 1);
    assert_eq!(
        state.sessions[&(new.session.tenant_id, new.session.id)].last_seen_at,
        world.now()
    );
}

#[tokio::test]
async fn a_session_of_a_removed_user_is_refused_and_a_closed_account_is_flagged() {
    let world = World::new();
    let ada = world.owner();
    let bob = world.user(ada.tenant_id, "bob@example.com", Role::Member);
    let ada_session = world
        .accounts
        .login("ada@example.com", password(PASSWORD), &origin())
        .await
        .unwrap();
    let bob_session = world
        .accounts
        .login("bob@example.com", password(PASSWORD), &origin())
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
        world.accounts.authenticate(&bob_session.token).await,
        Err(AuthenticateError::InvalidToken)
    ));
    assert!(
        world
            .accounts
            .authenticate(&ada_session.token)
            .await
            .unwrap()
            .account_closed
    );
}

#[tokio::test]
async fn signing_out_ends_the_session_at_once() {
    let world = World::new();
    let ada = world.owner();
    let new = world
        .accounts
        .login("ada@example.com", password(PASSWORD), &origin())
        .await
        .unwrap();
    let other = world
        .accounts
        .login("ada@example.com", password(PASSWORD), &other_network())
        .await
        .unwrap();
    let who = world.accounts.authenticate(&new.token).await.unwrap();
    world.accounts.logout(&who, &origin()).await.unwrap();
    assert!(matches!(
        world.accounts.authenticate(&new.token).await,
        Err(AuthenticateError::InvalidToken)
    ));
    world.accounts.authenticate(&other.token).await.unwrap();
    let state = world.snapshot();
    let out = state.events(AuditAction::SignedOut);
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].actor.user_id, Some(ada.id));
}

#[tokio::test]
async fn an_api_token_is_not_signed_out() {
    let world = World::new();
    let ada = world.owner();
    let before = world.snapshot();
    assert!(matches!(
        world.accounts.logout(&by_api_token(&ada), &origin()).await,
        Err(LogoutError::NotASession)
    ));
    assert_eq!(world.snapshot(), before);
}
