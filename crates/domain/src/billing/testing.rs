//! In-memory billing ports for tests and for trying the domain without a
//! database or provider (the `testing` feature): a [`MemoryBillingStore`]
//! whose units copy the state at begin and refuse to commit (a conflict)
//! when another unit committed in between, as a serializable database
//! would; invoices that take online payments; and a [`JsonCodec`] whose
//! bodies are [`DecodedEvent`]s in JSON, signed `valid:{secret}`.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::billing::events::DecodedEvent;
use crate::billing::gateway::{DecodeError, SignatureError, StripeConnection};
use crate::billing::notices::BillingContact;
use crate::billing::ports::{
    BillingStore, BillingTransactionRepository, BillingUnit, CheckoutRepository, InvoicePayments, OnlinePayment,
    OnlineRefund, OrganizationOwners, PaymentOutcome, StripeConnectionRepository, SubscriptionRepository, WebhookCodec,
    WebhookInboxRepository,
};
use crate::billing::records::{BillingTransaction, CheckoutRecord, CheckoutStatus, PendingRefund};
use crate::billing::subscription::Subscription;
use crate::billing::webhook::{InboxEntry, InboxKey, InboxState, WebhookProvider};
use crate::kernel::repository::RepositoryError;
use crate::kernel::secrets::RevealedSecret;
use crate::messaging::outbox::NewJob;
use crate::tenancy::organization::Closure;
use crate::{InvoiceId, TenantId};

mod organizations;
mod records;

pub use organizations::CountingIds;

/// An invoice as far as online payments go.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MemoryInvoice {
    /// ISO 4217 code.
    pub currency: String,
    /// Payments: reference and minor amount.
    pub payments: Vec<(String, i64)>,
    /// Refunds: reference and minor amount.
    pub refunds: Vec<(String, i64)>,
    /// Refuse everything with this reason (a void invoice).
    pub refuse: Option<String>,
}

impl MemoryInvoice {
    /// What was received net of refunds.
    #[must_use]
    pub fn net_paid(&self) -> i64 {
        self.payments.iter().map(|p| p.1).sum::<i64>() - self.refunds.iter().map(|r| r.1).sum::<i64>()
    }
}

/// Everything the memory store holds.
#[derive(Clone, Debug, Default)]
pub struct MemoryBillingState {
    /// The inbox.
    pub inbox: BTreeMap<InboxKey, InboxEntry>,
    /// Checkout records by tenant and session.
    pub checkouts: BTreeMap<(TenantId, String), CheckoutRecord>,
    /// Waiting refunds by tenant and PaymentIntent.
    pub pending_refunds: BTreeMap<(TenantId, String), PendingRefund>,
    /// Subscriptions by tenant.
    pub subscriptions: BTreeMap<TenantId, Subscription>,
    /// Billing records by provider and reference.
    pub transactions: BTreeMap<(WebhookProvider, String), BillingTransaction>,
    /// Invoices that take online payments.
    pub invoices: BTreeMap<(TenantId, InvoiceId), MemoryInvoice>,
    /// Connected Stripe accounts by tenant.
    pub connections: BTreeMap<TenantId, StripeConnection>,
    /// Owners by tenant (notices go to them).
    pub owners: BTreeMap<TenantId, Vec<BillingContact>>,
    /// Organizations' names by tenant.
    pub organization_names: BTreeMap<TenantId, String>,
    /// Queued jobs, unique by idempotency key.
    pub jobs: Vec<NewJob>,
    /// Closure windows started, by tenant.
    pub closures: BTreeMap<TenantId, Closure>,
    /// How many units were committed.
    pub commits: u64,
}

