//! Changes to a tenant's case: extending its deadline, moving its status,
//! recording how the requester's identity was verified. Each loads the
//! case, applies the domain rule, and saves the case, a history entry and
//! an audit event in one unit of work.

use chrono::{DateTime, Utc};

use super::{PrivacyCaseDetail, PrivacyRequestError, PrivacyRequestService, audit_change, history_entry};
use crate::PrivacyRequestId;
use crate::access::Authenticated;
use crate::access::audit::RequestOrigin;
use crate::kernel::validation::{ValidationErrors, optional_text};
use crate::messaging::outbox::Effect;
use crate::privacy::requests::{CaseRuleError, EventKind, IdentityMethod, PrivacyRequest, RequestStatus};
use crate::privacy::services::{enqueue, organization};

impl PrivacyRequestService {
    /// Extends a case's deadline by `months` (1 or 2, at most 2 in all) for `reason`.
    ///
    /// # Errors
    /// See [`PrivacyRequestError`].
    pub async fn extend(
        &self,
        who: &Authenticated,
        id: PrivacyRequestId,
        months: u32,
        reason: &str,
        origin: &RequestOrigin,
    ) -> Result<PrivacyCaseDetail, PrivacyRequestError> {
        let rule = self.deadline;
        self.change(who, id, origin, |request, zone, now| {
            let note = request.extend(months, reason, zone, rule, now)?;
            Ok((EventKind::Extended, request.status, Some(note)))
        })
        .await
    }

    /// Moves a case to `in_progress`, `completed` or `rejected` (with a note).
    ///
    /// # Errors
    /// See [`PrivacyRequestError`].
    pub async fn change_status(
        &self,
        who: &Authenticated,
        id: PrivacyRequestId,
        status: &str,
        note: &str,
        origin: &RequestOrigin,
    ) -> Result<PrivacyCaseDetail, PrivacyRequestError> {
        let to = RequestStatus::parse(status).ok_or_else(|| {
            PrivacyRequestError::Invalid(ValidationErrors::single(
                "status",
                "invalid_status",
                "must be in_progress, completed or rejected",
            ))
        })?;
        self.change(who, id, origin, |request, _, now| {
            let (from, note) = request.change_status(to, note, now)?;
            Ok((EventKind::StatusChanged, from, note))
        })
        .await
    }

    /// Records how the requester's identity was verified.
    ///
    /// # Errors
    /// See [`PrivacyRequestError`].
    pub async fn verify_identity(
        &self,
        who: &Authenticated,
        id: PrivacyRequestId,
        method: &str,
        note: &str,
        origin: &RequestOrigin,
    ) -> Result<PrivacyCaseDetail, PrivacyRequestError> {
        let mut errors = ValidationErrors::new();
        let method = IdentityMethod::parse(method);
        if method.is_none() {
            errors.add(
                "method",
                "invalid_identity_method",
                "must be email_link, known_contact, document or other",
            );
        }
        let note = errors.check("note", optional_text(note, 2000)).flatten();
        let Some(method) = method.filter(|_| errors.is_empty()) else {
            return Err(PrivacyRequestError::Invalid(errors));
        };
        self.change(who, id, origin, |request, _, now| {
            request.verify_identity(method, now)?;
            let how = match note {
                Some(note) => format!("{}: {note}", method.as_str()),
                None => method.as_str().to_owned(),
            };
            Ok((EventKind::IdentityVerified, request.status, Some(how)))
        })
        .await
    }

    /// Loads a case, applies `apply` (which returns the history entry's kind,
    /// the previous status and the note), and saves the case, its history
    /// entry and the audit event in one unit of work.
    async fn change(
        &self,
        who: &Authenticated,
        id: PrivacyRequestId,
        origin: &RequestOrigin,
        apply: impl FnOnce(
            &mut PrivacyRequest,
            crate::tenancy::TimeZone,
            DateTime<Utc>,
        ) -> Result<(EventKind, RequestStatus, Option<String>), CaseRuleError>,
    ) -> Result<PrivacyCaseDetail, PrivacyRequestError> {
        let manager = who.principal.manager("manage privacy requests")?;
        let tenant = manager.tenant();
        let now = self.clock.now();
        let uow = self.store.begin().await?;
        let mut request = uow
            .privacy_requests()
            .get(tenant, id)
            .await?
            .ok_or(PrivacyRequestError::NotFound)?;
        let zone = organization(uow.as_ref(), tenant).await?.time_zone;
        let (kind, from, note) = apply(&mut request, zone, now)?;
        if !uow.privacy_requests().update(&request).await? {
            return Err(PrivacyRequestError::NotFound);
        }
        let entry = history_entry(
            self.ids.as_ref(),
            &request,
            kind,
            Some(from),
            Some(manager.user()),
            note,
        );
        uow.privacy_requests().append_event(&entry).await?;
        if kind == EventKind::Extended {
            // The requester is told the new date and why (Art. 12(3)).
            let effect = Effect::SendPrivacyRequestExtended {
                request_id: request.id,
                event_id: entry.id,
            };
            let key = format!("privacy-request-extended:{}", entry.id);
            enqueue(
                uow.as_ref(),
                self.clock.as_ref(),
                self.ids.as_ref(),
                tenant,
                effect,
                key,
            )
            .await?;
        }
        audit_change(
            uow.as_ref(),
            self.clock.as_ref(),
            self.ids.as_ref(),
            &request,
            who.actor(),
            kind,
            origin,
        )
        .await?;
        let detail = self.detail(uow.as_ref(), request).await?;
        uow.commit().await?;
        Ok(detail)
    }
}
