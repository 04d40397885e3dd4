//! The unit of work an access use case runs in.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::{
    ApiTokenRepository, AuditRepository, IdempotencyRepository, IdentityRepository, IntegrationRepository,
    InvitationRepository, OneTimeTokenRepository, SessionRepository, ThrottleRepository, UserRepository,
};
use crate::kernel::repository::RepositoryError;
use crate::messaging::outbox::NewJob;
use crate::privacy::policies::{PolicyAcceptance, PolicyKind, PolicyVersion};
use crate::tenancy::Organization;
use crate::{TenantId, UserId};

/// One access transaction: the repositories access writes, and the little
/// it needs of other areas inside the same transaction (the organization a
/// sign-up creates, the policy a new user accepts, the emails it queues).
/// Dropping it without [`AccessUnit::commit`] rolls everything back.
#[async_trait]
pub trait AccessUnit: Send + Sync {
    /// Users.
    fn users(&self) -> &dyn UserRepository;
    /// Sign-in sessions.
    fn sessions(&self) -> &dyn SessionRepository;
    /// Personal API tokens.
    fn api_tokens(&self) -> &dyn ApiTokenRepository;
    /// Emailed single-use tokens.
    fn one_time_tokens(&self) -> &dyn OneTimeTokenRepository;
    /// Invitations to a team.
    fn invitations(&self) -> &dyn InvitationRepository;
    /// External identities (Google).
    fn identities(&self) -> &dyn IdentityRepository;
    /// Sign-in throttle counters.
    fn throttles(&self) -> &dyn ThrottleRepository;
    /// The security event log.
    fn audit(&self) -> &dyn AuditRepository;
    /// Sealed integration credentials.
    fn integrations(&self) -> &dyn IntegrationRepository;
    /// Idempotency records of create requests.
    fn idempotency(&self) -> &dyn IdempotencyRepository;

    /// The organization; `None` if it is gone.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`; never for a missing row.
    async fn organization(&self, tenant: TenantId) -> Result<Option<Organization>, RepositoryError>;

    /// Creates the organization of a sign-up.
    ///
    /// # Errors
    /// [`RepositoryError::Duplicate`] if its id exists, `Unexpected` otherwise.
    async fn create_organization(&self, organization: &Organization) -> Result<(), RepositoryError>;

    /// The newest published version of a policy in force at `now`; `None`
    /// while only the configured version exists.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`.
    async fn published_policy(
        &self,
        kind: PolicyKind,
        now: DateTime<Utc>,
    ) -> Result<Option<PolicyVersion>, RepositoryError>;

    /// Records a user's acceptance of a policy version; `false` (nothing
    /// written) if they accepted it before.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn record_policy_acceptance(&self, acceptance: &PolicyAcceptance) -> Result<bool, RepositoryError>;

    /// The user's acceptance of a policy version.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`; never for a missing row.
    async fn policy_acceptance(
        &self,
        tenant: TenantId,
        user: UserId,
        kind: PolicyKind,
        version: &str,
    ) -> Result<Option<PolicyAcceptance>, RepositoryError>;

    /// Records a side effect to perform after commit (the outbox); `false`
    /// (nothing written) if a job with the same idempotency key exists.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn enqueue(&self, job: &NewJob) -> Result<bool, RepositoryError>;

    /// Commits every write of the unit.
    ///
    /// # Errors
    /// [`RepositoryError::Conflict`] on a serialization failure,
    /// [`RepositoryError::Unexpected`] otherwise; nothing was written then.
    async fn commit(self: Box<Self>) -> Result<(), RepositoryError>;
}

/// Opens access units of work.
#[async_trait]
pub trait AccessStore: Send + Sync {
    /// Starts a transaction.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] if the database cannot be reached.
    async fn begin(&self) -> Result<Box<dyn AccessUnit>, RepositoryError>;
}
