//! The few fields of Paddle Billing's entities that Fakturo reads.

use chrono::{DateTime, Utc};
use serde::Deserialize;

/// Paddle's answer envelope.
#[derive(Clone, Debug, Deserialize)]
pub struct Envelope<T> {
    /// The entity or list.
    pub data: T,
}

/// A transaction.
#[derive(Clone, Debug, Deserialize)]
pub struct Transaction {
    /// `txn_…`.
    pub id: String,
    /// `draft`, `ready`, `billed`, `paid`, `completed`, `canceled`, `past_due`.
    pub status: String,
    /// The customer (`ctm_…`).
    pub customer_id: Option<String>,
    /// The subscription it belongs to (`sub_…`).
    pub subscription_id: Option<String>,
    /// Upper-case ISO code.
    #[serde(default)]
    pub currency_code: String,
    /// Our data (`tenant_id`).
    pub custom_data: Option<serde_json::Value>,
    /// Its checkout.
    pub checkout: Option<TransactionCheckout>,
    /// Its totals.
    pub details: Option<TransactionDetails>,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it was billed.
    pub billed_at: Option<DateTime<Utc>>,
}

/// A transaction's checkout.
#[derive(Clone, Debug, Deserialize)]
pub struct TransactionCheckout {
    /// Where to pay.
    pub url: Option<String>,
}

/// A transaction's details.
#[derive(Clone, Debug, Deserialize)]
pub struct TransactionDetails {
    /// Its totals.
    pub totals: Totals,
}

/// Totals, in minor units as decimal strings.
#[derive(Clone, Debug, Deserialize)]
pub struct Totals {
    /// What the customer pays.
    pub grand_total: Option<String>,
    /// The total (adjustments).
    pub total: Option<String>,
}

/// A subscription.
#[derive(Clone, Debug, Deserialize)]
pub struct Subscription {
    /// `sub_…`.
    pub id: String,
    /// `active`, `canceled`, `past_due`, `paused`, `trialing`.
    pub status: String,
    /// `ctm_…`.
    pub customer_id: Option<String>,
    /// Our data (`tenant_id`).
    pub custom_data: Option<serde_json::Value>,
    /// Its items.
    #[serde(default)]
    pub items: Vec<SubscriptionItem>,
    /// The current billing period.
    pub current_billing_period: Option<Period>,
    /// A scheduled change (`cancel`, `pause`).
    pub scheduled_change: Option<ScheduledChange>,
    /// When it last changed.
    pub updated_at: Option<DateTime<Utc>>,
}

/// A subscription item.
#[derive(Clone, Debug, Deserialize)]
pub struct SubscriptionItem {
    /// Its price.
    pub price: Option<Price>,
}

/// A price.
#[derive(Clone, Debug, Deserialize)]
pub struct Price {
    /// `pri_…`.
    pub id: String,
}

/// A billing period.
#[derive(Clone, Debug, Deserialize)]
pub struct Period {
    /// Its end.
    pub ends_at: Option<DateTime<Utc>>,
}

/// A scheduled change.
#[derive(Clone, Debug, Deserialize)]
pub struct ScheduledChange {
    /// `cancel`, `pause` or `resume`.
    pub action: String,
    /// When.
    pub effective_at: Option<DateTime<Utc>>,
}

/// A customer portal session.
#[derive(Clone, Debug, Deserialize)]
pub struct PortalSession {
    /// Its links.
    pub urls: PortalUrls,
}

/// A portal session's links.
#[derive(Clone, Debug, Deserialize)]
pub struct PortalUrls {
    /// The general links.
    pub general: PortalGeneral,
}

/// A portal session's general links.
#[derive(Clone, Debug, Deserialize)]
pub struct PortalGeneral {
    /// The portal's start page.
    pub overview: String,
}

/// A notification's event.
#[derive(Clone, Debug, Deserialize)]
pub struct Event {
    /// `evt_…`.
    pub event_id: String,
    /// Its type.
    pub event_type: String,
    /// When it happened: the order of subscription changes.
    pub occurred_at: DateTime<Utc>,
    /// The entity.
    pub data: serde_json::Value,
}

/// The tenant in `custom_data.tenant_id`.
#[must_use]
pub fn tenant_of(custom_data: Option<&serde_json::Value>) -> Option<fakturo_domain::TenantId> {
    custom_data?.get("tenant_id")?.as_str()?.parse().ok()
}
