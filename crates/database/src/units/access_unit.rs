//! [`AccessStore`] and [`AccessUnit`] on the SQL store.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use fakturo_domain::access::ports::{
    AccessStore, AccessUnit, ApiTokenRepository, AuditRepository, IdempotencyRepository, IdentityRepository,
    IntegrationRepository, InvitationRepository, OneTimeTokenRepository, SessionRepository, ThrottleRepository,
    UserRepository,
};
use fakturo_domain::kernel::repository::RepositoryError;
use fakturo_domain::messaging::outbox::NewJob;
use fakturo_domain::messaging::ports::JobRepository;
use fakturo_domain::privacy::policies::{PolicyAcceptance, PolicyKind, PolicyVersion};
use fakturo_domain::privacy::ports::PolicyRepository;
use fakturo_domain::tenancy::Organization;
use fakturo_domain::tenancy::ports::OrganizationRepository;
use fakturo_domain::{TenantId, UserId};

use crate::store::{SqlStore, SqlUnitOfWork};

#[async_trait]
impl AccessStore for SqlStore {
    async fn begin(&self) -> Result<Box<dyn AccessUnit>, RepositoryError> {
        Ok(Box::new(self.begin_unit().await?))
    }
}

#[async_trait]
impl AccessUnit for SqlUnitOfWork {
    fn users(&self) -> &dyn UserRepository {
        self
    }

    fn sessions(&self) -> &dyn SessionRepository {
        self
    }

    fn api_tokens(&self) -> &dyn ApiTokenRepository {
        self
    }

    fn one_time_tokens(&self) -> &dyn OneTimeTokenRepository {
        self
    }

    fn invitations(&self) -> &dyn InvitationRepository {
        self
    }

    fn identities(&self) -> &dyn IdentityRepository {
        self
    }

    fn throttles(&self) -> &dyn ThrottleRepository {
        self
    }

    fn audit(&self) -> &dyn AuditRepository {
        self
    }

    fn integrations(&self) -> &dyn IntegrationRepository {
        self
    }

    fn idempotency(&self) -> &dyn IdempotencyRepository {
        self
    }

    async fn organization(&self, tenant: TenantId) -> Result<Option<Organization>, RepositoryError> {
        OrganizationRepository::get(self, tenant).await
    }

    async fn create_organization(&self, organization: &Organization) -> Result<(), RepositoryError> {
        OrganizationRepository::insert(self, organization).await
    }

    async fn published_policy(
        &self,
        kind: PolicyKind,
        now: DateTime<Utc>,
    ) -> Result<Option<PolicyVersion>, RepositoryError> {
        PolicyRepository::in_force(self, kind, now).await
    }

    async fn record_policy_acceptance(&self, acceptance: &PolicyAcceptance) -> Result<bool, RepositoryError> {
        PolicyRepository::record_acceptance(self, acceptance).await
    }

    async fn policy_acceptance(
        &self,
        tenant: TenantId,
        user: UserId,
        kind: PolicyKind,
        version: &str,
    ) -> Result<Option<PolicyAcceptance>, RepositoryError> {
        PolicyRepository::acceptance(self, tenant, user, kind, version).await
    }

    async fn enqueue(&self, job: &NewJob) -> Result<bool, RepositoryError> {
        JobRepository::enqueue(self, job).await
    }

    async fn commit(self: Box<Self>) -> Result<(), RepositoryError> {
        self.txn.commit().await.map_err(crate::errors::translate)
    }
}
