//! The scheduler's part in privacy requests: once a day per organization,
//! each owner is emailed the list of cases open past their due date (one
//! job per owner and the organization's day, so repeated runs queue
//! nothing new), and submissions from the public form whose link expired
//! are deleted.

use super::PrivacyRequestService;
use crate::TenantId;
use crate::access::user::Role;
use crate::kernel::errors::Unexpected;
use crate::kernel::pagination::PageRequest;
use crate::messaging::outbox::Effect;
use crate::privacy::ports::PrivacyRequestFilter;
use crate::privacy::services::{organization, today};

/// What the privacy part of a scheduler run did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OverdueReport {
    /// Organizations with overdue cases.
    pub tenants_with_overdue: usize,
    /// Notices queued for owners (none when queued before today).
    pub notices_queued: usize,
    /// Expired public submissions deleted.
    pub submissions_purged: u64,
}

impl PrivacyRequestService {
    /// Queues today's overdue notices and purges expired submissions, as of the clock's now.
    ///
    /// # Errors
    /// [`Unexpected`] when storage fails; work committed before the failure stays.
    pub async fn run_due(&self) -> Result<OverdueReport, Unexpected> {
        let now = self.clock.now();
        let mut report = OverdueReport::default();
        // The furthest-ahead time zone is at most 14 hours past UTC.
        let horizon = (now + chrono::TimeDelta::hours(14)).date_naive();
        let tenants = {
            let uow = self.store.begin().await?;
            uow.privacy_requests().tenants_with_open_due_before(horizon).await?
        };
        for tenant in tenants {
            let queued = self.queue_overdue_notices(tenant).await?;
            if let Some(queued) = queued {
                report.tenants_with_overdue += 1;
                report.notices_queued += queued;
            }
        }
        let uow = self.store.begin().await?;
        report.submissions_purged = uow.privacy_submissions().delete_expired(now).await?;
        uow.commit().await?;
        Ok(report)
    }

    /// `None` when the tenant has no overdue case today, else the notices queued now.
    async fn queue_overdue_notices(&self, tenant: TenantId) -> Result<Option<usize>, Unexpected> {
        let uow = self.store.begin().await?;
        let today = today(self.clock.as_ref(), &organization(uow.as_ref(), tenant).await?);
        let filter = PrivacyRequestFilter {
            status: None,
            overdue: Some((true, today)),
        };
        let one = PageRequest { limit: 1, after: None };
        if uow.privacy_requests().list(tenant, filter, one).await?.items.is_empty() {
            return Ok(None);
        }
        let mut queued = 0;
        let mut page = PageRequest::first();
        loop {
            let users = uow.users(tenant, page).await?;
            for owner in users.items.iter().filter(|user| user.role == Role::Owner) {
                let effect = Effect::SendOverduePrivacyRequests {
                    owner_id: owner.id,
                    on: today,
                };
                if crate::privacy::services::enqueue(
                    uow.as_ref(),
                    self.clock.as_ref(),
                    self.ids.as_ref(),
                    tenant,
                    effect,
                    format!("privacy-overdue:{tenant}:{today}:{}", owner.id),
                )
                .await?
                {
                    queued += 1;
                }
            }
            match users.next_cursor {
                Some(cursor) => {
                    page = PageRequest::new(None, Some(&cursor)).map_err(|errors| Unexpected(Box::new(errors)))?;
                }
                None => break,
            }
        }
        uow.commit().await?;
        Ok(Some(queued))
    }
}
