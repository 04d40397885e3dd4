//! The incident register as an affected organization's owners read it:
//! the personal data breaches that affect the organization, each with its
//! 72-hour clock and history. Read-only; the operator keeps the register
//! with `cargo xtask incident`. Other affected organizations are never
//! named.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use fakturo_domain::IncidentId;
use fakturo_domain::privacy::incidents::{AffectedTenants, IncidentUpdate};
use fakturo_domain::privacy::services::incidents::{IncidentEntry, IncidentRecord};
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{Object, OpenApi};
use uuid::Uuid;

use super::auth::Auth;
use super::pagination::page_request;
use super::problem::ApiError;
use super::{ApiTags, AppState};

pub struct IncidentsApi {
    state: Arc<AppState>,
}

impl IncidentsApi {
    pub fn new(state: Arc<AppState>) -> Self {
        Self { state }
    }
}

/// A personal data breach that affects the organization.
#[derive(Object)]
struct IncidentView {
    id: Uuid,
    /// `open`, `notified` (the authority was told) or `closed`.
    status: String,
    /// When the breach was discovered: the 72-hour clock starts here.
    discovered_at: DateTime<Utc>,
    /// When it was recorded.
    opened_at: DateTime<Utc>,
    /// 72 hours after discovery: the authority's deadline (GDPR Art. 33).
    authority_due_at: DateTime<Utc>,
    /// The authority is not notified and its deadline has passed.
    overdue: bool,
    /// When the authority was notified.
    authority_notified_at: Option<DateTime<Utc>>,
    /// The authority's reference for the notification.
    authority_reference: Option<String>,
    closed_at: Option<DateTime<Utc>>,
    /// What happened.
    nature: String,
    /// The data map's categories concerned (`account_profile`, …).
    data_categories: Vec<String>,
    /// About how many people are affected (across the deployment).
    people_affected: u64,
    /// About how many records are affected.
    records_affected: u64,
    /// The likely consequences.
    consequences: String,
    /// The measures taken or proposed.
    measures: String,
    /// Whether it affects every organization of the deployment.
    affects_all_organizations: bool,
    updated_at: DateTime<Utc>,
}

/// One entry of an incident's history.
#[derive(Object)]
struct IncidentUpdateView {
    at: DateTime<Utc>,
    /// `opened`, `updated`, `authority_notified`, `people_notified` or `closed`.
    kind: String,
    /// The fields that changed.
    changed: Vec<String>,
    note: Option<String>,
}

/// An incident with its history, oldest first.
#[derive(Object)]
struct IncidentDetail {
    #[oai(flatten)]
    incident: IncidentView,
    history: Vec<IncidentUpdateView>,
}

/// A page of the incidents that affect the organization, newest first.
#[derive(Object)]
struct IncidentList {
    data: Vec<IncidentView>,
    /// Pass as `cursor` for the next page; absent on the last page.
    next_cursor: Option<String>,
}

fn view(entry: IncidentEntry) -> IncidentView {
    let i = entry.incident;
    IncidentView {
        id: i.id.as_uuid(),
        status: i.status.as_str().to_owned(),
        discovered_at: i.discovered_at,
        opened_at: i.opened_at,
        authority_due_at: i.authority_due_at(),
        overdue: entry.overdue,
        authority_notified_at: i.authority.as_ref().map(|a| a.at),
        authority_reference: i.authority.map(|a| a.reference),
        closed_at: i.closed_at,
        nature: i.facts.nature,
        data_categories: i.facts.categories.iter().map(|c| c.as_str().to_owned()).collect(),
        people_affected: i.facts.people_affected,
        records_affected: i.facts.records_affected,
        consequences: i.facts.consequences,
        measures: i.facts.measures,
        affects_all_organizations: i.affected == AffectedTenants::All,
        updated_at: i.updated_at,
    }
}

fn update_view(u: IncidentUpdate) -> IncidentUpdateView {
    IncidentUpdateView {
        at: u.at,
        kind: u.kind.as_str().to_owned(),
        changed: u.changed,
        note: u.note,
    }
}

fn detail(record: IncidentRecord) -> IncidentDetail {
    IncidentDetail {
        incident: view(record.entry),
        history: record.history.into_iter().map(update_view).collect(),
    }
}

#[OpenApi(prefix_path = "/api/v1", tag = "ApiTags::Privacy")]
impl IncidentsApi {
    /// The personal data breaches that affect the organization (owners only).
    #[oai(path = "/privacy/incidents", method = "get", operation_id = "list_incidents")]
    async fn list(
        &self,
        auth: Auth,
        #[oai(validator(minimum(value = "1"), maximum(value = "100")))] limit: Query<Option<u32>>,
        cursor: Query<Option<String>>,
    ) -> Result<Json<IncidentList>, ApiError> {
        let who = self.state.authenticate(auth).await?;
        let page = page_request(limit.0, cursor.0.as_deref())?;
        let found = self.state.services.incidents.list_for(&who.principal, page).await?;
        Ok(Json(IncidentList {
            data: found.items.into_iter().map(view).collect(),
            next_cursor: found.next_cursor,
        }))
    }

    /// One incident that affects the organization, with its history (owners only).
    #[oai(path = "/privacy/incidents/:id", method = "get", operation_id = "get_incident")]
    async fn get(&self, auth: Auth, id: Path<Uuid>) -> Result<Json<IncidentDetail>, ApiError> {
        let who = self.state.authenticate(auth).await?;
        let found = self
            .state
            .services
            .incidents
            .get_for(&who.principal, IncidentId::from_uuid(id.0))
            .await?;
        Ok(Json(detail(found)))
    }
}
