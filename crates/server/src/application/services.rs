//! Every use case, wired on its ports: the one place that knows which
//! adapter serves which port of which area.

use std::sync::Arc;

use fakturo_database::{SqlDataMap, SqlStore};
use fakturo_domain::access::ports::AccessStore;
use fakturo_domain::access::ports::PasswordHasher;
use fakturo_domain::access::services::{
    AccountDelivery, AccountPolicy, AccountService, ApiTokenService, AuditService, IdempotencyService,
    IntegrationService, TeamService,
};
use fakturo_domain::invoicing::ports::InvoicingStore;
use fakturo_domain::invoicing::services::{
    ClientService, CreditNoteService, DocumentService, InvoiceDelivery, InvoiceService, InvoicingScheduler,
    RecurringService, ReminderService,
};
use fakturo_domain::kernel::clock::Clock;
use fakturo_domain::kernel::files::FileStore;
use fakturo_domain::kernel::ids::IdGenerator;
use fakturo_domain::kernel::secrets::SecretBox;
use fakturo_domain::kernel::tokens::TokenGenerator;
use fakturo_domain::privacy::ports::PrivacyStore;
use fakturo_domain::privacy::processing_record::{RecordParty, RecordRecipient};
use fakturo_domain::privacy::retention::RetentionPolicy;
use fakturo_domain::privacy::services::IncidentService;
use fakturo_domain::privacy::services::{
    ClientPrivacyService, ClosureService, ConsentService, DataMapService, ExportService, MarketingService,
    PolicyService, PrivacyDelivery, PrivacyRequestService, ProcessingRecordService, RetentionService,
    UserErasureService,
};
use fakturo_domain::tenancy::ports::TenancyStore;
use fakturo_domain::tenancy::services::OrganizationService;
use fakturo_domain::work::ports::WorkStore;
use fakturo_domain::work::services::{FileRules, FileService, NoteService, WorkDelivery, WorkOrderService};

use super::billing::Billing;
use super::delivery::DeliveryService;
use super::scheduler::SchedulerService;
use fakturo_domain::billing::services::BillingDelivery;
use fakturo_domain::privacy::requests::DeadlineRule;

/// The adapters of the ports that are not stores, as the server builds them.
#[derive(Clone)]
pub struct Adapters {
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

/// All use cases.
#[derive(Clone)]
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
    pub client_privacy: ClientPrivacyService,
    /// Data exports.
    pub exports: ExportService,
    /// Account closure and reopening.
    pub closure: ClosureService,
    /// One person's account erasure.
    pub user_erasure: UserErasureService,
    /// The retention sweeper.
    pub retention: RetentionService,
    /// The data map of every stored field.
    pub data_map: DataMapService,
    /// The record of processing activities (Art. 30).
    pub processing_record: ProcessingRecordService,
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
    /// Stored files and archives, for the workers that stream them.
    pub file_store: Arc<dyn FileStore>,
    /// Privacy units of work, for the export worker that streams the rows.
    pub privacy_store: Arc<dyn PrivacyStore>,
    /// Policy versions and acceptances.
    pub policies: PolicyService,
    /// The incident register.
    pub incidents: IncidentService,
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
    /// Online payments, subscriptions, entitlements and provider webhooks.
    pub billing: Billing,
}

/// What the privacy services take from the configuration.
#[derive(Clone, Debug)]
pub struct PrivacyRules {
    /// When privacy requests are due.
    pub deadline: DeadlineRule,
    /// The deployment's operator, as the records of processing name them.
    pub operator: RecordParty,
    /// The sub-processor register.
    pub subprocessors: Vec<RecordRecipient>,
}

