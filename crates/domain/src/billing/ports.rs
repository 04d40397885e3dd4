//! The billing ports: the providers (a tenant's Stripe account, the
//! operator's subscription provider, the webhook codecs), the little billing
//! needs of invoicing, and the repositories of the billing unit of work.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::billing::events::DecodedEvent;
use crate::billing::gateway::{
    BillingApiError, CheckoutSession, DecodeError, GatewayAccount, InvoiceCheckout, RegisteredWebhook, SignatureError,
    StripeConnection, SubscriptionCheckout,
};
use crate::billing::records::{BillingTransaction, CheckoutRecord, PendingRefund};
use crate::billing::subscription::{Subscription, SubscriptionSnapshot};
use crate::billing::webhook::{InboxEntry, InboxKey, InboxState, WebhookProvider};
use crate::kernel::money::Money;
use crate::kernel::repository::RepositoryError;
use crate::kernel::secrets::RevealedSecret;
use crate::{InvoiceId, TenantId};

mod organizations;

pub use organizations::OrganizationOwners;

/// A tenant's own Stripe account, reached with the tenant's secret key
/// (adapter: `StripeGateway`). Every call takes the key, opened just before.
#[async_trait]
pub trait PaymentGateway: Send + Sync {
    /// Checks the key and names its account.
    ///
    /// # Errors
    /// [`BillingApiError::InvalidKey`] if refused; `Unavailable` or
    /// `Unexpected` otherwise.
    async fn verify_key(&self, key: &RevealedSecret) -> Result<GatewayAccount, BillingApiError>;

    /// Registers Fakturo's webhook endpoint at `url` for the events it acts
    /// on, with the pinned API version.
    ///
    /// # Errors
    /// `InvalidKey`, `Rejected`, `Unavailable` or `Unexpected`.
    async fn register_webhook(
        &self,
        key: &RevealedSecret,
        url: &str,
        idempotency_key: &str,
    ) -> Result<RegisteredWebhook, BillingApiError>;

    /// Removes a webhook endpoint; an endpoint already gone is not an error.
    ///
    /// # Errors
    /// `InvalidKey`, `Unavailable` or `Unexpected`.
    async fn remove_webhook(&self, key: &RevealedSecret, endpoint_id: &str) -> Result<(), BillingApiError>;

    /// Creates a Checkout Session (payment mode) for an invoice's balance.
    ///
    /// # Errors
    /// `InvalidKey`, `Rejected` (such as an unsupported currency),
    /// `Unavailable` or `Unexpected`.
    async fn create_checkout(
        &self,
        key: &RevealedSecret,
        checkout: &InvoiceCheckout,
    ) -> Result<CheckoutSession, BillingApiError>;

    /// The current state of a checkout session.
    ///
    /// # Errors
    /// `NotFound`, `InvalidKey`, `Unavailable` or `Unexpected`.
    async fn retrieve_session(
        &self,
        key: &RevealedSecret,
        session_id: &str,
    ) -> Result<CheckoutSession, BillingApiError>;

    /// Sessions still open that were created before `created_before`.
    ///
    /// # Errors
    /// `InvalidKey`, `Unavailable` or `Unexpected`.
    async fn list_open_sessions(
        &self,
        key: &RevealedSecret,
        created_before: DateTime<Utc>,
    ) -> Result<Vec<CheckoutSession>, BillingApiError>;
}

/// The operator's subscription provider (adapters: `PaddleProvider`,
/// `StripeSubscriptions`), configured with the operator's key.
#[async_trait]
pub trait SubscriptionProvider: Send + Sync {
    /// Which provider it is.
    fn provider(&self) -> WebhookProvider;

    /// Starts a checkout for a plan's price and returns where to send the owner.
    ///
    /// # Errors
    /// `Rejected` (an unknown price), `Unavailable` or `Unexpected`.
    async fn checkout(&self, checkout: &SubscriptionCheckout) -> Result<String, BillingApiError>;

    /// A customer portal session for `customer_id`; returns its URL.
    ///
    /// # Errors
    /// `NotFound`, `Unavailable` or `Unexpected`.
    async fn portal(
        &self,
        customer_id: &str,
        return_url: &str,
        idempotency_key: &str,
    ) -> Result<String, BillingApiError>;

    /// The subscription as it is now; `ordering_key` is `fetched_at`
    /// unless the provider gives a better order.
    ///
    /// # Errors
    /// `NotFound`, `Unavailable` or `Unexpected`.
    async fn fetch_subscription(
        &self,
        subscription_id: &str,
        fetched_at: DateTime<Utc>,
    ) -> Result<SubscriptionSnapshot, BillingApiError>;

    /// The customer's charges and refunds, newest first, at most `limit`.
    ///
    /// # Errors
    /// `Unavailable` or `Unexpected`.
    async fn transactions(
        &self,
        tenant: TenantId,
        customer_id: &str,
        limit: u32,
    ) -> Result<Vec<BillingTransaction>, BillingApiError>;
}

