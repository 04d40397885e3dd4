//! The access use cases: accounts and sessions, the team, personal API
//! tokens, integrations, idempotent creates, the security log, and the
//! account emails the workers prepare.

pub mod accounts;
pub mod api_tokens;
pub mod audit;
pub mod delivery;
pub mod idempotency;
pub mod integrations;
pub mod team;

use chrono::{DateTime, Utc};

pub use accounts::{AccountPolicy, AccountService, Authenticated, Credential};
pub use api_tokens::ApiTokenService;
pub use audit::AuditService;
pub use delivery::AccountDelivery;
pub use idempotency::IdempotencyService;
pub use integrations::IntegrationService;
pub use team::TeamService;

use crate::TenantId;
use crate::access::ports::AccessUnit;
use crate::kernel::clock::Clock;
use crate::kernel::ids::IdGenerator;
use crate::kernel::repository::RepositoryError;
use crate::messaging::outbox::{DEFAULT_MAX_ATTEMPTS, Effect, NewJob};
use crate::privacy::policies::{EffectivePolicy, PolicyDefaults, PolicyKind};
use crate::tenancy::Organization;

/// Loads the tenant's organization inside a unit of work.
async fn organization(uow: &dyn AccessUnit, tenant: TenantId) -> Result<Organization, RepositoryError> {
    uow.organization(tenant)
        .await?
        .ok_or_else(|| RepositoryError::Corrupt(format!("organization {tenant} is missing")))
}

/// The version of a policy in force at `now`: the newest published one, or
/// the configured one while none is.
async fn in_force(
    uow: &dyn AccessUnit,
    defaults: &PolicyDefaults,
    kind: PolicyKind,
    now: DateTime<Utc>,
) -> Result<EffectivePolicy, RepositoryError> {
    let published = uow.published_policy(kind, now).await?;
    Ok(defaults.in_force(kind, published.as_ref()))
}

/// Records a side effect to be performed after commit. The same `key`
/// enqueued twice is recorded once.
async fn enqueue(
    uow: &dyn AccessUnit,
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

#[cfg(test)]
mod tests;
