//! What billing keeps of money that moved: the checkout sessions opened for
//! invoices, refunds that arrived before their payment, and the operator's
//! transactions with its tenants.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::billing::webhook::WebhookProvider;
use crate::{InvoiceId, TenantId};

/// Where a checkout session stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckoutStatus {
    /// Created; the client has not finished.
    Open,
    /// Finished, waiting for an asynchronous payment method.
    AwaitingPayment,
    /// Paid; the payment is recorded on the invoice.
    Paid,
    /// The asynchronous payment failed.
    Failed,
    /// Expired unpaid.
    Expired,
}

/// A checkout session opened for an invoice's balance.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckoutRecord {
    /// The invoice's tenant.
    pub tenant: TenantId,
    /// The invoice.
    pub invoice: InvoiceId,
    /// The session id (`cs_…`).
    pub session_id: String,
    /// The PaymentIntent, once known.
    pub payment_intent: Option<String>,
    /// The amount asked, in minor units.
    pub amount_minor: i64,
    /// Its currency (ISO 4217, upper case).
    pub currency: String,
    /// Where it stands.
    pub status: CheckoutStatus,
    /// Everything refunded so far, in minor units.
    pub refunded_minor: i64,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

/// A refund that arrived before its payment was recorded; applied when the
/// payment is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingRefund {
    /// The tenant whose account sent it.
    pub tenant: TenantId,
    /// The PaymentIntent refunded.
    pub payment_intent: String,
    /// The charge refunded.
    pub charge_id: String,
    /// Everything refunded of the charge so far, in minor units.
    pub amount_refunded_minor: i64,
    /// Its currency.
    pub currency: String,
}

/// What the operator charged or refunded a tenant.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillingTransaction {
    /// The tenant charged.
    pub tenant: TenantId,
    /// Who charged it.
    pub provider: WebhookProvider,
    /// The provider's reference (unique per provider).
    pub provider_reference: String,
    /// Amount in minor units (negative for a refund).
    pub amount_minor: i64,
    /// Its currency.
    pub currency: String,
    /// The provider's status.
    pub status: String,
    /// When it happened.
    pub occurred_at: DateTime<Utc>,
    /// The provider's invoice document, if any.
    pub invoice_url: Option<String>,
}