/// A provider's webhook format: the signature check on the raw body and the
/// decoding of a verified body (adapters: `StripeWebhooks`, `PaddleWebhooks`).
pub trait WebhookCodec: Send + Sync {
    /// Checks `signature_header` over `raw_body` against every secret
    /// (several during a rotation) at `now`.
    ///
    /// # Errors
    /// [`SignatureError`]: missing, malformed, stale or no match.
    fn verify(
        &self,
        signature_header: Option<&str>,
        raw_body: &[u8],
        secrets: &[RevealedSecret],
        now: DateTime<Utc>,
    ) -> Result<(), SignatureError>;

    /// Decodes a verified body.
    ///
    /// # Errors
    /// [`DecodeError`] when it is not an event of this provider.
    fn decode(&self, raw_body: &[u8]) -> Result<DecodedEvent, DecodeError>;
}

/// A card payment received online, for the invoice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OnlinePayment {
    /// The provider's reference (the PaymentIntent id); a second record with
    /// the same reference on the same invoice is a no-op.
    pub reference: String,
    /// The amount received.
    pub amount: Money,
    /// When it was received.
    pub received_at: DateTime<Utc>,
}

/// A refund of an online payment, for the invoice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OnlineRefund {
    /// The refunded payment's reference.
    pub payment_reference: String,
    /// This refund's reference; recording it twice is a no-op.
    pub refund_reference: String,
    /// The amount refunded by this refund.
    pub amount: Money,
    /// When it was refunded.
    pub refunded_at: DateTime<Utc>,
}

/// What recording a payment or refund on an invoice did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PaymentOutcome {
    /// Recorded now.
    Recorded,
    /// Recorded before (same reference): nothing changed.
    AlreadyRecorded,
    /// The tenant has no such invoice (a foreign id behaves the same).
    InvoiceNotFound,
    /// The invoice cannot take it (void, erased, another currency, a
    /// refund above the payment); the reason has no personal data.
    Refused(String),
}

/// What billing needs of invoicing, in the billing transaction (the
/// invoicing side implements it on the same database transaction).
#[async_trait]
pub trait InvoicePayments: Send + Sync {
    /// Records a `card` payment on the tenant's invoice, idempotently by
    /// reference.
    ///
    /// # Errors
    /// [`RepositoryError`] only; business refusals are a [`PaymentOutcome`].
    async fn record_card_payment(
        &self,
        tenant: TenantId,
        invoice: InvoiceId,
        payment: &OnlinePayment,
    ) -> Result<PaymentOutcome, RepositoryError>;

    /// Records a refund of an online payment, idempotently by refund
    /// reference; the invoice goes back to partially paid or open.
    ///
    /// # Errors
    /// [`RepositoryError`] only; business refusals are a [`PaymentOutcome`].
    async fn record_refund(
        &self,
        tenant: TenantId,
        invoice: InvoiceId,
        refund: &OnlineRefund,
    ) -> Result<PaymentOutcome, RepositoryError>;
}

/// The webhook inbox (table `webhook_inbox`, unique provider + account +
/// event id).
#[async_trait]
pub trait WebhookInboxRepository: Send + Sync {
    /// Stores an entry; `false` (nothing written) if its key exists.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn insert(&self, entry: &InboxEntry) -> Result<bool, RepositoryError>;

    /// The entry with `key`.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`.
    async fn get(&self, key: &InboxKey) -> Result<Option<InboxEntry>, RepositoryError>;

    /// Keys of entries still `Received`, oldest first, at most `limit`.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`.
    async fn received(&self, limit: u32) -> Result<Vec<InboxKey>, RepositoryError>;

    /// Settles an entry (processed or parked) at `at`.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn settle(&self, key: &InboxKey, state: &InboxState, at: DateTime<Utc>) -> Result<(), RepositoryError>;
}

/// Checkout sessions opened for invoices, and refunds waiting for their
/// payment.
#[async_trait]
pub trait CheckoutRepository: Send + Sync {
    /// Inserts or replaces the record of `(tenant, session_id)`.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn save(&self, record: &CheckoutRecord) -> Result<(), RepositoryError>;

    /// The tenant's record of a session.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`.
    async fn by_session(&self, tenant: TenantId, session_id: &str) -> Result<Option<CheckoutRecord>, RepositoryError>;

    /// The tenant's record of a PaymentIntent.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`.
    async fn by_payment_intent(
        &self,
        tenant: TenantId,
        payment_intent: &str,
    ) -> Result<Option<CheckoutRecord>, RepositoryError>;

