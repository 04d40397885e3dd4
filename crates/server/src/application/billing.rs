//! The billing area wired on its adapters: the Stripe and Paddle clients of
//! `fakturo-billing` (base URLs from `[billing]`), the SQL billing store,
//! the sealed tenant keys, and the operator's webhook secrets.

use std::sync::Arc;

use chrono::{DateTime, Datelike, NaiveDate, TimeDelta, Utc};
use fakturo_billing::{
    HttpSettings, PaddleClient, PaddleProvider, PaddleWebhooks, StripeClient, StripeGateway, StripeSubscriptions,
    StripeWebhooks,
};
use fakturo_database::SqlStore;
use fakturo_domain::TenantId;
use fakturo_domain::access::services::IntegrationService;
use fakturo_domain::billing::ports::{BillingStore, GatewayKeys, PaymentGateway, SubscriptionProvider, UsageMeter};
use fakturo_domain::billing::services::{
    CheckoutReconciler, EntitlementError, OnlineCheckout, StripeConnect, SubscriptionService, WebhookCodecs,
    WebhookIntake, WebhookProcessor,
};
use fakturo_domain::billing::{BillingProvider, BillingSettings, Need, Usage};
use fakturo_domain::invoicing::services::MonthlyCap;
use fakturo_domain::kernel::clock::Clock;
use fakturo_domain::kernel::errors::Unexpected;
use fakturo_domain::kernel::ids::IdGenerator;
use fakturo_domain::kernel::secrets::RevealedSecret;

use crate::settings::Settings;

/// Why billing could not be set up.
#[derive(Debug, thiserror::Error)]
#[error("billing: {0}")]
pub struct BillingSetupError(String);

/// The billing use cases and what the webhook routes need.
#[derive(Clone)]
pub struct Billing {
    /// The billing units of work.
    pub store: Arc<dyn BillingStore>,
    /// Webhook intake (verify, store once).
    pub intake: WebhookIntake,
    /// Webhook processing (the worker).
    pub processor: WebhookProcessor,
    /// Checkout sessions for invoices.
    pub checkout: OnlineCheckout,
    /// The reconcile task.
    pub reconciler: CheckoutReconciler,
    /// The tenant's subscription and entitlements.
    pub subscriptions: SubscriptionService,
    /// Connecting tenants' Stripe accounts.
    pub connect: StripeConnect,
    /// Tenants' opened Stripe keys.
    pub keys: Arc<dyn GatewayKeys>,
    /// The webhook codecs.
    pub codecs: WebhookCodecs,
    /// The operator endpoint's Stripe signing secrets.
    pub stripe_secrets: Arc<Vec<RevealedSecret>>,
    /// Paddle's notification secrets.
    pub paddle_secrets: Arc<Vec<RevealedSecret>>,
    /// Plans and provider.
    pub settings: Arc<BillingSettings>,
    meter: Arc<dyn UsageMeter>,
    clock: Arc<dyn Clock>,
}

