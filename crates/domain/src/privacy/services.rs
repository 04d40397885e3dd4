//! The privacy use cases: restriction, objection and erasure of clients'
//! data, exports, account closure and the retention sweeper, the consent
//! ledger, policy versions, privacy requests, the operator's product
//! updates, the data map and the record of processing, one person's account
//! erasure, and the privacy emails the workers prepare.

pub mod client_privacy;
pub mod closure;
pub mod consent;
pub mod data_map;
pub mod delivery;
pub mod exports;
pub mod incidents;
pub mod marketing;
pub mod policies;
pub mod privacy_requests;
pub mod processing_record;
pub mod retention;
pub mod user_erasure;

#[cfg(test)]
mod tests;

use chrono::NaiveDate;

pub use client_privacy::ClientPrivacyService;
pub use closure::ClosureService;
pub use consent::ConsentService;
pub use data_map::DataMapService;
pub use delivery::PrivacyDelivery;
pub use exports::ExportService;
pub use incidents::IncidentService;
pub use marketing::MarketingService;
pub use policies::PolicyService;
pub use privacy_requests::PrivacyRequestService;
pub use processing_record::ProcessingRecordService;
pub use retention::RetentionService;
pub use user_erasure::UserErasureService;

use crate::access::audit::{Actor, AuditAction, AuditEvent, RequestOrigin};
use crate::invoicing::invoice::Invoice;
use crate::kernel::clock::Clock;
use crate::kernel::ids::IdGenerator;
use crate::kernel::repository::RepositoryError;
use crate::messaging::outbox::{DEFAULT_MAX_ATTEMPTS, Effect, NewJob};
use crate::privacy::ports::PrivacyUnit;
use crate::privacy::retention::StatutoryPeriods;
use crate::tenancy::Organization;
use crate::{AuditEventId, TenantId};

/// Loads the tenant's organization inside a unit of work.
pub(crate) async fn organization(uow: &dyn PrivacyUnit, tenant: TenantId) -> Result<Organization, RepositoryError> {
    uow.organization(tenant)
        .await?
        .ok_or_else(|| RepositoryError::Corrupt(format!("organization {tenant} is missing")))
}

/// Today's date in the tenant's time zone.
pub(crate) fn today(clock: &dyn Clock, organization: &Organization) -> NaiveDate {
    organization.time_zone.date_at(clock.now())
}

/// Records a side effect to be performed after commit. The same `key`
/// enqueued twice is recorded once.
pub(crate) async fn enqueue(
    uow: &dyn PrivacyUnit,
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

/// Appends an event to the security log inside `uow`, dated by `clock` and
/// named by `ids`; `build` adds target and details.
#[allow(clippy::too_many_arguments)] // the event's own fields, each needed
pub(crate) async fn record(
    uow: &dyn PrivacyUnit,
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
    uow.record_audit(&event).await
}

/// The end of a finalized invoice's statutory retention: counted from its
/// issue date (`today` while it has none) or, when a credit note was issued
/// later, from the credit note's, which is kept for its own full period.
pub(crate) async fn statutory_hold_end(
    uow: &dyn PrivacyUnit,
    statutory: &StatutoryPeriods,
    organization: &Organization,
    invoice: &Invoice,
    today: NaiveDate,
) -> Result<NaiveDate, RepositoryError> {
    let credited = uow.credit_note_date(organization.id, invoice.id).await?;
    Ok(statutory.invoice_hold_until(organization.country, invoice.content.issue_date, credited, today))
}
