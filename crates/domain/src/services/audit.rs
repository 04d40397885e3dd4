//! Recording security events inside the unit of work of the action they
//! record (for the use cases not yet on their area's unit of work).

use super::Ports;
use crate::access::audit::{Actor, AuditAction, AuditEvent, RequestOrigin};
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
