//! The work use cases: contractors' jobs, notes, stored files, and the
//! courtesy emails about jobs the workers prepare.

pub mod delivery;
pub mod files;
pub mod notes;
pub mod work_orders;

pub use delivery::WorkDelivery;
pub use files::{FileRules, FileService};
pub use notes::NoteService;
pub use work_orders::WorkOrderService;

use crate::TenantId;
use crate::kernel::clock::Clock;
use crate::kernel::ids::IdGenerator;
use crate::kernel::repository::RepositoryError;
use crate::messaging::outbox::{DEFAULT_MAX_ATTEMPTS, Effect, NewJob};
use crate::work::ports::WorkUnit;

/// Records a side effect to be performed after commit. The same `key`
/// enqueued twice is recorded once.
async fn enqueue(
    uow: &dyn WorkUnit,
    clock: &dyn Clock,
    ids: &dyn IdGenerator,
    tenant: TenantId,
    effect: Effect,
    key: String,
) -> Result<bool, RepositoryError> {
    uow.enqueue(&NewJob {
        id: ids.new_uuid(),
        tenant_id: Some(tenant),
        effect,
        idempotency_key: key,
        run_at: clock.now(),
        max_attempts: DEFAULT_MAX_ATTEMPTS,
    })
    .await
}
