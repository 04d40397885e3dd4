//! The unit of work: one use case, one transaction. A service opens it with
//! [`Store::begin`], reads and writes through its repositories, and commits.
//! Dropping it without committing rolls everything back.

use async_trait::async_trait;

use crate::access::ports::IdempotencyRepository;
use crate::access::ports::{
    ApiTokenRepository, AuditRepository, IdentityRepository, IntegrationRepository, InvitationRepository,
    OneTimeTokenRepository, ThrottleRepository,
};
use crate::access::ports::{SessionRepository, UserRepository};
use crate::invoicing::ports::CreditNoteRepository;
use crate::invoicing::ports::{
    ClientRepository, InvoiceRepository, NumberingRepository, RecurringInvoiceRepository, ReminderRepository,
};
use crate::kernel::repository::RepositoryError;
use crate::messaging::ports::JobRepository;
use crate::privacy::ports::ExportRepository;
use crate::privacy::ports::{
    AnalyticsRepository, ConsentRepository, PolicyRepository, PrivacyRequestRepository, PrivacySubmissionRepository,
};
use crate::tenancy::ports::OrganizationRepository;
use crate::work::ports::{FileRepository, NoteRepository, WorkOrderRepository};

/// Opens units of work.
#[async_trait]
pub trait Store: Send + Sync {
    /// Starts a transaction.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] if the database cannot be reached.
    async fn begin(&self) -> Result<Box<dyn UnitOfWork>, RepositoryError>;

    /// Checks that the database answers (for readiness probes).
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] if it does not.
    async fn ping(&self) -> Result<(), RepositoryError>;
}

/// One open transaction and the repositories that work inside it.
#[async_trait]
pub trait UnitOfWork: Send + Sync {
    /// Organizations (tenants).
    fn organizations(&self) -> &dyn OrganizationRepository;
    /// Users.
    fn users(&self) -> &dyn UserRepository;
    /// Sessions.
    fn sessions(&self) -> &dyn SessionRepository;
    /// Clients.
    fn clients(&self) -> &dyn ClientRepository;
    /// Invoices and their payments.
    fn invoices(&self) -> &dyn InvoiceRepository;
    /// Document number counters.
    fn numbering(&self) -> &dyn NumberingRepository;
    /// Idempotency records of create requests.
    fn idempotency(&self) -> &dyn IdempotencyRepository;
    /// The job queue, for enqueueing side effects (the outbox).
    fn jobs(&self) -> &dyn JobRepository;
    /// Recurring invoices and their runs.
    fn recurring(&self) -> &dyn RecurringInvoiceRepository;
    /// Reminder settings and sent reminders.
    fn reminders(&self) -> &dyn ReminderRepository;
    /// Personal API tokens.
    fn api_tokens(&self) -> &dyn ApiTokenRepository;
    /// Single-use tokens.
    fn one_time_tokens(&self) -> &dyn OneTimeTokenRepository;
    /// Invitations.
    fn invitations(&self) -> &dyn InvitationRepository;
    /// External identities (Google).
    fn identities(&self) -> &dyn IdentityRepository;
    /// Sign-in throttle counters.
    fn throttles(&self) -> &dyn ThrottleRepository;
    /// The security event log.
    fn audit(&self) -> &dyn AuditRepository;
    /// Sealed integration credentials.
    fn integrations(&self) -> &dyn IntegrationRepository;
    /// Data exports and the rows they stream.
    fn exports(&self) -> &dyn ExportRepository;
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
    /// Jobs of contractors.
    fn work_orders(&self) -> &dyn WorkOrderRepository;
    /// Notes.
    fn notes(&self) -> &dyn NoteRepository;
    /// Stored files' records.
    fn files(&self) -> &dyn FileRepository;
    /// Credit notes.
    fn credit_notes(&self) -> &dyn CreditNoteRepository;

    /// Commits every write of the unit.
    ///
    /// # Errors
    /// [`RepositoryError::Conflict`] on a serialization failure,
    /// [`RepositoryError::Unexpected`] otherwise; nothing was written then.
    async fn commit(self: Box<Self>) -> Result<(), RepositoryError>;
}
