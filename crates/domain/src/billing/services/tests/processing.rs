//! Webhook processing: exactly once, parked events, order, refunds, subscriptions.

use std::sync::Arc;

use super::support::*;
use crate::billing::events::{BillingEvent, DecodedEvent, SubscriptionChange};
use crate::billing::records::CheckoutStatus;
use crate::billing::services::Processed;
use crate::billing::testing::JsonCodec;
use crate::billing::webhook::{InboxEntry, InboxKey, InboxState, WebhookAccount, WebhookProvider};

const STRIPE: WebhookProvider = WebhookProvider::Stripe;

fn connect(n: u128) -> WebhookAccount {
    WebhookAccount::Tenant(tenant(n))
}

fn parked_reasons(world: &World) -> Vec<String> {
    let state = world.store.snapshot();
    state
        .inbox
        .values()
        .filter_map(|entry| match &entry.state {
            InboxState::Parked { reason } => Some(reason.clone()),
            _ => None,
        })
        .collect()
}

#[tokio::test]
async fn a_paid_checkout_records_one_card_payment_whatever_the_duplicates() {
    let world = World::new();
    world.store.add_invoice(tenant(1), invoice(1), "EUR");
    let completed = event(
        "evt_1",
        BillingEvent::CheckoutCompleted(paid(tenant(1), invoice(1), "cs_1", 5000)),
    );
    for _ in 0..10 {
        world.deliver(STRIPE, connect(1), &completed).await;
    }
    // A second event about the same session (another id) changes nothing either.
    let succeeded = event(
        "evt_2",
        BillingEvent::AsyncPaymentSucceeded(paid(tenant(1), invoice(1), "cs_1", 5000)),
    );
    world.deliver(STRIPE, connect(1), &succeeded).await;
    let state = world.store.snapshot();
    assert_eq!(
        state.invoices[&(tenant(1), invoice(1))].payments,
        vec![("pi_cs_1".to_owned(), 5000)]
    );
    assert_eq!(
        state.checkouts[&(tenant(1), "cs_1".to_owned())].status,
        CheckoutStatus::Paid
    );
    assert!(state.inbox.values().all(|e| e.state == InboxState::Processed));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn ten_concurrent_deliveries_and_workers_record_one_payment() {
    let world = Arc::new(World::new());
    world.store.add_invoice(tenant(1), invoice(1), "EUR");
    let completed = event(
        "evt_1",
        BillingEvent::CheckoutCompleted(paid(tenant(1), invoice(1), "cs_1", 5000)),
    );
    let mut tasks = Vec::new();
    for _ in 0..10 {
        let (world, completed) = (world.clone(), completed.clone());
        tasks.push(tokio::spawn(async move {
            let body = JsonCodec::body(&completed);
            let delivery = crate::billing::services::Delivery {
                provider: STRIPE,
                account: connect(1),
                signature_header: Some("valid:whsec_test"),
                raw_body: &body,
            };
            world.intake.receive(&JsonCodec, &secrets(), delivery).await.unwrap();
            world.processor.process_pending(10).await.unwrap()
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    // Whatever lost a race is processed by a later run.
    world.processor.process_pending(10).await.unwrap();
    assert_eq!(
        world.store.snapshot().invoices[&(tenant(1), invoice(1))].payments.len(),
        1
    );
}

#[tokio::test]
async fn a_refund_before_the_completion_still_converges() {
    let world = World::new();
    world.store.add_invoice(tenant(1), invoice(1), "EUR");
    world
        .deliver(
            STRIPE,
            connect(1),
            &event("evt_r", BillingEvent::ChargeRefunded(refunded("cs_1", 2000))),
        )
        .await;
    assert_eq!(world.net_paid(tenant(1), invoice(1)), 0);
    assert_eq!(world.store.snapshot().pending_refunds.len(), 1);
    let completed = event(
        "evt_c",
        BillingEvent::CheckoutCompleted(paid(tenant(1), invoice(1), "cs_1", 5000)),
    );
    world.deliver(STRIPE, connect(1), &completed).await;
    let state = world.store.snapshot();
    assert_eq!(state.invoices[&(tenant(1), invoice(1))].payments.len(), 1);
    assert_eq!(
        state.invoices[&(tenant(1), invoice(1))].refunds,
        vec![("ch_cs_1:2000".to_owned(), 2000)]
    );
    assert!(state.pending_refunds.is_empty());
    // The same refund again after all: nothing more.
    world
        .deliver(
            STRIPE,
            connect(1),
            &event("evt_r2", BillingEvent::ChargeRefunded(refunded("cs_1", 2000))),
        )
        .await;
    assert_eq!(world.net_paid(tenant(1), invoice(1)), 3000);
}

#[tokio::test]
async fn refunds_after_the_payment_record_what_is_new_of_the_cumulative_amount() {
    let world = World::new();
    world.store.add_invoice(tenant(1), invoice(1), "EUR");
    world
        .deliver(
            STRIPE,
            connect(1),
            &event(
                "evt_c",
                BillingEvent::CheckoutCompleted(paid(tenant(1), invoice(1), "cs_1", 5000)),
            ),
        )
        .await;
    world
        .deliver(
            STRIPE,
            connect(1),
            &event("evt_r1", BillingEvent::ChargeRefunded(refunded("cs_1", 1000))),
        )
        .await;
    world
        .deliver(
            STRIPE,
            connect(1),
            &event("evt_r1", BillingEvent::ChargeRefunded(refunded("cs_1", 1000))),
        )
        .await;
    world
        .deliver(
            STRIPE,
            connect(1),
            &event("evt_r2", BillingEvent::ChargeRefunded(refunded("cs_1", 5000))),
        )
        .await;
    // An older event delivered late changes nothing.
    world
        .deliver(
            STRIPE,
            connect(1),
            &event("evt_r0", BillingEvent::ChargeRefunded(refunded("cs_1", 1000))),
        )
        .await;
    let refunds = world.store.snapshot().invoices[&(tenant(1), invoice(1))]
        .refunds
        .clone();
    assert_eq!(
        refunds,
        vec![("ch_cs_1:1000".to_owned(), 1000), ("ch_cs_1:5000".to_owned(), 4000)]
    );
    assert_eq!(world.net_paid(tenant(1), invoice(1)), 0);
}

#[tokio::test]
async fn a_foreign_tenants_invoice_is_parked_and_never_paid() {
    let world = World::new();
    world.store.add_invoice(tenant(1), invoice(1), "EUR");
    world.store.add_invoice(tenant(2), invoice(2), "EUR");
    // Tenant 1's endpoint, metadata naming tenant 2.
    world
        .deliver(
            STRIPE,
            connect(1),
            &event(
                "evt_a",
                BillingEvent::CheckoutCompleted(paid(tenant(2), invoice(2), "cs_a", 5000)),
            ),
        )
        .await;
    // Tenant 1's endpoint and metadata, but tenant 2's invoice.
    world
        .deliver(
            STRIPE,
            connect(1),
            &event(
                "evt_b",
                BillingEvent::CheckoutCompleted(paid(tenant(1), invoice(2), "cs_b", 5000)),
            ),
        )
        .await;
    let state = world.store.snapshot();
    assert!(state.invoices.values().all(|invoice| invoice.payments.is_empty()));
    let reasons = parked_reasons(&world);
    assert_eq!(reasons.len(), 2);
    assert!(reasons.iter().any(|r| r.contains("another tenant")));
    assert!(reasons.iter().any(|r| r.contains("no such invoice")));
}

#[tokio::test]
async fn sessions_that_cannot_be_applied_are_parked_with_a_reason() {
    let world = World::new();
    world.store.add_invoice(tenant(1), invoice(1), "EUR");
    world.store.add_invoice(tenant(1), invoice(3), "EUR");
    world
        .store
        .edit(|s| s.invoices.get_mut(&(tenant(1), invoice(3))).unwrap().refuse = Some("void".to_owned()));
    let mut no_invoice = paid(tenant(1), invoice(1), "cs_1", 5000);
    no_invoice.invoice = None;
    let mut bad_currency = paid(tenant(1), invoice(1), "cs_2", 5000);
    bad_currency.currency = "xxx".to_owned();
    let mut no_intent = paid(tenant(1), invoice(1), "cs_3", 5000);
    no_intent.payment_intent = None;
    let void = paid(tenant(1), invoice(3), "cs_4", 5000);
    let mut other_currency = paid(tenant(1), invoice(1), "cs_5", 5000);
    other_currency.currency = "usd".to_owned();
    let mut no_refund_intent = refunded("cs_1", 10);
    no_refund_intent.payment_intent = None;
    for (id, facts) in [
        ("e1", no_invoice),
        ("e2", bad_currency),
        ("e3", no_intent),
        ("e4", void),
        ("e5", other_currency),
    ] {
        world
            .deliver(STRIPE, connect(1), &event(id, BillingEvent::CheckoutCompleted(facts)))
            .await;
    }
    world
        .deliver(
            STRIPE,
            connect(1),
            &event("e6", BillingEvent::ChargeRefunded(no_refund_intent)),
        )
        .await;
    let reasons = parked_reasons(&world);
    assert_eq!(reasons.len(), 6, "{reasons:?}");
    for expected in [
        "names no invoice",
        "currency is not supported",
        "without a PaymentIntent",
        "refused the payment: void",
        "another currency",
        "refund without",
    ] {
        assert!(reasons.iter().any(|r| r.contains(expected)), "{expected}: {reasons:?}");
    }
    assert!(world.store.snapshot().invoices.values().all(|i| i.payments.is_empty()));
}

#[tokio::test]
async fn an_asynchronous_payment_is_recorded_when_it_succeeds_and_never_when_it_fails() {
    let world = World::new();
    world.store.add_invoice(tenant(1), invoice(1), "EUR");
    let mut waiting = paid(tenant(1), invoice(1), "cs_1", 5000);
    waiting.paid = false;
    world
        .deliver(
            STRIPE,
            connect(1),
            &event("e1", BillingEvent::CheckoutCompleted(waiting.clone())),
        )
        .await;
    let state = world.store.snapshot();
    assert_eq!(
        state.checkouts[&(tenant(1), "cs_1".to_owned())].status,
        CheckoutStatus::AwaitingPayment
    );
    world
        .deliver(
            STRIPE,
            connect(1),
            &event("e2", BillingEvent::AsyncPaymentSucceeded(waiting.clone())),
        )
        .await;
    assert_eq!(world.net_paid(tenant(1), invoice(1)), 5000);

    let mut failing = waiting;
    failing.session_id = "cs_2".to_owned();
    failing.payment_intent = Some("pi_cs_2".to_owned());
    world
        .deliver(
            STRIPE,
            connect(1),
            &event("e3", BillingEvent::CheckoutCompleted(failing.clone())),
        )
        .await;
    world
        .deliver(
            STRIPE,
            connect(1),
            &event("e4", BillingEvent::AsyncPaymentFailed(failing)),
        )
        .await;
    let state = world.store.snapshot();
    assert_eq!(
        state.checkouts[&(tenant(1), "cs_2".to_owned())].status,
        CheckoutStatus::Failed
    );
    assert_eq!(world.net_paid(tenant(1), invoice(1)), 5000);
}

#[tokio::test]
async fn unknown_types_are_processed_and_bad_bodies_or_misplaced_events_parked() {
    let world = World::new();
    let ignored = DecodedEvent {
        event: None,
        ..event("e1", BillingEvent::ChargeRefunded(refunded("cs_1", 1)))
    };
    world.deliver(STRIPE, connect(1), &ignored).await;
    let change = SubscriptionChange {
        subscription_id: "sub_1".to_owned(),
        snapshot: None,
    };
    world
        .deliver(
            STRIPE,
            connect(1),
            &event("e2", BillingEvent::SubscriptionUpdated(change)),
        )
        .await;
    let key = InboxKey {
        provider: STRIPE,
        account: connect(1),
        event_id: "e3".to_owned(),
    };
    world.store.edit(|state| {
        state.inbox.insert(
            key.clone(),
            InboxEntry {
                key: key.clone(),
                event_type: "x".to_owned(),
                raw_body: b"not json".to_vec(),
                received_at: start(),
                state: InboxState::Received,
                settled_at: None,
            },
        );
    });
    let processed = world.processor.process(&key).await.unwrap();
    assert!(matches!(processed, Processed::Parked(ref r) if r.contains("not a valid event")));
    assert_eq!(world.processor.process(&key).await.unwrap(), Processed::AlreadySettled);
    let state = world.store.snapshot();
    assert_eq!(
        state
            .inbox
            .values()
            .filter(|e| e.state == InboxState::Processed)
            .count(),
        1
    );
    assert!(
        parked_reasons(&world)
            .iter()
            .any(|r| r.contains("operator event on a tenant"))
    );
}

#[tokio::test]
async fn a_payment_intents_own_event_and_its_sessions_are_one_payment() {
    let world = World::new();
    world.store.add_invoice(tenant(1), invoice(1), "EUR");
    let mut intent = paid(tenant(1), invoice(1), "cs_1", 5000);
    intent.session_id = "pi_cs_1".to_owned();
    world
        .deliver(
            STRIPE,
            connect(1),
            &event("evt_pi", BillingEvent::PaymentSucceeded(intent)),
        )
        .await;
    let completed = event(
        "evt_cs",
        BillingEvent::CheckoutCompleted(paid(tenant(1), invoice(1), "cs_1", 5000)),
    );
    world.deliver(STRIPE, connect(1), &completed).await;
    world
        .deliver(
            STRIPE,
            connect(1),
            &event("evt_r", BillingEvent::ChargeRefunded(refunded("cs_1", 1000))),
        )
        .await;
    let state = world.store.snapshot();
    assert_eq!(state.checkouts.len(), 1);
    assert_eq!(state.invoices[&(tenant(1), invoice(1))].payments.len(), 1);
    assert_eq!(world.net_paid(tenant(1), invoice(1)), 4000);
}
