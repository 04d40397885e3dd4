//! [`InvoicingStore`] and [`InvoicingUnit`] on the SQL store.

use async_trait::async_trait;
use fakturo_domain::access::ports::UserRepository;
use fakturo_domain::invoicing::ports::{
    ClientAttachments, ClientRepository, CreditNoteRepository, InvoiceRepository, InvoicingStore, InvoicingUnit,
    NumberingRepository, RecurringInvoiceRepository, ReminderRepository,
};
use fakturo_domain::kernel::email::EmailAddress;
use fakturo_domain::kernel::files::ObjectKey;
use fakturo_domain::kernel::repository::RepositoryError;
use fakturo_domain::messaging::outbox::NewJob;
use fakturo_domain::messaging::ports::JobRepository;
use fakturo_domain::tenancy::Organization;
use fakturo_domain::tenancy::ports::OrganizationRepository;
use fakturo_domain::work::ports::{FileRepository, NoteRepository, WorkOrderRepository};
use fakturo_domain::{ClientId, TenantId};

use crate::store::{SqlStore, SqlUnitOfWork};

#[async_trait]
impl InvoicingStore for SqlStore {
    async fn begin(&self) -> Result<Box<dyn InvoicingUnit>, RepositoryError> {
        Ok(Box::new(self.begin_unit().await?))
    }
}

#[async_trait]
impl InvoicingUnit for SqlUnitOfWork {
    fn clients(&self) -> &dyn ClientRepository {
        self
    }

    fn invoices(&self) -> &dyn InvoiceRepository {
        self
    }

    fn numbering(&self) -> &dyn NumberingRepository {
        self
    }

    fn recurring(&self) -> &dyn RecurringInvoiceRepository {
        self
    }

    fn reminders(&self) -> &dyn ReminderRepository {
        self
    }

    fn credit_notes(&self) -> &dyn CreditNoteRepository {
        self
    }

    async fn organization(&self, tenant: TenantId) -> Result<Option<Organization>, RepositoryError> {
        OrganizationRepository::get(self, tenant).await
    }

    async fn reply_to(&self, tenant: TenantId) -> Result<Option<EmailAddress>, RepositoryError> {
        Ok(self.first_owner(tenant).await?.map(|owner| owner.email))
    }

    async fn enqueue(&self, job: &NewJob) -> Result<bool, RepositoryError> {
        JobRepository::enqueue(self, job).await
    }

    async fn client_has_jobs(&self, tenant: TenantId, client: ClientId) -> Result<bool, RepositoryError> {
        let first = fakturo_domain::kernel::pagination::PageRequest::first();
        Ok(!WorkOrderRepository::list(self, tenant, Some(client), first)
            .await?
            .items
            .is_empty())
    }

    async fn remove_client_attachments(
        &self,
        tenant: TenantId,
        client: ClientId,
    ) -> Result<ClientAttachments, RepositoryError> {
        let (notes, files) = self.delete_client_attachments(tenant, client).await?;
        Ok(ClientAttachments { notes, files })
    }

    async fn commit(self: Box<Self>) -> Result<(), RepositoryError> {
        self.txn.commit().await.map_err(crate::errors::translate)
    }
}

impl SqlUnitOfWork {
    /// Deletes the notes and file records about a client; how many notes,
    /// and the stored objects of the files.
    pub(crate) async fn delete_client_attachments(
        &self,
        tenant: TenantId,
        client: ClientId,
    ) -> Result<(u64, Vec<ObjectKey>), RepositoryError> {
        let files = FileRepository::for_client(self, tenant, client).await?;
        for file in &files {
            FileRepository::delete(self, tenant, file.id).await?;
        }
        let notes = NoteRepository::delete_for_client(self, tenant, client).await?;
        let keys = files
            .iter()
            .map(|file| ObjectKey::tenant_file(tenant, file.id.as_uuid()))
            .collect();
        Ok((notes, keys))
    }
}
