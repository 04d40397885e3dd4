//! The tenancy ports: organizations (tenants) and their settings.

use crate::TenantId;
use crate::kernel::repository::RepositoryError;
use crate::tenancy::{Closure, Organization};
use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// Organizations (tenants).
#[async_trait]
pub trait OrganizationRepository: Send + Sync {
    /// Stores a new organization.
    ///
    /// # Errors
    /// [`RepositoryError::Duplicate`] if the id exists; `Unexpected` otherwise.
    async fn insert(&self, organization: &Organization) -> Result<(), RepositoryError>;

    /// The organization, if it exists.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`; never for a missing row.
    async fn get(&self, tenant: TenantId) -> Result<Option<Organization>, RepositoryError>;

    /// Saves the organization's settings (all but its country, creation and
    /// closure) and profile; `false` if it does not exist.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn update(&self, organization: &Organization) -> Result<bool, RepositoryError>;

    /// Closes (or, with `None`, reopens) the account; `false` if there is no such organization.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn set_closure(&self, tenant: TenantId, closure: Option<Closure>) -> Result<bool, RepositoryError>;

    /// Closed organizations whose purge is due at `now`, oldest first (the scheduler's scan).
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn due_for_purge(&self, now: DateTime<Utc>, limit: u32) -> Result<Vec<TenantId>, RepositoryError>;
}

/// One tenancy transaction. Dropping it without [`TenancyUnit::commit`]
/// rolls everything back.
#[async_trait]
pub trait TenancyUnit: Send + Sync {
    /// Organizations.
    fn organizations(&self) -> &dyn OrganizationRepository;

    /// Commits every write of the unit.
    ///
    /// # Errors
    /// [`RepositoryError::Conflict`] on a serialization failure,
    /// [`RepositoryError::Unexpected`] otherwise; nothing was written then.
    async fn commit(self: Box<Self>) -> Result<(), RepositoryError>;
}

/// Opens tenancy units of work.
#[async_trait]
pub trait TenancyStore: Send + Sync {
    /// Starts a transaction.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] if the database cannot be reached.
    async fn begin(&self) -> Result<Box<dyn TenancyUnit>, RepositoryError>;
}
