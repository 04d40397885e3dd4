//! The work ports: repositories of jobs (work orders), notes and stored
//! files' records, and the unit of work a work use case runs in.

use async_trait::async_trait;

use crate::invoicing::client::Client;
use crate::kernel::email::EmailAddress;
use crate::kernel::pagination::{Page, PageRequest};
use crate::kernel::repository::RepositoryError;
use crate::messaging::outbox::NewJob;
use crate::tenancy::Organization;
use crate::work::WorkOrder;
use crate::work::files::StoredFile;
use crate::work::notes::{Note, Subject};
use crate::{ClientId, FileId, InvoiceId, TenantId};

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
    async fn get(&self, tenant: TenantId, id: FileId) -> Result<Option<StoredFile>, RepositoryError>;

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
    async fn delete(&self, tenant: TenantId, id: FileId) -> Result<bool, RepositoryError>;

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

/// One work transaction: jobs, notes and files, and the little work needs
/// of other areas (the client a job or note is about, the invoice a note is
/// on, who the courtesy emails come from). Dropping it without
/// [`WorkUnit::commit`] rolls everything back.
#[async_trait]
pub trait WorkUnit: Send + Sync {
    /// Jobs of contractors.
    fn work_orders(&self) -> &dyn WorkOrderRepository;
    /// Notes.
    fn notes(&self) -> &dyn NoteRepository;
    /// Stored files' records.
    fn files(&self) -> &dyn FileRepository;

    /// A client of the organization.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`; never for a missing row.
    async fn client(&self, tenant: TenantId, id: ClientId) -> Result<Option<Client>, RepositoryError>;

    /// The client an invoice is for; `None` if there is no such invoice.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`; never for a missing row.
    async fn invoice_client(&self, tenant: TenantId, invoice: InvoiceId) -> Result<Option<ClientId>, RepositoryError>;

    /// The organization; `None` if it is gone.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`; never for a missing row.
    async fn organization(&self, tenant: TenantId) -> Result<Option<Organization>, RepositoryError>;

    /// Where replies to the tenant's emails go: its first owner's address.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`.
    async fn reply_to(&self, tenant: TenantId) -> Result<Option<EmailAddress>, RepositoryError>;

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

/// Opens work units of work.
#[async_trait]
pub trait WorkStore: Send + Sync {
    /// Starts a transaction.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] if the database cannot be reached.
    async fn begin(&self) -> Result<Box<dyn WorkUnit>, RepositoryError>;
}
