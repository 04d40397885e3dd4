//! The tenant's subscription: what it is, how to start or manage it with the
//! operator's provider, what it was charged, and the entitlement check every
//! limited write asks.

use std::sync::Arc;

use crate::TenantId;
use crate::billing::entitlements::{Need, PlanInForce, PlanLimitReached, Usage};
use crate::billing::gateway::{BillingApiError, SubscriptionCheckout};
use crate::billing::plan::{BillingSettings, Plan, PlanId, PlanLimits};
use crate::billing::ports::{BillingStore, SubscriptionProvider};
use crate::billing::records::BillingTransaction;
use crate::billing::subscription::{Subscription, SubscriptionStatus};
use crate::kernel::errors::{Unexpected, unexpected_from};

/// The tenant's subscription as `GET /subscription` shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SubscriptionView {
    /// The stored subscription, if any.
    pub subscription: Option<Subscription>,
    /// Its status (`none` without one).
    pub status: SubscriptionStatus,
    /// The plan in force, if any (none: unlimited or read-only).
    pub plan: Option<Plan>,
    /// The limits in force (all `None` when unlimited).
    pub limits: PlanLimits,
    /// Whether writes are blocked (no running subscription, no default plan).
    pub read_only: bool,
}

/// Why no subscription checkout was started.
#[derive(Debug, thiserror::Error)]
pub enum SubscriptionCheckoutError {
    /// `billing.provider = "none"`.
    #[error("no billing provider is configured")]
    NotConfigured,
    /// No such plan, or none of its prices belongs to the provider.
    #[error("no such plan")]
    UnknownPlan,
    /// The provider refused or could not be reached.
    #[error(transparent)]
    Provider(#[from] BillingApiError),
    /// Storage failed.
    #[error(transparent)]
    Unexpected(Unexpected),
}

/// Why no portal session was opened.
#[derive(Debug, thiserror::Error)]
pub enum PortalError {
    /// `billing.provider = "none"`.
    #[error("no billing provider is configured")]
    NotConfigured,
    /// The tenant has no customer at the provider yet.
    #[error("the organization has no subscription yet")]
    NoCustomer,
    /// The provider refused or could not be reached.
    #[error(transparent)]
    Provider(#[from] BillingApiError),
    /// Storage failed.
    #[error(transparent)]
    Unexpected(Unexpected),
}

/// Why a write may not proceed.
#[derive(Debug, thiserror::Error)]
pub enum EntitlementError {
    /// Beyond the plan (402 `plan_limit_reached`).
    #[error(transparent)]
    PlanLimitReached(#[from] PlanLimitReached),
    /// Storage failed.
    #[error(transparent)]
    Unexpected(Unexpected),
}

unexpected_from!(SubscriptionCheckoutError, PortalError, EntitlementError);

/// The tenant's subscription use cases.
#[derive(Clone)]
pub struct SubscriptionService {
    store: Arc<dyn BillingStore>,
    provider: Option<Arc<dyn SubscriptionProvider>>,
    settings: Arc<BillingSettings>,
}

impl SubscriptionService {
    /// The service on its ports; `provider` is `None` with `billing.provider = "none"`.
    #[must_use]
    pub fn new(
        store: Arc<dyn BillingStore>,
        provider: Option<Arc<dyn SubscriptionProvider>>,
        settings: Arc<BillingSettings>,
    ) -> Self {
        Self {
            store,
            provider,
            settings,
        }
    }

    async fn stored(&self, tenant: TenantId) -> Result<Option<Subscription>, Unexpected> {
        Ok(self.store.begin().await?.subscriptions().get(tenant).await?)
    }

