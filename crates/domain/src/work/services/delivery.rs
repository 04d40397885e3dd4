//! Job status updates to the client: a courtesy email, sent only while the
//! client allows it (`privacy::may_process`) and only for the status the
//! job still has when the email goes out.

use std::sync::Arc;

use crate::TenantId;
use crate::kernel::errors::Unexpected;
use crate::messaging::delivery::{Notice, Outgoing, Prepared};
use crate::messaging::outbox::Job;
use crate::privacy::{Processing, may_process};
use crate::work::WorkStatus;
use crate::work::ports::WorkStore;

/// Prepares the courtesy emails about jobs.
#[derive(Clone)]
pub struct WorkDelivery {
    store: Arc<dyn WorkStore>,
}

impl std::fmt::Debug for WorkDelivery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("WorkDelivery")
    }
}

impl WorkDelivery {
    /// The preparation on the work store.
    #[must_use]
    pub fn new(store: Arc<dyn WorkStore>) -> Self {
        Self { store }
    }

    /// What a job update email sends now: the job's current status, or
    /// nothing once it moved on, the client objected or has no address.
    ///
    /// # Errors
    /// [`Unexpected`] when storage fails (the job is retried).
    pub async fn prepare_work_update(
        &self,
        job: &Job,
        tenant: TenantId,
        work_order_id: uuid::Uuid,
        status: WorkStatus,
    ) -> Result<Prepared, Unexpected> {
        let uow = self.store.begin().await?;
        let Some(work) = uow.work_orders().get(tenant, work_order_id).await? else {
            return Ok(Prepared::Skip("the job no longer exists"));
        };
        // A job that moved on since sends only its latest update.
        if work.status != status {
            return Ok(Prepared::Skip("the job moved on since"));
        }
        let Some(client) = uow.client(tenant, work.client_id).await? else {
            return Ok(Prepared::Skip("the client no longer exists"));
        };
        if may_process(Processing::CourtesyEmail, &client.subject_state()).is_err() {
            return Ok(Prepared::Skip("the client restricted processing or objected"));
        }
        let Some(to) = client.details.email.clone() else {
            return Ok(Prepared::Skip("the client has no email address"));
        };
        let Some(org) = uow.organization(tenant).await? else {
            return Ok(Prepared::Skip("the organization no longer exists"));
        };
        let reply_to = uow.reply_to(tenant).await?;
        Ok(Prepared::Send(Outgoing {
            to,
            to_name: client.details.name,
            from_name: org.name,
            reply_to,
            message_key: job.idempotency_key.clone(),
            notice: Notice::WorkUpdate {
                title: work.title,
                status: work.status,
                scheduled_start: work.scheduled_start,
                address: work.address,
            },
        }))
    }
}