/// The in-memory store.
#[derive(Clone, Debug, Default)]
pub struct MemoryBillingStore {
    state: Arc<Mutex<MemoryBillingState>>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl MemoryBillingStore {
    /// An empty store.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// A copy of the committed state.
    #[must_use]
    pub fn snapshot(&self) -> MemoryBillingState {
        lock(&self.state).clone()
    }

    /// Changes the committed state directly (to arrange a test).
    pub fn edit(&self, change: impl FnOnce(&mut MemoryBillingState)) {
        change(&mut lock(&self.state));
    }

    /// Adds an invoice of `tenant` in `currency` that takes payments.
    pub fn add_invoice(&self, tenant: TenantId, invoice: InvoiceId, currency: &str) {
        self.edit(|state| {
            state.invoices.insert(
                (tenant, invoice),
                MemoryInvoice {
                    currency: currency.to_owned(),
                    ..MemoryInvoice::default()
                },
            );
        });
    }
}

#[async_trait]
impl BillingStore for MemoryBillingStore {
    async fn begin(&self) -> Result<Box<dyn BillingUnit>, RepositoryError> {
        let state = lock(&self.state).clone();
        Ok(Box::new(MemoryBillingUnit {
            began_at: state.commits,
            working: Mutex::new(state),
            store: Arc::clone(&self.state),
        }))
    }
}

/// One unit of work on the memory store.
#[derive(Debug)]
pub struct MemoryBillingUnit {
    began_at: u64,
    working: Mutex<MemoryBillingState>,
    store: Arc<Mutex<MemoryBillingState>>,
}

impl MemoryBillingUnit {
    fn state(&self) -> MutexGuard<'_, MemoryBillingState> {
        lock(&self.working)
    }
}

#[async_trait]
impl BillingUnit for MemoryBillingUnit {
    fn inbox(&self) -> &dyn WebhookInboxRepository {
        self
    }
    fn checkouts(&self) -> &dyn CheckoutRepository {
        self
    }
    fn subscriptions(&self) -> &dyn SubscriptionRepository {
        self
    }
    fn transactions(&self) -> &dyn BillingTransactionRepository {
        self
    }
    fn invoice_payments(&self) -> &dyn InvoicePayments {
        self
    }
    fn connections(&self) -> &dyn StripeConnectionRepository {
        self
    }

    fn organizations(&self) -> &dyn OrganizationOwners {
        self
    }

    async fn commit(self: Box<Self>) -> Result<(), RepositoryError> {
        let mut store = lock(&self.store);
        if store.commits != self.began_at {
            return Err(RepositoryError::Conflict);
        }
        let mut working = lock(&self.working).clone();
        working.commits = store.commits + 1;
        *store = working;
        Ok(())
    }
}

#[async_trait]
impl SubscriptionRepository for MemoryBillingUnit {
    async fn get(&self, tenant: TenantId) -> Result<Option<Subscription>, RepositoryError> {
        Ok(self.state().subscriptions.get(&tenant).cloned())
    }

    async fn by_provider_id(
        &self,
        provider: WebhookProvider,
        subscription_id: &str,
    ) -> Result<Option<Subscription>, RepositoryError> {
        let state = self.state();
        let found = state
            .subscriptions
            .values()
            .find(|s| s.provider == provider && s.subscription_id == subscription_id);
        Ok(found.cloned())
    }

    async fn save(&self, subscription: &Subscription) -> Result<(), RepositoryError> {
        self.state()
            .subscriptions
            .insert(subscription.tenant, subscription.clone());
        Ok(())
    }
}

#[async_trait]
impl BillingTransactionRepository for MemoryBillingUnit {
    async fn record(&self, transaction: &BillingTransaction) -> Result<(), RepositoryError> {
        let key = (transaction.provider, transaction.provider_reference.clone());
        self.state().transactions.insert(key, transaction.clone());
        Ok(())
    }

    async fn list(&self, tenant: TenantId, limit: u32) -> Result<Vec<BillingTransaction>, RepositoryError> {
        let state = self.state();
        let mut list: Vec<BillingTransaction> = state
            .transactions
            .values()
            .filter(|t| t.tenant == tenant)
            .cloned()
            .collect();
        list.sort_by_key(|t| std::cmp::Reverse(t.occurred_at));
        list.truncate(limit as usize);
        Ok(list)
    }
}

