//! The unit of work itself: the other areas' records as privacy reads and
//! changes them, the security log, the outbox and the commit.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};

use super::{MemoryUnit, lock, oldest_first, take};
use crate::access::audit::AuditEvent;
use crate::access::user::User;
use crate::invoicing::client::Client;
use crate::invoicing::invoice::{Invoice, InvoiceStatus};
use crate::kernel::files::ObjectKey;
use crate::kernel::pagination::{Page, PageRequest};
use crate::kernel::repository::RepositoryError;
use crate::messaging::outbox::NewJob;
use crate::privacy::ports::{
    AnalyticsRepository, ConsentRepository, ErasureRepository, ExportRepository, IncidentRepository, PolicyRepository,
    PrivacyRequestRepository, PrivacySubmissionRepository, PrivacyUnit, RemovedAttachments, RetentionRepository,
    UserErasureRepository,
};
use crate::tenancy::{Closure, Organization};
use crate::{ClientId, InvoiceId, RecurringInvoiceId, TenantId, UserId};

#[async_trait]
impl PrivacyUnit for MemoryUnit {
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
        Ok(self.state().organizations.get(&tenant).cloned())
    }

    async fn set_closure(&self, tenant: TenantId, closure: Option<Closure>) -> Result<bool, RepositoryError> {
        Ok(match self.state().organizations.get_mut(&tenant) {
            Some(org) => {
                org.closure = closure;
                true
            }
            None => false,
        })
    }

    async fn tenants_due_for_purge(&self, now: DateTime<Utc>, limit: u32) -> Result<Vec<TenantId>, RepositoryError> {
        Ok(self
            .state()
            .organizations
            .values()
            .filter(|org| org.closure.is_some_and(|c| c.purge_after < now))
            .map(|org| org.id)
            .take(take(limit))
            .collect())
    }

    async fn user(&self, tenant: TenantId, id: UserId) -> Result<Option<User>, RepositoryError> {
        Ok(self.state().users.get(&(tenant, id)).cloned())
    }

    async fn users(&self, tenant: TenantId, page: PageRequest) -> Result<Page<User>, RepositoryError> {
        let users = self
            .state()
            .users
            .values()
            .filter(|u| u.tenant_id == tenant)
            .cloned()
            .collect();
        Ok(oldest_first(users, page, |u| u.id.as_uuid()))
    }

    async fn scan_users(&self, after: Option<(TenantId, UserId)>, limit: u32) -> Result<Vec<User>, RepositoryError> {
        Ok(self
            .state()
            .users
            .iter()
            .filter(|(key, _)| after.is_none_or(|after| **key > after))
            .map(|(_, user)| user.clone())
            .take(take(limit))
            .collect())
    }

    async fn client(&self, tenant: TenantId, id: ClientId) -> Result<Option<Client>, RepositoryError> {
        Ok(self.state().clients.get(&(tenant, id)).cloned())
    }

    async fn update_client(&self, client: &Client) -> Result<bool, RepositoryError> {
        Ok(match self.state().clients.get_mut(&(client.tenant_id, client.id)) {
            Some(stored) => {
                *stored = client.clone();
                true
            }
            None => false,
        })
    }

    async fn delete_client(&self, tenant: TenantId, id: ClientId) -> Result<bool, RepositoryError> {
        Ok(self.state().clients.remove(&(tenant, id)).is_some())
    }

    async fn client_invoices(&self, tenant: TenantId, client: ClientId) -> Result<Vec<Invoice>, RepositoryError> {
        Ok(self
            .state()
            .invoices
            .values()
            .filter(|i| i.tenant_id == tenant && i.content.client_id == client)
            .cloned()
            .collect())
    }

    async fn delete_draft_invoice(&self, tenant: TenantId, id: InvoiceId) -> Result<bool, RepositoryError> {
        let mut state = self.state();
        let is_draft = state
            .invoices
            .get(&(tenant, id))
            .is_some_and(|i| i.status == InvoiceStatus::Draft);
        if is_draft {
            state.invoices.remove(&(tenant, id));
        }
        Ok(is_draft)
    }

    async fn credit_note_date(
        &self,
        tenant: TenantId,
        invoice: InvoiceId,
    ) -> Result<Option<NaiveDate>, RepositoryError> {
        Ok(self.state().credit_notes.get(&(tenant, invoice)).copied())
    }

    async fn client_schedules(
        &self,
        tenant: TenantId,
        client: ClientId,
    ) -> Result<Vec<RecurringInvoiceId>, RepositoryError> {
        Ok(self
            .state()
            .schedules
            .iter()
            .filter(|((t, _), c)| *t == tenant && **c == client)
            .map(|((_, id), _)| *id)
            .collect())
    }

    async fn delete_schedule(&self, tenant: TenantId, id: RecurringInvoiceId) -> Result<bool, RepositoryError> {
        Ok(self.state().schedules.remove(&(tenant, id)).is_some())
    }

    async fn delete_client_jobs(&self, tenant: TenantId, client: ClientId) -> Result<u64, RepositoryError> {
        Ok(self.state().client_jobs.remove(&(tenant, client)).unwrap_or(0))
    }

    async fn client_files(&self, tenant: TenantId, client: ClientId) -> Result<Vec<ObjectKey>, RepositoryError> {
        Ok(self.state().files.get(&(tenant, client)).cloned().unwrap_or_default())
    }

    async fn remove_client_attachments(
        &self,
        tenant: TenantId,
        client: ClientId,
    ) -> Result<RemovedAttachments, RepositoryError> {
        let mut state = self.state();
        Ok(RemovedAttachments {
            notes: state.notes.remove(&(tenant, client)).unwrap_or(0),
            files: state.files.remove(&(tenant, client)).unwrap_or_default(),
        })
    }

    async fn record_audit(&self, event: &AuditEvent) -> Result<(), RepositoryError> {
        self.state().audit.push(event.clone());
        Ok(())
    }

    async fn enqueue(&self, job: &NewJob) -> Result<bool, RepositoryError> {
        let mut state = self.state();
        if state.jobs.iter().any(|j| j.idempotency_key == job.idempotency_key) {
            return Ok(false);
        }
        state.jobs.push(job.clone());
        Ok(true)
    }

    async fn commit(self: Box<Self>) -> Result<(), RepositoryError> {
        if self.fail_commit {
            return Err(RepositoryError::Conflict);
        }
        let mut working = lock(&self.working).clone();
        let mut committed = lock(&self.store);
        working.commits = committed.commits + 1;
        *committed = working;
        Ok(())
    }
}