    /// Records still `Open` created before `cutoff`, of every tenant, oldest
    /// first (for the reconcile task).
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`.
    async fn open_before(&self, cutoff: DateTime<Utc>, limit: u32) -> Result<Vec<CheckoutRecord>, RepositoryError>;

    /// The refund waiting for a PaymentIntent's payment.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`.
    async fn pending_refund(
        &self,
        tenant: TenantId,
        payment_intent: &str,
    ) -> Result<Option<PendingRefund>, RepositoryError>;

    /// Inserts or replaces the refund waiting for `(tenant, payment_intent)`.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn save_pending_refund(&self, refund: &PendingRefund) -> Result<(), RepositoryError>;

    /// Removes the refund waiting for `(tenant, payment_intent)`, if any.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn remove_pending_refund(&self, tenant: TenantId, payment_intent: &str) -> Result<(), RepositoryError>;
}

/// Tenants' subscriptions to the operator's plans.
#[async_trait]
pub trait SubscriptionRepository: Send + Sync {
    /// The tenant's subscription.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`.
    async fn get(&self, tenant: TenantId) -> Result<Option<Subscription>, RepositoryError>;

    /// The subscription with a provider's id.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`.
    async fn by_provider_id(
        &self,
        provider: WebhookProvider,
        subscription_id: &str,
    ) -> Result<Option<Subscription>, RepositoryError>;

    /// Inserts or replaces the tenant's subscription.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn save(&self, subscription: &Subscription) -> Result<(), RepositoryError>;
}

/// The operator's billing records of its tenants.
#[async_trait]
pub trait BillingTransactionRepository: Send + Sync {
    /// Inserts or updates (same provider and reference) a transaction.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn record(&self, transaction: &BillingTransaction) -> Result<(), RepositoryError>;

    /// The tenant's transactions, newest first, at most `limit`.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`.
    async fn list(&self, tenant: TenantId, limit: u32) -> Result<Vec<BillingTransaction>, RepositoryError>;
}

/// Tenants' connected Stripe accounts and the webhook endpoints on them.
#[async_trait]
pub trait StripeConnectionRepository: Send + Sync {
    /// The tenant's connection.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn get(&self, tenant: TenantId) -> Result<Option<StripeConnection>, RepositoryError>;

    /// Inserts or replaces the tenant's connection.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn save(&self, connection: &StripeConnection) -> Result<(), RepositoryError>;

    /// Removes the tenant's connection; `false` if there was none.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn remove(&self, tenant: TenantId) -> Result<bool, RepositoryError>;
}

/// One billing transaction. Dropping it without [`BillingUnit::commit`]
/// rolls everything back.
#[async_trait]
pub trait BillingUnit: Send + Sync {
    /// The webhook inbox.
    fn inbox(&self) -> &dyn WebhookInboxRepository;
    /// Checkout sessions and waiting refunds.
    fn checkouts(&self) -> &dyn CheckoutRepository;
    /// Subscriptions.
    fn subscriptions(&self) -> &dyn SubscriptionRepository;
    /// The operator's billing records.
    fn transactions(&self) -> &dyn BillingTransactionRepository;
    /// Payments on invoices, in this same transaction.
    fn invoice_payments(&self) -> &dyn InvoicePayments;
    /// Connected Stripe accounts.
    fn connections(&self) -> &dyn StripeConnectionRepository;
    /// The organization's owners, outbox and closure.
    fn organizations(&self) -> &dyn OrganizationOwners;

    /// Commits every write of the unit.
    ///
    /// # Errors
    /// [`RepositoryError::Conflict`] on a serialization failure (a
    /// concurrent unit settled the same entry), `Unexpected` otherwise;
    /// nothing was written then.
    async fn commit(self: Box<Self>) -> Result<(), RepositoryError>;
}

/// Opens billing units of work.
#[async_trait]
pub trait BillingStore: Send + Sync {
    /// Starts a transaction.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] if the database cannot be reached.
    async fn begin(&self) -> Result<Box<dyn BillingUnit>, RepositoryError>;
}

/// What a tenant uses of its plan's limits.
#[async_trait]
pub trait UsageMeter: Send + Sync {
    /// Invoices finalized since `month_start`, users, and stored file bytes.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn usage(
        &self,
        tenant: TenantId,
        month_start: DateTime<Utc>,
    ) -> Result<crate::billing::entitlements::Usage, RepositoryError>;
}

/// The tenants' Stripe keys, opened (kept sealed by the integrations side).
#[async_trait]
pub trait GatewayKeys: Send + Sync {
    /// The tenant's opened secret key; `None` if Stripe is not connected.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] if it cannot be read or opened.
    async fn stripe_key(&self, tenant: TenantId) -> Result<Option<RevealedSecret>, RepositoryError>;

    /// The signing secret of the webhook endpoint on the tenant's account;
    /// `None` if none is stored.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] if it cannot be read or opened.
    async fn stripe_webhook_secret(&self, tenant: TenantId) -> Result<Option<RevealedSecret>, RepositoryError>;
}
