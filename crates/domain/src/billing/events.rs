//! Provider events, normalized: what the adapter's decoder makes of a
//! verified body, and all the processing needs to know.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::billing::subscription::SubscriptionSnapshot;
use crate::{InvoiceId, TenantId};

/// A verified body, decoded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecodedEvent {
    /// The provider's event id.
    pub event_id: String,
    /// The provider's event type.
    pub event_type: String,
    /// When the provider says it happened.
    pub occurred_at: DateTime<Utc>,
    /// What it means here; `None` for a type Fakturo does not act on.
    pub event: Option<BillingEvent>,
}

/// What an event means to Fakturo.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum BillingEvent {
    /// `checkout.session.completed`; paid at once or awaiting an
    /// asynchronous payment method.
    CheckoutCompleted(CheckoutFacts),
    /// `checkout.session.async_payment_succeeded`.
    AsyncPaymentSucceeded(CheckoutFacts),
    /// `checkout.session.async_payment_failed`.
    AsyncPaymentFailed(CheckoutFacts),
    /// `payment_intent.succeeded` of a PaymentIntent whose metadata names
    /// the tenant and invoice (Checkout copies them there); `session_id` is
    /// the PaymentIntent's id. The same payment as its session's events.
    PaymentSucceeded(CheckoutFacts),
    /// `charge.refunded`.
    ChargeRefunded(RefundFacts),
    /// A subscription changed (`customer.subscription.*`, `subscription.*`).
    SubscriptionUpdated(SubscriptionChange),
    /// The operator charged or refunded a tenant (`transaction.completed`,
    /// `invoice.paid`).
    TransactionRecorded(TransactionFacts),
}

/// What a checkout session event says.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckoutFacts {
    /// The session id (`cs_…`).
    pub session_id: String,
    /// The PaymentIntent (`pi_…`), the payment's reference.
    pub payment_intent: Option<String>,
    /// Whether the money arrived (`payment_status = paid`).
    pub paid: bool,
    /// The tenant in the session's metadata.
    pub tenant: Option<TenantId>,
    /// The invoice in the session's metadata.
    pub invoice: Option<InvoiceId>,
    /// `amount_total` in minor units.
    pub amount_minor: i64,
    /// The currency, as the provider writes it (`eur`).
    pub currency: String,
}

/// What a refund event says.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefundFacts {
    /// The charge (`ch_…`).
    pub charge_id: String,
    /// The PaymentIntent the charge belongs to.
    pub payment_intent: Option<String>,
    /// Everything refunded of the charge so far, in minor units.
    pub amount_refunded_minor: i64,
    /// The currency, as the provider writes it.
    pub currency: String,
}

/// A subscription change: Paddle's event body is the new state (ordered by
/// `occurred_at`); Stripe's is not trusted, so the current object is fetched.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubscriptionChange {
    /// The provider's subscription id.
    pub subscription_id: String,
    /// The state the event carries; `None` to fetch the current object.
    pub snapshot: Option<SubscriptionSnapshot>,
}

/// A charge or refund of the operator's, for the tenant's billing records.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransactionFacts {
    /// The provider's transaction or invoice id.
    pub reference: String,
    /// The tenant in its metadata or custom data.
    pub tenant: Option<TenantId>,
    /// The subscription it belongs to.
    pub subscription_id: Option<String>,
    /// Amount in minor units (negative for a refund).
    pub amount_minor: i64,
    /// The currency, as the provider writes it.
    pub currency: String,
    /// The provider's status (`completed`, `paid`, `refunded`).
    pub status: String,
    /// The provider's invoice document (Paddle as merchant of record).
    pub invoice_url: Option<String>,
}
