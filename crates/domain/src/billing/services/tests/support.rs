//! Fixtures: a world with two tenants, fake providers, and event builders.

use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use chrono::{DateTime, TimeZone, Utc};

use crate::billing::events::{BillingEvent, CheckoutFacts, DecodedEvent, RefundFacts};
use crate::billing::gateway::{
    BillingApiError, CheckoutSession, GatewayAccount, InvoiceCheckout, RegisteredWebhook, SessionStatus,
    SubscriptionCheckout,
};
use crate::billing::plan::{BillingProvider, BillingSettings, Feature, Plan, PlanId, PlanLimits};
use crate::billing::ports::{GatewayKeys, PaymentGateway, SubscriptionProvider};
use crate::billing::records::BillingTransaction;
use crate::billing::services::{Delivery, WebhookCodecs, WebhookIntake, WebhookProcessor};
use crate::billing::subscription::SubscriptionSnapshot;
use crate::billing::testing::{CountingIds, JsonCodec, MemoryBillingStore};
use crate::billing::webhook::{WebhookAccount, WebhookProvider};
use crate::kernel::clock::ManualClock;
use crate::kernel::repository::RepositoryError;
use crate::kernel::secrets::RevealedSecret;
use crate::{InvoiceId, TenantId};

pub(super) const SECRET: &str = "whsec_test";

pub(super) fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0).single().unwrap_or_default()
}

pub(super) fn tenant(n: u128) -> TenantId {
    TenantId::from_uuid(uuid::Uuid::from_u128(n))
}

pub(super) fn invoice(n: u128) -> InvoiceId {
    InvoiceId::from_uuid(uuid::Uuid::from_u128(1000 + n))
}

pub(super) fn secrets() -> Vec<RevealedSecret> {
    vec![RevealedSecret::new(SECRET.to_owned())]
}

pub(super) fn settings(provider: BillingProvider) -> BillingSettings {
    BillingSettings {
        provider,
        plans: vec![
            Plan {
                id: PlanId("starter".to_owned()),
                name: "Starter".to_owned(),
                price_ids: vec!["pri_starter".to_owned()],
                limits: PlanLimits {
                    invoices_per_month: Some(3),
                    users: Some(1),
                    storage_bytes: Some(1000),
                },
                features: vec![],
            },
            Plan {
                id: PlanId("pro".to_owned()),
                name: "Pro".to_owned(),
                price_ids: vec!["pri_pro".to_owned()],
                limits: PlanLimits::default(),
                features: vec![Feature::OnlinePayments, Feature::Sms],
            },
        ],
        trial_days: 14,
        default_plan: None,
        closure_grace_days: 30,
        ..BillingSettings::default()
    }
}

/// A subscription provider that answers from a script.
#[derive(Default)]
pub(super) struct FakeProvider {
    pub current: Mutex<Option<SubscriptionSnapshot>>,
    pub checkouts: Mutex<Vec<SubscriptionCheckout>>,
    pub fail: Mutex<bool>,
}

#[async_trait]
impl SubscriptionProvider for FakeProvider {
    fn provider(&self) -> WebhookProvider {
        WebhookProvider::Stripe
    }
    async fn checkout(&self, checkout: &SubscriptionCheckout) -> Result<String, BillingApiError> {
        if *self.fail.lock().unwrap() {
            return Err(BillingApiError::Unavailable);
        }
        self.checkouts.lock().unwrap().push(checkout.clone());
        Ok("https://checkout.example/sub".to_owned())
    }
    async fn portal(&self, customer: &str, _return_url: &str, _key: &str) -> Result<String, BillingApiError> {
        Ok(format!("https://portal.example/{customer}"))
    }
    async fn fetch_subscription(&self, id: &str, at: DateTime<Utc>) -> Result<SubscriptionSnapshot, BillingApiError> {
        if *self.fail.lock().unwrap() {
            return Err(BillingApiError::Unavailable);
        }
        let mut snapshot = self.current.lock().unwrap().clone().ok_or(BillingApiError::NotFound)?;
        snapshot.subscription_id = id.to_owned();
        snapshot.ordering_key = at;
        Ok(snapshot)
    }
    async fn transactions(&self, _: TenantId, _: &str, _: u32) -> Result<Vec<BillingTransaction>, BillingApiError> {
        Ok(vec![])
    }
}

