//! The few fields of Stripe's objects that Fakturo reads.

use std::collections::HashMap;

use serde::Deserialize;

/// `GET /v1/account`.
#[derive(Clone, Debug, Deserialize)]
pub struct Account {
    /// `acct_…`.
    pub id: String,
    /// Whether it can take charges.
    #[serde(default)]
    pub charges_enabled: bool,
}

/// A webhook endpoint; `secret` only in the creation's answer.
#[derive(Clone, Deserialize)]
pub struct WebhookEndpoint {
    /// `we_…`.
    pub id: String,
    /// `whsec_…`.
    pub secret: Option<String>,
    /// `enabled` or `disabled`.
    #[serde(default)]
    pub status: String,
}

impl std::fmt::Debug for WebhookEndpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebhookEndpoint")
            .field("id", &self.id)
            .field("status", &self.status)
            .finish()
    }
}

/// A Checkout Session.
#[derive(Clone, Debug, Deserialize)]
pub struct CheckoutSession {
    /// `cs_…`.
    pub id: String,
    /// Where to send the customer while open.
    pub url: Option<String>,
    /// `open`, `complete` or `expired`.
    pub status: Option<String>,
    /// `paid`, `unpaid` or `no_payment_required`.
    #[serde(default)]
    pub payment_status: String,
    /// The PaymentIntent (an id, or the object when expanded).
    pub payment_intent: Option<serde_json::Value>,
    /// The metadata set at creation.
    #[serde(default)]
    pub metadata: HashMap<String, String>,
    /// Total in minor units.
    pub amount_total: Option<i64>,
    /// Lower-case ISO code.
    pub currency: Option<String>,
    /// Unix seconds.
    #[serde(default)]
    pub created: i64,
    /// The customer (id or object).
    pub customer: Option<serde_json::Value>,
    /// The subscription (id or object) in subscription mode.
    pub subscription: Option<serde_json::Value>,
}

/// A list page.
#[derive(Clone, Debug, Deserialize)]
pub struct List<T> {
    /// The objects.
    pub data: Vec<T>,
    /// Whether more follow.
    #[serde(default)]
    pub has_more: bool,
}

/// A subscription (API version 2024-06-20: period end on the object).
#[derive(Clone, Debug, Deserialize)]
pub struct Subscription {
    /// `sub_…`.
    pub id: String,
    /// The customer (id or object).
    pub customer: Option<serde_json::Value>,
    /// Stripe's status.
    pub status: String,
    /// Unix seconds.
    pub current_period_end: Option<i64>,
    /// Unix seconds.
    pub cancel_at: Option<i64>,
    /// The metadata (`tenant_id`).
    #[serde(default)]
    pub metadata: HashMap<String, String>,
    /// Its items.
    pub items: Option<List<SubscriptionItem>>,
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
    /// `price_…`.
    pub id: String,
}

/// A billing portal session.
#[derive(Clone, Debug, Deserialize)]
pub struct PortalSession {
    /// Where to send the customer.
    pub url: String,
}

/// A refund.
#[derive(Clone, Debug, Deserialize)]
pub struct Refund {
    /// `re_…`.
    pub id: String,
    /// Minor units.
    pub amount: i64,
    /// `succeeded`, `pending`, …
    pub status: Option<String>,
}

/// An invoice of the operator's customer.
#[derive(Clone, Debug, Deserialize)]
pub struct Invoice {
    /// `in_…`.
    pub id: String,
    /// Minor units paid.
    #[serde(default)]
    pub amount_paid: i64,
    /// Lower-case ISO code.
    #[serde(default)]
    pub currency: String,
    /// `paid`, `open`, …
    pub status: Option<String>,
    /// Unix seconds.
    #[serde(default)]
    pub created: i64,
    /// The hosted invoice page.
    pub hosted_invoice_url: Option<String>,
    /// The subscription (id or object).
    pub subscription: Option<serde_json::Value>,
}

/// A PaymentIntent (in `payment_intent.succeeded`).
#[derive(Clone, Debug, Deserialize)]
pub struct PaymentIntent {
    /// `pi_…`.
    pub id: String,
    /// Minor units received.
    #[serde(default)]
    pub amount_received: i64,
    /// Minor units asked.
    #[serde(default)]
    pub amount: i64,
    /// Lower-case ISO code.
    #[serde(default)]
    pub currency: String,
    /// `succeeded`, …
    #[serde(default)]
    pub status: String,
    /// The metadata (Checkout copies `tenant_id` and `invoice_id` here).
    #[serde(default)]
    pub metadata: HashMap<String, String>,
}

/// A charge (in `charge.refunded`).
#[derive(Clone, Debug, Deserialize)]
pub struct Charge {
    /// `ch_…`.
    pub id: String,
    /// The PaymentIntent (id or object).
    pub payment_intent: Option<serde_json::Value>,
    /// Minor units refunded so far.
    #[serde(default)]
    pub amount_refunded: i64,
    /// Lower-case ISO code.
    #[serde(default)]
    pub currency: String,
}

/// An event as delivered to a webhook endpoint.
#[derive(Clone, Debug, Deserialize)]
pub struct Event {
    /// `evt_…`.
    pub id: String,
    /// Its type.
    #[serde(rename = "type")]
    pub event_type: String,
    /// Unix seconds.
    pub created: i64,
    /// The object.
    pub data: EventData,
}

/// The object of an event.
#[derive(Clone, Debug, Deserialize)]
pub struct EventData {
    /// As of the event.
    pub object: serde_json::Value,
}

/// The id of an expandable field: the string, or the object's `id`.
#[must_use]
pub fn id_of(field: Option<&serde_json::Value>) -> Option<String> {
    match field? {
        serde_json::Value::String(id) => Some(id.clone()),
        serde_json::Value::Object(object) => object.get("id")?.as_str().map(str::to_owned),
        _ => None,
    }
}