#[async_trait]
impl StripeConnectionRepository for MemoryBillingUnit {
    async fn get(&self, tenant: TenantId) -> Result<Option<StripeConnection>, RepositoryError> {
        Ok(self.state().connections.get(&tenant).cloned())
    }

    async fn save(&self, connection: &StripeConnection) -> Result<(), RepositoryError> {
        self.state().connections.insert(connection.tenant, connection.clone());
        Ok(())
    }

    async fn remove(&self, tenant: TenantId) -> Result<bool, RepositoryError> {
        Ok(self.state().connections.remove(&tenant).is_some())
    }
}

#[async_trait]
impl InvoicePayments for MemoryBillingUnit {
    async fn record_card_payment(
        &self,
        tenant: TenantId,
        invoice: InvoiceId,
        payment: &OnlinePayment,
    ) -> Result<PaymentOutcome, RepositoryError> {
        let mut state = self.state();
        let Some(invoice) = state.invoices.get_mut(&(tenant, invoice)) else {
            return Ok(PaymentOutcome::InvoiceNotFound);
        };
        if let Some(reason) = &invoice.refuse {
            return Ok(PaymentOutcome::Refused(reason.clone()));
        }
        if invoice.currency != payment.amount.currency().code() {
            return Ok(PaymentOutcome::Refused("another currency".to_owned()));
        }
        if invoice
            .payments
            .iter()
            .any(|(reference, _)| reference == &payment.reference)
        {
            return Ok(PaymentOutcome::AlreadyRecorded);
        }
        invoice
            .payments
            .push((payment.reference.clone(), payment.amount.minor()));
        Ok(PaymentOutcome::Recorded)
    }

    async fn record_refund(
        &self,
        tenant: TenantId,
        invoice: InvoiceId,
        refund: &OnlineRefund,
    ) -> Result<PaymentOutcome, RepositoryError> {
        let mut state = self.state();
        let Some(invoice) = state.invoices.get_mut(&(tenant, invoice)) else {
            return Ok(PaymentOutcome::InvoiceNotFound);
        };
        if invoice
            .refunds
            .iter()
            .any(|(reference, _)| reference == &refund.refund_reference)
        {
            return Ok(PaymentOutcome::AlreadyRecorded);
        }
        if !invoice
            .payments
            .iter()
            .any(|(reference, _)| reference == &refund.payment_reference)
        {
            return Ok(PaymentOutcome::Refused("no such payment".to_owned()));
        }
        invoice
            .refunds
            .push((refund.refund_reference.clone(), refund.amount.minor()));
        Ok(PaymentOutcome::Recorded)
    }
}

/// A codec for tests: the body is a [`DecodedEvent`] in JSON; a valid
/// signature header is `valid:{secret}`, `stale:{secret}` is past the
/// tolerance, anything else does not match.
#[derive(Clone, Copy, Debug, Default)]
pub struct JsonCodec;

impl JsonCodec {
    /// The body of `event`.
    #[must_use]
    pub fn body(event: &DecodedEvent) -> Vec<u8> {
        serde_json::to_vec(event).unwrap_or_default()
    }
}

impl WebhookCodec for JsonCodec {
    fn verify(
        &self,
        signature_header: Option<&str>,
        _raw_body: &[u8],
        secrets: &[RevealedSecret],
        _now: DateTime<Utc>,
    ) -> Result<(), SignatureError> {
        let header = signature_header.ok_or(SignatureError::Missing)?;
        let (kind, secret) = header.split_once(':').ok_or(SignatureError::Malformed)?;
        if !secrets.iter().any(|s| s.expose() == secret) {
            return Err(SignatureError::Mismatch);
        }
        match kind {
            "valid" => Ok(()),
            "stale" => Err(SignatureError::Stale),
            _ => Err(SignatureError::Malformed),
        }
    }

    fn decode(&self, raw_body: &[u8]) -> Result<DecodedEvent, DecodeError> {
        serde_json::from_slice(raw_body).map_err(|error| DecodeError(error.to_string()))
    }
}
