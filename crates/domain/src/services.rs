//! Use cases. Each takes the acting [`crate::user::Principal`] (which fixes
//! the tenant), checks its role through a capability handle, runs in one
//! unit of work, and returns a result or its own error enum.

pub mod accounts;
pub mod clients;
pub mod errors;
pub mod idempotency;
pub mod invoices;

use std::sync::Arc;

use chrono::NaiveDate;

use crate::TenantId;
use crate::ports::{Clock, IdGenerator, PasswordHasher, RepositoryError, Store, TokenGenerator, UnitOfWork};
use crate::tenant::Organization;

pub use accounts::{AccountPolicy, AccountService};
pub use clients::ClientService;
pub use errors::Unexpected;
pub use idempotency::IdempotencyService;
pub use invoices::InvoiceService;

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
}

impl Services {
    /// Builds every service on the same ports.
    #[must_use]
    pub fn new(ports: Ports, policy: AccountPolicy) -> Self {
        Self {
            accounts: AccountService::new(ports.clone(), policy),
            clients: ClientService::new(ports.clone()),
            invoices: InvoiceService::new(ports.clone()),
            idempotency: IdempotencyService::new(ports),
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
