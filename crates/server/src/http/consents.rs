//! The signed-in user's consent ledger (any role, about themselves) and
//! product usage events, stored only with their analytics consent.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use fakturo_domain::privacy::consent::{ConsentEvent, ConsentState};
use fakturo_domain::privacy::services::consent::ConsentFields;
use poem_openapi::param::Query;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, Object, OpenApi};
use uuid::Uuid;

use super::auth::Auth;
use super::pagination::page_request;
use super::problem::ApiError;
use super::{ApiTags, AppState};

pub struct ConsentsApi {
    state: Arc<AppState>,
}

impl ConsentsApi {
    pub fn new(state: Arc<AppState>) -> Self {
        Self { state }
    }
}

/// A grant or withdrawal.
#[derive(Object)]
#[oai(deny_unknown_fields)]
struct ConsentChange {
    /// `analytics`, `marketing_email` or `ai_processing`.
    purpose: String,
    /// `true` grants, `false` withdraws.
    granted: bool,
    /// `api` (default), `web`, `mobile`, `signup`, `email` or `support`.
    channel: Option<String>,
}

/// The current consent for one purpose.
#[derive(Object)]
struct ConsentStateView {
    purpose: String,
    /// Whether a grant is in force; nothing is granted until the user grants it.
    granted: bool,
    /// When the latest grant or withdrawal happened; none if never decided.
    since: Option<DateTime<Utc>>,
    /// The privacy policy version in force then.
    policy_version: Option<String>,
    /// Where it came from.
    channel: Option<String>,
}

/// The caller's consent per purpose.
#[derive(Object)]
struct ConsentList {
    data: Vec<ConsentStateView>,
}

/// One grant or withdrawal.
#[derive(Object)]
struct ConsentEventView {
    id: Uuid,
    purpose: String,
    /// `true` for a grant, `false` for a withdrawal.
    granted: bool,
    /// The privacy policy version in force.
    policy_version: String,
    channel: String,
    occurred_at: DateTime<Utc>,
}

/// A page of the caller's consent history, newest first.
#[derive(Object)]
struct ConsentHistory {
    data: Vec<ConsentEventView>,
    next_cursor: Option<String>,
}

/// A product usage event.
#[derive(Object)]
#[oai(deny_unknown_fields)]
struct AnalyticsEventCreate {
    /// Such as `invoice.created`: 1 to 64 characters of a-z, 0-9, `.`, `_`, `-`.
    name: String,
}

/// What happened to an analytics event.
#[derive(Object)]
struct AnalyticsOutcome {
    /// `true` when stored; `false` when the user does not consent to analytics (nothing stored).
    recorded: bool,
}

#[derive(ApiResponse)]
enum AnalyticsAccepted {
    /// Handled: stored with consent, dropped without.
    #[oai(status = 202)]
    Accepted(Json<AnalyticsOutcome>),
}

fn state_view(state: ConsentState) -> ConsentStateView {
    ConsentStateView {
        purpose: state.purpose.as_str().to_owned(),
        granted: state.granted,
        since: state.since,
        policy_version: state.policy_version,
        channel: state.channel.map(|c| c.as_str().to_owned()),
    }
}

fn event_view(event: ConsentEvent) -> ConsentEventView {
    ConsentEventView {
        id: event.id.as_uuid(),
        purpose: event.purpose.as_str().to_owned(),
        granted: event.granted,
        policy_version: event.policy_version,
        channel: event.channel.as_str().to_owned(),
        occurred_at: event.occurred_at,
    }
}

#[OpenApi(prefix_path = "/api/v1", tag = "ApiTags::Privacy")]
impl ConsentsApi {
    /// The caller's current consent per purpose.
    #[oai(path = "/privacy/consents", method = "get", operation_id = "list_consents")]
    async fn current(&self, auth: Auth) -> Result<Json<ConsentList>, ApiError> {
        let who = self.state.authenticate(auth).await?;
        let states = self.state.services.consent.current(&who.principal).await?;
        Ok(Json(ConsentList {
            data: states.into_iter().map(state_view).collect(),
        }))
    }

    /// Grant or withdraw a purpose: one call either way. Every call is
    /// recorded with its time, the privacy policy version in force and the channel.
    #[oai(path = "/privacy/consents", method = "put", operation_id = "change_consent")]
    async fn change(&self, auth: Auth, body: Json<ConsentChange>) -> Result<Json<ConsentEventView>, ApiError> {
        let who = self.state.authenticate(auth).await?;
        let change = body.0;
        let event = self
            .state
            .services
            .consent
            .record(
                &who,
                ConsentFields {
                    purpose: change.purpose,
                    granted: change.granted,
                    channel: change.channel,
                },
            )
            .await?;
        Ok(Json(event_view(event)))
    }

    /// Every grant and withdrawal of the caller, newest first.
    #[oai(path = "/privacy/consents/history", method = "get", operation_id = "consent_history")]
    async fn history(
        &self,
        auth: Auth,
        /// Page size, 1 to 100 (default 50).
        #[oai(validator(minimum(value = "1"), maximum(value = "100")))]
        limit: Query<Option<u32>>,
        /// The `next_cursor` of the previous page.
        cursor: Query<Option<String>>,
    ) -> Result<Json<ConsentHistory>, ApiError> {
        let who = self.state.authenticate(auth).await?;
        let page = page_request(limit.0, cursor.0.as_deref())?;
        let found = self.state.services.consent.history(&who.principal, page).await?;
        Ok(Json(ConsentHistory {
            data: found.items.into_iter().map(event_view).collect(),
            next_cursor: found.next_cursor,
        }))
    }

    /// Record a product usage event of the signed-in user. Stored only if
    /// they consent to analytics; either way the answer is 202.
    #[oai(path = "/analytics/events", method = "post", operation_id = "record_analytics_event")]
    async fn record_analytics(
        &self,
        auth: Auth,
        body: Json<AnalyticsEventCreate>,
    ) -> Result<AnalyticsAccepted, ApiError> {
        let who = self.state.authenticate(auth).await?;
        let recorded = self
            .state
            .services
            .consent
            .record_analytics(&who.principal, &body.0.name)
            .await?;
        Ok(AnalyticsAccepted::Accepted(Json(AnalyticsOutcome { recorded })))
    }
}
