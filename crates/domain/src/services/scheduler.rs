//! The scheduler's work, run by a periodic tick in the server and by the
//! operator task `run-due --as-of`: invoicing's due recurring invoices and
//! reminders, the daily retention sweep, and the privacy request notices.

use super::Ports;
use super::privacy_requests::{OverdueReport, PrivacyRequestService};
use crate::RecurringInvoiceId;
use crate::invoicing::services::{InvoicingScheduler, IssuedInvoice};
use crate::kernel::errors::Unexpected;

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
    pub sweep: Option<super::retention::SweepReport>,
    /// Overdue privacy request notices and purged public submissions.
    pub privacy: OverdueReport,
}

/// Scheduler use cases.
#[derive(Clone, Debug)]
pub struct SchedulerService {
    ports: Ports,
    invoicing: InvoicingScheduler,
    retention: super::retention::RetentionService,
}

impl SchedulerService {
    /// The service on `ports`, running `invoicing`'s work and sweeping with
    /// `retention` once a day.
    #[must_use]
    pub fn new(ports: Ports, invoicing: InvoicingScheduler, retention: super::retention::RetentionService) -> Self {
        Self {
            ports,
            invoicing,
            retention,
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
            privacy: PrivacyRequestService::new(self.ports.clone()).run_due().await?,
        })
    }
}
