//! Invoicing's part of the scheduler, run by a periodic tick in the server
//! and by the operator task `run-due --as-of`: issue every due period of
//! every active recurring invoice, and queue the payment reminders that have
//! come due (for clients whose data may be processed for that). Closed
//! accounts get neither invoices nor reminders.
//!
//! Exactly one invoice per schedule and period: each period is issued in its
//! own transaction that locks the schedule, records the run under a unique
//! `(tenant_id, schedule_id, period_start)` key, numbers and stores the
//! invoice, and advances the schedule. A second runner either waits for the
//! lock and finds the period done, or loses on the unique key and rolls
//! back everything, including its number.

use std::sync::Arc;

use chrono::{DateTime, Days, NaiveDate, Utc};

use super::issuing::{self, FinalizeFailure};
use super::{issuer, today};
use crate::invoicing::invoice::{Invoice, InvoiceContent};
use crate::invoicing::ports::InvoicingStore;
use crate::invoicing::recurring::RecurringStatus;
use crate::invoicing::reminders::{InvoiceReminder, ReminderStatus};
use crate::kernel::clock::Clock;
use crate::kernel::errors::Unexpected;
use crate::kernel::ids::IdGenerator;
use crate::kernel::repository::RepositoryError;
use crate::kernel::tokens::TokenGenerator;
use crate::messaging::outbox::Effect;
use crate::privacy::{Processing, may_process};
use crate::{InvoiceId, RecurringInvoiceId, TenantId};

/// What one run of invoicing's scheduled work did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InvoicingRun {
    /// Invoices issued: schedule, number, issue date.
    pub issued: Vec<IssuedInvoice>,
    /// Schedules paused because their template cannot make a valid invoice.
    pub paused: Vec<RecurringInvoiceId>,
    /// Reminders queued for delivery.
    pub reminders_queued: usize,
    /// Reminders recorded as skipped (superseded by a later one).
    pub reminders_skipped: usize,
    /// Reminders not queued because the client restricted processing or objected.
    pub reminders_refused: usize,
}

/// The outcome of one attempt to issue a schedule's next period.
enum PeriodOutcome {
    Issued(IssuedInvoice),
    Paused,
    /// The period was issued before; the schedule moved past it.
    Skipped,
    NothingDue,
}

/// One invoice issued by a schedule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IssuedInvoice {
    /// The schedule.
    pub schedule_id: RecurringInvoiceId,
    /// The new invoice.
    pub invoice_id: InvoiceId,
    /// Its number.
    pub number: String,
    /// Its issue date (the period's date).
    pub issue_date: NaiveDate,
}

/// How many schedules one scan picks up.
const SCAN_LIMIT: u32 = 100_000;

/// Invoicing's scheduled work.
#[derive(Clone)]
pub struct InvoicingScheduler {
    store: Arc<dyn InvoicingStore>,
    clock: Arc<dyn Clock>,
    ids: Arc<dyn IdGenerator>,
    tokens: Arc<dyn TokenGenerator>,
}

impl std::fmt::Debug for InvoicingScheduler {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("InvoicingScheduler")
    }
}

impl InvoicingScheduler {
    /// The scheduler on its ports.
    #[must_use]
    pub fn new(
        store: Arc<dyn InvoicingStore>,
        clock: Arc<dyn Clock>,
        ids: Arc<dyn IdGenerator>,
        tokens: Arc<dyn TokenGenerator>,
    ) -> Self {
        Self {
            store,
            clock,
            ids,
            tokens,
        }
    }

    /// Issues what is due and queues due reminders, as of the clock's now.
    ///
    /// # Errors
    /// [`Unexpected`] when storage fails; work committed before the failure stays.
    pub async fn run_due(&self) -> Result<InvoicingRun, Unexpected> {
        let mut report = InvoicingRun::default();
        self.issue_recurring(&mut report).await?;
        self.queue_reminders(&mut report).await?;
        Ok(report)
    }

    /// Issues every due period of every active recurring invoice.
    ///
    /// # Errors
    /// [`Unexpected`] when storage fails; periods issued before stay issued.
    pub async fn issue_recurring(&self, report: &mut InvoicingRun) -> Result<(), Unexpected> {
        let now = self.clock.now();
        // The furthest-ahead time zone is at most 14 hours past UTC.
        let horizon = (now + chrono::TimeDelta::hours(14)).date_naive();
        let due = {
            let uow = self.store.begin().await?;
            uow.recurring().due(horizon, SCAN_LIMIT).await?
        };
        for (tenant, schedule) in due {
            loop {
                match self.issue_next_period(tenant, schedule, now).await? {
                    PeriodOutcome::Issued(issued) => report.issued.push(issued),
                    PeriodOutcome::Paused => {
                        report.paused.push(schedule);
                        break;
                    }
                    PeriodOutcome::Skipped => {}
                    PeriodOutcome::NothingDue => break,
                }
            }
        }
        Ok(())
    }

