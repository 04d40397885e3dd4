//! What billing needs of the organization: owners, name, outbox, closure.

use async_trait::async_trait;

use crate::TenantId;
use crate::billing::notices::BillingContact;
use crate::kernel::repository::RepositoryError;
use crate::messaging::outbox::NewJob;
use crate::tenancy::organization::Closure;

/// What billing needs of the organization itself: its owners and name for
/// notices, the outbox they leave through, and the closure window an ended
/// subscription may start.
#[async_trait]
pub trait OrganizationOwners: Send + Sync {
    /// The owners of `tenant`.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`.
    async fn owners(&self, tenant: TenantId) -> Result<Vec<BillingContact>, RepositoryError>;

    /// The organization's name; `None` if it no longer exists.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn organization_name(&self, tenant: TenantId) -> Result<Option<String>, RepositoryError>;

    /// Queues a job in this same transaction; `false` if its idempotency key
    /// was queued before.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn queue(&self, job: &NewJob) -> Result<bool, RepositoryError>;

    /// Starts the closure window unless the organization is closed already
    /// (`false` then, and nothing changed).
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn start_closure(&self, tenant: TenantId, closure: Closure) -> Result<bool, RepositoryError>;
}
