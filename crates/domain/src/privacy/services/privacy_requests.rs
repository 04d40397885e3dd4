//! Privacy requests as tracked cases of a tenant. Owners and admins record
//! a request a person made to the organization, list the cases with their
//! deadlines, extend a deadline with a reason, verify the requester's
//! identity and move a case to `in_progress`, `completed` or `rejected`.
//! Every change is a history entry and an audit event
//! (`privacy.request_updated`), both in the unit of work of the change.
//!
//! Changes to a case (`changes.rs`), requests without an account
//! (`public.rs`) and the scheduler's notice of overdue cases (`overdue.rs`)
//! live beside this file.

mod changes;
mod overdue;
mod public;

use std::sync::Arc;

use crate::kernel::clock::Clock;
use crate::kernel::ids::IdGenerator;
use crate::privacy::ports::PrivacyStore;
use chrono::NaiveDate;

pub use overdue::OverdueReport;
pub use public::{ConfirmPrivacyRequestError, ConfirmedRequest, PublicRequestFields, SubmitPrivacyRequestError};

use super::record;
use super::{organization, today};
use crate::access::Authenticated;
use crate::access::audit::{Actor, AuditAction, RequestOrigin};
use crate::access::user::{Forbidden, Principal};
use crate::kernel::email::EmailAddress;
use crate::kernel::errors::{Unexpected, unexpected_from};
use crate::kernel::pagination::{Page, PageRequest};
use crate::kernel::repository::RepositoryError;
use crate::kernel::validation::{ValidationErrors, required_text};
use crate::privacy::ports::PrivacyRequestFilter;
use crate::privacy::ports::PrivacyUnit;
use crate::privacy::requests::{
    CaseRuleError, DeadlineRule, EventKind, PrivacyRequest, PrivacyRequestEvent, RequestSource, RequestStatus,
    RequestType, due_on,
};
use crate::{ClientId, PrivacyRequestEventId, PrivacyRequestId, TenantId, UserId};

/// Why a case could not be recorded.
#[derive(Debug, thiserror::Error)]
pub enum CreatePrivacyRequestError {
    /// Only owners and admins manage privacy requests.
    #[error(transparent)]
    Forbidden(#[from] Forbidden),
    /// Invalid fields.
    #[error("invalid privacy request: {0}")]
    Invalid(ValidationErrors),
    /// The named client does not exist in the organization.
    #[error("no such client")]
    ClientNotFound,
    /// Storage failed.
    #[error(transparent)]
    Unexpected(Unexpected),
}

/// Why cases could not be read or changed.
#[derive(Debug, thiserror::Error)]
pub enum PrivacyRequestError {
    /// Only owners and admins manage privacy requests.
    #[error(transparent)]
    Forbidden(#[from] Forbidden),
    /// No such case in the organization.
    #[error("no such privacy request")]
    NotFound,
    /// The case's rules refuse the change.
    #[error(transparent)]
    Rule(#[from] CaseRuleError),
    /// An unknown status, method or filter.
    #[error("invalid request: {0}")]
    Invalid(ValidationErrors),
    /// Storage failed.
    #[error(transparent)]
    Unexpected(Unexpected),
}

unexpected_from!(CreatePrivacyRequestError, PrivacyRequestError);

/// A request as recorded by the organization, unvalidated.
#[derive(Clone, Debug)]
pub struct PrivacyRequestFields {
    /// One of the request types.
    pub request_type: String,
    /// The requester's address.
    pub subject_email: String,
    /// What they asked for.
    pub details: String,
    /// The client it is about, if known.
    pub client_id: Option<ClientId>,
}

/// A case as listed: the case and whether it is overdue today.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrivacyCase {
    /// The case.
    pub request: PrivacyRequest,
    /// Open past its due date, in the organization's today.
    pub overdue: bool,
}

/// A case with its history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrivacyCaseDetail {
    /// The case and its overdue flag.
    pub case: PrivacyCase,
    /// Its history, oldest first.
    pub history: Vec<PrivacyRequestEvent>,
}

/// Filters of the case list.
#[derive(Clone, Copy, Debug, Default)]
pub struct PrivacyRequestQuery {
    /// Only this status.
    pub status: Option<RequestStatus>,
    /// `true`: only overdue cases; `false`: only those not overdue.
    pub overdue: Option<bool>,
}

/// Privacy request use cases.
#[derive(Clone)]
pub struct PrivacyRequestService {
    store: Arc<dyn PrivacyStore>,
    clock: Arc<dyn Clock>,
    ids: Arc<dyn IdGenerator>,
    deadline: DeadlineRule,
}

/// Builds a history entry.
pub(crate) fn history_entry(
    ids: &dyn IdGenerator,
    request: &PrivacyRequest,
    kind: EventKind,
    from_status: Option<RequestStatus>,
    by: Option<UserId>,
    note: Option<String>,
) -> PrivacyRequestEvent {
    PrivacyRequestEvent {
        id: PrivacyRequestEventId::from_uuid(ids.new_uuid()),
        tenant_id: request.tenant_id,
        request_id: request.id,
        kind,
        at: request.updated_at,
        from_status,
        to_status: request.status,
        by,
        note,
        due_on: request.due_on,
    }
}

/// Records the audit event of a change to a case.
pub(crate) async fn audit_change(
    uow: &dyn PrivacyUnit,
    clock: &dyn Clock,
    ids: &dyn IdGenerator,
    request: &PrivacyRequest,
    actor: Actor,
    change: EventKind,
    origin: &RequestOrigin,
) -> Result<(), RepositoryError> {
    record(
        uow,
        clock,
        ids,
        request.tenant_id,
        actor,
        AuditAction::PrivacyRequestUpdated,
        origin,
        |e| {
            e.about("privacy_request", request.id.as_uuid())
                .with("change", change.as_str())
                .with("type", request.request_type.as_str())
                .with("status", request.status.as_str())
        },
    )
    .await
}

impl PrivacyRequestService {
    /// The service on the privacy store.
    #[must_use]
    pub fn new(
        store: Arc<dyn PrivacyStore>,
        clock: Arc<dyn Clock>,
        ids: Arc<dyn IdGenerator>,
        deadline: DeadlineRule,
    ) -> Self {
        Self {
            store,
            clock,
            ids,
            deadline,
        }
    }

