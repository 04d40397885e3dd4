//! The values the provider ports exchange: checkout requests and sessions,
//! registered webhook endpoints, and the errors of provider calls, webhook
//! signatures and event bodies.

use chrono::{DateTime, Utc};

use crate::kernel::secrets::RevealedSecret;
use crate::{InvoiceId, TenantId};

/// The Stripe account a key belongs to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GatewayAccount {
    /// The account id (`acct_…`).
    pub account_id: String,
    /// Whether it can take charges.
    pub charges_enabled: bool,
}

/// A webhook endpoint registered on a tenant's account.
#[derive(Clone, Debug)]
pub struct RegisteredWebhook {
    /// The endpoint id (`we_…`).
    pub endpoint_id: String,
    /// Its signing secret (`whsec_…`), returned once: seal it.
    pub secret: RevealedSecret,
    /// Its status (`enabled`, `disabled`).
    pub status: String,
}

/// A tenant's connected Stripe account: Fakturo's webhook endpoint on it
/// (its signing secret is sealed with the key, on the integrations side).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StripeConnection {
    /// The tenant.
    pub tenant: TenantId,
    /// The account id (`acct_…`).
    pub account_id: String,
    /// The webhook endpoint id (`we_…`).
    pub endpoint_id: String,
    /// The endpoint's status as Stripe reported it (`enabled`, `disabled`).
    pub endpoint_status: String,
    /// When it was connected.
    pub connected_at: DateTime<Utc>,
}

/// A checkout for an invoice's balance.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvoiceCheckout {
    /// The invoice's tenant (in the metadata).
    pub tenant: TenantId,
    /// The invoice (metadata and `client_reference_id`).
    pub invoice: InvoiceId,
    /// What the line says (the invoice number).
    pub description: String,
    /// The balance due in minor units.
    pub amount_minor: i64,
    /// ISO 4217, any case.
    pub currency: String,
    /// Where the client returns after paying.
    pub success_url: String,
    /// Where the client returns after giving up.
    pub cancel_url: String,
    /// Derived from the invoice and the balance, so a repeated press of Pay
    /// opens the same session.
    pub idempotency_key: String,
}

/// Where a checkout session stands at the provider.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SessionStatus {
    /// The client may still pay.
    Open,
    /// Finished (paid, or waiting for an asynchronous payment).
    Complete,
    /// Expired.
    Expired,
}

/// A checkout session as the provider reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckoutSession {
    /// Its id (`cs_…`).
    pub id: String,
    /// Where to send the client; `None` once finished.
    pub url: Option<String>,
    /// Its status.
    pub status: SessionStatus,
    /// Whether the money arrived.
    pub paid: bool,
    /// The PaymentIntent, once there is one.
    pub payment_intent: Option<String>,
    /// The tenant in its metadata.
    pub tenant: Option<TenantId>,
    /// The invoice in its metadata.
    pub invoice: Option<InvoiceId>,
    /// `amount_total` in minor units.
    pub amount_minor: i64,
    /// The currency, as the provider writes it.
    pub currency: String,
    /// When it was created.
    pub created_at: DateTime<Utc>,
}

/// A subscription checkout for a plan's price.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SubscriptionCheckout {
    /// The tenant subscribing (in metadata / custom data).
    pub tenant: TenantId,
    /// The provider's price id.
    pub price_id: String,
    /// The provider's customer, if the tenant has one already.
    pub customer_id: Option<String>,
    /// Days of trial.
    pub trial_days: u32,
    /// Where the owner returns after subscribing.
    pub success_url: String,
    /// Where the owner returns after giving up.
    pub cancel_url: String,
    /// Derived from the tenant and the price.
    pub idempotency_key: String,
}

/// Why a provider call failed. Never carries keys or personal data.
#[derive(Debug, thiserror::Error)]
pub enum BillingApiError {
    /// The key was refused (401/403).
    #[error("the provider refused the API key")]
    InvalidKey,
    /// No such object (404).
    #[error("the provider has no such object")]
    NotFound,
    /// The provider refused the request (4xx); its error code and type only.
    #[error("the provider refused the request (status {status}, code {code})")]
    Rejected {
        /// The HTTP status.
        status: u16,
        /// The provider's error code, or `unknown`.
        code: String,
    },
    /// The provider did not answer or kept failing (timeouts, 429, 5xx)
    /// after the retries.
    #[error("the provider is unavailable")]
    Unavailable,
    /// Anything else: an unreadable answer, a bug.
    #[error("the provider call failed unexpectedly")]
    Unexpected(#[source] Box<dyn std::error::Error + Send + Sync>),
}

/// Why a webhook signature was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    /// No signature header.
    #[error("the signature header is missing")]
    Missing,
    /// The header does not parse.
    #[error("the signature header is malformed")]
    Malformed,
    /// The timestamp is outside the tolerance.
    #[error("the signature timestamp is outside the tolerance")]
    Stale,
    /// No signature matches any secret.
    #[error("no signature matches")]
    Mismatch,
}

/// Why a verified body could not be decoded.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the event body is not a valid event: {0}")]
pub struct DecodeError(pub String);