    /// The tenant's subscription and the plan in force.
    ///
    /// # Errors
    /// [`Unexpected`] if storage failed.
    pub async fn view(&self, tenant: TenantId) -> Result<SubscriptionView, Unexpected> {
        let subscription = self.stored(tenant).await?;
        let in_force = PlanInForce::of(&self.settings, subscription.as_ref());
        let plan = match in_force {
            PlanInForce::Plan(plan) => Some(plan.clone()),
            PlanInForce::Unlimited | PlanInForce::ReadOnly => None,
        };
        Ok(SubscriptionView {
            status: subscription.as_ref().map_or(SubscriptionStatus::None, |s| s.status),
            limits: plan.as_ref().map(|plan| plan.limits.clone()).unwrap_or_default(),
            read_only: in_force == PlanInForce::ReadOnly,
            plan,
            subscription,
        })
    }

    /// Checks a write needing `need` at `usage`. Only writes ask: reads,
    /// exports, privacy requests and closure never call this.
    ///
    /// # Errors
    /// - [`EntitlementError::PlanLimitReached`] naming the limit.
    /// - [`EntitlementError::Unexpected`] if storage failed.
    pub async fn require(&self, tenant: TenantId, usage: &Usage, need: Need) -> Result<(), EntitlementError> {
        if self.settings.provider == crate::billing::plan::BillingProvider::None {
            return Ok(());
        }
        let subscription = self.stored(tenant).await?;
        Ok(PlanInForce::of(&self.settings, subscription.as_ref()).allows(usage, need)?)
    }

    /// Starts the provider's checkout for `plan`; returns its URL.
    ///
    /// # Errors
    /// - [`SubscriptionCheckoutError::NotConfigured`] without a provider.
    /// - [`SubscriptionCheckoutError::UnknownPlan`] for a plan not configured or without a price.
    /// - [`SubscriptionCheckoutError::Provider`] if the provider refused or is unavailable.
    /// - [`SubscriptionCheckoutError::Unexpected`] if storage failed.
    pub async fn checkout(
        &self,
        tenant: TenantId,
        plan: &PlanId,
        success_url: &str,
        cancel_url: &str,
    ) -> Result<String, SubscriptionCheckoutError> {
        let provider = self.provider.as_ref().ok_or(SubscriptionCheckoutError::NotConfigured)?;
        let price_id = self
            .settings
            .plan(plan)
            .and_then(|plan| plan.price_ids.first())
            .ok_or(SubscriptionCheckoutError::UnknownPlan)?;
        let customer_id = self.stored(tenant).await?.and_then(|s| s.customer_id);
        let checkout = SubscriptionCheckout {
            tenant,
            price_id: price_id.clone(),
            customer_id,
            trial_days: self.settings.trial_days,
            success_url: success_url.to_owned(),
            cancel_url: cancel_url.to_owned(),
            idempotency_key: format!("fakturo-subscribe-{tenant}-{price_id}"),
        };
        Ok(provider.checkout(&checkout).await?)
    }

    /// Opens the provider's customer portal; returns its URL.
    ///
    /// # Errors
    /// - [`PortalError::NotConfigured`] without a provider.
    /// - [`PortalError::NoCustomer`] before the first subscription.
    /// - [`PortalError::Provider`] if the provider refused or is unavailable.
    /// - [`PortalError::Unexpected`] if storage failed.
    pub async fn portal(&self, tenant: TenantId, return_url: &str, request_id: &str) -> Result<String, PortalError> {
        let provider = self.provider.as_ref().ok_or(PortalError::NotConfigured)?;
        let customer = self
            .stored(tenant)
            .await?
            .and_then(|s| s.customer_id)
            .ok_or(PortalError::NoCustomer)?;
        let idempotency_key = format!("fakturo-portal-{tenant}-{request_id}");
        Ok(provider.portal(&customer, return_url, &idempotency_key).await?)
    }

    /// The tenant's billing records, newest first.
    ///
    /// # Errors
    /// [`Unexpected`] if storage failed.
    pub async fn transactions(&self, tenant: TenantId, limit: u32) -> Result<Vec<BillingTransaction>, Unexpected> {
        Ok(self.store.begin().await?.transactions().list(tenant, limit).await?)
    }
}
