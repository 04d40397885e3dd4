//! An in-memory [`AccessStore`] for tests and for embedders who want to try
//! the access services without a database (the `testing` feature), with
//! deterministic ids and tokens, a fast password hasher and a transparent
//! secret box (see [`fakes`]). A unit of work copies the state when it
//! begins and writes it back on commit, so a dropped unit changes nothing,
//! as with a database transaction. It is not meant for concurrent writers:
//! the last commit wins.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::access::api_tokens::ApiToken;
use crate::access::audit::AuditEvent;
use crate::access::integrations::StoredCredentials;
use crate::access::one_time_tokens::OneTimeToken;
use crate::access::ports::{
    AccessStore, AccessUnit, ApiTokenRepository, AuditRepository, ExternalIdentity, IdempotencyRecord,
    IdempotencyRepository, IdentityRepository, IntegrationRepository, InvitationRepository, OneTimeTokenRepository,
    PasswordHash, SessionRepository, ThrottleRepository, UserRepository,
};
use crate::access::session::Session;
use crate::access::team::Invitation;
use crate::access::throttle::ThrottleState;
use crate::access::user::User;
use crate::kernel::repository::RepositoryError;
use crate::messaging::outbox::NewJob;
use crate::privacy::policies::{PolicyAcceptance, PolicyKind, PolicyVersion};
use crate::tenancy::Organization;
use crate::{ApiTokenId, InvitationId, SessionId, TenantId, UserId};

mod accounts;
pub mod fakes;
mod security;

pub use fakes::{FakePasswordHasher, FakeSecretBox, SequentialIds, SequentialTokens};

/// A stored user with their password hash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredUser {
    /// The user.
    pub user: User,
    /// Their password hash ([`PasswordHash::unusable`] for Google-only accounts).
    pub password_hash: PasswordHash,
}

/// Everything the memory store holds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MemoryState {
    /// Organizations by id.
    pub organizations: BTreeMap<TenantId, Organization>,
    /// Users with their password hashes; emails are unique across the deployment.
    pub users: BTreeMap<(TenantId, UserId), StoredUser>,
    /// Sign-in sessions.
    pub sessions: BTreeMap<(TenantId, SessionId), Session>,
    /// Personal API tokens.
    pub api_tokens: BTreeMap<(TenantId, ApiTokenId), ApiToken>,
    /// Single-use tokens by the hex digest of the token.
    pub one_time_tokens: BTreeMap<String, OneTimeToken>,
    /// Invitations.
    pub invitations: BTreeMap<(TenantId, InvitationId), Invitation>,
    /// External identities by provider and subject.
    pub identities: BTreeMap<(String, String), ExternalIdentity>,
    /// Throttle counters by email digest and network.
    pub throttles: BTreeMap<(String, String), ThrottleState>,
    /// The security log, in the order appended.
    pub audit: Vec<AuditEvent>,
    /// Integration credentials by tenant and provider name.
    pub integrations: BTreeMap<(TenantId, &'static str), StoredCredentials>,
    /// Idempotency records by tenant and key.
    pub idempotency: BTreeMap<(TenantId, String), IdempotencyRecord>,
    /// Published policy versions.
    pub policies: Vec<PolicyVersion>,
    /// Policy acceptances, in the order recorded.
    pub acceptances: Vec<PolicyAcceptance>,
    /// The outbox.
    pub jobs: Vec<NewJob>,
    /// How many units were committed.
    pub commits: usize,
}

impl MemoryState {
    /// The user with this id in any tenant.
    #[must_use]
    pub fn user(&self, user: UserId) -> Option<&StoredUser> {
        self.users.values().find(|stored| stored.user.id == user)
    }

    /// The audit events with this action, oldest first.
    #[must_use]
    pub fn events(&self, action: crate::access::audit::AuditAction) -> Vec<&AuditEvent> {
        self.audit.iter().filter(|e| e.action == action).collect()
    }

