//! Use cases. Each takes the acting [`crate::user::Principal`] (which fixes
//! the tenant), checks its role through a capability handle, runs in one
//! unit of work, and returns a result or its own error enum.

pub mod accounts;
pub mod clients;
pub mod delivery;
pub mod errors;
pub mod idempotency;
pub mod invoices;
mod issuing;
pub mod recurring;
pub mod reminders;
pub mod scheduler;

use std::sync::Arc;

use chrono::NaiveDate;

use crate::TenantId;
use crate::ports::{Clock, IdGenerator, PasswordHasher, RepositoryError, Store, TokenGenerator, UnitOfWork};
use crate::tenant::Organization;

pub use accounts::{AccountPolicy, AccountService};
pub use clients::ClientService;
pub use delivery::DeliveryService;
pub use errors::Unexpected;
pub use idempotency::IdempotencyService;
pub use invoices::InvoiceService;
pub use recurring::RecurringService;
pub use reminders::ReminderService;
pub use scheduler::SchedulerService;

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
}

impl std::fmt::Debug for Ports {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Ports")
    }
}

/// All use cases, sharing one set of ports.
#[derive(Clone, Debug)]
pub struct Services {
    /// Sign-up, sign-in, sessions.
    pub accounts: AccountService,
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
}

impl Services {
    /// Builds every service on the same ports.
    #[must_use]
    pub fn new(ports: Ports, policy: AccountPolicy) -> Self {
        Self {
            accounts: AccountService::new(ports.clone(), policy),
            clients: ClientService::new(ports.clone()),
            invoices: InvoiceService::new(ports.clone()),
            idempotency: IdempotencyService::new(ports.clone()),
            recurring: RecurringService::new(ports.clone()),
            reminders: ReminderService::new(ports.clone()),
            scheduler: SchedulerService::new(ports.clone()),
            delivery: DeliveryService::new(ports),
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
