//! Use cases. Each takes the acting [`crate::access::user::Principal`] (which fixes
//! the tenant), checks its role through a capability handle, runs in one
//! unit of work, and returns a result or its own error enum.

pub mod accounts;
pub mod api_tokens;
pub mod audit;
pub mod client_privacy;
pub mod clients;
pub mod closure;
pub mod consent;
pub mod credit_notes;
pub mod delivery;
pub mod documents;

pub mod exports;
pub mod external;
pub mod files;
pub mod idempotency;
pub mod integrations;
pub mod invoices;
mod issuing;
pub mod links;
pub mod marketing;
pub mod notes;
pub mod organization;
pub mod policies;
pub mod privacy_requests;
pub mod recurring;
pub mod reminders;
pub mod retention;
pub mod scheduler;
pub mod sessions;
pub mod team;
pub mod work_orders;

use std::sync::Arc;

use chrono::NaiveDate;

use crate::TenantId;
use crate::access::ports::{PasswordHasher, SecretBox, TokenGenerator};
use crate::kernel::clock::Clock;
use crate::kernel::files::FileStore;
use crate::kernel::ids::IdGenerator;
use crate::kernel::repository::RepositoryError;
use crate::ports::{Store, UnitOfWork};
use crate::privacy::retention::RetentionPolicy;
use crate::tenancy::Organization;

pub use crate::kernel::errors::Unexpected;
pub use accounts::{AccountPolicy, AccountService};
pub use api_tokens::ApiTokenService;
pub use audit::AuditService;
pub use clients::ClientService;
pub use consent::ConsentService;
pub use credit_notes::CreditNoteService;
pub use delivery::DeliveryService;
pub use documents::DocumentService;
pub use files::{FileRules, FileService};
pub use idempotency::IdempotencyService;
pub use integrations::IntegrationService;
pub use invoices::InvoiceService;
pub use marketing::MarketingService;
pub use notes::NoteService;
pub use organization::OrganizationService;
pub use policies::PolicyService;
pub use privacy_requests::PrivacyRequestService;
pub use recurring::RecurringService;
pub use reminders::ReminderService;
pub use scheduler::SchedulerService;
pub use team::TeamService;
pub use work_orders::WorkOrderService;

/// Everything the services need from the outside world.
#[derive(Clone)]
pub struct Ports {
    /// Transactions and repositories.
    pub store: Arc<dyn Store>,
    /// The current time.
    pub clock: Arc<dyn Clock>,
    /// New ids.
    pub ids: Arc<dyn IdGenerator>,
    /// New secret tokens.
    pub tokens: Arc<dyn TokenGenerator>,
    /// Password hashing.
    pub passwords: Arc<dyn PasswordHasher>,
    /// Sealing secrets at rest.
    pub secrets: Arc<dyn SecretBox>,
    /// Stored files and archives.
    pub files: Arc<dyn FileStore>,
}

impl std::fmt::Debug for Ports {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Ports")
    }
}

/// All use cases, sharing one set of ports.
#[derive(Clone, Debug)]
pub struct Services {
    /// Sign-up, sign-in, sessions, emailed links, Google.
    pub accounts: AccountService,
    /// Invitations and the team.
    pub team: TeamService,
    /// Personal API tokens.
    pub api_tokens: ApiTokenService,
    /// The security event log.
    pub audit: AuditService,
    /// Integrations (Stripe) and key rotation.
    pub integrations: IntegrationService,
    /// Restriction, objection and erasure of clients' data.
    pub client_privacy: client_privacy::ClientPrivacyService,
    /// Data exports.
    pub exports: exports::ExportService,
    /// Account closure and reopening.
    pub closure: closure::ClosureService,
    /// The retention sweeper.
    pub retention: retention::RetentionService,
    /// Clients.
    pub clients: ClientService,
    /// Invoices and payments.
    pub invoices: InvoiceService,
    /// Idempotent creates.
    pub idempotency: IdempotencyService,
    /// Recurring invoices.
    pub recurring: RecurringService,
    /// Payment reminder settings.
    pub reminders: ReminderService,
    /// The scheduler's runs.
    pub scheduler: SchedulerService,
    /// Email delivery for workers.
    pub delivery: DeliveryService,
    /// The ports every service shares (for workers that stream data and files).
    pub ports: Ports,
    /// Policy versions and acceptances.
    pub policies: PolicyService,
    /// The consent ledger and consented analytics.
    pub consent: ConsentService,
    /// Privacy requests.
    pub privacy_requests: PrivacyRequestService,
    /// The operator's product updates.
    pub marketing: MarketingService,
    /// Jobs of contractors.
    pub work_orders: WorkOrderService,
    /// Notes on clients, invoices and jobs.
    pub notes: NoteService,
    /// Stored files.
    pub files: FileService,
    /// Credit notes (voiding invoices).
    pub credit_notes: CreditNoteService,
    /// What invoice, credit note and reminder documents show.
    pub documents: DocumentService,
    /// The organization's settings and profile.
    pub organization: OrganizationService,
}

