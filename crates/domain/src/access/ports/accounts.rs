//! Repository ports of accounts: users with their credentials, and
//! server-side sessions. The only deployment-wide look-ups are the ones
//! sign-in needs (by email, by token digest); they return the row's own tenant.

use crate::access::ports::PasswordHash;
use crate::access::session::Session;
use crate::access::user::{Role, User};
use crate::kernel::email::EmailAddress;
use crate::kernel::pagination::{Page, PageRequest};
use crate::kernel::repository::RepositoryError;
use crate::kernel::tokens::TokenDigest;
use crate::{SessionId, TenantId, UserId};
use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// Users and their credentials.
#[async_trait]
pub trait UserRepository: Send + Sync {
    /// Stores a new user with their password hash.
    ///
    /// # Errors
    /// [`RepositoryError::Duplicate`] if the email is taken; `Unexpected` otherwise.
    async fn insert(&self, user: &User, password_hash: &PasswordHash) -> Result<(), RepositoryError>;

    /// The user with this normalized email and their password hash, across
    /// the deployment (sign-in does not know the tenant yet).
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`; never for a missing row.
    async fn find_credentials(&self, normalized_email: &str) -> Result<Option<(User, PasswordHash)>, RepositoryError>;

    /// One user of the tenant.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`; never for a missing row.
    async fn get(&self, tenant: TenantId, user: UserId) -> Result<Option<User>, RepositoryError>;

    /// The tenant's first owner: where replies to the tenant's emails go.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`.
    async fn first_owner(&self, tenant: TenantId) -> Result<Option<User>, RepositoryError>;

    /// A page of the tenant's users, newest first (as every list).
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`.
    async fn list(&self, tenant: TenantId, page: PageRequest) -> Result<Page<User>, RepositoryError>;

    /// How many owners the tenant has.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn count_owners(&self, tenant: TenantId) -> Result<u64, RepositoryError>;

    /// Changes a user's role; `false` if there is no such user.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn set_role(&self, tenant: TenantId, user: UserId, role: Role) -> Result<bool, RepositoryError>;

    /// Replaces a user's password hash; `false` if there is no such user.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn set_password(&self, tenant: TenantId, user: UserId, hash: &PasswordHash) -> Result<bool, RepositoryError>;

    /// Changes a user's name; `false` if there is no such user.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn rename(&self, tenant: TenantId, user: UserId, name: &str) -> Result<bool, RepositoryError>;

    /// Moves a user to a new, proven address (verified at `at`); `false` if
    /// there is no such user.
    ///
    /// # Errors
    /// [`RepositoryError::Duplicate`] if another account has the address;
    /// `Unexpected` otherwise.
    async fn change_email(
        &self,
        tenant: TenantId,
        user: UserId,
        email: &EmailAddress,
        at: DateTime<Utc>,
    ) -> Result<bool, RepositoryError>;

    /// Records that the user proved their email address.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn mark_email_verified(
        &self,
        tenant: TenantId,
        user: UserId,
        at: DateTime<Utc>,
    ) -> Result<(), RepositoryError>;

    /// Up to `limit` users of every tenant after `after` (tenant, user), in
    /// key order: the scan of deployment-wide notices (policy changes,
    /// product updates).
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`.
    async fn scan(&self, after: Option<(TenantId, UserId)>, limit: u32) -> Result<Vec<User>, RepositoryError>;

    /// Removes a user with their sessions, API tokens and external
    /// identities; `false` if there is no such user.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn delete(&self, tenant: TenantId, user: UserId) -> Result<bool, RepositoryError>;
}

/// Server-side sessions.
#[async_trait]
pub trait SessionRepository: Send + Sync {
    /// Stores a new session.
    ///
    /// # Errors
    /// [`RepositoryError::Duplicate`] on a digest collision; `Unexpected` otherwise.
    async fn insert(&self, session: &Session) -> Result<(), RepositoryError>;

    /// The session with this token digest, if it has not expired at `now`
    /// (absolute expiry) and was last used after `idle_cutoff` (idle expiry).
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`; never for a missing row.
    async fn find_active(
        &self,
        digest: &TokenDigest,
        now: DateTime<Utc>,
        idle_cutoff: DateTime<Utc>,
    ) -> Result<Option<Session>, RepositoryError>;

    /// Records that the session was used at `now`.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn touch(&self, tenant: TenantId, session: SessionId, now: DateTime<Utc>) -> Result<(), RepositoryError>;

    /// Ends a session; `false` if there was none.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn delete(&self, tenant: TenantId, session: SessionId) -> Result<bool, RepositoryError>;

    /// Ends every session of a user but `keep`; returns how many ended.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn delete_for_user(
        &self,
        tenant: TenantId,
        user: UserId,
        keep: Option<SessionId>,
    ) -> Result<u64, RepositoryError>;
}