impl Billing {
    /// Wires billing from `[billing]` on the SQL store (an ended
    /// subscription's closure window lasts `retention.closure_grace_days`;
    /// webhook URLs start at `http.public_url`).
    ///
    /// # Errors
    /// [`BillingSetupError`] if an HTTP client cannot be built.
    pub fn new(
        sql: &Arc<SqlStore>,
        all: &Settings,
        keys: Arc<dyn GatewayKeys>,
        integrations: IntegrationService,
        clock: Arc<dyn Clock>,
        ids: Arc<dyn IdGenerator>,
    ) -> Result<Self, BillingSetupError> {
        let section = &all.billing;
        let public_base = all.http.public_base();
        let store: Arc<dyn BillingStore> = sql.clone();
        let settings = Arc::new(section.domain(all.retention.closure_grace_days));
        let setup = |e: fakturo_domain::billing::gateway::BillingApiError| BillingSetupError(e.to_string());
        let stripe_http = HttpSettings::new(&section.stripe.api_url);
        let gateway: Arc<dyn PaymentGateway> =
            Arc::new(StripeGateway::new(StripeClient::new(&stripe_http).map_err(setup)?));
        let provider: Option<Arc<dyn SubscriptionProvider>> = match section.provider {
            BillingProvider::None => None,
            BillingProvider::Stripe => Some(Arc::new(StripeSubscriptions::new(
                StripeClient::new(&stripe_http).map_err(setup)?,
                RevealedSecret::new(section.stripe.secret_key.clone()),
            ))),
            BillingProvider::Paddle => Some(Arc::new(PaddleProvider::new(
                PaddleClient::new(
                    &HttpSettings::new(&section.paddle.api_url),
                    RevealedSecret::new(section.paddle.api_key.clone()),
                )
                .map_err(setup)?,
            ))),
        };
        let codecs = WebhookCodecs {
            stripe: Arc::new(StripeWebhooks::default()),
            paddle: Arc::new(PaddleWebhooks::with_tolerance(section.paddle.tolerance_seconds)),
        };
        Ok(Self {
            intake: WebhookIntake::new(store.clone(), clock.clone()),
            processor: WebhookProcessor::new(
                store.clone(),
                codecs.clone(),
                provider.clone(),
                settings.clone(),
                clock.clone(),
                ids,
            ),
            checkout: OnlineCheckout::new(store.clone(), gateway.clone(), clock.clone()),
            reconciler: CheckoutReconciler::new(store.clone(), gateway.clone(), keys.clone(), clock.clone()),
            subscriptions: SubscriptionService::new(store.clone(), provider, settings.clone()),
            connect: StripeConnect::new(
                store.clone(),
                gateway,
                keys.clone(),
                integrations,
                clock.clone(),
                public_base,
            ),
            keys,
            codecs,
            stripe_secrets: Arc::new(section.stripe.operator_webhook_secrets()),
            paddle_secrets: Arc::new(section.paddle.webhook_secrets()),
            settings,
            meter: sql.clone(),
            clock,
            store,
        })
    }

    /// What the tenant uses this calendar month (UTC).
    ///
    /// # Errors
    /// [`Unexpected`] if storage failed.
    pub async fn usage(&self, tenant: TenantId) -> Result<Usage, Unexpected> {
        Ok(self.meter.usage(tenant, self.month_start()).await?)
    }

    /// The start of this calendar month (UTC).
    fn month_start(&self) -> DateTime<Utc> {
        let today = self.clock.now().date_naive();
        NaiveDate::from_ymd_opt(today.year(), today.month(), 1)
            .unwrap_or(today)
            .and_time(chrono::NaiveTime::MIN)
            .and_utc()
    }

    /// Checks a write needing `need` against the tenant's plan; with
    /// `billing.provider = "none"` everything is allowed without a query.
    ///
    /// # Errors
    /// [`EntitlementError::PlanLimitReached`] naming the limit, or `Unexpected`.
    pub async fn require(&self, tenant: TenantId, need: Need) -> Result<(), EntitlementError> {
        if self.settings.provider == BillingProvider::None {
            return Ok(());
        }
        let usage = self.usage(tenant).await?;
        self.subscriptions.require(tenant, &usage, need).await
    }

    /// Checks a finalization against the plan (402 when read-only or at the
    /// limit) and returns the month's cap for the finalizing transaction to
    /// count against, `None` when the plan sets none.
    ///
    /// # Errors
    /// [`EntitlementError::PlanLimitReached`] naming the limit, or `Unexpected`.
    pub async fn invoice_cap(&self, tenant: TenantId) -> Result<Option<MonthlyCap>, EntitlementError> {
        if self.settings.provider == BillingProvider::None {
            return Ok(None);
        }
        self.require(tenant, Need::Invoice).await?;
        let view = self.subscriptions.view(tenant).await?;
        Ok(view.limits.invoices_per_month.map(|limit| MonthlyCap {
            limit,
            month_start: self.month_start(),
        }))
    }

    /// Applies up to `limit` received webhook events; returns how many were settled.
    pub async fn process_webhooks(&self, limit: u32) -> u32 {
        match self.processor.process_pending(limit).await {
            Ok(run) => {
                if run.failed > 0 {
                    tracing::warn!(failed = run.failed, "webhook events left for a later run");
                }
                run.applied + run.parked
            }
            Err(error) => {
                tracing::error!(%error, "reading the webhook inbox failed");
                0
            }
        }
    }

    /// How long a checkout session stays open before the reconcile task asks Stripe.
    #[must_use]
    pub fn reconcile_after() -> TimeDelta {
        TimeDelta::hours(1)
    }
}
