//! The subscription service: view, checkout, portal, entitlement checks, records.

use std::sync::Arc;

use super::support::*;
use crate::billing::entitlements::{Limit, Need, Usage};
use crate::billing::gateway::BillingApiError;
use crate::billing::plan::{BillingProvider, PlanId};
use crate::billing::ports::SubscriptionProvider;
use crate::billing::records::BillingTransaction;
use crate::billing::services::{EntitlementError, PortalError, SubscriptionCheckoutError, SubscriptionService};
use crate::billing::subscription::{Subscription, SubscriptionStatus};
use crate::billing::testing::MemoryBillingStore;
use crate::billing::webhook::WebhookProvider;
use crate::kernel::repository::RepositoryError;

fn service(
    store: &MemoryBillingStore,
    provider: Option<Arc<FakeProvider>>,
    billing: BillingProvider,
) -> SubscriptionService {
    let provider = provider.map(|p| p as Arc<dyn SubscriptionProvider>);
    SubscriptionService::new(Arc::new(store.clone()), provider, Arc::new(settings(billing)))
}

fn subscribe(store: &MemoryBillingStore, plan: &str, status: SubscriptionStatus) {
    store.edit(|s| {
        s.subscriptions.insert(
            tenant(1),
            Subscription {
                tenant: tenant(1),
                provider: WebhookProvider::Stripe,
                subscription_id: "sub_1".to_owned(),
                customer_id: Some("cus_1".to_owned()),
                plan: Some(PlanId(plan.to_owned())),
                status,
                current_period_end: None,
                cancel_at: None,
                ordering_key: start(),
            },
        );
    });
}

#[tokio::test]
async fn the_view_shows_status_plan_and_limits() {
    let store = MemoryBillingStore::new();
    let none = service(&store, None, BillingProvider::None)
        .view(tenant(1))
        .await
        .unwrap();
    assert_eq!(
        (none.status, none.read_only, none.plan),
        (SubscriptionStatus::None, false, None)
    );
    let stripe = service(&store, None, BillingProvider::Stripe);
    assert!(stripe.view(tenant(1)).await.unwrap().read_only);
    subscribe(&store, "starter", SubscriptionStatus::Trialing);
    let view = stripe.view(tenant(1)).await.unwrap();
    assert_eq!(view.status, SubscriptionStatus::Trialing);
    assert_eq!(view.limits.invoices_per_month, Some(3));
    assert!(!view.read_only);
}

#[tokio::test]
async fn checkout_asks_the_provider_for_the_plans_price() {
    let store = MemoryBillingStore::new();
    let provider = Arc::new(FakeProvider::default());
    let service = service(&store, Some(provider.clone()), BillingProvider::Stripe);
    let url = service
        .checkout(tenant(1), &PlanId("pro".to_owned()), "https://s", "https://c")
        .await
        .unwrap();
    assert_eq!(url, "https://checkout.example/sub");
    let sent = provider.checkouts.lock().unwrap()[0].clone();
    assert_eq!(
        (sent.price_id.as_str(), sent.trial_days, sent.customer_id),
        ("pri_pro", 14, None)
    );
    assert!(sent.idempotency_key.contains(&tenant(1).to_string()));
}

#[tokio::test]
async fn checkout_and_portal_fail_with_each_error() {
    let store = MemoryBillingStore::new();
    let provider = Arc::new(FakeProvider::default());
    let plan = PlanId("pro".to_owned());
    let none = service(&store, None, BillingProvider::None);
    assert!(matches!(
        none.checkout(tenant(1), &plan, "s", "c").await,
        Err(SubscriptionCheckoutError::NotConfigured)
    ));
    assert!(matches!(
        none.portal(tenant(1), "r", "1").await,
        Err(PortalError::NotConfigured)
    ));
    let stripe = service(&store, Some(provider.clone()), BillingProvider::Stripe);
    let unknown = stripe.checkout(tenant(1), &PlanId("gold".to_owned()), "s", "c").await;
    assert!(matches!(unknown, Err(SubscriptionCheckoutError::UnknownPlan)));
    assert!(matches!(
        stripe.portal(tenant(1), "r", "1").await,
        Err(PortalError::NoCustomer)
    ));
    *provider.fail.lock().unwrap() = true;
    let down = stripe.checkout(tenant(1), &plan, "s", "c").await;
    assert!(matches!(
        down,
        Err(SubscriptionCheckoutError::Provider(BillingApiError::Unavailable))
    ));
    subscribe(&store, "pro", SubscriptionStatus::Active);
    assert_eq!(
        stripe.portal(tenant(1), "r", "1").await.unwrap(),
        "https://portal.example/cus_1"
    );
    let broken = FlakyStore {
        inner: store.clone(),
        begin_fails: true,
        commit_error: || RepositoryError::Conflict,
    };
    let broken = SubscriptionService::new(
        Arc::new(broken),
        Some(provider),
        Arc::new(settings(BillingProvider::Stripe)),
    );
    assert!(matches!(
        broken.checkout(tenant(1), &plan, "s", "c").await,
        Err(SubscriptionCheckoutError::Unexpected(_))
    ));
    assert!(matches!(
        broken.portal(tenant(1), "r", "1").await,
        Err(PortalError::Unexpected(_))
    ));
    assert!(matches!(
        broken.require(tenant(1), &Usage::default(), Need::Invoice).await,
        Err(EntitlementError::Unexpected(_))
    ));
    assert!(broken.view(tenant(1)).await.is_err());
    assert!(broken.transactions(tenant(1), 10).await.is_err());
}

#[tokio::test]
async fn require_applies_the_plan_and_never_blocks_without_a_provider() {
    let store = MemoryBillingStore::new();
    subscribe(&store, "starter", SubscriptionStatus::Active);
    let usage = Usage {
        invoices_this_month: 3,
        ..Usage::default()
    };
    let stripe = service(&store, None, BillingProvider::Stripe);
    let refused = stripe.require(tenant(1), &usage, Need::Invoice).await;
    assert!(matches!(refused, Err(EntitlementError::PlanLimitReached(e)) if e.limit == Limit::InvoicesPerMonth));
    assert!(
        service(&store, None, BillingProvider::None)
            .require(tenant(1), &usage, Need::Invoice)
            .await
            .is_ok()
    );
}

#[tokio::test]
async fn transactions_are_listed_newest_first_per_tenant() {
    let store = MemoryBillingStore::new();
    store.edit(|s| {
        for (n, who) in [(1, tenant(1)), (2, tenant(1)), (3, tenant(2))] {
            let transaction = BillingTransaction {
                tenant: who,
                provider: WebhookProvider::Paddle,
                provider_reference: format!("txn_{n}"),
                amount_minor: 1900,
                currency: "EUR".to_owned(),
                status: "completed".to_owned(),
                occurred_at: start() + chrono::TimeDelta::days(n),
                invoice_url: None,
            };
            s.transactions.insert(
                (WebhookProvider::Paddle, transaction.provider_reference.clone()),
                transaction,
            );
        }
    });
    let list = service(&store, None, BillingProvider::Paddle)
        .transactions(tenant(1), 10)
        .await
        .unwrap();
    let references: Vec<&str> = list.iter().map(|t| t.provider_reference.as_str()).collect();
    assert_eq!(references, ["txn_2", "txn_1"]);
}
