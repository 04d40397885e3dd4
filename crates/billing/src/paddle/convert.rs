//! The domain's view of Paddle's objects: subscription snapshots and
//! transaction facts, shared by the provider and the webhook codec.

use chrono::{DateTime, Utc};
use fakturo_domain::billing::events::TransactionFacts;
use fakturo_domain::billing::subscription::{SubscriptionSnapshot, SubscriptionStatus};
use fakturo_domain::billing::webhook::WebhookProvider;

use crate::paddle::objects::{Subscription, Transaction, tenant_of};

fn status(paddle: &str) -> SubscriptionStatus {
    match paddle {
        "trialing" => SubscriptionStatus::Trialing,
        "active" => SubscriptionStatus::Active,
        "past_due" => SubscriptionStatus::PastDue,
        "paused" => SubscriptionStatus::Paused,
        _ => SubscriptionStatus::Canceled,
    }
}

/// The domain's snapshot of a Paddle subscription, ordered by `ordering_key`.
pub(crate) fn snapshot(subscription: Subscription, ordering_key: DateTime<Utc>) -> SubscriptionSnapshot {
    let cancel_at = subscription
        .scheduled_change
        .as_ref()
        .filter(|change| change.action == "cancel")
        .and_then(|change| change.effective_at);
    SubscriptionSnapshot {
        provider: WebhookProvider::Paddle,
        customer_id: subscription.customer_id,
        tenant: tenant_of(subscription.custom_data.as_ref()),
        price_ids: subscription
            .items
            .into_iter()
            .filter_map(|item| item.price.map(|p| p.id))
            .collect(),
        status: status(&subscription.status),
        current_period_end: subscription.current_billing_period.and_then(|period| period.ends_at),
        cancel_at,
        ordering_key,
        subscription_id: subscription.id,
    }
}

/// A completed (or past due) transaction.
pub(crate) fn transaction_facts(transaction: Transaction) -> TransactionFacts {
    let amount = transaction
        .details
        .as_ref()
        .and_then(|d| d.totals.grand_total.as_deref())
        .and_then(|total| total.parse::<i64>().ok())
        .unwrap_or_default();
    TransactionFacts {
        tenant: tenant_of(transaction.custom_data.as_ref()),
        subscription_id: transaction.subscription_id,
        amount_minor: amount,
        currency: transaction.currency_code,
        status: transaction.status,
        invoice_url: None,
        reference: transaction.id,
    }
}
