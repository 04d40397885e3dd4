//! Privacy requests as a tenant's tracked cases (owners and admins): record
//! one, list them with their deadlines, read one with its history, extend
//! its deadline, verify the requester's identity, and move its status.

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use fakturo_domain::privacy::requests::{PrivacyRequestEvent, RequestStatus};
use fakturo_domain::privacy::services::privacy_requests::{
    PrivacyCase, PrivacyCaseDetail, PrivacyRequestFields, PrivacyRequestQuery,
};
use fakturo_domain::{ClientId, PrivacyRequestId};
use poem_openapi::param::{Header, Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, Enum, Object, OpenApi};
use uuid::Uuid;

use super::auth::{Auth, ClientAddress};
use super::pagination::page_request;
use super::problem::ApiError;
use super::{ApiTags, AppState};

pub struct PrivacyRequestsApi {
    state: Arc<AppState>,
}

impl PrivacyRequestsApi {
    pub fn new(state: Arc<AppState>) -> Self {
        Self { state }
    }
}

/// A request a person made to the organization.
#[derive(Object)]
#[oai(deny_unknown_fields)]
struct PrivacyRequestCreate {
    /// `access`, `rectification`, `erasure`, `restriction`, `objection`,
    /// `portability` or `consent_withdrawal`.
    #[oai(rename = "type")]
    request_type: String,
    /// The requester's email address.
    subject_email: String,
    /// What they asked for, in their words.
    details: String,
    /// The client the request is about, if known.
    client_id: Option<Uuid>,
}

/// An extension of the deadline.
#[derive(Object)]
#[oai(deny_unknown_fields)]
struct ExtensionRequest {
    /// Why more time is needed (tell the requester within the first month).
    reason: String,
    /// 1 or 2; at most two months in all.
    months: u32,
}

/// A status change.
#[derive(Object)]
#[oai(deny_unknown_fields)]
struct StatusChange {
    /// `in_progress`, `completed` or `rejected`.
    status: String,
    /// What was done, or why the request is refused (required to reject).
    note: Option<String>,
}

/// How the requester's identity was verified.
#[derive(Object)]
#[oai(deny_unknown_fields)]
struct IdentityVerification {
    /// `email_link`, `known_contact`, `document` or `other`.
    method: String,
    /// Anything worth recording (never copy an identity document here).
    note: Option<String>,
}

/// A case's status.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[oai(rename = "PrivacyRequestStatus", rename_all = "snake_case")]
enum Status {
    Received,
    InProgress,
    Completed,
    Rejected,
}

impl From<Status> for RequestStatus {
    fn from(status: Status) -> Self {
        match status {
            Status::Received => Self::Received,
            Status::InProgress => Self::InProgress,
            Status::Completed => Self::Completed,
            Status::Rejected => Self::Rejected,
        }
    }
}

/// A privacy request case.
#[derive(Object)]
struct PrivacyRequestView {
    id: Uuid,
    /// What the person asks for.
    #[oai(rename = "type")]
    request_type: String,
    /// `received`, `in_progress`, `completed` or `rejected`.
    status: String,
    subject_email: String,
    details: String,
    client_id: Option<Uuid>,
    /// The organization the requester named on the public form.
    organization_hint: Option<String>,
    /// The reference the requester gave on the public form.
    client_reference: Option<String>,
    /// `recorded` (by the organization) or `public_form` (confirmed by email).
    source: String,
    received_at: DateTime<Utc>,
    /// One calendar month after receipt, plus any extension (organization's dates).
    due_on: NaiveDate,
    /// Months the deadline was extended by (0 to 2).
    extension_months: u32,
    /// Open past its due date today.
    overdue: bool,
    identity_verified_at: Option<DateTime<Utc>>,
    /// How the identity was verified.
    identity_method: Option<String>,
    created_by: Option<Uuid>,
    updated_at: DateTime<Utc>,
}

