//! Repository ports of access control and security: API tokens, single-use
//! tokens, invitations, external identities, sign-in throttles, the audit
//! log and sealed integration credentials.
//!
//! Look-ups by token digest (and the throttle table, keyed by a digest of
//! the email) are deployment-wide because the tenant is not known yet; they
//! return the row's own tenant, and everything after uses it.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::access::api_tokens::ApiToken;
use crate::access::audit::{AuditAction, AuditEvent};
use crate::access::integrations::{Provider, StoredCredentials};
use crate::access::one_time_tokens::{OneTimeToken, Redemption, TokenPurpose};
use crate::access::team::Invitation;
use crate::access::throttle::{ThrottleKey, ThrottleState};
use crate::kernel::pagination::{Page, PageRequest};
use crate::kernel::repository::RepositoryError;
use crate::kernel::tokens::TokenDigest;
use crate::{ApiTokenId, InvitationId, TenantId, UserId};

/// Personal API tokens.
#[async_trait]
pub trait ApiTokenRepository: Send + Sync {
    /// Stores a new token.
    ///
    /// # Errors
    /// [`RepositoryError::Duplicate`] on a digest collision; `Unexpected` otherwise.
    async fn insert(&self, token: &ApiToken) -> Result<(), RepositoryError>;

    /// The unrevoked token with this digest, across the deployment.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`; never for a missing row.
    async fn find_active(&self, digest: &TokenDigest) -> Result<Option<ApiToken>, RepositoryError>;

    /// One token of the tenant.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`; never for a missing row.
    async fn get(&self, tenant: TenantId, id: ApiTokenId) -> Result<Option<ApiToken>, RepositoryError>;

    /// A page of the tenant's tokens (of one user, if given), newest first.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`.
    async fn list(
        &self,
        tenant: TenantId,
        user: Option<UserId>,
        page: PageRequest,
    ) -> Result<Page<ApiToken>, RepositoryError>;

    /// Marks a token revoked; `false` if it was not active.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn revoke(&self, tenant: TenantId, id: ApiTokenId, at: DateTime<Utc>) -> Result<bool, RepositoryError>;

    /// Revokes every active token of a user; returns how many.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn revoke_all_for_user(
        &self,
        tenant: TenantId,
        user: UserId,
        at: DateTime<Utc>,
    ) -> Result<u64, RepositoryError>;

    /// Records a use.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn touch(&self, tenant: TenantId, id: ApiTokenId, at: DateTime<Utc>) -> Result<(), RepositoryError>;
}

/// Single-use tokens (magic links, resets, verification, sign-in state).
#[async_trait]
pub trait OneTimeTokenRepository: Send + Sync {
    /// Stores a new token.
    ///
    /// # Errors
    /// [`RepositoryError::Duplicate`] on a digest collision; `Unexpected` otherwise.
    async fn insert(&self, token: &OneTimeToken) -> Result<(), RepositoryError>;

    /// Uses up the token with this digest and purpose at `now`, atomically:
    /// of two concurrent redemptions exactly one gets
    /// [`Redemption::Redeemed`].
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`.
    async fn redeem(
        &self,
        digest: &TokenDigest,
        purpose: TokenPurpose,
        now: DateTime<Utc>,
    ) -> Result<Redemption, RepositoryError>;

    /// Uses up every unused token of a user and purpose (a reset ends the
    /// other reset links); returns how many.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn expire_for_user(
        &self,
        tenant: TenantId,
        user: UserId,
        purpose: TokenPurpose,
        now: DateTime<Utc>,
    ) -> Result<u64, RepositoryError>;

    /// Deletes tokens that expired before `cutoff`; returns how many.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn delete_expired(&self, cutoff: DateTime<Utc>) -> Result<u64, RepositoryError>;
}

/// Invitations.
#[async_trait]
pub trait InvitationRepository: Send + Sync {
    /// Stores a new invitation.
    ///
    /// # Errors
    /// [`RepositoryError::Duplicate`] if the id exists; `Unexpected` otherwise.
    async fn insert(&self, invitation: &Invitation) -> Result<(), RepositoryError>;

    /// One invitation of the tenant.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`; never for a missing row.
    async fn get(&self, tenant: TenantId, id: InvitationId) -> Result<Option<Invitation>, RepositoryError>;