/// A tenant's Stripe account that answers from a script.
#[derive(Default)]
pub(super) struct FakeGateway {
    pub sessions: Mutex<Vec<CheckoutSession>>,
    pub created: Mutex<Vec<InvoiceCheckout>>,
    pub down: Mutex<bool>,
}

#[async_trait]
impl PaymentGateway for FakeGateway {
    async fn verify_key(&self, _: &RevealedSecret) -> Result<GatewayAccount, BillingApiError> {
        Err(BillingApiError::InvalidKey)
    }
    async fn register_webhook(
        &self,
        _: &RevealedSecret,
        _: &str,
        _: &str,
    ) -> Result<RegisteredWebhook, BillingApiError> {
        Err(BillingApiError::Unavailable)
    }
    async fn remove_webhook(&self, _: &RevealedSecret, _: &str) -> Result<(), BillingApiError> {
        Ok(())
    }
    async fn create_checkout(
        &self,
        _: &RevealedSecret,
        checkout: &InvoiceCheckout,
    ) -> Result<CheckoutSession, BillingApiError> {
        if *self.down.lock().unwrap() {
            return Err(BillingApiError::Unavailable);
        }
        self.created.lock().unwrap().push(checkout.clone());
        Ok(session(
            "cs_1",
            SessionStatus::Open,
            false,
            checkout.tenant,
            checkout.invoice,
        ))
    }
    async fn retrieve_session(&self, _: &RevealedSecret, id: &str) -> Result<CheckoutSession, BillingApiError> {
        if *self.down.lock().unwrap() {
            return Err(BillingApiError::Unavailable);
        }
        self.sessions
            .lock()
            .unwrap()
            .iter()
            .find(|s| s.id == id)
            .cloned()
            .ok_or(BillingApiError::NotFound)
    }
    async fn list_open_sessions(
        &self,
        _: &RevealedSecret,
        _: DateTime<Utc>,
    ) -> Result<Vec<CheckoutSession>, BillingApiError> {
        Ok(vec![])
    }
}

pub(super) fn session(
    id: &str,
    status: SessionStatus,
    paid: bool,
    tenant: TenantId,
    invoice: InvoiceId,
) -> CheckoutSession {
    CheckoutSession {
        id: id.to_owned(),
        url: Some(format!("https://checkout.example/{id}")),
        status,
        paid,
        payment_intent: paid.then(|| format!("pi_{id}")),
        tenant: Some(tenant),
        invoice: Some(invoice),
        amount_minor: 5000,
        currency: "eur".to_owned(),
        created_at: start(),
    }
}

/// Keys for every tenant but tenant 9.
pub(super) struct Keys;

#[async_trait]
impl GatewayKeys for Keys {
    async fn stripe_key(&self, tenant: TenantId) -> Result<Option<RevealedSecret>, RepositoryError> {
        Ok((tenant != self::tenant(9)).then(|| RevealedSecret::new("sk_test".to_owned())))
    }

    async fn stripe_webhook_secret(&self, tenant: TenantId) -> Result<Option<RevealedSecret>, RepositoryError> {
        Ok((tenant != self::tenant(9)).then(|| RevealedSecret::new("whsec_test".to_owned())))
    }
}

/// The store, clock, services and fakes of one test.
pub(super) struct World {
    pub store: MemoryBillingStore,
    pub clock: Arc<ManualClock>,
    pub intake: WebhookIntake,
    pub processor: WebhookProcessor,
    pub provider: Arc<FakeProvider>,
}

impl World {
    pub fn new() -> Self {
        Self::with_settings(settings(BillingProvider::Stripe))
    }

