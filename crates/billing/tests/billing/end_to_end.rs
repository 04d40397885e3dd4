//! The adapter and the domain services together: a checkout opened on the
//! Stripe fake and paid by a signed event delivered ten times at once, a
//! foreign tenant's invoice, and the subscription lifecycle on both
//! providers with the plan's limits.

use std::sync::Arc;

use chrono::TimeDelta;
use fakturo_billing::{PaddleWebhooks, StripeClient, StripeGateway, StripeSubscriptions, StripeWebhooks};
use fakturo_domain::billing::entitlements::{Limit, Need, Usage};
use fakturo_domain::billing::plan::{BillingProvider, BillingSettings, Plan, PlanId, PlanLimits};
use fakturo_domain::billing::ports::{SubscriptionProvider, WebhookCodec};
use fakturo_domain::billing::services::{
    Delivery, EntitlementError, IntakeError, OnlineCheckout, SubscriptionService, WebhookCodecs, WebhookIntake,
    WebhookProcessor,
};
use fakturo_domain::billing::subscription::SubscriptionStatus;
use fakturo_domain::billing::testing::{CountingIds, MemoryBillingStore};
use fakturo_domain::billing::webhook::{InboxState, WebhookAccount, WebhookProvider};
use fakturo_domain::kernel::secrets::RevealedSecret;
use fakturo_domain::kernel::{Clock, ManualClock};
use fakturo_domain::{InvoiceId, TenantId};
use serde_json::json;

use crate::stripe_api::{ids, invoice_checkout, key, stripe_server};
use crate::support::{fast_settings, wall_clock};

const SECRET: &str = "whsec_end_to_end";

fn settings() -> Arc<BillingSettings> {
    Arc::new(BillingSettings {
        provider: BillingProvider::Paddle,
        plans: vec![Plan {
            id: PlanId("starter".to_owned()),
            name: "Starter".to_owned(),
            price_ids: vec!["pri_starter".to_owned(), "price_starter".to_owned()],
            limits: PlanLimits {
                invoices_per_month: Some(3),
                ..PlanLimits::default()
            },
            features: vec![],
        }],
        trial_days: 14,
        default_plan: None,
        closure_grace_days: 30,
        ..BillingSettings::default()
    })
}

struct Rig {
    store: MemoryBillingStore,
    clock: Arc<ManualClock>,
    intake: WebhookIntake,
    processor: WebhookProcessor,
}

fn rig(subscriptions: Option<Arc<dyn SubscriptionProvider>>) -> Rig {
    let store = MemoryBillingStore::new();
    let clock = Arc::new(ManualClock::new(wall_clock()));
    let codecs = WebhookCodecs {
        stripe: Arc::new(StripeWebhooks::default()),
        paddle: Arc::new(PaddleWebhooks::default()),
    };
    Rig {
        intake: WebhookIntake::new(Arc::new(store.clone()), clock.clone()),
        processor: WebhookProcessor::new(
            Arc::new(store.clone()),
            codecs,
            subscriptions,
            settings(),
            clock.clone(),
            Arc::new(CountingIds::default()),
        ),
        store,
        clock,
    }
}

fn secrets() -> Vec<RevealedSecret> {
    vec![RevealedSecret::new(SECRET.to_owned())]
}

