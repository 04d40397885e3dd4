//! The unit of work a privacy use case runs in.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};

use super::{
    AnalyticsRepository, ConsentRepository, ErasureRepository, ExportRepository, IncidentRepository, PolicyRepository,
    PrivacyRequestRepository, PrivacySubmissionRepository, RetentionRepository, UserErasureRepository,
};
use crate::access::User;
use crate::access::audit::AuditEvent;
use crate::invoicing::client::Client;
use crate::invoicing::invoice::Invoice;
use crate::kernel::files::ObjectKey;
use crate::kernel::pagination::{Page, PageRequest};
use crate::kernel::repository::RepositoryError;
use crate::messaging::outbox::NewJob;
use crate::tenancy::{Closure, Organization};
use crate::{ClientId, InvoiceId, RecurringInvoiceId, TenantId, UserId};

/// What removing a client's notes and file records took away.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RemovedAttachments {
    /// Notes deleted.
    pub notes: u64,
    /// The stored objects of the deleted file records, for the caller to
    /// remove from the file store before the unit is committed.
    pub files: Vec<ObjectKey>,
}

/// One privacy transaction: the privacy records (exports, erasures,
/// retention, consents, policies, requests), and what privacy must read
/// and change of the records other areas keep about a person — inside the
/// same transaction, so an erasure or a closure is whole or not at all.
/// Dropping it without [`PrivacyUnit::commit`] rolls everything back.
#[async_trait]
pub trait PrivacyUnit: Send + Sync {
    /// Data exports and the rows they stream.
    fn exports(&self) -> &dyn ExportRepository;
    /// Erasure records and legal holds.
    fn erasures(&self) -> &dyn ErasureRepository;
    /// The retention sweeper's work.
    fn retention(&self) -> &dyn RetentionRepository;
    /// The consent ledger.
    fn consents(&self) -> &dyn ConsentRepository;
    /// Consented product usage events.
    fn analytics(&self) -> &dyn AnalyticsRepository;
    /// Policy versions and acceptances.
    fn policies(&self) -> &dyn PolicyRepository;
    /// Tenants' privacy requests.
    fn privacy_requests(&self) -> &dyn PrivacyRequestRepository;
    /// Public privacy request submissions and the operator's cases.
    fn privacy_submissions(&self) -> &dyn PrivacySubmissionRepository;
    /// The erasure of one person's account.
    fn user_erasures(&self) -> &dyn UserErasureRepository;
    /// The incident register (deployment-wide).
    fn incidents(&self) -> &dyn IncidentRepository;

    /// The organization; `None` if it is gone.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`; never for a missing row.
    async fn organization(&self, tenant: TenantId) -> Result<Option<Organization>, RepositoryError>;

    /// Closes (`Some`) or reopens (`None`) the organization; `false` if it is gone.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn set_closure(&self, tenant: TenantId, closure: Option<Closure>) -> Result<bool, RepositoryError>;

    /// Closed organizations whose grace period ended before `now`, at most `limit`.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn tenants_due_for_purge(&self, now: DateTime<Utc>, limit: u32) -> Result<Vec<TenantId>, RepositoryError>;

    /// A user of the organization.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`; never for a missing row.
    async fn user(&self, tenant: TenantId, id: UserId) -> Result<Option<User>, RepositoryError>;

    /// A page of the organization's users.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn users(&self, tenant: TenantId, page: PageRequest) -> Result<Page<User>, RepositoryError>;

    /// Users of every organization after `after` in (tenant, user) order, at most `limit`.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn scan_users(&self, after: Option<(TenantId, UserId)>, limit: u32) -> Result<Vec<User>, RepositoryError>;

    /// A client of the organization.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`; never for a missing row.
    async fn client(&self, tenant: TenantId, id: ClientId) -> Result<Option<Client>, RepositoryError>;

    /// Saves a client's changed privacy state or anonymized details; `false` if it is gone.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn update_client(&self, client: &Client) -> Result<bool, RepositoryError>;

    /// Deletes a client's record; `false` if it is gone.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn delete_client(&self, tenant: TenantId, id: ClientId) -> Result<bool, RepositoryError>;

    /// Every invoice of a client, drafts included.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`.
    async fn client_invoices(&self, tenant: TenantId, client: ClientId) -> Result<Vec<Invoice>, RepositoryError>;

    /// Deletes a draft invoice with its lines; `false` if it is not a draft.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn delete_draft_invoice(&self, tenant: TenantId, id: InvoiceId) -> Result<bool, RepositoryError>;

    /// The issue date of the credit note that voided an invoice, if any.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`.
    async fn credit_note_date(
        &self,
        tenant: TenantId,
        invoice: InvoiceId,
    ) -> Result<Option<NaiveDate>, RepositoryError>;

    /// A client's recurring invoices.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn client_schedules(
        &self,
        tenant: TenantId,
        client: ClientId,
    ) -> Result<Vec<RecurringInvoiceId>, RepositoryError>;

    /// Deletes a recurring invoice with its runs; `false` if it is gone.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn delete_schedule(&self, tenant: TenantId, id: RecurringInvoiceId) -> Result<bool, RepositoryError>;

    /// Deletes a client's jobs; how many.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn delete_client_jobs(&self, tenant: TenantId, client: ClientId) -> Result<u64, RepositoryError>;

    /// The stored objects of the files attached to a client (for its export).
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn client_files(&self, tenant: TenantId, client: ClientId) -> Result<Vec<ObjectKey>, RepositoryError>;

    /// Deletes the notes and file records about a client, and names the
    /// stored objects the caller must remove after commit.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn remove_client_attachments(
        &self,
        tenant: TenantId,
        client: ClientId,
    ) -> Result<RemovedAttachments, RepositoryError>;

    /// Appends an event to the security log.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn record_audit(&self, event: &AuditEvent) -> Result<(), RepositoryError>;

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

/// Opens privacy units of work.
#[async_trait]
pub trait PrivacyStore: Send + Sync {
    /// Starts a transaction.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] if the database cannot be reached.
    async fn begin(&self) -> Result<Box<dyn PrivacyUnit>, RepositoryError>;
}
