//! Idempotency records: a create request sent again with the same
//! `Idempotency-Key` returns the first response instead of creating twice.
//! The response is stored as the caller encoded it: what it means (an HTTP
//! status, a body) is the caller's business, not the domain's.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::TenantId;
use crate::kernel::repository::RepositoryError;

/// One key's record. `response` is `None` while the first request runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdempotencyRecord {
    /// The tenant the key belongs to.
    pub tenant_id: TenantId,
    /// The client-chosen key.
    pub key: String,
    /// A digest of the operation and its request body.
    pub request_digest: String,
    /// When the first request started (or was taken over).
    pub started_at: DateTime<Utc>,
    /// The first response, in the caller's own encoding.
    pub response: Option<String>,
}

/// Storage of idempotency records, unique per `(tenant_id, key)`.
#[async_trait]
pub trait IdempotencyRepository: Send + Sync {
    /// Claims a key; `false` if the tenant already has a record for it.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn try_insert(&self, record: &IdempotencyRecord) -> Result<bool, RepositoryError>;

    /// The tenant's record for the key.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn get(&self, tenant: TenantId, key: &str) -> Result<Option<IdempotencyRecord>, RepositoryError>;

    /// Replaces an abandoned or expired record with `replacement`, provided
    /// it still started at `previous_start`; `false` if someone else took it first.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn take_over(
        &self,
        previous_start: DateTime<Utc>,
        replacement: &IdempotencyRecord,
    ) -> Result<bool, RepositoryError>;

    /// Stores the response of the first request, as the caller encoded it.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn complete(&self, tenant: TenantId, key: &str, response: &str) -> Result<(), RepositoryError>;

    /// Forgets a key whose request failed, so that it may be retried.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn release(&self, tenant: TenantId, key: &str) -> Result<(), RepositoryError>;
}
