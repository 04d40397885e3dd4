//! Ports: the traits through which the domain reaches storage, time and
//! cryptography. Adapters (named by technology) implement them; services
//! depend only on these traits.

pub mod clock;
pub mod idempotency;
pub mod jobs;
pub mod mailer;
pub mod repositories;
pub mod security;
pub mod store;

pub use clock::{Clock, ManualClock};
pub use idempotency::{IdempotencyRecord, IdempotencyRepository};
pub use jobs::{JobQueue, JobRepository};
pub use mailer::{Attachment, EmailMessage, MailError, Mailer};
pub use repositories::{
    ClientRepository, InvoiceFilter, InvoiceRepository, NumberingRepository, OrganizationRepository,
    RecurringInvoiceRepository, ReminderRepository, SessionRepository, UserRepository,
};
pub use security::{IdGenerator, Password, PasswordError, PasswordHash, PasswordHasher, TokenGenerator};
pub use store::{RepositoryError, Store, UnitOfWork};