    /// The idempotency keys of the queued jobs, in the order queued.
    #[must_use]
    pub fn job_keys(&self) -> Vec<&str> {
        self.jobs.iter().map(|j| j.idempotency_key.as_str()).collect()
    }
}

/// The in-memory store.
#[derive(Clone, Debug, Default)]
pub struct MemoryStore {
    state: Arc<Mutex<MemoryState>>,
}

impl MemoryStore {
    /// An empty store.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// A copy of the committed state.
    #[must_use]
    pub fn snapshot(&self) -> MemoryState {
        lock(&self.state).clone()
    }

    /// Changes the committed state directly (to arrange a test).
    pub fn edit(&self, change: impl FnOnce(&mut MemoryState)) {
        change(&mut lock(&self.state));
    }
}

fn lock(state: &Mutex<MemoryState>) -> MutexGuard<'_, MemoryState> {
    match state.lock() {
        Ok(guard) => guard,
        Err(poisoned) => poisoned.into_inner(),
    }
}

/// One unit of work on the memory store.
#[derive(Debug)]
pub struct MemoryUnit {
    working: Mutex<MemoryState>,
    store: Arc<Mutex<MemoryState>>,
}

impl MemoryUnit {
    fn state(&self) -> MutexGuard<'_, MemoryState> {
        lock(&self.working)
    }
}

#[async_trait]
impl AccessStore for MemoryStore {
    async fn begin(&self) -> Result<Box<dyn AccessUnit>, RepositoryError> {
        Ok(Box::new(MemoryUnit {
            working: Mutex::new(self.snapshot()),
            store: self.state.clone(),
        }))
    }
}

#[async_trait]
impl AccessUnit for MemoryUnit {
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
        Ok(self.state().organizations.get(&tenant).cloned())
    }

    async fn create_organization(&self, organization: &Organization) -> Result<(), RepositoryError> {
        let mut state = self.state();
        if state.organizations.contains_key(&organization.id) {
            return Err(RepositoryError::Duplicate {
                constraint: "organizations_pkey".into(),
            });
        }
        state.organizations.insert(organization.id, organization.clone());
        Ok(())
    }

    async fn published_policy(
        &self,
        kind: PolicyKind,
        now: DateTime<Utc>,
    ) -> Result<Option<PolicyVersion>, RepositoryError> {
        Ok(self
            .state()
            .policies
            .iter()
            .filter(|p| p.kind == kind && p.effective_at <= now)
            .max_by_key(|p| (p.effective_at, p.published_at))
            .cloned())
    }

    async fn record_policy_acceptance(&self, acceptance: &PolicyAcceptance) -> Result<bool, RepositoryError> {
        let mut state = self.state();
        let seen = state.acceptances.iter().any(|a| {
            a.tenant_id == acceptance.tenant_id
                && a.user_id == acceptance.user_id
                && a.kind == acceptance.kind
                && a.version == acceptance.version
        });
        if seen {
            return Ok(false);
        }
        state.acceptances.push(acceptance.clone());
        Ok(true)
    }

    async fn policy_acceptance(
        &self,
        tenant: TenantId,
        user: UserId,
        kind: PolicyKind,
        version: &str,
    ) -> Result<Option<PolicyAcceptance>, RepositoryError> {
        Ok(self
            .state()
            .acceptances
            .iter()
            .find(|a| a.tenant_id == tenant && a.user_id == user && a.kind == kind && a.version == version)
            .cloned())
    }

    async fn enqueue(&self, job: &NewJob) -> Result<bool, RepositoryError> {
        let mut state = self.state();
        if state.jobs.iter().any(|j| j.idempotency_key == job.idempotency_key) {
            return Ok(false);
        }
        state.jobs.push(job.clone());
        Ok(true)
    }

    async fn commit(self: Box<Self>) -> Result<(), RepositoryError> {
        let mut working = lock(&self.working).clone();
        let mut committed = lock(&self.store);
        working.commits = committed.commits + 1;
        *committed = working;
        Ok(())
    }
}