/// One entry of a case's history.
#[derive(Object)]
struct PrivacyRequestEventView {
    id: Uuid,
    /// `received`, `status_changed`, `extended` or `identity_verified`.
    kind: String,
    at: DateTime<Utc>,
    /// The status before (none when the case was opened).
    from: Option<String>,
    /// The status after.
    to: String,
    /// The user who acted; none for the requester or Fakturo.
    by: Option<Uuid>,
    note: Option<String>,
    /// The due date after this entry.
    due_on: NaiveDate,
}

/// A case with its history.
#[derive(Object)]
struct PrivacyRequestDetail {
    #[oai(flatten)]
    case: PrivacyRequestView,
    /// Oldest first.
    history: Vec<PrivacyRequestEventView>,
}

/// A page of cases, newest first.
#[derive(Object)]
struct PrivacyRequestList {
    data: Vec<PrivacyRequestView>,
    next_cursor: Option<String>,
}

#[derive(ApiResponse)]
enum PrivacyRequestCreated {
    /// The case; it is due one calendar month from today.
    #[oai(status = 201)]
    Created(Json<PrivacyRequestDetail>),
}

fn view(case: PrivacyCase) -> PrivacyRequestView {
    let r = case.request;
    PrivacyRequestView {
        id: r.id.as_uuid(),
        request_type: r.request_type.as_str().to_owned(),
        status: r.status.as_str().to_owned(),
        subject_email: r.subject_email.to_string(),
        details: r.details,
        client_id: r.client_id.map(|c| c.as_uuid()),
        organization_hint: r.organization_hint,
        client_reference: r.client_reference,
        source: r.source.as_str().to_owned(),
        received_at: r.received_at,
        due_on: r.due_on,
        extension_months: r.extension_months,
        overdue: case.overdue,
        identity_verified_at: r.identity_verified_at,
        identity_method: r.identity_method.map(|m| m.as_str().to_owned()),
        created_by: r.created_by.map(|u| u.as_uuid()),
        updated_at: r.updated_at,
    }
}

fn event_view(e: PrivacyRequestEvent) -> PrivacyRequestEventView {
    PrivacyRequestEventView {
        id: e.id.as_uuid(),
        kind: e.kind.as_str().to_owned(),
        at: e.at,
        from: e.from_status.map(|s| s.as_str().to_owned()),
        to: e.to_status.as_str().to_owned(),
        by: e.by.map(|u| u.as_uuid()),
        note: e.note,
        due_on: e.due_on,
    }
}

fn detail(found: PrivacyCaseDetail) -> PrivacyRequestDetail {
    PrivacyRequestDetail {
        case: view(found.case),
        history: found.history.into_iter().map(event_view).collect(),
    }
}

#[OpenApi(prefix_path = "/api/v1", tag = "ApiTags::Privacy")]
impl PrivacyRequestsApi {
    /// Record a privacy request a person made to the organization (owners and admins).
    #[oai(path = "/privacy/requests", method = "post", operation_id = "create_privacy_request")]
    async fn create(
        &self,
        auth: Auth,
        address: ClientAddress,
        /// Makes retries safe: a repeat with the same key and body returns the first response.
        #[oai(name = "Idempotency-Key")]
        idempotency_key: Header<Option<String>>,
        body: Json<PrivacyRequestCreate>,
    ) -> Result<PrivacyRequestCreated, ApiError> {
        let who = self.state.authenticate(auth).await?;
        let request = body.0;
        let created = self
            .state
            .idempotent(
                who.principal.tenant_id,
                idempotency_key.0,
                "POST /privacy/requests",
                &request,
                || async {
                    let fields = PrivacyRequestFields {
                        request_type: request.request_type.clone(),
                        subject_email: request.subject_email.clone(),
                        details: request.details.clone(),
                        client_id: request.client_id.map(ClientId::from_uuid),
                    };
                    let created = self
                        .state
                        .services
                        .privacy_requests
                        .create(&who, fields, &address.origin())
                        .await?;
                    Ok(detail(created))
                },
            )
            .await?;
        Ok(PrivacyRequestCreated::Created(Json(created)))
    }