    /// Records a request a person made to the organization; it is due by
    /// the deployment's [`DeadlineRule`] from today (the organization's date).
    ///
    /// # Errors
    /// See [`CreatePrivacyRequestError`].
    pub async fn create(
        &self,
        who: &Authenticated,
        fields: PrivacyRequestFields,
        origin: &RequestOrigin,
    ) -> Result<PrivacyCaseDetail, CreatePrivacyRequestError> {
        let manager = who.principal.manager("record privacy requests")?;
        let mut errors = ValidationErrors::new();
        let request_type = RequestType::parse(&fields.request_type);
        if request_type.is_none() {
            errors.add("type", "invalid_request_type", type_message());
        }
        let email = errors.check("subject_email", EmailAddress::parse(&fields.subject_email));
        let details = errors.check("details", required_text(&fields.details, 10_000));
        let (Some(request_type), Some(subject_email), Some(details)) = (request_type, email, details) else {
            return Err(CreatePrivacyRequestError::Invalid(errors));
        };
        let tenant = manager.tenant();
        let now = self.clock.now();
        let uow = self.store.begin().await?;
        if let Some(client) = fields.client_id
            && uow.client(tenant, client).await?.is_none()
        {
            return Err(CreatePrivacyRequestError::ClientNotFound);
        }
        let org = organization(uow.as_ref(), tenant).await?;
        let request = PrivacyRequest {
            id: PrivacyRequestId::from_uuid(self.ids.new_uuid()),
            tenant_id: tenant,
            request_type,
            subject_email,
            details,
            client_id: fields.client_id,
            organization_hint: None,
            client_reference: None,
            source: RequestSource::Recorded,
            status: RequestStatus::Received,
            received_at: now,
            due_on: due_on(today(self.clock.as_ref(), &org), 0, self.deadline),
            extension_months: 0,
            identity_verified_at: None,
            identity_method: None,
            created_by: Some(manager.user()),
            updated_at: now,
        };
        uow.privacy_requests().insert(&request).await?;
        let entry = history_entry(
            self.ids.as_ref(),
            &request,
            EventKind::Received,
            None,
            Some(manager.user()),
            None,
        );
        uow.privacy_requests().append_event(&entry).await?;
        audit_change(
            uow.as_ref(),
            self.clock.as_ref(),
            self.ids.as_ref(),
            &request,
            who.actor(),
            EventKind::Received,
            origin,
        )
        .await?;
        uow.commit().await?;
        let overdue = request.is_overdue(today(self.clock.as_ref(), &org));
        Ok(PrivacyCaseDetail {
            case: PrivacyCase { request, overdue },
            history: vec![entry],
        })
    }

    /// A page of the organization's cases, newest first.
    ///
    /// # Errors
    /// See [`PrivacyRequestError`].
    pub async fn list(
        &self,
        who: &Principal,
        query: PrivacyRequestQuery,
        page: PageRequest,
    ) -> Result<Page<PrivacyCase>, PrivacyRequestError> {
        let tenant = who.manager("read privacy requests")?.tenant();
        let uow = self.store.begin().await?;
        let today = today(self.clock.as_ref(), &organization(uow.as_ref(), tenant).await?);
        let filter = PrivacyRequestFilter {
            status: query.status,
            overdue: query.overdue.map(|overdue| (overdue, today)),
        };
        let found = uow.privacy_requests().list(tenant, filter, page).await?;
        Ok(found.map(|request| PrivacyCase {
            overdue: request.is_overdue(today),
            request,
        }))
    }

    /// One case with its history.
    ///
    /// # Errors
    /// See [`PrivacyRequestError`].
    pub async fn get(&self, who: &Principal, id: PrivacyRequestId) -> Result<PrivacyCaseDetail, PrivacyRequestError> {
        let tenant = who.manager("read privacy requests")?.tenant();
        let uow = self.store.begin().await?;
        let request = uow
            .privacy_requests()
            .get(tenant, id)
            .await?
            .ok_or(PrivacyRequestError::NotFound)?;
        self.detail(uow.as_ref(), request).await
    }

    async fn detail(
        &self,
        uow: &dyn PrivacyUnit,
        request: PrivacyRequest,
    ) -> Result<PrivacyCaseDetail, PrivacyRequestError> {
        let today = today(self.clock.as_ref(), &organization(uow, request.tenant_id).await?);
        let history = uow.privacy_requests().events(request.tenant_id, request.id).await?;
        Ok(PrivacyCaseDetail {
            case: PrivacyCase {
                overdue: request.is_overdue(today),
                request,
            },
            history,
        })
    }
}

/// The message for an unknown request type.
pub(crate) fn type_message() -> &'static str {
    "must be access, rectification, erasure, restriction, objection, portability or consent_withdrawal"
}

/// The due date of a case the organization `tenant` receives now.
pub(crate) async fn due_for(
    uow: &dyn PrivacyUnit,
    clock: &dyn Clock,
    tenant: TenantId,
    rule: DeadlineRule,
) -> Result<NaiveDate, RepositoryError> {
    Ok(due_on(today(clock, &organization(uow, tenant).await?), 0, rule))
}
