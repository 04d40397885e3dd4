//! The invoicing ports: the repositories of clients, invoices, numbers,
//! recurring invoices, reminders and credit notes, and the unit of work an
//! invoicing use case runs in.

use async_trait::async_trait;

use crate::TenantId;
use crate::kernel::email::EmailAddress;
use crate::kernel::files::ObjectKey;
use crate::kernel::repository::RepositoryError;
use crate::messaging::outbox::NewJob;
use crate::tenancy::Organization;

mod repositories;

pub use repositories::{
    ClientRepository, CreditNoteRepository, InvoiceFilter, InvoiceRepository, NumberingRepository,
    RecurringInvoiceRepository, ReminderRepository,
};

/// What deleting a client removed of the notes and files about it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ClientAttachments {
    /// Notes deleted.
    pub notes: u64,
    /// The stored objects of the deleted file records, for the caller to
    /// remove from the file store.
    pub files: Vec<ObjectKey>,
}

/// One invoicing transaction: the repositories invoicing writes, and the
/// little it needs of other areas inside the same transaction. Dropping it
/// without [`InvoicingUnit::commit`] rolls everything back.
#[async_trait]
pub trait InvoicingUnit: Send + Sync {
    /// The tenant's clients.
    fn clients(&self) -> &dyn ClientRepository;
    /// Invoices, their lines and payments.
    fn invoices(&self) -> &dyn InvoiceRepository;
    /// Gap-free number counters.
    fn numbering(&self) -> &dyn NumberingRepository;
    /// Recurring invoices and their runs.
    fn recurring(&self) -> &dyn RecurringInvoiceRepository;
    /// Reminder settings and the reminders of each invoice.
    fn reminders(&self) -> &dyn ReminderRepository;
    /// Credit notes.
    fn credit_notes(&self) -> &dyn CreditNoteRepository;

    /// The organization that issues the documents; `None` if it is gone.
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

    /// Whether any of the organization's jobs is for the client.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn client_has_jobs(&self, tenant: TenantId, client: crate::ClientId) -> Result<bool, RepositoryError>;

    /// Deletes the notes and file records about a client that is being
    /// deleted, and names the stored objects the caller must remove.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn remove_client_attachments(
        &self,
        tenant: TenantId,
        client: crate::ClientId,
    ) -> Result<ClientAttachments, RepositoryError>;

    /// Commits every write of the unit.
    ///
    /// # Errors
    /// [`RepositoryError::Conflict`] on a serialization failure,
    /// [`RepositoryError::Unexpected`] otherwise; nothing was written then.
    async fn commit(self: Box<Self>) -> Result<(), RepositoryError>;
}

/// Opens invoicing units of work.
#[async_trait]
pub trait InvoicingStore: Send + Sync {
    /// Starts a transaction.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] if the database cannot be reached.
    async fn begin(&self) -> Result<Box<dyn InvoicingUnit>, RepositoryError>;
}