impl Services {
    /// Builds every service on the SQL store and the shared ports; billing
    /// comes wired from its settings.
    #[must_use]
    pub fn new(
        sql: &Arc<SqlStore>,
        ports: Adapters,
        policy: AccountPolicy,
        retention: RetentionPolicy,
        files: FileRules,
        rules: PrivacyRules,
        billing: Billing,
    ) -> Self {
        let invoicing: Arc<dyn InvoicingStore> = sql.clone();
        let access: Arc<dyn AccessStore> = sql.clone();
        let privacy: Arc<dyn PrivacyStore> = sql.clone();
        let work: Arc<dyn WorkStore> = sql.clone();
        let tenancy: Arc<dyn TenancyStore> = sql.clone();
        let (clock, ids, tokens) = (ports.clock.clone(), ports.ids.clone(), ports.tokens.clone());
        let (passwords, secrets) = (ports.passwords.clone(), ports.secrets.clone());
        let defaults = policy.policies.clone();
        let accounts = AccountService::new(
            access.clone(),
            clock.clone(),
            ids.clone(),
            tokens.clone(),
            passwords.clone(),
            policy,
        );
        let files_port = ports.files.clone();
        let sweeper = RetentionService::new(privacy.clone(), clock.clone(), files_port.clone(), retention.clone());
        let privacy_requests = PrivacyRequestService::new(privacy.clone(), clock.clone(), ids.clone(), rules.deadline);
        let invoicing_scheduler =
            InvoicingScheduler::new(invoicing.clone(), clock.clone(), ids.clone(), tokens.clone());
        let billing_store = billing.store.clone();
        Self {
            client_privacy: ClientPrivacyService::new(
                privacy.clone(),
                clock.clone(),
                ids.clone(),
                files_port.clone(),
                retention.statutory.clone(),
            ),
            exports: ExportService::new(privacy.clone(), clock.clone(), ids.clone(), retention.export_days),
            closure: ClosureService::new(
                privacy.clone(),
                clock.clone(),
                ids.clone(),
                accounts.clone(),
                retention.closure_grace_days,
            ),
            user_erasure: UserErasureService::new(
                privacy.clone(),
                clock.clone(),
                ids.clone(),
                files_port.clone(),
                accounts.clone(),
            ),
            retention: sweeper.clone(),
            data_map: DataMapService::new(Arc::new(SqlDataMap), retention.clone()),
            processing_record: ProcessingRecordService::new(
                privacy.clone(),
                clock.clone(),
                Arc::new(SqlDataMap),
                retention.clone(),
                rules.operator,
                rules.subprocessors,
            ),
            policies: PolicyService::new(privacy.clone(), clock.clone(), ids.clone(), defaults.clone()),
            incidents: IncidentService::new(privacy.clone(), clock.clone(), ids.clone()),
            consent: ConsentService::new(privacy.clone(), clock.clone(), ids.clone(), defaults),
            privacy_requests: privacy_requests.clone(),
            marketing: MarketingService::new(privacy.clone(), clock.clone(), ids.clone()),
            work_orders: WorkOrderService::new(work.clone(), clock.clone(), ids.clone(), files_port.clone()),
            notes: NoteService::new(work.clone(), clock.clone(), ids.clone(), files_port.clone()),
            files: FileService::new(work.clone(), clock.clone(), ids.clone(), files_port.clone(), files),
            credit_notes: CreditNoteService::new(invoicing.clone(), clock.clone(), ids.clone()),
            documents: DocumentService::new(invoicing.clone(), clock.clone()),
            organization: OrganizationService::new(tenancy),
            team: TeamService::new(access.clone(), clock.clone(), ids.clone(), passwords, accounts.clone()),
            accounts,
            api_tokens: ApiTokenService::new(access.clone(), clock.clone(), ids.clone(), tokens.clone()),
            audit: AuditService::new(access.clone()),
            billing,
            integrations: IntegrationService::new(access.clone(), clock.clone(), ids.clone(), secrets),
            clients: ClientService::new(invoicing.clone(), clock.clone(), ids.clone(), ports.files.clone()),
            invoices: InvoiceService::new(
                invoicing.clone(),
                clock.clone(),
                ids.clone(),
                tokens.clone(),
                retention.statutory.clone(),
            ),
            idempotency: IdempotencyService::new(access.clone(), clock.clone()),
            recurring: RecurringService::new(invoicing.clone(), clock.clone(), ids),
            reminders: ReminderService::new(invoicing.clone(), clock.clone()),
            scheduler: SchedulerService::new(invoicing_scheduler, sweeper, privacy_requests),
            delivery: DeliveryService::new(
                AccountDelivery::new(access, clock.clone(), tokens.clone()),
                PrivacyDelivery::new(privacy.clone(), clock.clone(), tokens.clone()),
                WorkDelivery::new(work),
                InvoiceDelivery::new(invoicing, clock),
                BillingDelivery::new(billing_store),
            ),
            privacy_store: privacy,
            file_store: ports.files,
        }
    }
}
