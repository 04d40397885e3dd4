//! The organization as the in-memory billing store knows it: owners,
//! names, queued jobs and closure windows; and ids for tests.

use std::sync::atomic::{AtomicU64, Ordering};

use async_trait::async_trait;
use uuid::Uuid;

use super::MemoryBillingUnit;
use crate::TenantId;
use crate::billing::notices::BillingContact;
use crate::billing::ports::OrganizationOwners;
use crate::kernel::ids::IdGenerator;
use crate::kernel::repository::RepositoryError;
use crate::messaging::outbox::NewJob;
use crate::tenancy::organization::Closure;

#[async_trait]
impl OrganizationOwners for MemoryBillingUnit {
    async fn owners(&self, tenant: TenantId) -> Result<Vec<BillingContact>, RepositoryError> {
        Ok(self.state().owners.get(&tenant).cloned().unwrap_or_default())
    }

    async fn organization_name(&self, tenant: TenantId) -> Result<Option<String>, RepositoryError> {
        Ok(self.state().organization_names.get(&tenant).cloned())
    }

    async fn queue(&self, job: &NewJob) -> Result<bool, RepositoryError> {
        let mut state = self.state();
        if state
            .jobs
            .iter()
            .any(|queued| queued.idempotency_key == job.idempotency_key)
        {
            return Ok(false);
        }
        state.jobs.push(job.clone());
        Ok(true)
    }

    async fn start_closure(&self, tenant: TenantId, closure: Closure) -> Result<bool, RepositoryError> {
        let mut state = self.state();
        if state.closures.contains_key(&tenant) {
            return Ok(false);
        }
        state.closures.insert(tenant, closure);
        Ok(true)
    }
}

/// Ids that count up, so later ids sort after earlier ones (as UUID v7 do).
#[derive(Debug, Default)]
pub struct CountingIds(AtomicU64);

impl IdGenerator for CountingIds {
    fn new_uuid(&self) -> Uuid {
        let n = self.0.fetch_add(1, Ordering::SeqCst) + 1;
        Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0000 | u128::from(n))
    }
}
