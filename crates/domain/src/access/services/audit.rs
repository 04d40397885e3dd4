//! The security event log: recording (inside the unit of work of the action
//! it records, so an event exists exactly when its action happened) and
//! reading (owners and admins only).

use std::sync::Arc;

use crate::access::audit::{Actor, AuditAction, AuditEvent, RequestOrigin};
use crate::access::ports::AccessUnit;
use crate::access::ports::{AccessStore, AuditFilter};
use crate::access::user::{Forbidden, Principal};
use crate::kernel::clock::Clock;
use crate::kernel::errors::{Unexpected, unexpected_from};
use crate::kernel::ids::IdGenerator;
use crate::kernel::pagination::{Page, PageRequest};
use crate::kernel::repository::RepositoryError;
use crate::{AuditEventId, TenantId};

/// Appends an event to the log inside `uow`, dated by `clock` and named by
/// `ids`; `build` adds target and details.
#[allow(clippy::too_many_arguments)] // the event's own fields, each needed
pub(super) async fn record(
    uow: &dyn AccessUnit,
    clock: &dyn Clock,
    ids: &dyn IdGenerator,
    tenant: TenantId,
    actor: Actor,
    action: AuditAction,
    origin: &RequestOrigin,
    build: impl FnOnce(AuditEvent) -> AuditEvent,
) -> Result<(), RepositoryError> {
    let event = build(AuditEvent::new(
        AuditEventId::from_uuid(ids.new_uuid()),
        tenant,
        clock.now(),
        actor,
        action,
        origin,
    ));
    uow.audit().append(&event).await
}

/// Why the log could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ListAuditEventsError {
    /// Only owners and admins read the log.
    #[error(transparent)]
    Forbidden(#[from] Forbidden),
    /// Storage failed.
    #[error(transparent)]
    Unexpected(Unexpected),
}

unexpected_from!(ListAuditEventsError);

/// Reading the security event log.
#[derive(Clone)]
pub struct AuditService {
    store: Arc<dyn AccessStore>,
}

impl AuditService {
    /// The service on the access store.
    #[must_use]
    pub fn new(store: Arc<dyn AccessStore>) -> Self {
        Self { store }
    }

    /// A page of the organization's events, newest first.
    ///
    /// # Errors
    /// See [`ListAuditEventsError`].
    pub async fn list(
        &self,
        who: &Principal,
        filter: AuditFilter,
        page: PageRequest,
    ) -> Result<Page<AuditEvent>, ListAuditEventsError> {
        let manager = who.manager("read the security log")?;
        let uow = self.store.begin().await?;
        Ok(uow.audit().list(manager.tenant(), filter, page).await?)
    }
}
