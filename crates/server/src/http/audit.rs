//! The security event log, for owners and admins.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use fakturo_domain::UserId;
use fakturo_domain::access::audit::{AuditAction, AuditEvent};
use fakturo_domain::access::ports::AuditFilter;
use fakturo_domain::kernel::validation::ValidationErrors;
use poem::http::StatusCode;
use poem_openapi::param::Query;
use poem_openapi::payload::Json;
use poem_openapi::{Object, OpenApi};
use uuid::Uuid;

use super::auth::Auth;
use super::pagination::page_request;
use super::problem::ApiError;
use super::{ApiTags, AppState};

pub struct AuditApi {
    state: Arc<AppState>,
}

impl AuditApi {
    pub fn new(state: Arc<AppState>) -> Self {
        Self { state }
    }
}

/// One security event. No personal data: ids, stable words and the
/// network (IPv4 /24, IPv6 /48), never emails, names or secrets.
#[derive(Object)]
struct AuditEventView {
    id: Uuid,
    occurred_at: DateTime<Utc>,
    /// Such as `auth.sign_in_failed` or `team.role_changed`.
    action: String,
    /// `user`, `api_token`, `system` or `anonymous`.
    actor_kind: String,
    actor_user_id: Option<Uuid>,
    /// What the event is about: `user`, `api_token`, `invitation`, `client`, …
    target_kind: Option<String>,
    target_id: Option<Uuid>,
    /// The actor's network, such as `203.0.113.0/24`.
    ip_prefix: Option<String>,
    /// Stable words that say more, such as `{"method": "password"}`.
    details: BTreeMap<String, String>,
}

/// A page of events, newest first.
#[derive(Object)]
struct AuditEventList {
    data: Vec<AuditEventView>,
    next_cursor: Option<String>,
}

fn view(event: AuditEvent) -> AuditEventView {
    AuditEventView {
        id: event.id.as_uuid(),
        occurred_at: event.occurred_at,
        action: event.action.as_str().to_owned(),
        actor_kind: event.actor.kind.as_str().to_owned(),
        actor_user_id: event.actor.user_id.map(|id| id.as_uuid()),
        target_kind: event.target.as_ref().map(|t| t.kind.to_owned()),
        target_id: event.target.as_ref().map(|t| t.id),
        ip_prefix: event.ip.map(|ip| ip.as_str().to_owned()),
        details: event.details,
    }
}

#[OpenApi(prefix_path = "/api/v1", tag = "ApiTags::Team")]
impl AuditApi {
    /// The organization's security events (owners and admins), newest first.
    #[oai(path = "/audit-events", method = "get", operation_id = "list_audit_events")]
    async fn list(
        &self,
        auth: Auth,
        /// Only this action, such as `auth.sign_in_failed`.
        action: Query<Option<String>>,
        /// Only events by or about this user.
        user_id: Query<Option<Uuid>>,
        /// Page size, 1 to 100 (default 50).
        #[oai(validator(minimum(value = "1"), maximum(value = "100")))]
        limit: Query<Option<u32>>,
        /// The `next_cursor` of the previous page.
        cursor: Query<Option<String>>,
    ) -> Result<Json<AuditEventList>, ApiError> {
        let who = self.state.authenticate(auth).await?;
        let page = page_request(limit.0, cursor.0.as_deref())?;
        let action = match action.0.as_deref() {
            None | Some("") => None,
            Some(name) => Some(AuditAction::parse(name).ok_or_else(|| {
                ApiError::validation(
                    StatusCode::BAD_REQUEST,
                    &ValidationErrors::single("action", "invalid_action", "is not a known action"),
                )
            })?),
        };
        let filter = AuditFilter {
            action,
            user: user_id.0.map(UserId::from_uuid),
        };
        let found = self.state.services.audit.list(&who.principal, filter, page).await?;
        Ok(Json(AuditEventList {
            data: found.items.into_iter().map(view).collect(),
            next_cursor: found.next_cursor,
        }))
    }
}