    /// Moves a schedule past a period that already has its invoice, unless
    /// another runner has moved it on meanwhile.
    async fn skip_issued_period(
        &self,
        tenant: TenantId,
        schedule_id: RecurringInvoiceId,
        period: u32,
        now: DateTime<Utc>,
    ) -> Result<PeriodOutcome, Unexpected> {
        let uow = self.store.begin().await?;
        let Some(mut recurring) = uow.recurring().get(tenant, schedule_id, true).await? else {
            return Ok(PeriodOutcome::NothingDue);
        };
        if recurring.next_period != period {
            return Ok(PeriodOutcome::Skipped);
        }
        recurring.advance_past(period, now);
        uow.recurring().update(&recurring).await?;
        uow.commit().await?;
        Ok(PeriodOutcome::Skipped)
    }

    /// Issues the schedule's next period if it is due.
    async fn issue_next_period(
        &self,
        tenant: TenantId,
        schedule_id: RecurringInvoiceId,
        now: DateTime<Utc>,
    ) -> Result<PeriodOutcome, Unexpected> {
        let uow = self.store.begin().await?;
        let Some(mut recurring) = uow.recurring().get(tenant, schedule_id, true).await? else {
            return Ok(PeriodOutcome::NothingDue);
        };
        let org = issuer(uow.as_ref(), tenant).await?;
        if org.closure.is_some() {
            return Ok(PeriodOutcome::NothingDue);
        }
        let today = today(self.clock.as_ref(), &org);
        let Some(issue_date) = recurring.next_issue_date().filter(|date| *date <= today) else {
            return Ok(PeriodOutcome::NothingDue);
        };
        if recurring.status != RecurringStatus::Active {
            return Ok(PeriodOutcome::NothingDue);
        }
        let period = recurring.next_period;
        let content = InvoiceContent {
            client_id: recurring.client_id,
            currency: recurring.template.currency,
            issue_date: Some(issue_date),
            due_date: None,
            payment_terms_days: recurring.template.payment_terms_days,
            notes: recurring.template.notes.clone(),
            lines: recurring.template.lines.clone(),
        };
        let drafted = Invoice::draft(InvoiceId::from_uuid(self.ids.new_uuid()), tenant, content, now);
        let finalized = match drafted {
            Ok(mut invoice) => {
                invoice.recurring_invoice_id = Some(recurring.id);
                match issuing::finalize(uow.as_ref(), &mut invoice, &org, issue_date, now).await {
                    Ok(()) => Some(invoice),
                    Err(FinalizeFailure::Store(error)) => return Err(error.into()),
                    Err(FinalizeFailure::Rule(_)) => None,
                }
            }
            // Amounts too large to total: the template can never make an invoice.
            Err(_) => None,
        };
        let Some(mut invoice) = finalized else {
            // A template that cannot make a valid invoice (a negative total, an
            // overflowing amount) pauses its schedule rather than failing every
            // run, and every schedule and reminder after it.
            let _ = recurring.pause(now);
            uow.recurring().update(&recurring).await?;
            uow.commit().await?;
            return Ok(PeriodOutcome::Paused);
        };
        match uow
            .recurring()
            .insert_run(tenant, recurring.id, period, issue_date, invoice.id, now)
            .await
        {
            Ok(()) => {}
            // The period already has its invoice: another runner issued it
            // first, or the schedule's start moved back onto issued periods.
            // Ours rolls back, number included, and the schedule moves past it.
            Err(RepositoryError::Duplicate { .. }) => {
                drop(uow);
                return self.skip_issued_period(tenant, schedule_id, period, now).await;
            }
            Err(error) => return Err(error.into()),
        }
        if recurring.auto_send {
            let client = uow.clients().get(tenant, recurring.client_id).await?;
            if client.is_some_and(|c| c.details.email.is_some()) {
                invoice.delivery.public_token = Some(self.tokens.public_token());
                let effect = Effect::SendInvoiceEmail { invoice_id: invoice.id };
                let key = format!("recurring-email:{}:{issue_date}", recurring.id);
                issuing::enqueue(
                    uow.as_ref(),
                    self.ids.as_ref(),
                    self.clock.as_ref(),
                    tenant,
                    effect,
                    key,
                )
                .await?;
            }
        }
        uow.invoices().insert(&invoice).await?;
        recurring.advance_past(period, now);
        uow.recurring().update(&recurring).await?;
        uow.commit().await?;
        Ok(PeriodOutcome::Issued(IssuedInvoice {
            schedule_id: recurring.id,
            invoice_id: invoice.id,
            number: invoice.number.unwrap_or_default(),
            issue_date,
        }))
    }

