//! The operator's plans and the organization's subscription:
//! `GET /api/v1/public/plans`, `GET /api/v1/subscription`,
//! `POST /api/v1/subscription/checkout`, `POST /api/v1/subscription/portal`
//! and `GET /api/v1/subscription/transactions`.

use crate::http::problem::ErrorCode;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use fakturo_domain::billing::{Plan, PlanId, PlanLimits, Usage};
use poem_openapi::param::Query;
use poem_openapi::payload::Json;
use poem_openapi::{Object, OpenApi};

use super::auth::Auth;
use super::problem::ApiError;
use super::{ApiTags, AppState};

pub struct SubscriptionApi {
    state: Arc<AppState>,
}

impl SubscriptionApi {
    pub fn new(state: Arc<AppState>) -> Self {
        Self { state }
    }

    fn return_url(&self) -> String {
        let settings = &self.state.settings;
        if settings.billing.return_url.trim().is_empty() {
            settings.http.app_base().to_owned()
        } else {
            settings.billing.return_url.trim_end_matches('/').to_owned()
        }
    }
}

/// A plan's limits; an absent limit is unlimited.
#[derive(Object)]
struct LimitsView {
    invoices_per_month: Option<u64>,
    users: Option<u64>,
    storage_bytes: Option<u64>,
}

impl From<&PlanLimits> for LimitsView {
    fn from(limits: &PlanLimits) -> Self {
        Self {
            invoices_per_month: limits.invoices_per_month,
            users: limits.users,
            storage_bytes: limits.storage_bytes,
        }
    }
}

/// A plan offered by the operator.
#[derive(Object)]
struct PlanView {
    id: String,
    name: String,
    /// The provider's price ids.
    prices: Vec<String>,
    limits: LimitsView,
    /// `online_payments`, `sms`, `ai_extraction`.
    features: Vec<String>,
}

fn plan_view(plan: &Plan) -> PlanView {
    PlanView {
        id: plan.id.0.clone(),
        name: plan.name.clone(),
        prices: plan.price_ids.clone(),
        limits: (&plan.limits).into(),
        features: plan.features.iter().map(|f| f.as_str().to_owned()).collect(),
    }
}

/// What the organization uses this month.
#[derive(Object)]
struct UsageView {
    invoices_this_month: u64,
    users: u64,
    storage_bytes: u64,
}

impl From<Usage> for UsageView {
    fn from(usage: Usage) -> Self {
        Self {
            invoices_this_month: usage.invoices_this_month,
            users: usage.users,
            storage_bytes: usage.storage_bytes,
        }
    }
}

/// The organization's subscription.
#[derive(Object)]
struct SubscriptionView {
    /// The plan in force; absent when unlimited (`billing.provider = "none"`) or read-only.
    plan: Option<String>,
    /// `none`, `trialing`, `active`, `past_due`, `paused` or `canceled`.
    status: String,
    current_period_end: Option<DateTime<Utc>>,
    cancel_at: Option<DateTime<Utc>>,
    /// Whether writes are refused until the organization subscribes.
    read_only: bool,
    limits: LimitsView,
    usage: UsageView,
}

/// Which plan to subscribe to.
#[derive(Object)]
#[oai(deny_unknown_fields)]
struct CheckoutBody {
    /// A plan id from `GET /api/v1/public/plans`.
    plan: String,
}

/// Where to send the owner.
#[derive(Object)]
struct RedirectView {
    url: String,
}

/// What the operator charged or refunded.
#[derive(Object)]
struct TransactionView {
    provider_reference: String,
    /// In minor units; negative for a refund.
    amount_minor: i64,
    currency: String,
    status: String,
    occurred_at: DateTime<Utc>,
    /// The provider's invoice document (Paddle as merchant of record).
    invoice_url: Option<String>,
}

/// A list of billing records, newest first.
#[derive(Object)]
struct TransactionList {
    data: Vec<TransactionView>,
    /// Always absent: the newest `limit` records are the whole page.
    next_cursor: Option<String>,
}

