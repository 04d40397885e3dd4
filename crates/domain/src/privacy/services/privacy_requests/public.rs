//! Privacy requests from people without an account. Submitting stores the
//! request and queues an email with a single-use confirmation link (made
//! when the email is prepared, stored only as a digest); the answer is the
//! same whatever the address, so nobody learns who is a client of whom.
//! Confirming makes the request count: it becomes a case of every
//! organization with a client at that address (received now, identity
//! verified by the link), or, when there is none, a case of the
//! deployment's operator. Unconfirmed submissions expire and are purged.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use super::{PrivacyRequestService, audit_change, due_for, history_entry, type_message};
use crate::access::audit::{Actor, RequestOrigin};
use crate::kernel::email::EmailAddress;
use crate::kernel::errors::{Unexpected, unexpected_from};
use crate::kernel::tokens::SecretToken;
use crate::kernel::validation::{ValidationErrors, optional_text, required_text};
use crate::messaging::outbox::{DEFAULT_MAX_ATTEMPTS, Effect, NewJob};
use crate::privacy::ports::PrivacyUnit;
use crate::privacy::ports::SubmissionConfirmation;
use crate::privacy::requests::{
    EventKind, IdentityMethod, OperatorPrivacyRequest, PrivacyRequest, PrivacySubmission, RequestSource, RequestStatus,
    RequestType, SUBMISSION_LIFETIME, due_on,
};
use crate::{ClientId, PrivacyRequestId, PrivacySubmissionId, TenantId};

/// A request from the public form, unvalidated.
#[derive(Clone, Debug)]
pub struct PublicRequestFields {
    /// One of the request types.
    pub request_type: String,
    /// The requester's address.
    pub email: String,
    /// The organization they mean, if they know.
    pub organization_hint: Option<String>,
    /// A reference such as an invoice number.
    pub client_reference: Option<String>,
    /// What they ask for.
    pub details: String,
}

/// Why a submission was refused.
#[derive(Debug, thiserror::Error)]
pub enum SubmitPrivacyRequestError {
    /// Invalid fields.
    #[error("invalid privacy request: {0}")]
    Invalid(ValidationErrors),
    /// Storage failed.
    #[error(transparent)]
    Unexpected(Unexpected),
}

/// Why a confirmation did not work.
#[derive(Debug, thiserror::Error)]
pub enum ConfirmPrivacyRequestError {
    /// No such link.
    #[error("the confirmation link is not valid")]
    Invalid,
    /// Confirmed before, or expired.
    #[error("the request was already confirmed or the link has expired; submit it again")]
    Gone,
    /// Storage failed.
    #[error(transparent)]
    Unexpected(Unexpected),
}

unexpected_from!(SubmitPrivacyRequestError, ConfirmPrivacyRequestError);

/// A confirmed request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ConfirmedRequest {
    /// When it was received (confirmed).
    pub received_at: DateTime<Utc>,
    /// How many organizations got a case.
    pub routed_to_tenants: usize,
    /// Whether it became the operator's case.
    pub operator_case: bool,
}

const HINT_MAX: usize = 200;

impl PrivacyRequestService {
    /// Stores a request from the public form and queues its confirmation email.
    ///
    /// # Errors
    /// [`SubmitPrivacyRequestError::Invalid`] for invalid fields only: the
    /// answer never depends on whose address it is.
    pub async fn submit_public(&self, fields: PublicRequestFields) -> Result<(), SubmitPrivacyRequestError> {
        let mut errors = ValidationErrors::new();
        let request_type = RequestType::parse(&fields.request_type);
        if request_type.is_none() {
            errors.add("type", "invalid_request_type", type_message());
        }
        let email = errors.check("email", EmailAddress::parse(&fields.email));
        let hint = errors
            .check(
                "organization_hint",
                optional_text(fields.organization_hint.as_deref().unwrap_or_default(), HINT_MAX),
            )
            .flatten();
        let reference = errors
            .check(
                "client_reference",
                optional_text(fields.client_reference.as_deref().unwrap_or_default(), HINT_MAX),
            )
            .flatten();
        let details = errors.check("details", required_text(&fields.details, 10_000));
        let (Some(request_type), Some(email), Some(details), true) = (request_type, email, details, errors.is_empty())
        else {
            return Err(SubmitPrivacyRequestError::Invalid(errors));
        };
        let now = self.clock.now();
        let submission = PrivacySubmission {
            id: PrivacySubmissionId::from_uuid(self.ids.new_uuid()),
            request_type,
            email,
            organization_hint: hint,
            client_reference: reference,
            details,
            token_digest: None,
            submitted_at: now,
            expires_at: now + SUBMISSION_LIFETIME,
            confirmed_at: None,
        };
        let uow = self.store.begin().await?;
        uow.privacy_submissions().insert(&submission).await?;
        let job = NewJob {
            id: self.ids.new_uuid(),
            tenant_id: None,
            effect: Effect::SendPrivacyRequestConfirmation {
                submission_id: submission.id,
            },
            idempotency_key: format!("privacy-submission:{}", submission.id),
            run_at: now,
            max_attempts: DEFAULT_MAX_ATTEMPTS,
        };
        uow.enqueue(&job).await?;
        uow.commit().await?;
        Ok(())
    }

