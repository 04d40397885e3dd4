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

use crate::kernel::clock::Clock;
use crate::kernel::errors::Unexpected;
use crate::kernel::files::{FileStore, ObjectKey};
use crate::kernel::ids::IdGenerator;
use crate::kernel::repository::RepositoryError;
use crate::messaging::outbox::{DEFAULT_MAX_ATTEMPTS, Effect, NewJob};
use crate::work::notes::Subject;
use crate::work::ports::WorkUnit;
use crate::{ClientId, TenantId};

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

/// The client a subject belongs to, if the subject exists in the tenant.
async fn client_of(
    uow: &dyn WorkUnit,
    tenant: TenantId,
    subject: Subject,
) -> Result<Option<ClientId>, RepositoryError> {
    Ok(match subject {
        Subject::Client(id) => uow.client(tenant, id).await?.map(|c| c.id),
        Subject::Invoice(id) => uow.invoice_client(tenant, id).await?,
        Subject::WorkOrder(id) => uow.work_orders().get(tenant, id).await?.map(|j| j.client_id),
        Subject::Note(id) => uow.notes().get(tenant, id).await?.map(|n| n.client_id),
    })
}

/// What [`remove_subject_content`] deleted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct RemovedContent {
    /// Files (records and bytes).
    pub files: u64,
    /// Notes.
    pub notes: u64,
}

/// Deletes, inside `uow`, the notes and files attached to `subject` (and the
/// files attached to those notes), then the files' bytes. The bytes go
/// before the caller commits: if the commit fails, the records are still
/// there and the caller's retry deletes them again, whereas bytes deleted
/// after a commit that a crash interrupted would stay behind unreferenced.
async fn remove_subject_content(
    uow: &dyn crate::work::ports::WorkUnit,
    store: &dyn FileStore,
    tenant: crate::TenantId,
    subject: Subject,
) -> Result<RemovedContent, Unexpected> {
    let notes = uow.notes().for_subject(tenant, subject).await?;
    let mut files = uow.files().for_subject(tenant, subject).await?;
    for note in &notes {
        files.extend(uow.files().for_subject(tenant, Subject::Note(note.id)).await?);
        uow.notes().delete(tenant, note.id).await?;
    }
    for file in &files {
        uow.files().delete(tenant, file.id).await?;
    }
    for file in &files {
        store
            .delete(&ObjectKey::tenant_file(tenant, file.id.as_uuid()))
            .await
            .map_err(|e| Unexpected(Box::new(e)))?;
    }
    Ok(RemovedContent {
        files: u64::try_from(files.len()).unwrap_or(u64::MAX),
        notes: u64::try_from(notes.len()).unwrap_or(u64::MAX),
    })
}