#[OpenApi(prefix_path = "/api/v1", tag = "ApiTags::Billing")]
impl SubscriptionApi {
    /// The plans this deployment offers.
    #[oai(path = "/public/plans", method = "get", operation_id = "list_plans")]
    async fn plans(&self) -> Json<Vec<PlanView>> {
        Json(
            self.state
                .services
                .billing
                .settings
                .plans
                .iter()
                .map(plan_view)
                .collect(),
        )
    }

    /// The organization's subscription, its limits and what it uses of them.
    #[oai(path = "/subscription", method = "get", operation_id = "get_subscription")]
    async fn get(&self, auth: Auth) -> Result<Json<SubscriptionView>, ApiError> {
        let who = self.state.authenticate(auth).await?;
        let tenant = who.principal.reader().tenant();
        let billing = &self.state.services.billing;
        let view = billing
            .subscriptions
            .view(tenant)
            .await
            .map_err(|e| ApiError::unexpected(&e))?;
        let usage = billing.usage(tenant).await.map_err(|e| ApiError::unexpected(&e))?;
        let subscription = view.subscription.as_ref();
        Ok(Json(SubscriptionView {
            plan: view.plan.as_ref().map(|plan| plan.id.0.clone()),
            status: view.status.as_str().to_owned(),
            current_period_end: subscription.and_then(|s| s.current_period_end),
            cancel_at: subscription.and_then(|s| s.cancel_at),
            read_only: view.read_only,
            limits: (&view.limits).into(),
            usage: usage.into(),
        }))
    }

    /// Starts the provider's checkout for a plan (owners and admins).
    #[oai(
        path = "/subscription/checkout",
        method = "post",
        operation_id = "start_subscription_checkout"
    )]
    async fn checkout(&self, auth: Auth, body: Json<CheckoutBody>) -> Result<Json<RedirectView>, ApiError> {
        let who = self.state.authenticate(auth).await?;
        let tenant = who
            .principal
            .manager("manage the subscription")
            .map_err(|f| ApiError::new(ErrorCode::Forbidden, f.to_string()))?
            .tenant();
        let back = self.return_url();
        let url = self
            .state
            .services
            .billing
            .subscriptions
            .checkout(
                tenant,
                &PlanId(body.0.plan),
                &format!("{back}/?subscription=success"),
                &format!("{back}/?subscription=canceled"),
            )
            .await?;
        Ok(Json(RedirectView { url }))
    }

    /// Opens the provider's customer portal (owners and admins).
    #[oai(
        path = "/subscription/portal",
        method = "post",
        operation_id = "open_subscription_portal"
    )]
    async fn portal(&self, auth: Auth) -> Result<Json<RedirectView>, ApiError> {
        let who = self.state.authenticate(auth).await?;
        let tenant = who
            .principal
            .manager("manage the subscription")
            .map_err(|f| ApiError::new(ErrorCode::Forbidden, f.to_string()))?
            .tenant();
        let request_id = self.state.clock.now().timestamp_millis().to_string();
        let url = self
            .state
            .services
            .billing
            .subscriptions
            .portal(tenant, &self.return_url(), &request_id)
            .await?;
        Ok(Json(RedirectView { url }))
    }

    /// What the operator charged and refunded the organization, newest first.
    #[oai(
        path = "/subscription/transactions",
        method = "get",
        operation_id = "list_subscription_transactions"
    )]
    async fn transactions(
        &self,
        auth: Auth,
        /// At most this many (1 to 100, default 50).
        limit: Query<Option<u32>>,
    ) -> Result<Json<TransactionList>, ApiError> {
        let who = self.state.authenticate(auth).await?;
        let page = super::pagination::page_request(limit.0, None)?;
        let tenant = who.principal.reader().tenant();
        let found = self
            .state
            .services
            .billing
            .subscriptions
            .transactions(tenant, page.limit)
            .await
            .map_err(|e| ApiError::unexpected(&e))?;
        Ok(Json(TransactionList {
            data: found
                .into_iter()
                .map(|t| TransactionView {
                    provider_reference: t.provider_reference,
                    amount_minor: t.amount_minor,
                    currency: t.currency,
                    status: t.status,
                    occurred_at: t.occurred_at,
                    invoice_url: t.invoice_url,
                })
                .collect(),
            next_cursor: None,
        }))
    }
}
