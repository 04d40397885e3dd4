//! [`PrivacyStore`] and [`PrivacyUnit`] on the SQL store.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use fakturo_domain::access::User;
use fakturo_domain::access::audit::AuditEvent;
use fakturo_domain::access::ports::{AuditRepository, UserRepository};
use fakturo_domain::invoicing::client::Client;
use fakturo_domain::invoicing::invoice::Invoice;
use fakturo_domain::invoicing::ports::{
    ClientRepository, CreditNoteRepository, InvoiceRepository, RecurringInvoiceRepository,
};
use fakturo_domain::kernel::files::ObjectKey;
use fakturo_domain::kernel::pagination::{Page, PageRequest};
use fakturo_domain::kernel::repository::RepositoryError;
use fakturo_domain::messaging::outbox::NewJob;
use fakturo_domain::messaging::ports::JobRepository;
use fakturo_domain::privacy::ports::{
    AnalyticsRepository, ConsentRepository, ErasureRepository, ExportRepository, IncidentRepository, PolicyRepository,
    PrivacyRequestRepository, PrivacyStore, PrivacySubmissionRepository, PrivacyUnit, RemovedAttachments,
    RetentionRepository, UserErasureRepository,
};
use fakturo_domain::tenancy::ports::OrganizationRepository;
use fakturo_domain::tenancy::{Closure, Organization};
use fakturo_domain::work::ports::{FileRepository, WorkOrderRepository};
use fakturo_domain::{ClientId, InvoiceId, RecurringInvoiceId, TenantId, UserId};

use crate::store::{SqlStore, SqlUnitOfWork};

#[async_trait]
impl PrivacyStore for SqlStore {
    async fn begin(&self) -> Result<Box<dyn PrivacyUnit>, RepositoryError> {
        Ok(Box::new(self.begin_unit().await?))
    }
}

#[async_trait]
impl PrivacyUnit for SqlUnitOfWork {
    fn exports(&self) -> &dyn ExportRepository {
        self
    }

    fn erasures(&self) -> &dyn ErasureRepository {
        self
    }

    fn retention(&self) -> &dyn RetentionRepository {
        self
    }

    fn consents(&self) -> &dyn ConsentRepository {
        self
    }

    fn analytics(&self) -> &dyn AnalyticsRepository {
        self
    }

    fn policies(&self) -> &dyn PolicyRepository {
        self
    }

    fn privacy_requests(&self) -> &dyn PrivacyRequestRepository {
        self
    }

    fn privacy_submissions(&self) -> &dyn PrivacySubmissionRepository {
        self
    }

    fn user_erasures(&self) -> &dyn UserErasureRepository {
        self
    }

    fn incidents(&self) -> &dyn IncidentRepository {
        self
    }

    async fn organization(&self, tenant: TenantId) -> Result<Option<Organization>, RepositoryError> {
        OrganizationRepository::get(self, tenant).await
    }

    async fn set_closure(&self, tenant: TenantId, closure: Option<Closure>) -> Result<bool, RepositoryError> {
        OrganizationRepository::set_closure(self, tenant, closure).await
    }

    async fn tenants_due_for_purge(&self, now: DateTime<Utc>, limit: u32) -> Result<Vec<TenantId>, RepositoryError> {
        OrganizationRepository::due_for_purge(self, now, limit).await
    }

    async fn user(&self, tenant: TenantId, id: UserId) -> Result<Option<User>, RepositoryError> {
        UserRepository::get(self, tenant, id).await
    }

    async fn users(&self, tenant: TenantId, page: PageRequest) -> Result<Page<User>, RepositoryError> {
        UserRepository::list(self, tenant, page).await
    }

    async fn scan_users(&self, after: Option<(TenantId, UserId)>, limit: u32) -> Result<Vec<User>, RepositoryError> {
        UserRepository::scan(self, after, limit).await
    }

    async fn client(&self, tenant: TenantId, id: ClientId) -> Result<Option<Client>, RepositoryError> {
        ClientRepository::get(self, tenant, id).await
    }

    async fn update_client(&self, client: &Client) -> Result<bool, RepositoryError> {
        ClientRepository::update(self, client).await
    }

    async fn delete_client(&self, tenant: TenantId, id: ClientId) -> Result<bool, RepositoryError> {
        ClientRepository::delete(self, tenant, id).await
    }

    async fn client_invoices(&self, tenant: TenantId, client: ClientId) -> Result<Vec<Invoice>, RepositoryError> {
        InvoiceRepository::for_client(self, tenant, client).await
    }

    async fn delete_draft_invoice(&self, tenant: TenantId, id: InvoiceId) -> Result<bool, RepositoryError> {
        InvoiceRepository::delete_draft(self, tenant, id).await
    }

    async fn credit_note_date(
        &self,
        tenant: TenantId,
        invoice: InvoiceId,
    ) -> Result<Option<NaiveDate>, RepositoryError> {
        Ok(CreditNoteRepository::for_invoice(self, tenant, invoice)
            .await?
            .map(|credit| credit.issue_date))
    }

    async fn client_schedules(
        &self,
        tenant: TenantId,
        client: ClientId,
    ) -> Result<Vec<RecurringInvoiceId>, RepositoryError> {
        RecurringInvoiceRepository::for_client(self, tenant, client).await
    }

    async fn delete_schedule(&self, tenant: TenantId, id: RecurringInvoiceId) -> Result<bool, RepositoryError> {
        RecurringInvoiceRepository::delete(self, tenant, id).await
    }

    async fn delete_client_jobs(&self, tenant: TenantId, client: ClientId) -> Result<u64, RepositoryError> {
        WorkOrderRepository::delete_for_client(self, tenant, client).await
    }

    async fn client_files(&self, tenant: TenantId, client: ClientId) -> Result<Vec<ObjectKey>, RepositoryError> {
        Ok(FileRepository::for_client(self, tenant, client)
            .await?
            .into_iter()
            .map(|file| ObjectKey::tenant_file(tenant, file.id.as_uuid()))
            .collect())
    }

    async fn remove_client_attachments(
        &self,
        tenant: TenantId,
        client: ClientId,
    ) -> Result<RemovedAttachments, RepositoryError> {
        let (notes, files) = self.delete_client_attachments(tenant, client).await?;
        Ok(RemovedAttachments { notes, files })
    }

    async fn record_audit(&self, event: &AuditEvent) -> Result<(), RepositoryError> {
        AuditRepository::append(self, event).await
    }

    async fn enqueue(&self, job: &NewJob) -> Result<bool, RepositoryError> {
        JobRepository::enqueue(self, job).await
    }

    async fn commit(self: Box<Self>) -> Result<(), RepositoryError> {
        self.txn.commit().await.map_err(crate::errors::translate)
    }
}