fn session_completed(event_id: &str, tenant: TenantId, invoice: InvoiceId) -> Vec<u8> {
    serde_json::to_vec(&json!({"id": event_id, "object": "event", "type": "checkout.session.completed", "created": 1_767_225_600,
        "data": {"object": {"id": format!("cs_{event_id}"), "object": "checkout.session", "payment_status": "paid", "status": "complete",
            "payment_intent": format!("pi_{event_id}"), "amount_total": 5000, "currency": "eur",
            "metadata": {"tenant_id": tenant.to_string(), "invoice_id": invoice.to_string()}}}}))
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_checkout_paid_by_an_event_delivered_ten_times_at_once_is_one_payment() {
    let (server, _) = stripe_server().await;
    let rig = Arc::new(rig(None));
    let (tenant, invoice) = ids();
    rig.store.add_invoice(tenant, invoice, "EUR");
    let gateway = Arc::new(StripeGateway::new(
        StripeClient::new(&fast_settings(&server.uri())).unwrap(),
    ));
    let opener = OnlineCheckout::new(Arc::new(rig.store.clone()), gateway, rig.clock.clone());
    let session = opener.open(&key(), &invoice_checkout(5000)).await.unwrap();
    assert_eq!(rig.store.snapshot().checkouts.len(), 1);

    let mut body = session_completed("evt_paid", tenant, invoice);
    body = String::from_utf8(body)
        .unwrap()
        .replace("cs_evt_paid", &session.id)
        .into_bytes();
    let header = StripeWebhooks::default().sign(&secrets()[0], &body, rig.clock.now());
    let body = Arc::new(body);
    let mut tasks = Vec::new();
    for _ in 0..10 {
        let (rig, body, header) = (rig.clone(), body.clone(), header.clone());
        tasks.push(tokio::spawn(async move {
            let delivery = Delivery {
                provider: WebhookProvider::Stripe,
                account: WebhookAccount::Tenant(tenant),
                signature_header: Some(&header),
                raw_body: &body,
            };
            rig.intake
                .receive(&StripeWebhooks::default(), &secrets(), delivery)
                .await
                .unwrap();
            rig.processor.process_pending(10).await.unwrap();
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    rig.processor.process_pending(10).await.unwrap();
    let state = rig.store.snapshot();
    assert_eq!(state.inbox.len(), 1);
    assert_eq!(
        state.invoices[&(tenant, invoice)].payments,
        vec![("pi_evt_paid".to_owned(), 5000)]
    );
    assert_eq!(state.checkouts.len(), 1);
}

#[tokio::test]
async fn forged_stale_replayed_and_unsigned_events_store_nothing() {
    let rig = rig(None);
    let (tenant, invoice) = ids();
    let body = session_completed("evt_x", tenant, invoice);
    let codec = StripeWebhooks::default();
    let now = rig.clock.now();
    let forged = codec.sign(&RevealedSecret::new("whsec_attacker".to_owned()), &body, now);
    let stale = codec.sign(&secrets()[0], &body, now - TimeDelta::seconds(301));
    let replayed = format!("t={},{}", now.timestamp(), stale.split_once(',').unwrap().1);
    for header in [
        Some(forged.as_str()),
        Some(stale.as_str()),
        Some(replayed.as_str()),
        None,
    ] {
        let delivery = Delivery {
            provider: WebhookProvider::Stripe,
            account: WebhookAccount::Tenant(tenant),
            signature_header: header,
            raw_body: &body,
        };
        assert!(matches!(
            rig.intake.receive(&codec, &secrets(), delivery).await,
            Err(IntakeError::Signature(_))
        ));
    }
    assert!(rig.store.snapshot().inbox.is_empty());
}

#[tokio::test]
async fn an_event_on_tenant_as_endpoint_naming_tenant_bs_invoice_changes_nothing() {
    let rig = rig(None);
    let (tenant_a, _) = ids();
    let tenant_b: TenantId = "0190f5a6-0000-7000-8000-00000000000b".parse().unwrap();
    let invoice_b: InvoiceId = "0190f5a6-0000-7000-8000-0000000000bb".parse().unwrap();
    rig.store.add_invoice(tenant_b, invoice_b, "EUR");
    for (id, named) in [("evt_b1", tenant_b), ("evt_b2", tenant_a)] {
        let body = session_completed(id, named, invoice_b);
        let header = StripeWebhooks::default().sign(&secrets()[0], &body, rig.clock.now());
        let delivery = Delivery {
            provider: WebhookProvider::Stripe,
            account: WebhookAccount::Tenant(tenant_a),
            signature_header: Some(&header),
            raw_body: &body,
        };
        rig.intake
            .receive(&StripeWebhooks::default(), &secrets(), delivery)
            .await
            .unwrap();
    }
    assert_eq!(rig.processor.process_pending(10).await.unwrap().parked, 2);
    let state = rig.store.snapshot();
    assert!(state.invoices[&(tenant_b, invoice_b)].payments.is_empty());
    assert!(
        state
            .inbox
            .values()
            .all(|e| matches!(e.state, InboxState::Parked { .. }))
    );
}

fn paddle_event(id: &str, status: &str, minutes: i64, tenant: TenantId) -> Vec<u8> {
    let occurred_at =
        (chrono::DateTime::from_timestamp(1_767_225_600, 0).unwrap() + TimeDelta::minutes(minutes)).to_rfc3339();
    serde_json::to_vec(
        &json!({"event_id": id, "event_type": format!("subscription.{status}"), "occurred_at": occurred_at,
        "notification_id": format!("ntf_{id}"), "data": {"id": "sub_01", "status": status, "customer_id": "ctm_01",
        "custom_data": {"tenant_id": tenant.to_string()}, "items": [{"price": {"id": "pri_starter"}}],
        "current_billing_period": {"ends_at": "2026-02-01T00:00:00Z"}, "scheduled_change": null}}),
    )
    .unwrap()
}

#[tokio::test]
async fn the_paddle_lifecycle_applies_in_order_and_the_plan_limits_writes() {
    let rig = rig(None);
    let (tenant, _) = ids();
    let service = SubscriptionService::new(Arc::new(rig.store.clone()), None, settings());
    let usage = |invoices| Usage {
        invoices_this_month: invoices,
        ..Usage::default()
    };
    let deliver = |body: Vec<u8>| {
        let header = PaddleWebhooks::default().sign(&RevealedSecret::new(SECRET.to_owned()), &body, rig.clock.now());
        let rig = &rig;
        async move {
            let delivery = Delivery {
                provider: WebhookProvider::Paddle,
                account: WebhookAccount::Operator,
                signature_header: Some(&header),
                raw_body: &body,
            };
            rig.intake
                .receive(&PaddleWebhooks::default(), &secrets(), delivery)
                .await
                .unwrap();
            rig.processor.process_pending(10).await.unwrap();
        }
    };
    deliver(paddle_event("evt_1", "trialing", 0, tenant)).await;
    assert_eq!(service.view(tenant).await.unwrap().status, SubscriptionStatus::Trialing);
    assert!(service.require(tenant, &usage(2), Need::Invoice).await.is_ok());
    let fourth = service.require(tenant, &usage(3), Need::Invoice).await;
    assert!(matches!(fourth, Err(EntitlementError::PlanLimitReached(e)) if e.limit == Limit::InvoicesPerMonth));
    // past_due arrives before active: active, being older, is ignored.
    deliver(paddle_event("evt_3", "past_due", 20, tenant)).await;
    deliver(paddle_event("evt_2", "active", 10, tenant)).await;
    assert_eq!(service.view(tenant).await.unwrap().status, SubscriptionStatus::PastDue);
    deliver(paddle_event("evt_4", "canceled", 30, tenant)).await;
    let view = service.view(tenant).await.unwrap();
    assert_eq!((view.status, view.read_only), (SubscriptionStatus::Canceled, true));
    let blocked = service.require(tenant, &usage(0), Need::Invoice).await;
    assert!(matches!(blocked, Err(EntitlementError::PlanLimitReached(e)) if e.limit == Limit::ActiveSubscription));
}

#[tokio::test]
async fn the_stripe_lifecycle_follows_the_current_object_not_the_event_body() {
    let (server, fake) = stripe_server().await;
    let client = StripeClient::new(&fast_settings(&server.uri())).unwrap();
    let operator = Arc::new(StripeSubscriptions::new(
        client,
        RevealedSecret::new("sk_test_operator".to_owned()),
    ));
    let rig = rig(Some(operator));
    let (tenant, _) = ids();
    let codec = StripeWebhooks::default();
    for (n, status) in ["trialing", "active", "past_due", "canceled"].into_iter().enumerate() {
        fake.subscriptions.lock().unwrap().insert("sub_1".to_owned(), json!({"id": "sub_1", "object": "subscription",
            "customer": "cus_1", "status": status, "current_period_end": 1_769_904_000, "cancel_at": null,
            "metadata": {"tenant_id": tenant.to_string()}, "items": {"object": "list", "data": [{"price": {"id": "price_starter"}}]}}));
        // The body claims "active" whatever the truth.
        let body = serde_json::to_vec(
            &json!({"id": format!("evt_s{n}"), "object": "event", "type": "customer.subscription.updated",
            "created": 1_767_225_600, "data": {"object": {"id": "sub_1", "status": "active"}}}),
        )
        .unwrap();
        rig.clock.advance(TimeDelta::seconds(1));
        let header = codec.sign(&secrets()[0], &body, rig.clock.now());
        let delivery = Delivery {
            provider: WebhookProvider::Stripe,
            account: WebhookAccount::Operator,
            signature_header: Some(&header),
            raw_body: &body,
        };
        rig.intake.receive(&codec, &secrets(), delivery).await.unwrap();
        rig.processor.process_pending(10).await.unwrap();
        let subscription = rig.store.snapshot().subscriptions[&tenant].clone();
        assert_eq!(subscription.status.as_str(), status);
        assert_eq!(subscription.plan, Some(PlanId("starter".to_owned())));
    }
    assert!(codec.decode(b"{}").is_err());
}
