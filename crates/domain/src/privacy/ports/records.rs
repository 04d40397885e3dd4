//! Repository ports of the privacy promises: the consent ledger, consented
//! analytics events, policy versions and acceptances, privacy requests
//! (tenant cases with their history), and public submissions with the
//! operator's own cases.
//!
//! Policy versions, public submissions and operator cases are
//! deployment-wide (not any tenant's data). The only look-ups across
//! tenants are the scheduler's scan for tenants with open cases and the
//! routing of a confirmed public request to the tenants whose clients use
//! its address; both return the rows' own tenant ids.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};

use crate::kernel::email::EmailAddress;
use crate::kernel::pagination::{Page, PageRequest};
use crate::kernel::repository::RepositoryError;
use crate::kernel::tokens::TokenDigest;
use crate::privacy::consent::{AnalyticsEvent, ConsentEvent};
use crate::privacy::policies::{PolicyAcceptance, PolicyKind, PolicyVersion};
use crate::privacy::requests::{
    OperatorPrivacyRequest, PrivacyRequest, PrivacyRequestEvent, PrivacySubmission, RequestStatus,
};
use crate::{ClientId, PrivacyRequestId, PrivacySubmissionId, TenantId, UserId};

/// The consent ledger (append-only).
#[async_trait]
pub trait ConsentRepository: Send + Sync {
    /// Appends a grant or withdrawal.
    ///
    /// # Errors
    /// [`RepositoryError::Duplicate`] if the id exists; `Unexpected` otherwise.
    async fn append(&self, event: &ConsentEvent) -> Result<(), RepositoryError>;

    /// The latest event of each purpose the user ever decided on.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`.
    async fn latest(&self, tenant: TenantId, user: UserId) -> Result<Vec<ConsentEvent>, RepositoryError>;

    /// A page of the user's ledger, newest first.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`.
    async fn history(
        &self,
        tenant: TenantId,
        user: UserId,
        page: PageRequest,
    ) -> Result<Page<ConsentEvent>, RepositoryError>;
}

/// Anonymous product usage events, stored only with consent.
#[async_trait]
pub trait AnalyticsRepository: Send + Sync {
    /// Stores an event under a random id of the store's.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn insert(&self, event: &AnalyticsEvent) -> Result<(), RepositoryError>;

    /// How many events named `name` happened in the hours from `from` up to
    /// (not including) `to`: what analytics can tell, counts.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn count(&self, name: &str, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<u64, RepositoryError>;
}

/// Published policy versions (deployment-wide) and users' acceptances.
#[async_trait]
pub trait PolicyRepository: Send + Sync {
    /// Publishes a version.
    ///
    /// # Errors
    /// [`RepositoryError::Duplicate`] if the kind and version exist; `Unexpected` otherwise.
    async fn insert(&self, version: &PolicyVersion) -> Result<(), RepositoryError>;

    /// One published version.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`; never for a missing row.
    async fn get(&self, kind: PolicyKind, version: &str) -> Result<Option<PolicyVersion>, RepositoryError>;

    /// The published version in force at `now`: the latest `effective_at` not after it.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`.
    async fn in_force(&self, kind: PolicyKind, now: DateTime<Utc>) -> Result<Option<PolicyVersion>, RepositoryError>;

    /// The next published version after `now`: the earliest `effective_at` after it.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`.
    async fn upcoming(&self, kind: PolicyKind, now: DateTime<Utc>) -> Result<Option<PolicyVersion>, RepositoryError>;

    /// The published version that takes effect last.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`.
    async fn newest(&self, kind: PolicyKind) -> Result<Option<PolicyVersion>, RepositoryError>;

    /// Records an acceptance; `false` (nothing written) if the user accepted
    /// this version before.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn record_acceptance(&self, acceptance: &PolicyAcceptance) -> Result<bool, RepositoryError>;

    /// The user's acceptance of a version.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`; never for a missing row.
    async fn acceptance(
        &self,
        tenant: TenantId,
        user: UserId,
        kind: PolicyKind,
        version: &str,
    ) -> Result<Option<PolicyAcceptance>, RepositoryError>;
}

