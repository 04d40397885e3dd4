//! Entitlements: plan limits, features, read-only and unlimited tenants.

use super::support::*;
use crate::billing::entitlements::{Limit, Need, PlanInForce, PlanLimitReached, Usage, check};
use crate::billing::plan::{BillingProvider, Feature, PlanId};
use crate::billing::subscription::{Subscription, SubscriptionStatus};
use crate::billing::webhook::WebhookProvider;

fn subscription(plan: &str, status: SubscriptionStatus) -> Subscription {
    Subscription {
        tenant: tenant(1),
        provider: WebhookProvider::Paddle,
        subscription_id: "sub_01".to_owned(),
        customer_id: Some("ctm_01".to_owned()),
        plan: Some(PlanId(plan.to_owned())),
        status,
        current_period_end: None,
        cancel_at: None,
        ordering_key: start(),
    }
}

fn usage(invoices: u64) -> Usage {
    Usage {
        invoices_this_month: invoices,
        users: 1,
        storage_bytes: 900,
    }
}

#[test]
fn without_a_provider_nothing_is_limited() {
    let settings = settings(BillingProvider::None);
    let canceled = subscription("starter", SubscriptionStatus::Canceled);
    for need in [
        Need::Invoice,
        Need::User,
        Need::StorageBytes(u64::MAX),
        Need::Feature(Feature::AiExtraction),
    ] {
        assert_eq!(check(&settings, Some(&canceled), &usage(1_000_000), need), Ok(()));
        assert_eq!(check(&settings, None, &usage(1_000_000), need), Ok(()));
    }
}

#[test]
fn the_fourth_invoice_of_a_three_invoice_plan_is_refused_naming_the_limit() {
    let settings = settings(BillingProvider::Paddle);
    let starter = subscription("starter", SubscriptionStatus::Active);
    for made in 0..3 {
        assert_eq!(check(&settings, Some(&starter), &usage(made), Need::Invoice), Ok(()));
    }
    let refused = check(&settings, Some(&starter), &usage(3), Need::Invoice).unwrap_err();
    assert_eq!(
        refused,
        PlanLimitReached {
            limit: Limit::InvoicesPerMonth,
            allowed: Some(3)
        }
    );
    assert_eq!(refused.limit.as_str(), "invoices_per_month");
    assert_eq!(PlanLimitReached::CODE, "plan_limit_reached");
}

#[test]
fn users_storage_and_features_are_limited_by_the_plan() {
    let settings = settings(BillingProvider::Stripe);
    let starter = subscription("starter", SubscriptionStatus::Trialing);
    assert_eq!(
        check(&settings, Some(&starter), &usage(0), Need::User)
            .unwrap_err()
            .limit,
        Limit::Users
    );
    assert_eq!(
        check(&settings, Some(&starter), &usage(0), Need::StorageBytes(100)),
        Ok(())
    );
    assert_eq!(
        check(&settings, Some(&starter), &usage(0), Need::StorageBytes(101))
            .unwrap_err()
            .limit,
        Limit::StorageBytes
    );
    let sms = check(&settings, Some(&starter), &usage(0), Need::Feature(Feature::Sms)).unwrap_err();
    assert_eq!((sms.limit, sms.limit.as_str()), (Limit::Feature(Feature::Sms), "sms"));
    let pro = subscription("pro", SubscriptionStatus::PastDue);
    assert_eq!(
        check(&settings, Some(&pro), &usage(10_000), Need::Feature(Feature::Sms)),
        Ok(())
    );
    assert_eq!(check(&settings, Some(&pro), &usage(10_000), Need::Invoice), Ok(()));
    assert!(check(&settings, Some(&pro), &usage(0), Need::Feature(Feature::AiExtraction)).is_err());
}

#[test]
fn an_ended_subscription_or_none_without_a_default_plan_is_read_only() {
    let mut settings = settings(BillingProvider::Paddle);
    for status in [
        SubscriptionStatus::Canceled,
        SubscriptionStatus::Paused,
        SubscriptionStatus::None,
    ] {
        let ended = subscription("pro", status);
        assert_eq!(PlanInForce::of(&settings, Some(&ended)), PlanInForce::ReadOnly);
        assert_eq!(
            check(&settings, Some(&ended), &usage(0), Need::Invoice)
                .unwrap_err()
                .limit,
            Limit::ActiveSubscription
        );
    }
    assert_eq!(PlanInForce::of(&settings, None), PlanInForce::ReadOnly);
    settings.default_plan = Some(PlanId("starter".to_owned()));
    assert!(matches!(PlanInForce::of(&settings, None), PlanInForce::Plan(plan) if plan.id.0 == "starter"));
    // A running subscription on a price not configured falls back to the default plan.
    let unknown = subscription("gone", SubscriptionStatus::Active);
    assert!(matches!(PlanInForce::of(&settings, Some(&unknown)), PlanInForce::Plan(plan) if plan.id.0 == "starter"));
}
