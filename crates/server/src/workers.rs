//! In-process workers: the job runner, which claims due jobs from the queue
//! and performs them (retrying with backoff, parking them as dead after
//! their last attempt), and the scheduler tick, which issues recurring
//! invoices and queues reminders; each pass also applies the provider
//! webhook events waiting in the inbox. All are also operator tasks (`ops`).
//!
//! Every effect is performed at least once; duplicates are harmless because
//! each email carries a Message-ID derived from its job's idempotency key.

mod export;
mod render;

use std::sync::Arc;
use std::time::Duration;

use crate::application::services::Services;
use chrono::TimeDelta;
use fakturo_domain::kernel::clock::Clock;
use fakturo_domain::messaging::delivery::Prepared;
use fakturo_domain::messaging::outbox::{AfterFailure, Effect, Job};
use fakturo_domain::messaging::ports::{JobQueue, MailError, Mailer};
use futures::StreamExt;
use tokio::sync::watch;

use crate::settings::WorkerSettings;

/// What one pass of the job runner did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct JobRunStats {
    /// Jobs claimed.
    pub claimed: usize,
    /// Performed (including those that had nothing left to send).
    pub done: usize,
    /// Failed and scheduled again.
    pub retried: usize,
    /// Failed for good and parked as dead.
    pub dead: usize,
}

/// The workers of one server instance.
#[derive(Clone)]
pub struct Workers {
    queue: Arc<dyn JobQueue>,
    services: Services,
    mailer: Arc<dyn Mailer>,
    clock: Arc<dyn Clock>,
    settings: WorkerSettings,
    addresses: MailAddresses,
    worker_id: String,
}

/// The addresses emails are built with.
#[derive(Clone, Debug)]
pub struct MailAddresses {
    /// This server's public base URL (invoice pages).
    pub public_base: String,
    /// The web application's base URL (account pages that take a token).
    pub app_base: String,
    /// The sender address.
    pub sender_address: String,
}

impl std::fmt::Debug for Workers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Workers")
            .field("worker_id", &self.worker_id)
            .finish_non_exhaustive()
    }
}

enum Failure {
    Transient(String),
    Permanent(String),
}

impl Workers {
    /// Workers on the given ports.
    #[must_use]
    pub fn new(
        queue: Arc<dyn JobQueue>,
        services: Services,
        mailer: Arc<dyn Mailer>,
        clock: Arc<dyn Clock>,
        settings: WorkerSettings,
        addresses: MailAddresses,
    ) -> Self {
        Self {
            queue,
            services,
            mailer,
            clock,
            settings,
            addresses: MailAddresses {
                public_base: addresses.public_base.trim_end_matches('/').to_owned(),
                app_base: addresses.app_base.trim_end_matches('/').to_owned(),
                sender_address: addresses.sender_address,
            },
            worker_id: format!("{}-{}", std::process::id(), uuid::Uuid::new_v4().simple()),
        }
    }

    /// Claims and performs up to `limit` due jobs, `concurrency` at a time.
    ///
    /// # Errors
    /// A storage error while claiming; failures of single jobs are recorded on the job.
    pub async fn run_jobs_once(
        &self,
        limit: u32,
    ) -> Result<JobRunStats, fakturo_domain::kernel::repository::RepositoryError> {
        let now = self.clock.now();
        let lease = TimeDelta::seconds(i64::from(self.settings.lease_seconds));
        let jobs = self.queue.claim(&self.worker_id, now, lease, limit).await?;
        let mut stats = JobRunStats {
            claimed: jobs.len(),
            ..JobRunStats::default()
        };
        let outcomes: Vec<Outcome> = futures::stream::iter(jobs)
            .map(|job| async move { self.run_job(job).await })
            .buffer_unordered(self.settings.concurrency.max(1))
            .collect()
            .await;
        for outcome in outcomes {
            match outcome {
                Outcome::Done => stats.done += 1,
                Outcome::Retried => stats.retried += 1,
                Outcome::Dead => stats.dead += 1,
            }
        }
        Ok(stats)
    }

    /// Runs the job queue until it has nothing due (for operator tasks and tests).
    ///
    /// # Errors
    /// A storage error while claiming.
    pub async fn drain(&self) -> Result<JobRunStats, fakturo_domain::kernel::repository::RepositoryError> {
        let mut total = JobRunStats::default();
        loop {
            // Webhook events first: applying a payment queues its receipt.
            while self.services.billing.process_webhooks(100).await > 0 {}
            let stats = self.run_jobs_once(100).await?;
            if stats.claimed == 0 {
                return Ok(total);
            }
            total.claimed += stats.claimed;
            total.done += stats.done;
            total.retried += stats.retried;
            total.dead += stats.dead;
        }
    }