    /// Confirms a submission with its link's token and routes it.
    ///
    /// # Errors
    /// See [`ConfirmPrivacyRequestError`].
    pub async fn confirm_public(
        &self,
        token: &str,
        origin: &RequestOrigin,
    ) -> Result<ConfirmedRequest, ConfirmPrivacyRequestError> {
        let now = self.clock.now();
        let uow = self.store.begin().await?;
        let digest = SecretToken::new(token.to_owned()).digest();
        let submission = match uow.privacy_submissions().confirm(&digest, now).await? {
            SubmissionConfirmation::Confirmed(submission) => submission,
            SubmissionConfirmation::AlreadyConfirmed | SubmissionConfirmation::Expired => {
                return Err(ConfirmPrivacyRequestError::Gone);
            }
            SubmissionConfirmation::Unknown => return Err(ConfirmPrivacyRequestError::Invalid),
        };
        // One case per organization, about its first client at this address.
        let mut tenants: BTreeMap<TenantId, ClientId> = BTreeMap::new();
        for (tenant, client) in uow.privacy_submissions().clients_with_email(&submission.email).await? {
            tenants.entry(tenant).or_insert(client);
        }
        for (tenant, client) in &tenants {
            self.open_routed_case(uow.as_ref(), &submission, *tenant, *client, now, origin)
                .await?;
        }
        let operator_case = tenants.is_empty();
        if operator_case {
            let case = OperatorPrivacyRequest {
                id: PrivacyRequestId::from_uuid(self.ids.new_uuid()),
                request_type: submission.request_type,
                subject_email: submission.email.clone(),
                organization_hint: submission.organization_hint.clone(),
                client_reference: submission.client_reference.clone(),
                details: submission.details.clone(),
                status: RequestStatus::Received,
                received_at: now,
                due_on: due_on(now.date_naive(), 0, self.deadline),
                identity_verified_at: Some(now),
                identity_method: Some(IdentityMethod::EmailLink),
            };
            uow.privacy_submissions().insert_operator_case(&case).await?;
        }
        uow.commit().await?;
        Ok(ConfirmedRequest {
            received_at: now,
            routed_to_tenants: tenants.len(),
            operator_case,
        })
    }

    async fn open_routed_case(
        &self,
        uow: &dyn PrivacyUnit,
        submission: &PrivacySubmission,
        tenant: TenantId,
        client: ClientId,
        now: DateTime<Utc>,
        origin: &RequestOrigin,
    ) -> Result<(), ConfirmPrivacyRequestError> {
        let due = due_for(uow, self.clock.as_ref(), tenant, self.deadline).await?;
        let request = PrivacyRequest {
            id: PrivacyRequestId::from_uuid(self.ids.new_uuid()),
            tenant_id: tenant,
            request_type: submission.request_type,
            subject_email: submission.email.clone(),
            details: submission.details.clone(),
            client_id: Some(client),
            organization_hint: submission.organization_hint.clone(),
            client_reference: submission.client_reference.clone(),
            source: RequestSource::PublicForm,
            status: RequestStatus::Received,
            received_at: now,
            due_on: due,
            extension_months: 0,
            identity_verified_at: Some(now),
            identity_method: Some(IdentityMethod::EmailLink),
            created_by: None,
            updated_at: now,
        };
        uow.privacy_requests().insert(&request).await?;
        let received = history_entry(
            self.ids.as_ref(),
            &request,
            EventKind::Received,
            None,
            None,
            Some("submitted through the public form".into()),
        );
        uow.privacy_requests().append_event(&received).await?;
        let verified = history_entry(
            self.ids.as_ref(),
            &request,
            EventKind::IdentityVerified,
            Some(RequestStatus::Received),
            None,
            Some("email_link: confirmed from a link sent to the address".into()),
        );
        uow.privacy_requests().append_event(&verified).await?;
        audit_change(
            uow,
            self.clock.as_ref(),
            self.ids.as_ref(),
            &request,
            Actor::anonymous(),
            EventKind::Received,
            origin,
        )
        .await?;
        Ok(())
    }

    /// The deployment operator's cases (an operator task), newest first.
    ///
    /// # Errors
    /// [`Unexpected`] when storage fails.
    pub async fn operator_cases(&self, limit: u32) -> Result<Vec<OperatorPrivacyRequest>, Unexpected> {
        let uow = self.store.begin().await?;
        Ok(uow.privacy_submissions().operator_cases(limit).await?)
    }
}