    /// The invitation whose current link has this digest, across the deployment.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`; never for a missing row.
    async fn find_by_token(&self, digest: &TokenDigest) -> Result<Option<Invitation>, RepositoryError>;

    /// A page of the tenant's invitations, newest first.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`.
    async fn list(&self, tenant: TenantId, page: PageRequest) -> Result<Page<Invitation>, RepositoryError>;

    /// Saves a changed invitation (new link, accepted, revoked); `false` if it does not exist.
    ///
    /// # Errors
    /// [`RepositoryError::Duplicate`] on a token digest collision; `Unexpected` otherwise.
    async fn update(&self, invitation: &Invitation) -> Result<bool, RepositoryError>;
}

/// A user's identity at an external provider (Google's `sub`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExternalIdentity {
    /// The organization of the user.
    pub tenant_id: TenantId,
    /// The user.
    pub user_id: UserId,
    /// `google`.
    pub provider: String,
    /// The provider's stable subject id.
    pub subject: String,
    /// When it was linked.
    pub linked_at: DateTime<Utc>,
}

/// Links between users and external identities.
#[async_trait]
pub trait IdentityRepository: Send + Sync {
    /// The link for a provider's subject, across the deployment.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`; never for a missing row.
    async fn find(&self, provider: &str, subject: &str) -> Result<Option<ExternalIdentity>, RepositoryError>;

    /// Stores a link.
    ///
    /// # Errors
    /// [`RepositoryError::Duplicate`] if the subject is linked already; `Unexpected` otherwise.
    async fn insert(&self, identity: &ExternalIdentity) -> Result<(), RepositoryError>;
}

/// Sign-in throttle counters.
#[async_trait]
pub trait ThrottleRepository: Send + Sync {
    /// The counter of a key (default when none).
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`.
    async fn get(&self, key: &ThrottleKey) -> Result<ThrottleState, RepositoryError>;

    /// Saves a counter.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn save(&self, key: &ThrottleKey, state: &ThrottleState, now: DateTime<Utc>) -> Result<(), RepositoryError>;

    /// Forgets a counter (after a successful sign-in).
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn clear(&self, key: &ThrottleKey) -> Result<(), RepositoryError>;
}

/// Filters for the audit log.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// Only this action.
    pub action: Option<AuditAction>,
    /// Only events by (or about) this user.
    pub user: Option<UserId>,
}

/// The security event log.
#[async_trait]
pub trait AuditRepository: Send + Sync {
    /// Appends an event.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn append(&self, event: &AuditEvent) -> Result<(), RepositoryError>;

    /// A page of the tenant's events, newest first.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`.
    async fn list(
        &self,
        tenant: TenantId,
        filter: AuditFilter,
        page: PageRequest,
    ) -> Result<Page<AuditEvent>, RepositoryError>;
}

/// Sealed integration credentials.
#[async_trait]
pub trait IntegrationRepository: Send + Sync {
    /// The tenant's credentials for a provider.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`; never for a missing row.
    async fn get(&self, tenant: TenantId, provider: Provider) -> Result<Option<StoredCredentials>, RepositoryError>;

    /// Stores or replaces credentials.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn save(&self, credentials: &StoredCredentials) -> Result<(), RepositoryError>;

    /// Deletes credentials; `false` if there were none.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn delete(&self, tenant: TenantId, provider: Provider) -> Result<bool, RepositoryError>;

    /// Up to `limit` stored credentials of every tenant after `after`
    /// (tenant, provider), in key order: the key rotation's scan.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`.
    async fn scan(
        &self,
        after: Option<(TenantId, Provider)>,
        limit: u32,
    ) -> Result<Vec<StoredCredentials>, RepositoryError>;
}
