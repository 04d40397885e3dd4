//! The incident register's storage: incidents (deployment-wide, the
//! operator's records), the organizations each affects, their append-only
//! history, and the notices sent to the people affected (one per
//! recipient, the guard that makes notifying twice send once).

use async_trait::async_trait;

use crate::kernel::pagination::{Page, PageRequest};
use crate::kernel::repository::RepositoryError;
use crate::privacy::incidents::{Incident, IncidentNotice, IncidentUpdate};
use crate::{IncidentId, TenantId};

/// The incident register.
#[async_trait]
pub trait IncidentRepository: Send + Sync {
    /// Stores a new incident with the organizations it affects.
    ///
    /// # Errors
    /// [`RepositoryError::Duplicate`] if the id exists; `Unexpected` otherwise.
    async fn insert(&self, incident: &Incident) -> Result<(), RepositoryError>;

    /// One incident (the operator's view: any incident).
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`; never for a missing row.
    async fn get(&self, id: IncidentId) -> Result<Option<Incident>, RepositoryError>;

    /// The register, newest first, at most `limit`.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`.
    async fn list(&self, limit: u32) -> Result<Vec<Incident>, RepositoryError>;

    /// Saves changed facts, status and the authority's notification;
    /// `false` if the incident does not exist. The affected organizations
    /// never change.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn update(&self, incident: &Incident) -> Result<bool, RepositoryError>;

    /// Appends an entry to an incident's history.
    ///
    /// # Errors
    /// [`RepositoryError::Duplicate`] if the id exists; `Unexpected` otherwise.
    async fn append_update(&self, update: &IncidentUpdate) -> Result<(), RepositoryError>;

    /// An incident's history, oldest first.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`.
    async fn updates(&self, id: IncidentId) -> Result<Vec<IncidentUpdate>, RepositoryError>;

    /// An incident if it affects the organization (a foreign one is missing).
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`; never for a missing row.
    async fn get_for_tenant(&self, tenant: TenantId, id: IncidentId) -> Result<Option<Incident>, RepositoryError>;

    /// A page of the incidents that affect the organization, newest first.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`.
    async fn list_for_tenant(&self, tenant: TenantId, page: PageRequest) -> Result<Page<Incident>, RepositoryError>;

    /// Records a notice to one recipient; `false` (nothing written) if that
    /// person was given a notice of this incident before.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn record_notice(&self, notice: &IncidentNotice) -> Result<bool, RepositoryError>;

    /// How many people were given a notice of the incident.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn notices(&self, id: IncidentId) -> Result<u64, RepositoryError>;
}
