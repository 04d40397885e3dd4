//! The consent ledger's use cases: a signed-in user reads, grants and
//! withdraws their own consent (any role: consent is about oneself, not
//! the organization's data, so an accountant may withdraw too), and reads
//! the history. Every event carries the privacy policy version in force.
//!
//! Optional processing of a user's data decides through
//! [`crate::privacy::may_process`] on the [`SubjectState`] built from their
//! ledger: here for analytics events, in delivery
//! for marketing email.

use std::sync::Arc;

use super::policies::in_force;
use crate::access::Authenticated;
use crate::access::user::Principal;
use crate::kernel::clock::Clock;
use crate::kernel::errors::{Unexpected, unexpected_from};
use crate::kernel::ids::IdGenerator;
use crate::kernel::pagination::{Page, PageRequest};
use crate::kernel::repository::RepositoryError;
use crate::kernel::validation::ValidationErrors;
use crate::privacy::consent::{
    AnalyticsEvent, ConsentChannel, ConsentEvent, ConsentState, EventName, current_states, subject_state,
};
use crate::privacy::policies::{PolicyDefaults, PolicyKind};
use crate::privacy::ports::PrivacyStore;
use crate::privacy::ports::PrivacyUnit;
use crate::privacy::{ConsentPurpose, Processing, Refusal, SubjectState, may_process};
use crate::{ConsentEventId, TenantId, UserId};

/// What the ledger says about a user, read inside `uow`.
pub(crate) async fn subject_state_of(
    uow: &dyn PrivacyUnit,
    tenant: TenantId,
    user: UserId,
) -> Result<SubjectState, RepositoryError> {
    Ok(subject_state(&uow.consents().latest(tenant, user).await?))
}

/// Why a grant or withdrawal could not be recorded.
#[derive(Debug, thiserror::Error)]
pub enum RecordConsentError {
    /// Unknown purpose or channel.
    #[error("invalid consent: {0}")]
    Invalid(ValidationErrors),
    /// Storage failed.
    #[error(transparent)]
    Unexpected(Unexpected),
}

/// Why the consents could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadConsentError {
    /// Storage failed.
    #[error(transparent)]
    Unexpected(Unexpected),
}

/// Why an analytics event could not be handled.
#[derive(Debug, thiserror::Error)]
pub enum RecordAnalyticsError {
    /// An invalid event name.
    #[error("invalid analytics event: {0}")]
    Invalid(ValidationErrors),
    /// Storage failed.
    #[error(transparent)]
    Unexpected(Unexpected),
}

unexpected_from!(RecordConsentError, ReadConsentError, RecordAnalyticsError);

/// A grant or withdrawal, unvalidated.
#[derive(Clone, Debug)]
pub struct ConsentFields {
    /// `analytics`, `marketing_email` or `ai_processing`.
    pub purpose: String,
    /// Grant (`true`) or withdraw (`false`).
    pub granted: bool,
    /// Where it comes from; `api` when absent.
    pub channel: Option<String>,
}

/// Consent use cases.
#[derive(Clone)]
pub struct ConsentService {
    store: Arc<dyn PrivacyStore>,
    clock: Arc<dyn Clock>,
    ids: Arc<dyn IdGenerator>,
    defaults: PolicyDefaults,
}

impl ConsentService {
    /// The service on the privacy store; events record the policy version in force
    /// (published, else from `defaults`).
    #[must_use]
    pub fn new(
        store: Arc<dyn PrivacyStore>,
        clock: Arc<dyn Clock>,
        ids: Arc<dyn IdGenerator>,
        defaults: PolicyDefaults,
    ) -> Self {
        Self {
            store,
            clock,
            ids,
            defaults,
        }
    }

    /// The caller's current consent per purpose.
    ///
    /// # Errors
    /// See [`ReadConsentError`].
    pub async fn current(&self, who: &Principal) -> Result<Vec<ConsentState>, ReadConsentError> {
        let uow = self.store.begin().await?;
        let latest = uow.consents().latest(who.reader().tenant(), who.user_id).await?;
        Ok(current_states(&latest))
    }

    /// A page of the caller's grants and withdrawals, newest first.
    ///
    /// # Errors
    /// See [`ReadConsentError`].
    pub async fn history(&self, who: &Principal, page: PageRequest) -> Result<Page<ConsentEvent>, ReadConsentError> {
        let uow = self.store.begin().await?;
        Ok(uow.consents().history(who.reader().tenant(), who.user_id, page).await?)
    }

    /// Records a grant or withdrawal by the caller for themselves.
    ///
    /// # Errors
    /// See [`RecordConsentError`].
    pub async fn record(&self, who: &Authenticated, fields: ConsentFields) -> Result<ConsentEvent, RecordConsentError> {
        let mut errors = ValidationErrors::new();
        let purpose = ConsentPurpose::parse(&fields.purpose);
        if purpose.is_none() {
            errors.add(
                "purpose",
                "invalid_purpose",
                "must be analytics, marketing_email or ai_processing",
            );
        }
        let channel = match fields.channel.as_deref() {
            None => Some(ConsentChannel::Api),
            Some(name) => ConsentChannel::parse(name),
        };
        if channel.is_none() {
            errors.add(
                "channel",
                "invalid_channel",
                "must be api, web, mobile, signup, email or support",
            );
        }
        let (Some(purpose), Some(channel)) = (purpose, channel) else {
            return Err(RecordConsentError::Invalid(errors));
        };
        let principal = who.principal;
        let now = self.clock.now();
        let uow = self.store.begin().await?;
        let policy = in_force(uow.as_ref(), &self.defaults, PolicyKind::Privacy, now).await?;
        let event = ConsentEvent {
            id: ConsentEventId::from_uuid(self.ids.new_uuid()),
            tenant_id: principal.reader().tenant(),
            user_id: principal.user_id,
            purpose,
            granted: fields.granted,
            policy_version: policy.version,
            channel,
            occurred_at: now,
        };
        uow.consents().append(&event).await?;
        uow.commit().await?;
        Ok(event)
    }

    /// The processing decision for a user's data, from their ledger.
    ///
    /// # Errors
    /// [`Unexpected`] when storage fails; the decision itself is the inner result.
    pub async fn may_process(
        &self,
        tenant: TenantId,
        user: UserId,
        processing: Processing,
    ) -> Result<Result<(), Refusal>, Unexpected> {
        let uow = self.store.begin().await?;
        let subject = subject_state_of(uow.as_ref(), tenant, user).await?;
        Ok(may_process(processing, &subject))
    }

    /// Stores a product usage event if the caller consents to analytics
    /// now; returns whether it was stored. The event is anonymous (see
    /// [`AnalyticsEvent`]). Without consent nothing is stored and nothing fails.
    ///
    /// # Errors
    /// See [`RecordAnalyticsError`].
    pub async fn record_analytics(&self, who: &Principal, name: &str) -> Result<bool, RecordAnalyticsError> {
        let mut errors = ValidationErrors::new();
        let Some(name) = errors.check("name", EventName::parse(name)) else {
            return Err(RecordAnalyticsError::Invalid(errors));
        };
        let tenant = who.reader().tenant();
        let uow = self.store.begin().await?;
        let subject = subject_state_of(uow.as_ref(), tenant, who.user_id).await?;
        if may_process(Processing::Consented(ConsentPurpose::Analytics), &subject).is_err() {
            return Ok(false);
        }
        // The consent is the user's; the event names nobody.
        uow.analytics()
            .insert(&AnalyticsEvent::at(name, self.clock.now()))
            .await?;
        uow.commit().await?;
        Ok(true)
    }
}
