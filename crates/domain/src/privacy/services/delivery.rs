//! Emails of the privacy promises: the operator's product updates (sent
//! only if [`may_process`] allows marketing email on the user's consent
//! ledger *now*, when the job runs), notices of new policy versions,
//! confirmation links of public privacy requests (a fresh single-use token
//! made now, stored only as a digest), owners' lists of overdue cases, and
//! notices of personal data breaches (service notices: never consent-gated).

use std::sync::Arc;

use chrono::NaiveDate;

use super::consent::subject_state_of;
use crate::access::user::Role;
use crate::kernel::clock::Clock;
use crate::kernel::errors::Unexpected;
use crate::kernel::pagination::PageRequest;
use crate::kernel::tokens::TokenGenerator;
use crate::messaging::delivery::{IncidentLetter, Notice, Outgoing, OverdueCase, Prepared};
use crate::messaging::outbox::Job;
use crate::privacy::policies::PolicyKind;
use crate::privacy::ports::PrivacyRequestFilter;
use crate::privacy::ports::PrivacyStore;
use crate::privacy::requests::SUBMISSION_LIFETIME;
use crate::privacy::{ConsentPurpose, Processing, may_process};
use crate::{PrivacyRequestEventId, PrivacyRequestId, PrivacySubmissionId, TenantId, UserId};

/// The sender's display name of emails from the deployment itself.
const PRODUCT_NAME: &str = "Fakturo";

/// Most cases one overdue notice lists.
const OVERDUE_LIST_LIMIT: u32 = 100;

/// Prepares the privacy emails the workers send.
#[derive(Clone)]
pub struct PrivacyDelivery {
    store: Arc<dyn PrivacyStore>,
    clock: Arc<dyn Clock>,
    tokens: Arc<dyn TokenGenerator>,
}

impl std::fmt::Debug for PrivacyDelivery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PrivacyDelivery")
    }
}

impl PrivacyDelivery {
    /// The preparation on the privacy store.
    #[must_use]
    pub fn new(store: Arc<dyn PrivacyStore>, clock: Arc<dyn Clock>, tokens: Arc<dyn TokenGenerator>) -> Self {
        Self { store, clock, tokens }
    }

    /// What a product update job sends now: nothing unless the user's consent
    /// ledger allows marketing email at this moment.
    ///
    /// # Errors
    /// [`Unexpected`] when storage fails (the job is retried).
    pub async fn prepare_product_update(
        &self,
        job: &Job,
        tenant: TenantId,
        user_id: UserId,
        subject: &str,
        body: &str,
    ) -> Result<Prepared, Unexpected> {
        let uow = self.store.begin().await?;
        let Some(user) = uow.user(tenant, user_id).await? else {
            return Ok(Prepared::Skip("the user no longer exists"));
        };
        let state = subject_state_of(uow.as_ref(), tenant, user_id).await?;
        if may_process(Processing::Consented(ConsentPurpose::MarketingEmail), &state).is_err() {
            return Ok(Prepared::Skip("the user does not consent to marketing email"));
        }
        Ok(Prepared::Send(Outgoing {
            to: user.email,
            to_name: user.name,
            from_name: PRODUCT_NAME.to_owned(),
            reply_to: None,
            message_key: job.idempotency_key.clone(),
            notice: Notice::ProductUpdate {
                subject: subject.to_owned(),
                body: body.to_owned(),
            },
        }))
    }

    /// What a policy notice job sends now: the notice of the new version.
    ///
    /// # Errors
    /// [`Unexpected`] when storage fails (the job is retried).
    pub async fn prepare_policy_notice(
        &self,
        job: &Job,
        tenant: TenantId,
        user_id: UserId,
        kind: PolicyKind,
        version: &str,
    ) -> Result<Prepared, Unexpected> {
        let uow = self.store.begin().await?;
        let Some(user) = uow.user(tenant, user_id).await? else {
            return Ok(Prepared::Skip("the user no longer exists"));
        };
        let Some(published) = uow.policies().get(kind, version).await? else {
            return Ok(Prepared::Skip("the policy version is not published"));
        };
        Ok(Prepared::Send(Outgoing {
            to: user.email,
            to_name: user.name,
            from_name: PRODUCT_NAME.to_owned(),
            reply_to: None,
            message_key: job.idempotency_key.clone(),
            notice: Notice::PolicyChanged {
                kind,
                version: published.version,
                effective_at: published.effective_at,
                material: published.material,
                summary: published.summary,
            },
        }))
    }

    /// What a public privacy request confirmation sends now: a fresh
    /// single-use link, stored only as a digest.
    ///
    /// # Errors
    /// [`Unexpected`] when storage fails (the job is retried).
    pub async fn prepare_privacy_confirmation(
        &self,
        job: &Job,
        id: PrivacySubmissionId,
    ) -> Result<Prepared, Unexpected> {
        let now = self.clock.now();
        let uow = self.store.begin().await?;
        let Some(submission) = uow.privacy_submissions().get(id).await? else {
            return Ok(Prepared::Skip("the submission no longer exists"));
        };
        if submission.confirmed_at.is_some() || submission.expires_at <= now {
            return Ok(Prepared::Skip("the submission was confirmed or expired"));
        }
        let token = self.tokens.link_token();
        uow.privacy_submissions().set_token(id, &token.digest()).await?;
        uow.commit().await?;
        Ok(Prepared::Send(Outgoing {
            to: submission.email,
            to_name: String::new(),
            from_name: PRODUCT_NAME.to_owned(),
            reply_to: None,
            message_key: job.idempotency_key.clone(),
            notice: Notice::PrivacyRequestConfirmation {
                request_type: submission.request_type,
                token: token.expose().to_owned(),
                valid_hours: (submission.expires_at - now)
                    .num_hours()
                    .clamp(1, SUBMISSION_LIFETIME.num_hours()),
            },
        }))
    }

