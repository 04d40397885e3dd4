//! The security event log: recording (inside the unit of work of the action
//! it records, so an event exists exactly when its action happened) and
//! reading (owners and admins only).

use super::Ports;
use crate::access::audit::{Actor, AuditAction, AuditEvent, RequestOrigin};
use crate::access::ports::AuditFilter;
use crate::access::user::{Forbidden, Principal};
use crate::kernel::errors::{Unexpected, unexpected_from};
use crate::kernel::pagination::{Page, PageRequest};
use crate::kernel::repository::RepositoryError;
use crate::ports::UnitOfWork;
use crate::{AuditEventId, TenantId};

/// Appends an event to the log inside `uow`; `build` adds target and details.
pub(crate) async fn record(
    uow: &dyn UnitOfWork,
    ports: &Ports,
    tenant: TenantId,
    actor: Actor,
    action: AuditAction,
    origin: &RequestOrigin,
    build: impl FnOnce(AuditEvent) -> AuditEvent,
) -> Result<(), RepositoryError> {
    let event = build(AuditEvent::new(
        AuditEventId::from_uuid(ports.ids.new_uuid()),
        tenant,
        ports.clock.now(),
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
#[derive(Clone, Debug)]
pub struct AuditService {
    ports: Ports,
}

impl AuditService {
    /// The service on `ports`.
    #[must_use]
    pub fn new(ports: Ports) -> Self {
        Self { ports }
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
        let uow = self.ports.store.begin().await?;
        Ok(uow.audit().list(manager.tenant(), filter, page).await?)
    }
}