    /// Queues the payment reminders that have come due.
    ///
    /// # Errors
    /// [`Unexpected`] when storage fails; work committed before stays.
    pub async fn queue_reminders(&self, report: &mut InvoicingRun) -> Result<(), Unexpected> {
        let tenants = {
            let uow = self.store.begin().await?;
            uow.reminders().tenants_with_reminders().await?
        };
        for tenant in tenants {
            self.queue_tenant_reminders(tenant, report).await?;
        }
        Ok(())
    }

    async fn queue_tenant_reminders(&self, tenant: TenantId, report: &mut InvoicingRun) -> Result<(), Unexpected> {
        let now = self.clock.now();
        let uow = self.store.begin().await?;
        let Some(settings) = uow.reminders().settings(tenant).await? else {
            return Ok(());
        };
        let offsets = settings.offsets();
        let (Some(&first), Some(&last)) = (offsets.first(), offsets.last()) else {
            return Ok(());
        };
        let org = issuer(uow.as_ref(), tenant).await?;
        if org.closure.is_some() {
            return Ok(());
        }
        let today = today(self.clock.as_ref(), &org);
        // Invoices with a reminder day on or before today that is not older than the last offset.
        let due_from = shift(today, -last - 1);
        let due_to = shift(today, -first);
        for invoice in uow.reminders().payable_due_between(tenant, due_from, due_to).await? {
            let Some(due_date) = invoice.content.due_date else {
                continue;
            };
            let client = uow.clients().get(tenant, invoice.content.client_id).await?;
            let allowed = client.is_some_and(|client| {
                !invoice.hold.restricted && may_process(Processing::PaymentReminder, &client.subject_state()).is_ok()
            });
            if !allowed {
                report.reminders_refused += 1;
                continue;
            }
            let done: Vec<i32> = uow
                .reminders()
                .for_invoice(tenant, invoice.id)
                .await?
                .iter()
                .map(|r| r.days_from_due)
                .collect();
            let due: Vec<i32> = offsets
                .iter()
                .copied()
                .filter(|offset| shift(due_date, *offset) <= today && !done.contains(offset))
                .collect();
            let Some(&latest) = due.last() else {
                continue;
            };
            for offset in due {
                let queued = offset == latest;
                let reminder = InvoiceReminder {
                    tenant_id: tenant,
                    invoice_id: invoice.id,
                    days_from_due: offset,
                    due_on: shift(due_date, offset),
                    status: if queued {
                        ReminderStatus::Queued
                    } else {
                        ReminderStatus::Skipped
                    },
                    recipient: None,
                    sent_at: None,
                    created_at: now,
                };
                if !uow.reminders().insert(&reminder).await? {
                    continue;
                }
                if queued {
                    let mut invoice = invoice.clone();
                    issuing::ensure_public_token(uow.as_ref(), self.tokens.as_ref(), &mut invoice).await?;
                    let effect = Effect::SendPaymentReminder {
                        invoice_id: invoice.id,
                        days_from_due: offset,
                    };
                    let key = format!("reminder:{}:{offset}", invoice.id);
                    issuing::enqueue(
                        uow.as_ref(),
                        self.ids.as_ref(),
                        self.clock.as_ref(),
                        tenant,
                        effect,
                        key,
                    )
                    .await?;
                    report.reminders_queued += 1;
                } else {
                    report.reminders_skipped += 1;
                }
            }
        }
        uow.commit().await?;
        Ok(())
    }
}

/// `date` moved by `days` (either direction), saturating at the calendar's ends.
fn shift(date: NaiveDate, days: i32) -> NaiveDate {
    let magnitude = Days::new(u64::from(days.unsigned_abs()));
    let moved = if days >= 0 {
        date.checked_add_days(magnitude)
    } else {
        date.checked_sub_days(magnitude)
    };
    moved.unwrap_or(date)
}

#[cfg(test)]
mod tests;
