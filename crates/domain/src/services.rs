//! Use cases. Each takes the acting [`crate::access::user::Principal`] (which fixes
//! the tenant), checks its role through a capability handle, runs in one
//! unit of work, and returns a result or its own error enum.

pub mod delivery;

pub mod files;
pub mod notes;
pub mod organization;
pub mod scheduler;
pub mod work_orders;

use std::sync::Arc;

use crate::TenantId;
use crate::access::ports::PasswordHasher;
use crate::kernel::clock::Clock;
use crate::kernel::files::FileStore;
use crate::kernel::ids::IdGenerator;
use crate::kernel::repository::RepositoryError;
use crate::kernel::secrets::SecretBox;
use crate::kernel::tokens::TokenGenerator;
use crate::ports::{Store, UnitOfWork};
use crate::tenancy::Organization;

pub use crate::kernel::errors::Unexpected;
pub use delivery::DeliveryService;
pub use files::{FileRules, FileService};
pub use notes::NoteService;
pub use organization::OrganizationService;
pub use scheduler::SchedulerService;
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

/// Loads the tenant's organization inside a unit of work.
async fn organization(uow: &dyn UnitOfWork, tenant: TenantId) -> Result<Organization, RepositoryError> {
    uow.organizations()
        .get(tenant)
        .await?
        .ok_or_else(|| RepositoryError::Corrupt(format!("organization {tenant} is missing")))
}

/// Records a side effect to be performed after commit. The same `key`
/// enqueued twice is recorded once.
pub(crate) async fn enqueue(
    uow: &dyn UnitOfWork,
    ports: &Ports,
    tenant: TenantId,
    effect: crate::messaging::outbox::Effect,
    key: String,
) -> Result<bool, RepositoryError> {
    let job = crate::messaging::outbox::NewJob {
        id: ports.ids.new_uuid(),
        tenant_id: Some(tenant),
        effect,
        idempotency_key: key,
        run_at: ports.clock.now(),
        max_attempts: crate::messaging::outbox::DEFAULT_MAX_ATTEMPTS,
    };
    uow.jobs().enqueue(&job).await
}