    /// List the organization's privacy requests with their deadlines, newest
    /// first (owners and admins).
    #[oai(path = "/privacy/requests", method = "get", operation_id = "list_privacy_requests")]
    async fn list(
        &self,
        auth: Auth,
        /// Only cases with this status.
        status: Query<Option<Status>>,
        /// `true`: only cases open past their due date; `false`: only the others.
        overdue: Query<Option<bool>>,
        /// Page size, 1 to 100 (default 50).
        #[oai(validator(minimum(value = "1"), maximum(value = "100")))]
        limit: Query<Option<u32>>,
        /// The `next_cursor` of the previous page.
        cursor: Query<Option<String>>,
    ) -> Result<Json<PrivacyRequestList>, ApiError> {
        let who = self.state.authenticate(auth).await?;
        let page = page_request(limit.0, cursor.0.as_deref())?;
        let query = PrivacyRequestQuery {
            status: status.0.map(Into::into),
            overdue: overdue.0,
        };
        let found = self
            .state
            .services
            .privacy_requests
            .list(&who.principal, query, page)
            .await?;
        Ok(Json(PrivacyRequestList {
            data: found.items.into_iter().map(view).collect(),
            next_cursor: found.next_cursor,
        }))
    }

    /// A privacy request with its history (owners and admins).
    #[oai(path = "/privacy/requests/:id", method = "get", operation_id = "get_privacy_request")]
    async fn get(&self, auth: Auth, id: Path<Uuid>) -> Result<Json<PrivacyRequestDetail>, ApiError> {
        let who = self.state.authenticate(auth).await?;
        let found = self
            .state
            .services
            .privacy_requests
            .get(&who.principal, PrivacyRequestId::from_uuid(id.0))
            .await?;
        Ok(Json(detail(found)))
    }

    /// Extend the deadline by one or two months, with a reason (at most two months in all).
    #[oai(
        path = "/privacy/requests/:id/extend",
        method = "post",
        operation_id = "extend_privacy_request"
    )]
    async fn extend(
        &self,
        auth: Auth,
        address: ClientAddress,
        id: Path<Uuid>,
        body: Json<ExtensionRequest>,
    ) -> Result<Json<PrivacyRequestDetail>, ApiError> {
        let who = self.state.authenticate(auth).await?;
        let found = self
            .state
            .services
            .privacy_requests
            .extend(
                &who,
                PrivacyRequestId::from_uuid(id.0),
                body.0.months,
                &body.0.reason,
                &address.origin(),
            )
            .await?;
        Ok(Json(detail(found)))
    }

    /// Move a case to `in_progress`, `completed` or `rejected` (a rejection needs a note).
    #[oai(
        path = "/privacy/requests/:id/status",
        method = "post",
        operation_id = "change_privacy_request_status"
    )]
    async fn change_status(
        &self,
        auth: Auth,
        address: ClientAddress,
        id: Path<Uuid>,
        body: Json<StatusChange>,
    ) -> Result<Json<PrivacyRequestDetail>, ApiError> {
        let who = self.state.authenticate(auth).await?;
        let change = body.0;
        let found = self
            .state
            .services
            .privacy_requests
            .change_status(
                &who,
                PrivacyRequestId::from_uuid(id.0),
                &change.status,
                change.note.as_deref().unwrap_or_default(),
                &address.origin(),
            )
            .await?;
        Ok(Json(detail(found)))
    }

    /// Record how the requester's identity was verified.
    #[oai(
        path = "/privacy/requests/:id/identity",
        method = "post",
        operation_id = "verify_privacy_request_identity"
    )]
    async fn verify_identity(
        &self,
        auth: Auth,
        address: ClientAddress,
        id: Path<Uuid>,
        body: Json<IdentityVerification>,
    ) -> Result<Json<PrivacyRequestDetail>, ApiError> {
        let who = self.state.authenticate(auth).await?;
        let verification = body.0;
        let found = self
            .state
            .services
            .privacy_requests
            .verify_identity(
                &who,
                PrivacyRequestId::from_uuid(id.0),
                &verification.method,
                verification.note.as_deref().unwrap_or_default(),
                &address.origin(),
            )
            .await?;
        Ok(Json(detail(found)))
    }
}
