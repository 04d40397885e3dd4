//! Ports: the traits through which the domain reaches storage, time and
//! cryptography. Adapters (named by technology) implement them; services
//! depend only on these traits.

pub mod access;
pub mod clock;
pub mod content;
pub mod data_rights;
pub mod files;
pub mod idempotency;
pub mod jobs;
pub mod mailer;
pub mod privacy;
pub mod repositories;
pub mod secrets;
pub mod security;
pub mod store;

pub use access::{
    ApiTokenRepository, AuditFilter, AuditRepository, ExternalIdentity, IdentityRepository, IntegrationRepository,
    InvitationRepository, OneTimeTokenRepository, ThrottleRepository,
};
pub use clock::{Clock, ManualClock};
pub use content::{CreditNoteRepository, FileRepository, NoteRepository, WorkOrderRepository};
pub use data_rights::{ErasureRecord, Expiry, ExportRepository, ExportTable, PrivacyRepository, RowSink};
pub use files::{ChunkSource, FileStore, FileStoreError, InvalidObjectKey, KeyPrefix, ObjectKey, ObjectReader};
pub use idempotency::{IdempotencyRecord, IdempotencyRepository};
pub use jobs::{JobQueue, JobRepository};
pub use mailer::{Attachment, EmailMessage, MailError, Mailer};
pub use privacy::{
    AnalyticsRepository, ConsentRepository, PolicyRepository, PrivacyRequestFilter, PrivacyRequestRepository,
    PrivacySubmissionRepository, SubmissionConfirmation,
};
pub use repositories::{
    ClientRepository, InvoiceFilter, InvoiceRepository, NumberingRepository, OrganizationRepository,
    RecurringInvoiceRepository, ReminderRepository, SessionRepository, UserRepository,
};
pub use secrets::{RevealedSecret, SealedSecret, SecretBox, SecretError};
pub use security::{IdGenerator, Password, PasswordError, PasswordHash, PasswordHasher, TokenGenerator};
pub use store::{RepositoryError, Store, UnitOfWork};
