//! Closing and reopening the account: only the owner, only signed in,
//! only with the password; 30 days to change one's mind.

use super::*;
use crate::access::audit::AuditAction;
use crate::access::ports::PasswordHash;
use crate::access::user::Forbidden;
use crate::privacy::services::closure::ClosureError;
use crate::tenancy::Closure;

fn closure_of(w: &World) -> Option<Closure> {
    w.snapshot().organizations[&w.tenant].closure
}

#[tokio::test]
async fn only_the_owner_closes_the_account() {
    let w = World::new();
    let before = w.snapshot();
    let err = w
        .closure()
        .close(&signed_in(&w.admin), password(PASSWORD), &origin())
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            ClosureError::Forbidden(Forbidden {
                role: Role::Admin,
                action: "close the account"
            })
        ),
        "{err:?}"
    );
    assert_eq!(w.snapshot(), before);
}

#[tokio::test]
async fn an_api_token_cannot_close_the_account() {
    let w = World::new();
    let before = w.snapshot();
    let err = w
        .closure()
        .close(&by_api_token(&w.owner), password(PASSWORD), &origin())
        .await
        .unwrap_err();
    assert!(matches!(err, ClosureError::SessionRequired), "{err:?}");
    assert_eq!(w.snapshot(), before);
    assert_eq!(w.passwords.verifies(), 0, "refused before the password is checked");
}

#[tokio::test]
async fn a_wrong_password_closes_nothing() {
    let w = World::new();
    let before = w.snapshot();
    let err = w
        .closure()
        .close(&signed_in(&w.owner), password("wrong"), &origin())
        .await
        .unwrap_err();
    assert!(matches!(err, ClosureError::WrongPassword), "{err:?}");
    assert_eq!(w.snapshot(), before);
}

#[tokio::test]
async fn an_owner_without_a_password_must_set_one_first() {
    let w = World::new();
    let (tenant, owner) = (w.tenant, w.owner.id);
    w.access.edit(|s| {
        s.users.get_mut(&(tenant, owner)).unwrap().password_hash = PasswordHash::unusable();
    });
    let err = w
        .closure()
        .close(&signed_in(&w.owner), password(PASSWORD), &origin())
        .await
        .unwrap_err();
    assert!(matches!(err, ClosureError::WrongPassword), "{err:?}");
    assert_eq!(closure_of(&w), None);
}

#[tokio::test]
async fn closing_opens_a_thirty_day_window_and_is_audited() {
    let w = World::new();
    let closure = w
        .closure()
        .close(&signed_in(&w.owner), password(PASSWORD), &origin())
        .await
        .unwrap();
    assert_eq!(closure.closed_at, w.now());
    assert_eq!(closure.purge_after, w.now() + TimeDelta::days(30));
    assert_eq!(closure_of(&w), Some(closure));
    let state = w.snapshot();
    let events = state.events(AuditAction::AccountClosed);
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].details.get("state").map(String::as_str), Some("closed"));
    assert_eq!(
        events[0].details.get("purge_after").cloned(),
        Some(closure.purge_after.to_rfc3339())
    );
    assert_eq!(events[0].actor.user_id, Some(w.owner.id));
}

#[tokio::test]
async fn a_closed_account_cannot_be_closed_again() {
    let w = World::new();
    let first = w
        .closure()
        .close(&signed_in(&w.owner), password(PASSWORD), &origin())
        .await
        .unwrap();
    w.advance(TimeDelta::days(1));
    let before = w.snapshot();
    let err = w
        .closure()
        .close(&signed_in(&w.owner), password(PASSWORD), &origin())
        .await
        .unwrap_err();
    assert!(matches!(err, ClosureError::AlreadyClosed), "{err:?}");
    assert_eq!(w.snapshot(), before);
    assert_eq!(closure_of(&w), Some(first), "the window is not moved");
}

#[tokio::test]
async fn only_the_owner_reopens_and_only_signed_in() {
    let w = World::new();
    w.closure()
        .close(&signed_in(&w.owner), password(PASSWORD), &origin())
        .await
        .unwrap();
    let before = w.snapshot();
    let err = w.closure().reopen(&signed_in(&w.member), &origin()).await.unwrap_err();
    assert!(
        matches!(
            err,
            ClosureError::Forbidden(Forbidden {
                role: Role::Member,
                action: "reopen the account"
            })
        ),
        "{err:?}"
    );
    let err = w
        .closure()
        .reopen(&by_api_token(&w.owner), &origin())
        .await
        .unwrap_err();
    assert!(matches!(err, ClosureError::SessionRequired), "{err:?}");
    assert_eq!(w.snapshot(), before);
}

#[tokio::test]
async fn an_open_account_cannot_be_reopened() {
    let w = World::new();
    let before = w.snapshot();
    let err = w.closure().reopen(&signed_in(&w.owner), &origin()).await.unwrap_err();
    assert!(matches!(err, ClosureError::NotClosed), "{err:?}");
    assert_eq!(w.snapshot(), before);
}

#[tokio::test]
async fn reopening_within_the_window_clears_the_closure() {
    let w = World::new();
    w.closure()
        .close(&signed_in(&w.owner), password(PASSWORD), &origin())
        .await
        .unwrap();
    w.advance(TimeDelta::days(30) - TimeDelta::seconds(1));
    w.closure().reopen(&signed_in(&w.owner), &origin()).await.unwrap();
    assert_eq!(closure_of(&w), None);
    let state = w.snapshot();
    let events = state.events(AuditAction::AccountClosed);
    assert_eq!(events.len(), 2);
    assert_eq!(events[1].details.get("state").map(String::as_str), Some("reopened"));
    assert_eq!(events[1].occurred_at, w.now());
}

#[tokio::test]
async fn after_thirty_days_the_account_can_no_longer_be_reopened() {
    let w = World::new();
    let closure = w
        .closure()
        .close(&signed_in(&w.owner), password(PASSWORD), &origin())
        .await
        .unwrap();
    w.advance(TimeDelta::days(30));
    let before = w.snapshot();
    let err = w.closure().reopen(&signed_in(&w.owner), &origin()).await.unwrap_err();
    let ClosureError::GracePeriodOver(ended) = err else {
        panic!("{err:?}")
    };
    assert_eq!(ended, closure.purge_after);
    assert_eq!(w.snapshot(), before);
}
