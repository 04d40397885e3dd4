//! Webhook intake: signatures, storing once, failures.

use std::sync::Arc;

use super::support::*;
use crate::billing::events::BillingEvent;
use crate::billing::gateway::SignatureError;
use crate::billing::services::{Delivery, IntakeError, Received, WebhookIntake};
use crate::billing::testing::JsonCodec;
use crate::billing::webhook::{InboxState, WebhookAccount, WebhookProvider};
use crate::kernel::repository::RepositoryError;

fn body() -> Vec<u8> {
    JsonCodec::body(&event(
        "evt_1",
        BillingEvent::CheckoutCompleted(paid(tenant(1), invoice(1), "cs_1", 5000)),
    ))
}

fn delivery<'a>(signature: Option<&'a str>, body: &'a [u8]) -> Delivery<'a> {
    Delivery {
        provider: WebhookProvider::Stripe,
        account: WebhookAccount::Tenant(tenant(1)),
        signature_header: signature,
        raw_body: body,
    }
}

#[tokio::test]
async fn a_verified_event_is_stored_once_with_its_raw_body() {
    let world = World::new();
    let body = body();
    let first = world
        .intake
        .receive(&JsonCodec, &secrets(), delivery(Some("valid:whsec_test"), &body))
        .await;
    let second = world
        .intake
        .receive(&JsonCodec, &secrets(), delivery(Some("valid:whsec_test"), &body))
        .await;
    assert!(matches!(first, Ok(Received::Stored(ref key)) if key.event_id == "evt_1"));
    assert!(matches!(second, Ok(Received::Duplicate(_))));
    let state = world.store.snapshot();
    assert_eq!(state.inbox.len(), 1);
    let entry = state.inbox.values().next().unwrap();
    assert_eq!(entry.raw_body, body);
    assert_eq!(entry.state, InboxState::Received);
    assert_eq!(entry.received_at, start());
}

#[tokio::test]
async fn the_same_event_id_on_two_accounts_is_two_entries() {
    let world = World::new();
    let body = body();
    let mut other = delivery(Some("valid:whsec_test"), &body);
    other.account = WebhookAccount::Tenant(tenant(2));
    world
        .intake
        .receive(&JsonCodec, &secrets(), delivery(Some("valid:whsec_test"), &body))
        .await
        .unwrap();
    world.intake.receive(&JsonCodec, &secrets(), other).await.unwrap();
    assert_eq!(world.store.snapshot().inbox.len(), 2);
}

#[tokio::test]
async fn bad_signatures_are_refused_and_nothing_is_stored() {
    let world = World::new();
    let body = body();
    let cases = [
        (None, SignatureError::Missing),
        (Some("garbage"), SignatureError::Malformed),
        (Some("valid:whsec_other"), SignatureError::Mismatch),
        (Some("stale:whsec_test"), SignatureError::Stale),
    ];
    for (header, expected) in cases {
        let result = world
            .intake
            .receive(&JsonCodec, &secrets(), delivery(header, &body))
            .await;
        assert!(
            matches!(result, Err(IntakeError::Signature(ref e)) if *e == expected),
            "{header:?}: {result:?}"
        );
    }
    assert!(world.store.snapshot().inbox.is_empty());
}

#[tokio::test]
async fn no_secret_is_not_configured() {
    let world = World::new();
    let body = body();
    let result = world
        .intake
        .receive(&JsonCodec, &[], delivery(Some("valid:whsec_test"), &body))
        .await;
    assert!(matches!(result, Err(IntakeError::NotConfigured)));
}

#[tokio::test]
async fn a_verified_body_that_is_no_event_is_malformed() {
    let world = World::new();
    let result = world
        .intake
        .receive(&JsonCodec, &secrets(), delivery(Some("valid:whsec_test"), b"{}"))
        .await;
    assert!(matches!(result, Err(IntakeError::Malformed(_))));
    assert!(world.store.snapshot().inbox.is_empty());
}

#[tokio::test]
async fn storage_failures_are_unexpected() {
    let body = body();
    for begin_fails in [true, false] {
        let store = FlakyStore {
            inner: crate::billing::testing::MemoryBillingStore::new(),
            begin_fails,
            commit_error: || RepositoryError::Unexpected("disk full".into()),
        };
        let intake = WebhookIntake::new(Arc::new(store), Arc::new(crate::kernel::ManualClock::new(start())));
        let result = intake
            .receive(&JsonCodec, &secrets(), delivery(Some("valid:whsec_test"), &body))
            .await;
        assert!(matches!(result, Err(IntakeError::Unexpected(_))), "{result:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn ten_concurrent_deliveries_store_one_entry() {
    let world = Arc::new(World::new());
    let body = Arc::new(body());
    let mut tasks = Vec::new();
    for _ in 0..10 {
        let (world, body) = (world.clone(), body.clone());
        tasks.push(tokio::spawn(async move {
            world
                .intake
                .receive(&JsonCodec, &secrets(), delivery(Some("valid:whsec_test"), &body))
                .await
        }));
    }
    let mut stored = 0;
    for task in tasks {
        if let Received::Stored(_) = task.await.unwrap().unwrap() {
            stored += 1;
        }
    }
    assert_eq!(stored, 1);
    assert_eq!(world.store.snapshot().inbox.len(), 1);
}
