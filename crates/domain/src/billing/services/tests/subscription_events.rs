//! Subscription events: provider order, fetching Stripe's current object, unknown tenants, transactions.

use chrono::TimeDelta;

use super::support::*;
use crate::billing::events::{BillingEvent, DecodedEvent, SubscriptionChange, TransactionFacts};
use crate::billing::plan::PlanId;
use crate::billing::services::ProcessError;
use crate::billing::subscription::{SubscriptionSnapshot, SubscriptionStatus};
use crate::billing::webhook::{InboxState, WebhookAccount, WebhookProvider};

const STRIPE: WebhookProvider = WebhookProvider::Stripe;
const PADDLE: WebhookProvider = WebhookProvider::Paddle;

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

fn snapshot(status: SubscriptionStatus, minutes: i64, price: &str) -> SubscriptionSnapshot {
    SubscriptionSnapshot {
        provider: PADDLE,
        subscription_id: "sub_01".to_owned(),
        customer_id: Some("ctm_01".to_owned()),
        tenant: Some(tenant(1)),
        price_ids: vec![price.to_owned()],
        status,
        current_period_end: Some(start() + TimeDelta::days(30)),
        cancel_at: None,
        ordering_key: start() + TimeDelta::minutes(minutes),
    }
}

fn paddle_change(id: &str, snapshot: SubscriptionSnapshot) -> DecodedEvent {
    event(
        id,
        BillingEvent::SubscriptionUpdated(SubscriptionChange {
            subscription_id: snapshot.subscription_id.clone(),
            snapshot: Some(snapshot),
        }),
    )
}

#[tokio::test]
async fn paddle_subscription_events_apply_in_occurred_at_order_whatever_the_delivery_order() {
    let world = World::new();
    let operator = WebhookAccount::Operator;
    world
        .deliver(
            PADDLE,
            operator,
            &paddle_change("e1", snapshot(SubscriptionStatus::Trialing, 0, "pri_starter")),
        )
        .await;
    world
        .deliver(
            PADDLE,
            operator,
            &paddle_change("e4", snapshot(SubscriptionStatus::Canceled, 30, "pri_starter")),
        )
        .await;
    world
        .deliver(
            PADDLE,
            operator,
            &paddle_change("e3", snapshot(SubscriptionStatus::PastDue, 20, "pri_starter")),
        )
        .await;
    world
        .deliver(
            PADDLE,
            operator,
            &paddle_change("e2", snapshot(SubscriptionStatus::Active, 10, "pri_pro")),
        )
        .await;
    let subscription = world.store.snapshot().subscriptions[&tenant(1)].clone();
    assert_eq!(subscription.status, SubscriptionStatus::Canceled);
    assert_eq!(subscription.plan, Some(PlanId("starter".to_owned())));
    assert_eq!(subscription.ordering_key, start() + TimeDelta::minutes(30));
}

#[tokio::test]
async fn a_subscription_without_a_known_tenant_is_parked_and_a_transaction_is_kept() {
    let world = World::new();
    let mut anonymous = snapshot(SubscriptionStatus::Active, 0, "pri_pro");
    anonymous.tenant = None;
    world
        .deliver(PADDLE, WebhookAccount::Operator, &paddle_change("e1", anonymous))
        .await;
    assert!(parked_reasons(&world)[0].contains("unknown subscription"));
    world
        .deliver(
            PADDLE,
            WebhookAccount::Operator,
            &paddle_change("e2", snapshot(SubscriptionStatus::Active, 1, "pri_pro")),
        )
        .await;
    let mut stolen = snapshot(SubscriptionStatus::Canceled, 2, "pri_pro");
    stolen.tenant = Some(tenant(2));
    world
        .deliver(PADDLE, WebhookAccount::Operator, &paddle_change("e3", stolen))
        .await;
    assert_eq!(
        world.store.snapshot().subscriptions[&tenant(1)].status,
        SubscriptionStatus::Active
    );
    assert!(!world.store.snapshot().subscriptions.contains_key(&tenant(2)));
    let facts = TransactionFacts {
        reference: "txn_01".to_owned(),
        tenant: None,
        subscription_id: Some("sub_01".to_owned()),
        amount_minor: 1900,
        currency: "eur".to_owned(),
        status: "completed".to_owned(),
        invoice_url: Some("https://paddle.example/invoice.pdf".to_owned()),
    };
    world
        .deliver(
            PADDLE,
            WebhookAccount::Operator,
            &event("e4", BillingEvent::TransactionRecorded(facts.clone())),
        )
        .await;
    world
        .deliver(
            PADDLE,
            WebhookAccount::Operator,
            &event(
                "e5",
                BillingEvent::TransactionRecorded(TransactionFacts {
                    subscription_id: Some("sub_x".to_owned()),
                    ..facts
                }),
            ),
        )
        .await;
    let state = world.store.snapshot();
    assert_eq!(state.transactions.len(), 1);
    assert_eq!(state.transactions.values().next().unwrap().tenant, tenant(1));
    assert!(
        parked_reasons(&world)
            .iter()
            .any(|r| r.contains("transaction of an unknown subscription"))
    );
}

#[tokio::test]
async fn stripe_subscription_events_fetch_the_current_object() {
    let world = World::new();
    let mut current = snapshot(SubscriptionStatus::PastDue, 0, "pri_pro");
    current.provider = STRIPE;
    *world.provider.current.lock().unwrap() = Some(current);
    let change = SubscriptionChange {
        subscription_id: "sub_01".to_owned(),
        snapshot: None,
    };
    let stale_body = event("evt_1", BillingEvent::SubscriptionUpdated(change));
    world.clock.advance(TimeDelta::minutes(5));
    world.deliver(STRIPE, WebhookAccount::Operator, &stale_body).await;
    let subscription = world.store.snapshot().subscriptions[&tenant(1)].clone();
    assert_eq!(subscription.status, SubscriptionStatus::PastDue);
    assert_eq!(subscription.ordering_key, start() + TimeDelta::minutes(5));
}

#[tokio::test]
async fn an_unreachable_provider_leaves_the_entry_for_later() {
    let world = World::new();
    *world.provider.fail.lock().unwrap() = true;
    let change = SubscriptionChange {
        subscription_id: "sub_01".to_owned(),
        snapshot: None,
    };
    world
        .deliver(
            STRIPE,
            WebhookAccount::Operator,
            &event("evt_1", BillingEvent::SubscriptionUpdated(change)),
        )
        .await;
    let key = world.store.snapshot().inbox.keys().next().unwrap().clone();
    assert!(matches!(
        world.processor.process(&key).await,
        Err(ProcessError::Provider(_))
    ));
    assert_eq!(world.store.snapshot().inbox[&key].state, InboxState::Received);
    let run = world.processor.process_pending(10).await.unwrap();
    assert_eq!(run.failed, 1);
}
