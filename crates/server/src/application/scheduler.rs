//! The scheduler's work, run by a periodic tick in the server and by the
//! operator task `run-due --as-of`: invoicing's due recurring invoices and
//! reminders, the daily retention sweep, and the privacy request notices.

use fakturo_domain::RecurringInvoiceId;
use fakturo_domain::invoicing::services::{InvoicingScheduler, IssuedInvoice};
use fakturo_domain::kernel::errors::Unexpected;
use fakturo_domain::privacy::services::privacy_requests::{OverdueReport, PrivacyRequestService};
use fakturo_domain::privacy::services::retention::{RetentionService, SweepReport};

/// What one run did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RunReport {
    /// Invoices issued: schedule, number, issue date.
    pub issued: Vec<IssuedInvoice>,
    /// Reminders queued for delivery.
    pub reminders_queued: usize,
    /// Reminders recorded as skipped (superseded by a later one).
    pub reminders_skipped: usize,
    /// Schedules paused because their template cannot make a valid invoice.
    pub paused: Vec<RecurringInvoiceId>,
    /// Reminders not queued because the client restricted processing or objected.
    pub reminders_refused: usize,
    /// Today's retention sweep, when this run did it.
    pub sweep: Option<SweepReport>,
    /// Overdue privacy request notices and purged public submissions.
    pub privacy: OverdueReport,
}

/// Scheduler use cases.
#[derive(Clone)]
pub struct SchedulerService {
    invoicing: InvoicingScheduler,
    retention: RetentionService,
    privacy: PrivacyRequestService,
}

impl SchedulerService {
    /// The scheduler running `invoicing`'s work, sweeping with `retention`
    /// once a day, and sending `privacy`'s overdue request notices.
    #[must_use]
    pub fn new(invoicing: InvoicingScheduler, retention: RetentionService, privacy: PrivacyRequestService) -> Self {
        Self {
            invoicing,
            retention,
            privacy,
        }
    }

    /// Issues what is due, queues due reminders and overdue privacy request
    /// notices, and purges expired public privacy submissions, as of the clock's now.
    ///
    /// # Errors
    /// [`Unexpected`] when storage fails; work committed before the failure stays.
    pub async fn run_due(&self) -> Result<RunReport, Unexpected> {
        let invoicing = self.invoicing.run_due().await?;
        Ok(RunReport {
            issued: invoicing.issued,
            reminders_queued: invoicing.reminders_queued,
            reminders_skipped: invoicing.reminders_skipped,
            paused: invoicing.paused,
            reminders_refused: invoicing.reminders_refused,
            sweep: self.retention.run_daily().await?,
            privacy: self.privacy.run_due().await?,
        })
    }
}