    async fn run_job(&self, job: Job) -> Outcome {
        let result = if job.attempts > job.max_attempts {
            Err(Failure::Permanent("abandoned by crashed workers too many times".into()))
        } else {
            self.perform(&job).await
        };
        let now = self.clock.now();
        let recorded = match result {
            Ok(()) => self.queue.complete(job.id, now).await.map(|()| Outcome::Done),
            Err(failure) => {
                let (message, permanent) = match failure {
                    Failure::Transient(message) => (message, false),
                    Failure::Permanent(message) => (message, true),
                };
                match job.after_failure(now, permanent) {
                    AfterFailure::RetryAt(at) => {
                        tracing::warn!(job = %job.id, kind = job.effect.kind(), attempts = job.attempts, error = %message, "job failed; retrying");
                        self.queue
                            .fail(job.id, &message, Some(at), now)
                            .await
                            .map(|()| Outcome::Retried)
                    }
                    AfterFailure::Bury => {
                        tracing::error!(job = %job.id, kind = job.effect.kind(), attempts = job.attempts, error = %message, "job is dead");
                        self.queue
                            .fail(job.id, &message, None, now)
                            .await
                            .map(|()| Outcome::Dead)
                    }
                }
            }
        };
        recorded.unwrap_or_else(|error| {
            // The claim expires and another worker takes the job again.
            tracing::error!(job = %job.id, %error, "could not record a job's outcome");
            Outcome::Retried
        })
    }

    async fn perform(&self, job: &Job) -> Result<(), Failure> {
        if let (Effect::BuildExport { export_id }, Some(tenant)) = (&job.effect, job.tenant_id) {
            return self.build_export(tenant, *export_id).await.map_err(Failure::Transient);
        }
        let delivery = &self.services.delivery;
        let prepared = delivery
            .prepare(job)
            .await
            .map_err(|e| Failure::Transient(e.to_string()))?;
        let outgoing = match prepared {
            Prepared::Send(outgoing) => outgoing,
            Prepared::Skip(reason) => {
                tracing::info!(job = %job.id, kind = job.effect.kind(), reason, "nothing to send");
                return Ok(());
            }
        };
        let links = render::Links {
            public_base: &self.addresses.public_base,
            app_base: &self.addresses.app_base,
        };
        let mut message = render::message(&outgoing, &links, &self.addresses.sender_address);
        if let (Effect::SendInvoiceEmail { invoice_id }, Some(tenant)) = (&job.effect, job.tenant_id) {
            self.attach_invoice_pdf(tenant, *invoice_id, &mut message).await?;
        }
        self.mailer.send(&message).await.map_err(|error| match error {
            MailError::Transient(m) => Failure::Transient(m),
            MailError::Permanent(m) => Failure::Permanent(m),
        })?;
        delivery
            .delivered(job, &outgoing)
            .await
            .map_err(|e| Failure::Transient(e.to_string()))
    }

    /// Attaches the invoice's PDF (Factur-X when the data allows). Storage
    /// errors retry the job; a PDF that cannot be rendered is logged and the
    /// email still goes out with its link to the invoice page.
    async fn attach_invoice_pdf(
        &self,
        tenant: fakturo_domain::TenantId,
        invoice_id: fakturo_domain::InvoiceId,
        message: &mut fakturo_domain::messaging::ports::EmailMessage,
    ) -> Result<(), Failure> {
        let data = self
            .services
            .documents
            .for_delivery(tenant, invoice_id)
            .await
            .map_err(|e| Failure::Transient(e.to_string()))?;
        let Some(data) = data else { return Ok(()) };
        match crate::documents::pdf(Arc::new(data)).await {
            Ok(file) => message.attachments.push(fakturo_domain::messaging::ports::Attachment {
                file_name: file.file_name,
                content_type: file.content_type.to_owned(),
                content: file.bytes,
            }),
            Err(error) => {
                tracing::warn!(invoice = %invoice_id, %error, "the invoice PDF could not be rendered; sending without it");
            }
        }
        Ok(())
    }

    /// Runs the job runner and the scheduler tick until `shutdown` turns true.
    pub fn spawn(self, mut shutdown: watch::Receiver<bool>) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            let poll = Duration::from_millis(self.settings.poll_interval_ms.max(10));
            let tick = Duration::from_secs(self.settings.scheduler_interval_seconds.max(1));
            let mut next_tick = tokio::time::Instant::now();
            loop {
                if *shutdown.borrow() {
                    break;
                }
                if tokio::time::Instant::now() >= next_tick {
                    match self.services.scheduler.run_due().await {
                        Ok(report)
                            if !report.issued.is_empty()
                                || report.reminders_queued > 0
                                || report.privacy.notices_queued > 0 =>
                        {
                            tracing::info!(
                                issued = report.issued.len(),
                                reminders = report.reminders_queued,
                                privacy_overdue_notices = report.privacy.notices_queued,
                                "scheduler run"
                            );
                        }
                        Ok(_) => {}
                        Err(error) => tracing::error!(%error, "scheduler run failed"),
                    }
                    next_tick = tokio::time::Instant::now() + tick;
                }
                let settled = self.services.billing.process_webhooks(32).await;
                let busy = match self
                    .run_jobs_once(u32::try_from(self.settings.concurrency * 4).unwrap_or(16))
                    .await
                {
                    Ok(stats) => stats.claimed > 0 || settled > 0,
                    Err(error) => {
                        tracing::error!(%error, "claiming jobs failed");
                        settled > 0
                    }
                };
                if !busy {
                    tokio::select! {
                        () = tokio::time::sleep(poll) => {}
                        _ = shutdown.changed() => {}
                    }
                }
            }
            tracing::info!("workers stopped");
        })
    }
}

enum Outcome {
    Done,
    Retried,
    Dead,
}