impl Services {
    /// Builds every service on the same ports.
    #[must_use]
    pub fn new(ports: Ports, policy: AccountPolicy, retention: RetentionPolicy, files: FileRules) -> Self {
        let defaults = policy.policies.clone();
        let accounts = AccountService::new(ports.clone(), policy);
        let sweeper = retention::RetentionService::new(ports.clone(), retention.clone());
        Self {
            client_privacy: client_privacy::ClientPrivacyService::new(ports.clone(), retention.statutory.clone()),
            exports: exports::ExportService::new(ports.clone(), retention.export_days),
            closure: closure::ClosureService::new(ports.clone(), retention.closure_grace_days),
            retention: sweeper.clone(),
            policies: PolicyService::new(ports.clone(), defaults.clone()),
            consent: ConsentService::new(ports.clone(), defaults),
            privacy_requests: PrivacyRequestService::new(ports.clone()),
            marketing: MarketingService::new(ports.clone()),
            work_orders: WorkOrderService::new(ports.clone()),
            notes: NoteService::new(ports.clone()),
            files: FileService::new(ports.clone(), files),
            credit_notes: CreditNoteService::new(ports.clone()),
            documents: DocumentService::new(ports.clone()),
            organization: OrganizationService::new(ports.clone()),
            team: TeamService::new(ports.clone(), accounts.clone()),
            accounts,
            api_tokens: ApiTokenService::new(ports.clone()),
            audit: AuditService::new(ports.clone()),
            integrations: IntegrationService::new(ports.clone()),
            clients: ClientService::new(ports.clone()),
            invoices: InvoiceService::new(ports.clone(), retention.statutory.clone()),
            idempotency: IdempotencyService::new(ports.clone()),
            recurring: RecurringService::new(ports.clone()),
            reminders: ReminderService::new(ports.clone()),
            scheduler: SchedulerService::new(ports.clone(), sweeper),
            delivery: DeliveryService::new(ports.clone()),
            ports,
        }
    }
}

/// Loads the tenant's organization inside a unit of work.
async fn organization(uow: &dyn UnitOfWork, tenant: TenantId) -> Result<Organization, RepositoryError> {
    uow.organizations()
        .get(tenant)
        .await?
        .ok_or_else(|| RepositoryError::Corrupt(format!("organization {tenant} is missing")))
}

/// Today's date in the tenant's time zone.
fn today(ports: &Ports, organization: &Organization) -> NaiveDate {
    organization.time_zone.date_at(ports.clock.now())
}

/// The end of a finalized invoice's statutory retention: counted from its
/// issue date (`today` while it has none) or, when a credit note was issued
/// later, from the credit note's, which is kept for its own full period.
async fn statutory_hold_end(
    uow: &dyn UnitOfWork,
    statutory: &crate::privacy::retention::StatutoryPeriods,
    organization: &Organization,
    invoice: &crate::invoicing::invoice::Invoice,
    today: NaiveDate,
) -> Result<NaiveDate, RepositoryError> {
    let credited = uow
        .credit_notes()
        .for_invoice(organization.id, invoice.id)
        .await?
        .map(|c| c.issue_date);
    let issued = invoice
        .content
        .issue_date
        .unwrap_or(today)
        .max(credited.unwrap_or_default());
    Ok(statutory.hold_until(organization.country, issued))
}