    pub fn with_settings(billing: BillingSettings) -> Self {
        let store = MemoryBillingStore::new();
        let clock = Arc::new(ManualClock::new(start()));
        let provider = Arc::new(FakeProvider::default());
        let codecs = WebhookCodecs {
            stripe: Arc::new(JsonCodec),
            paddle: Arc::new(JsonCodec),
        };
        let intake = WebhookIntake::new(Arc::new(store.clone()), clock.clone());
        let processor = WebhookProcessor::new(
            Arc::new(store.clone()),
            codecs,
            Some(provider.clone()),
            Arc::new(billing),
            clock.clone(),
            Arc::new(CountingIds::default()),
        );
        Self {
            store,
            clock,
            intake,
            processor,
            provider,
        }
    }

    /// Delivers `event` to `account`'s endpoint, validly signed, and processes the inbox.
    pub async fn deliver(&self, provider: WebhookProvider, account: WebhookAccount, event: &DecodedEvent) {
        let body = JsonCodec::body(event);
        let delivery = Delivery {
            provider,
            account,
            signature_header: Some("valid:whsec_test"),
            raw_body: &body,
        };
        self.intake.receive(&JsonCodec, &secrets(), delivery).await.unwrap();
        self.processor.process_pending(100).await.unwrap();
    }

    pub fn net_paid(&self, tenant: TenantId, invoice: InvoiceId) -> i64 {
        self.store.snapshot().invoices[&(tenant, invoice)].net_paid()
    }
}

pub(super) fn event(id: &str, event: BillingEvent) -> DecodedEvent {
    DecodedEvent {
        event_id: id.to_owned(),
        event_type: "test".to_owned(),
        occurred_at: start(),
        event: Some(event),
    }
}

pub(super) fn paid(tenant: TenantId, invoice: InvoiceId, session: &str, amount: i64) -> CheckoutFacts {
    CheckoutFacts {
        session_id: session.to_owned(),
        payment_intent: Some(format!("pi_{session}")),
        paid: true,
        tenant: Some(tenant),
        invoice: Some(invoice),
        amount_minor: amount,
        currency: "eur".to_owned(),
    }
}

pub(super) fn refunded(session: &str, total: i64) -> RefundFacts {
    RefundFacts {
        charge_id: format!("ch_{session}"),
        payment_intent: Some(format!("pi_{session}")),
        amount_refunded_minor: total,
        currency: "eur".to_owned(),
    }
}

/// A store that fails to begin, or whose units fail to commit.
pub(super) struct FlakyStore {
    pub inner: MemoryBillingStore,
    pub begin_fails: bool,
    pub commit_error: fn() -> RepositoryError,
}

struct FlakyUnit {
    inner: Box<dyn crate::billing::ports::BillingUnit>,
    commit_error: fn() -> RepositoryError,
}

#[async_trait]
impl crate::billing::ports::BillingStore for FlakyStore {
    async fn begin(&self) -> Result<Box<dyn crate::billing::ports::BillingUnit>, RepositoryError> {
        if self.begin_fails {
            return Err(RepositoryError::Unexpected("database down".into()));
        }
        let inner = crate::billing::ports::BillingStore::begin(&self.inner).await?;
        Ok(Box::new(FlakyUnit {
            inner,
            commit_error: self.commit_error,
        }))
    }
}

#[async_trait]
impl crate::billing::ports::BillingUnit for FlakyUnit {
    fn inbox(&self) -> &dyn crate::billing::ports::WebhookInboxRepository {
        self.inner.inbox()
    }
    fn checkouts(&self) -> &dyn crate::billing::ports::CheckoutRepository {
        self.inner.checkouts()
    }
    fn subscriptions(&self) -> &dyn crate::billing::ports::SubscriptionRepository {
        self.inner.subscriptions()
    }
    fn transactions(&self) -> &dyn crate::billing::ports::BillingTransactionRepository {
        self.inner.transactions()
    }
    fn invoice_payments(&self) -> &dyn crate::billing::ports::InvoicePayments {
        self.inner.invoice_payments()
    }
    fn connections(&self) -> &dyn crate::billing::ports::StripeConnectionRepository {
        self.inner.connections()
    }
    fn organizations(&self) -> &dyn crate::billing::ports::OrganizationOwners {
        self.inner.organizations()
    }
    async fn commit(self: Box<Self>) -> Result<(), RepositoryError> {
        Err((self.commit_error)())
    }
}
