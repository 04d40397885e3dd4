//! Repository ports of a tenant's working content: jobs (work orders),
//! notes, stored files' records, and credit notes.

use async_trait::async_trait;

use crate::kernel::pagination::{Page, PageRequest};
use crate::kernel::repository::RepositoryError;
use crate::work::WorkOrder;
use crate::work::files::StoredFile;
use crate::work::notes::{Note, Subject};
use crate::{ClientId, TenantId};

/// Jobs of contractors.
#[async_trait]
pub trait WorkOrderRepository: Send + Sync {
    /// Stores a new job.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn insert(&self, job: &WorkOrder) -> Result<(), RepositoryError>;

    /// One job of the tenant.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`; never for a missing row.
    async fn get(&self, tenant: TenantId, id: uuid::Uuid) -> Result<Option<WorkOrder>, RepositoryError>;

    /// A page of the tenant's jobs (of one client, if given), newest first.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`.
    async fn list(
        &self,
        tenant: TenantId,
        client: Option<ClientId>,
        page: PageRequest,
    ) -> Result<Page<WorkOrder>, RepositoryError>;

    /// Saves a changed job; `false` if it does not exist.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn update(&self, job: &WorkOrder) -> Result<bool, RepositoryError>;

    /// Deletes a job; `false` if it did not exist.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn delete(&self, tenant: TenantId, id: uuid::Uuid) -> Result<bool, RepositoryError>;

    /// Deletes every job of a client (erasure); returns how many.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn delete_for_client(&self, tenant: TenantId, client: ClientId) -> Result<u64, RepositoryError>;
}

/// Notes.
#[async_trait]
pub trait NoteRepository: Send + Sync {
    /// Stores a new note.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn insert(&self, note: &Note) -> Result<(), RepositoryError>;

    /// One note of the tenant.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`; never for a missing row.
    async fn get(&self, tenant: TenantId, id: uuid::Uuid) -> Result<Option<Note>, RepositoryError>;

    /// A page of the notes about `subject`, newest first.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`.
    async fn list(&self, tenant: TenantId, subject: Subject, page: PageRequest) -> Result<Page<Note>, RepositoryError>;

    /// Deletes a note; `false` if it did not exist.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn delete(&self, tenant: TenantId, id: uuid::Uuid) -> Result<bool, RepositoryError>;

    /// Every note about `subject`.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`.
    async fn for_subject(&self, tenant: TenantId, subject: Subject) -> Result<Vec<Note>, RepositoryError>;

    /// Deletes every note that concerns a client (erasure); returns how many.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn delete_for_client(&self, tenant: TenantId, client: ClientId) -> Result<u64, RepositoryError>;
}

/// Stored files' records.
#[async_trait]
pub trait FileRepository: Send + Sync {
    /// Stores a file's record.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn insert(&self, file: &StoredFile) -> Result<(), RepositoryError>;

    /// One file of the tenant.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`; never for a missing row.
    async fn get(&self, tenant: TenantId, id: uuid::Uuid) -> Result<Option<StoredFile>, RepositoryError>;

    /// A page of the files attached to `subject` (all the tenant's with `None`), newest first.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`.
    async fn list(
        &self,
        tenant: TenantId,
        subject: Option<Subject>,
        page: PageRequest,
    ) -> Result<Page<StoredFile>, RepositoryError>;

    /// Deletes a file's record; `false` if it did not exist.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn delete(&self, tenant: TenantId, id: uuid::Uuid) -> Result<bool, RepositoryError>;

    /// The files that concern a client.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`.
    async fn for_client(&self, tenant: TenantId, client: ClientId) -> Result<Vec<StoredFile>, RepositoryError>;

    /// Every file attached to `subject`.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`.
    async fn for_subject(&self, tenant: TenantId, subject: Subject) -> Result<Vec<StoredFile>, RepositoryError>;

    /// The bytes the tenant stores, in all.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn total_bytes(&self, tenant: TenantId) -> Result<u64, RepositoryError>;
}