/// Filters for a tenant's cases.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PrivacyRequestFilter {
    /// Only this status.
    pub status: Option<RequestStatus>,
    /// `Some((true, today))`: only cases open past their due date as of the
    /// tenant's `today`; `Some((false, today))`: only the others.
    pub overdue: Option<(bool, NaiveDate)>,
}

/// A tenant's privacy requests and their history.
#[async_trait]
pub trait PrivacyRequestRepository: Send + Sync {
    /// Stores a new case.
    ///
    /// # Errors
    /// [`RepositoryError::Duplicate`] if the id exists; `Unexpected` otherwise.
    async fn insert(&self, request: &PrivacyRequest) -> Result<(), RepositoryError>;

    /// One case of the tenant.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`; never for a missing row.
    async fn get(&self, tenant: TenantId, id: PrivacyRequestId) -> Result<Option<PrivacyRequest>, RepositoryError>;

    /// A page of the tenant's cases, newest first.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`.
    async fn list(
        &self,
        tenant: TenantId,
        filter: PrivacyRequestFilter,
        page: PageRequest,
    ) -> Result<Page<PrivacyRequest>, RepositoryError>;

    /// Saves a changed case (status, deadline, verification); `false` if it does not exist.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn update(&self, request: &PrivacyRequest) -> Result<bool, RepositoryError>;

    /// Appends an entry to a case's history.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn append_event(&self, event: &PrivacyRequestEvent) -> Result<(), RepositoryError>;

    /// A case's history, oldest first.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`.
    async fn events(&self, tenant: TenantId, id: PrivacyRequestId)
    -> Result<Vec<PrivacyRequestEvent>, RepositoryError>;

    /// Every tenant with an open case due before `date`, across the
    /// deployment: the scheduler's scan (each tenant then decides with its own today).
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn tenants_with_open_due_before(&self, date: NaiveDate) -> Result<Vec<TenantId>, RepositoryError>;
}

/// What presenting a confirmation token found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SubmissionConfirmation {
    /// The submission was waiting and is now confirmed.
    Confirmed(PrivacySubmission),
    /// It was confirmed before.
    AlreadyConfirmed,
    /// It expired unconfirmed.
    Expired,
    /// No such token.
    Unknown,
}

/// Public submissions (deployment-wide), their routing, and the operator's cases.
#[async_trait]
pub trait PrivacySubmissionRepository: Send + Sync {
    /// Stores a new submission.
    ///
    /// # Errors
    /// [`RepositoryError::Duplicate`] if the id exists; `Unexpected` otherwise.
    async fn insert(&self, submission: &PrivacySubmission) -> Result<(), RepositoryError>;

    /// One submission.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`; never for a missing row.
    async fn get(&self, id: PrivacySubmissionId) -> Result<Option<PrivacySubmission>, RepositoryError>;

    /// Replaces the digest of the confirmation link; `false` if there is no such submission.
    ///
    /// # Errors
    /// [`RepositoryError::Duplicate`] on a digest collision; `Unexpected` otherwise.
    async fn set_token(&self, id: PrivacySubmissionId, digest: &TokenDigest) -> Result<bool, RepositoryError>;

    /// Confirms the submission whose link has this digest at `now`,
    /// atomically: of two concurrent confirmations exactly one gets
    /// [`SubmissionConfirmation::Confirmed`].
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`.
    async fn confirm(
        &self,
        digest: &TokenDigest,
        now: DateTime<Utc>,
    ) -> Result<SubmissionConfirmation, RepositoryError>;

    /// Deletes submissions that expired before `cutoff`, confirmed or not; returns how many.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn delete_expired(&self, cutoff: DateTime<Utc>) -> Result<u64, RepositoryError>;

    /// The clients, across the deployment, whose email is this address
    /// (compared case-insensitively): where a confirmed request is routed.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn clients_with_email(&self, email: &EmailAddress) -> Result<Vec<(TenantId, ClientId)>, RepositoryError>;

    /// Stores a case of the operator.
    ///
    /// # Errors
    /// [`RepositoryError::Duplicate`] if the id exists; `Unexpected` otherwise.
    async fn insert_operator_case(&self, case: &OperatorPrivacyRequest) -> Result<(), RepositoryError>;

    /// The operator's cases, newest first, at most `limit`.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`.
    async fn operator_cases(&self, limit: u32) -> Result<Vec<OperatorPrivacyRequest>, RepositoryError>;
}
