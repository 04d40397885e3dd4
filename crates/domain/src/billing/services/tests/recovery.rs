//! Recovery: lost commit races, storage failures, and a crash between intake and processing.

use std::sync::Arc;

use super::support::*;
use crate::billing::events::BillingEvent;
use crate::billing::plan::BillingProvider;
use crate::billing::services::{ProcessError, Processed, WebhookCodecs, WebhookProcessor};
use crate::billing::testing::{CountingIds, JsonCodec};
use crate::billing::webhook::{WebhookAccount, WebhookProvider};
use crate::kernel::ManualClock;
use crate::kernel::repository::RepositoryError;

const STRIPE: WebhookProvider = WebhookProvider::Stripe;

fn connect(n: u128) -> WebhookAccount {
    WebhookAccount::Tenant(tenant(n))
}

#[tokio::test]
async fn a_lost_commit_race_is_a_conflict_and_storage_failures_unexpected() {
    let world = World::new();
    world.store.add_invoice(tenant(1), invoice(1), "EUR");
    let body = JsonCodec::body(&event(
        "evt_1",
        BillingEvent::CheckoutCompleted(paid(tenant(1), invoice(1), "cs_1", 5000)),
    ));
    let delivery = crate::billing::services::Delivery {
        provider: STRIPE,
        account: connect(1),
        signature_header: Some("valid:whsec_test"),
        raw_body: &body,
    };
    let crate::billing::services::Received::Stored(key) =
        world.intake.receive(&JsonCodec, &secrets(), delivery).await.unwrap()
    else {
        panic!("not stored");
    };
    let processor = |commit_error: fn() -> RepositoryError, begin_fails: bool| {
        let store = FlakyStore {
            inner: world.store.clone(),
            begin_fails,
            commit_error,
        };
        WebhookProcessor::new(
            Arc::new(store),
            WebhookCodecs {
                stripe: Arc::new(JsonCodec),
                paddle: Arc::new(JsonCodec),
            },
            None,
            Arc::new(settings(BillingProvider::Stripe)),
            Arc::new(ManualClock::new(start())),
            Arc::new(CountingIds::default()),
        )
    };
    let conflict = processor(|| RepositoryError::Conflict, false).process(&key).await;
    assert!(matches!(conflict, Err(ProcessError::Conflict)));
    let failed = processor(|| RepositoryError::Unexpected("disk".into()), false)
        .process(&key)
        .await;
    assert!(matches!(failed, Err(ProcessError::Unexpected(_))));
    assert!(
        processor(|| RepositoryError::Conflict, true)
            .process_pending(1)
            .await
            .is_err()
    );
    // Nothing was applied by the failed attempts; the real one applies once.
    assert_eq!(world.net_paid(tenant(1), invoice(1)), 0);
    assert_eq!(world.processor.process(&key).await.unwrap(), Processed::Applied);
    assert_eq!(world.net_paid(tenant(1), invoice(1)), 5000);
}

#[tokio::test]
async fn an_unprocessed_entry_survives_a_crash_and_applies_once_after_restart() {
    let world = World::new();
    // Received before the "crash": in the store, never processed.
    let body = JsonCodec::body(&event(
        "evt_1",
        BillingEvent::CheckoutCompleted(paid(tenant(1), invoice(1), "cs_1", 5000)),
    ));
    world.store.add_invoice(tenant(1), invoice(1), "EUR");
    world
        .intake
        .receive(
            &JsonCodec,
            &secrets(),
            crate::billing::services::Delivery {
                provider: STRIPE,
                account: connect(1),
                signature_header: Some("valid:whsec_test"),
                raw_body: &body,
            },
        )
        .await
        .unwrap();
    // A new processor on the same state ("after restart") applies it once.
    let restarted = WebhookProcessor::new(
        Arc::new(world.store.clone()),
        WebhookCodecs {
            stripe: Arc::new(JsonCodec),
            paddle: Arc::new(JsonCodec),
        },
        None,
        Arc::new(settings(BillingProvider::Stripe)),
        Arc::new(ManualClock::new(start())),
        Arc::new(CountingIds::default()),
    );
    assert_eq!(restarted.process_pending(10).await.unwrap().applied, 1);
    assert_eq!(restarted.process_pending(10).await.unwrap().applied, 0);
    assert_eq!(world.net_paid(tenant(1), invoice(1)), 5000);
}