    /// What an owner's overdue notice sends now: the list of overdue cases,
    /// or nothing when none is overdue any more.
    ///
    /// # Errors
    /// [`Unexpected`] when storage fails (the job is retried).
    pub async fn prepare_overdue_privacy_requests(
        &self,
        job: &Job,
        tenant: TenantId,
        owner_id: UserId,
        on: NaiveDate,
    ) -> Result<Prepared, Unexpected> {
        let uow = self.store.begin().await?;
        let Some(owner) = uow.user(tenant, owner_id).await? else {
            return Ok(Prepared::Skip("the owner no longer exists"));
        };
        if owner.role != Role::Owner {
            return Ok(Prepared::Skip("the user is no longer an owner"));
        }
        let Some(organization) = uow.organization(tenant).await? else {
            return Ok(Prepared::Skip("the organization no longer exists"));
        };
        let filter = PrivacyRequestFilter {
            status: None,
            overdue: Some((true, on)),
        };
        let page = PageRequest {
            limit: OVERDUE_LIST_LIMIT,
            after: None,
        };
        let mut cases: Vec<OverdueCase> = uow
            .privacy_requests()
            .list(tenant, filter, page)
            .await?
            .items
            .into_iter()
            .map(|request| OverdueCase {
                id: request.id,
                request_type: request.request_type,
                received_on: organization.time_zone.date_at(request.received_at),
                due_on: request.due_on,
            })
            .collect();
        if cases.is_empty() {
            return Ok(Prepared::Skip("no privacy request is overdue any more"));
        }
        cases.sort_by_key(|case| (case.due_on, case.id));
        Ok(Prepared::Send(Outgoing {
            to: owner.email,
            to_name: owner.name,
            from_name: PRODUCT_NAME.to_owned(),
            reply_to: None,
            message_key: job.idempotency_key.clone(),
            notice: Notice::OverduePrivacyRequests {
                organization_name: organization.name,
                on,
                cases,
            },
        }))
    }

    /// Tells the requester of a case that its deadline was extended: the
    /// new date and the reason, as the history entry recorded them. A
    /// service notice: no consent gates it.
    ///
    /// # Errors
    /// [`Unexpected`] when storage fails (the job is retried).
    pub async fn prepare_extension_notice(
        &self,
        job: &Job,
        tenant: TenantId,
        request_id: PrivacyRequestId,
        event_id: PrivacyRequestEventId,
    ) -> Result<Prepared, Unexpected> {
        let uow = self.store.begin().await?;
        let Some(request) = uow.privacy_requests().get(tenant, request_id).await? else {
            return Ok(Prepared::Skip("the case no longer exists"));
        };
        let events = uow.privacy_requests().events(tenant, request_id).await?;
        let Some(extension) = events.into_iter().find(|event| event.id == event_id) else {
            return Ok(Prepared::Skip("the extension is no longer recorded"));
        };
        let Some(organization) = uow.organization(tenant).await? else {
            return Ok(Prepared::Skip("the organization no longer exists"));
        };
        Ok(Prepared::Send(Outgoing {
            to: request.subject_email.clone(),
            to_name: String::new(),
            from_name: organization.name.clone(),
            reply_to: organization
                .profile
                .email
                .as_deref()
                .and_then(|address| crate::kernel::email::EmailAddress::parse(address).ok()),
            message_key: job.idempotency_key.clone(),
            notice: Notice::PrivacyRequestExtended {
                organization_name: organization.name.clone(),
                request_type: request.request_type,
                received_on: organization.time_zone.date_at(request.received_at),
                due_on: extension.due_on,
                reason: extension.note.unwrap_or_default(),
            },
        }))
    }

    /// What an incident notice job sends now: the breach as the register
    /// describes it at this moment. A service notice: no consent gates it,
    /// and a withdrawn marketing consent does not stop it.
    ///
    /// # Errors
    /// [`Unexpected`] when storage fails (the job is retried).
    pub async fn prepare_incident_notice(
        &self,
        job: &Job,
        tenant: TenantId,
        incident_id: crate::IncidentId,
        user_id: UserId,
    ) -> Result<Prepared, Unexpected> {
        let uow = self.store.begin().await?;
        let Some(user) = uow.user(tenant, user_id).await? else {
            return Ok(Prepared::Skip("the user no longer exists"));
        };
        let Some(incident) = uow.incidents().get_for_tenant(tenant, incident_id).await? else {
            return Ok(Prepared::Skip("the incident no longer affects the organization"));
        };
        let Some(organization) = uow.organization(tenant).await? else {
            return Ok(Prepared::Skip("the organization no longer exists"));
        };
        Ok(Prepared::Send(Outgoing {
            to: user.email,
            to_name: user.name,
            from_name: PRODUCT_NAME.to_owned(),
            reply_to: None,
            message_key: job.idempotency_key.clone(),
            notice: Notice::Incident(Box::new(IncidentLetter {
                reference: incident.id,
                organization_name: organization.name,
                as_owner: user.role == Role::Owner,
                discovered_at: incident.discovered_at,
                nature: incident.facts.nature,
                categories: incident.facts.categories,
                consequences: incident.facts.consequences,
                measures: incident.facts.measures,
            })),
        }))
    }
}
