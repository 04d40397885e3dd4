//! Recurring invoice use cases: schedules and their lifecycle. Issuing the
//! invoices themselves is the scheduler's work (see `scheduler.rs`).

use chrono::NaiveDate;

use std::sync::Arc;

use super::{issuer, today};
use crate::access::user::{Forbidden, Principal};
use crate::invoicing::invoice::{InvoiceLine, LineFields, MAX_LINES, MAX_PAYMENT_TERMS_DAYS, compute_totals};
use crate::invoicing::ports::InvoicingStore;
use crate::invoicing::recurring::{Frequency, InvoiceTemplate, RecurringInvoice, RecurringStatus, Schedule};
use crate::kernel::clock::Clock;
use crate::kernel::errors::{Unexpected, unexpected_from};
use crate::kernel::ids::IdGenerator;
use crate::kernel::money::Currency;
use crate::kernel::pagination::{Page, PageRequest};
use crate::kernel::validation::{ValidationErrors, optional_text};
use crate::{ClientId, RecurringInvoiceId};

/// Unvalidated fields of a recurring invoice. For an update, `None` keeps a field.
#[derive(Clone, Debug, Default)]
pub struct RecurringFields {
    /// Who is invoiced.
    pub client_id: Option<ClientId>,
    /// ISO 4217 code; default: the client's, else the organization's.
    pub currency: Option<String>,
    /// The template lines.
    pub lines: Option<Vec<LineFields>>,
    /// Notes on each invoice (`Some(None)` clears).
    pub notes: Option<Option<String>>,
    /// Payment terms of each invoice (`Some(None)`: the organization's).
    pub payment_terms_days: Option<Option<u32>>,
    /// `weekly`, `monthly`, `quarterly` or `yearly`.
    pub frequency: Option<String>,
    /// Units between issues.
    pub interval: Option<u32>,
    /// The anchor and first issue date.
    pub start_date: Option<NaiveDate>,
    /// Stop after this many invoices (`Some(None)` clears).
    pub end_after_count: Option<Option<u32>>,
    /// Issue nothing after this date (`Some(None)` clears).
    pub end_on: Option<Option<NaiveDate>>,
    /// Email each invoice once issued.
    pub auto_send: Option<bool>,
}

/// Why a recurring invoice could not be created or changed.
#[derive(Debug, thiserror::Error)]
pub enum WriteRecurringError {
    /// The role may not write.
    #[error(transparent)]
    Forbidden(#[from] Forbidden),
    /// No such schedule in the tenant.
    #[error("no such recurring invoice")]
    NotFound,
    /// Invalid fields.
    #[error("invalid recurring invoice: {0}")]
    Invalid(ValidationErrors),
    /// Pause of a schedule that is not active, or resume of one that is not paused.
    #[error("the recurring invoice is {0}")]
    WrongStatus(&'static str),
    /// Storage failed.
    #[error(transparent)]
    Unexpected(Unexpected),
}

/// Why recurring invoices could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadRecurringError {
    /// No such schedule in the tenant.
    #[error("no such recurring invoice")]
    NotFound,
    /// Storage failed.
    #[error(transparent)]
    Unexpected(Unexpected),
}

unexpected_from!(WriteRecurringError, ReadRecurringError);

/// Recurring invoice use cases.
#[derive(Clone)]
pub struct RecurringService {
    store: Arc<dyn InvoicingStore>,
    clock: Arc<dyn Clock>,
    ids: Arc<dyn IdGenerator>,
}

impl RecurringService {
    /// The service on `ports`.
    #[must_use]
    pub fn new(store: Arc<dyn InvoicingStore>, clock: Arc<dyn Clock>, ids: Arc<dyn IdGenerator>) -> Self {
        Self { store, clock, ids }
    }

    /// Creates an active schedule.
    ///
    /// # Errors
    /// See [`WriteRecurringError`].
    pub async fn create(
        &self,
        who: &Principal,
        fields: RecurringFields,
    ) -> Result<RecurringInvoice, WriteRecurringError> {
        let writer = who.writer("create recurring invoices")?;
        let uow = self.store.begin().await?;
        let org = issuer(uow.as_ref(), writer.tenant()).await?;
        let mut errors = ValidationErrors::new();
        let client = match fields.client_id {
            Some(id) => uow.clients().get(writer.tenant(), id).await?,
            None => None,
        };
        if client.is_none() {
            let (code, message) = if fields.client_id.is_some() {
                ("not_found", "no such client")
            } else {
                ("required", "is required")
            };
            errors.add("client_id", code, message);
        }
        let currency = match fields.currency.as_deref() {
            Some(code) => errors.check("currency", Currency::parse(code)),
            None => Some(
                client
                    .as_ref()
                    .and_then(|c| c.details.currency)
                    .unwrap_or(org.default_currency),
            ),
        };
        let lines = parse_lines(fields.lines.clone().unwrap_or_default(), &mut errors);
        if lines.is_empty() && errors.is_empty() {
            errors.add(
                "template.lines",
                "required",
                "a recurring invoice needs at least one line",
            );
        }
        let notes = match fields.notes.clone().flatten() {
            Some(text) => errors.check("template.notes", optional_text(&text, 5000)).flatten(),
            None => None,
        };
        let terms = fields.payment_terms_days.flatten();
        check_terms(terms, &mut errors);
        let frequency = parse_frequency(fields.frequency.as_deref(), &mut errors);
        let start_date = fields.start_date.or_else(|| {
            errors.add("start_date", "required", "is required");
            None
        });
        let schedule = match (frequency, start_date) {
            (Some(frequency), Some(start)) => Schedule::new(
                frequency,
                fields.interval.unwrap_or(1),
                start,
                fields.end_after_count.flatten(),
                fields.end_on.flatten(),
            )
            .map_err(|e| errors.extend_prefixed("schedule", e))
            .ok(),
            _ => None,
        };
        let (Some(client), Some(currency), Some(schedule)) = (client, currency, schedule) else {
            return Err(WriteRecurringError::Invalid(errors));
        };
        if errors.is_empty() {
            check_amounts(&lines, currency, &mut errors);
        }
        if !errors.is_empty() {
            return Err(WriteRecurringError::Invalid(errors));
        }
        let now = self.clock.now();
        let recurring = RecurringInvoice {
            id: RecurringInvoiceId::from_uuid(self.ids.new_uuid()),
            tenant_id: writer.tenant(),
            client_id: client.id,
            template: InvoiceTemplate {
                currency,
                lines,
                notes,
                payment_terms_days: terms,
            },
            schedule,
            auto_send: fields.auto_send.unwrap_or(false),
            status: RecurringStatus::Active,
            next_period: 0,
            created_at: now,
            updated_at: now,
        };
        uow.recurring().insert(&recurring).await?;
        uow.commit().await?;
        Ok(recurring)
    }

    /// One schedule.
    ///
    /// # Errors
    /// See [`ReadRecurringError`].
    pub async fn get(&self, who: &Principal, id: RecurringInvoiceId) -> Result<RecurringInvoice, ReadRecurringError> {
        let uow = self.store.begin().await?;
        uow.recurring()
            .get(who.reader().tenant(), id, false)
            .await?
            .ok_or(ReadRecurringError::NotFound)
    }

    /// A page of schedules, newest first.
    ///
    /// # Errors
    /// See [`ReadRecurringError`].
    pub async fn list(&self, who: &Principal, page: PageRequest) -> Result<Page<RecurringInvoice>, ReadRecurringError> {
        let uow = self.store.begin().await?;
        Ok(uow.recurring().list(who.reader().tenant(), page).await?)
    }

    /// Changes the template or schedule. Periods already issued stay issued;
    /// a new start date restarts the count from that date.
    ///
    /// # Errors
    /// See [`WriteRecurringError`].
    pub async fn update(
        &self,
        who: &Principal,
        id: RecurringInvoiceId,
        fields: RecurringFields,
    ) -> Result<RecurringInvoice, WriteRecurringError> {
        let writer = who.writer("change recurring invoices")?;
        let uow = self.store.begin().await?;
        let mut recurring = uow
            .recurring()
            .get(writer.tenant(), id, true)
            .await?
            .ok_or(WriteRecurringError::NotFound)?;
        let mut errors = ValidationErrors::new();
        if let Some(client_id) = fields.client_id {
            if uow.clients().get(writer.tenant(), client_id).await?.is_none() {
                errors.add("client_id", "not_found", "no such client");
            }
            recurring.client_id = client_id;
        }
        if let Some(code) = fields.currency.as_deref()
            && let Some(currency) = errors.check("currency", Currency::parse(code))
        {
            recurring.template.currency = currency;
        }
        if let Some(lines) = fields.lines {
            recurring.template.lines = parse_lines(lines, &mut errors);
            if recurring.template.lines.is_empty() && errors.is_empty() {
                errors.add(
                    "template.lines",
                    "required",
                    "a recurring invoice needs at least one line",
                );
            }
        }
        if let Some(notes) = fields.notes {
            recurring.template.notes = match notes {
                Some(text) => errors.check("template.notes", optional_text(&text, 5000)).flatten(),
                None => None,
            };
        }
        if let Some(terms) = fields.payment_terms_days {
            check_terms(terms, &mut errors);
            recurring.template.payment_terms_days = terms;
        }
        if let Some(auto_send) = fields.auto_send {
            recurring.auto_send = auto_send;
        }
        let schedule_changed = fields.frequency.is_some()
            || fields.interval.is_some()
            || fields.start_date.is_some()
            || fields.end_after_count.is_some()
            || fields.end_on.is_some();
        if schedule_changed {
            let frequency = match fields.frequency.as_deref() {
                Some(name) => parse_frequency(Some(name), &mut errors),
                None => Some(recurring.schedule.frequency),
            };
            let old = recurring.schedule;
            if let Some(frequency) = frequency {
                match Schedule::new(
                    frequency,
                    fields.interval.unwrap_or(old.interval),
                    fields.start_date.unwrap_or(old.start_date),
                    fields.end_after_count.unwrap_or(old.end_after_count),
                    fields.end_on.unwrap_or(old.end_on),
                ) {
                    Ok(schedule) => {
                        if fields.start_date.is_some_and(|start| start != old.start_date) {
                            recurring.next_period = 0;
                        }
                        recurring.schedule = schedule;
                    }
                    Err(e) => errors.extend_prefixed("schedule", e),
                }
            }
            if recurring.status == RecurringStatus::Completed
                && recurring.schedule.occurrence(recurring.next_period).is_some()
            {
                recurring.status = RecurringStatus::Active;
            }
            if recurring.status == RecurringStatus::Active
                && recurring.schedule.occurrence(recurring.next_period).is_none()
            {
                recurring.status = RecurringStatus::Completed;
            }
        }
        if errors.is_empty() {
            check_amounts(&recurring.template.lines, recurring.template.currency, &mut errors);
        }
        if !errors.is_empty() {
            return Err(WriteRecurringError::Invalid(errors));
        }
        recurring.updated_at = self.clock.now();
        uow.recurring().update(&recurring).await?;
        uow.commit().await?;
        Ok(recurring)
    }

    /// Deletes a schedule; the invoices it issued stay.
    ///
    /// # Errors
    /// See [`WriteRecurringError`].
    pub async fn delete(&self, who: &Principal, id: RecurringInvoiceId) -> Result<(), WriteRecurringError> {
        let writer = who.writer("delete recurring invoices")?;
        let uow = self.store.begin().await?;
        if !uow.recurring().delete(writer.tenant(), id).await? {
            return Err(WriteRecurringError::NotFound);
        }
        uow.commit().await?;
        Ok(())
    }

    /// Pauses an active schedule.
    ///
    /// # Errors
    /// See [`WriteRecurringError`]; `WrongStatus` unless active.
    pub async fn pause(
        &self,
        who: &Principal,
        id: RecurringInvoiceId,
    ) -> Result<RecurringInvoice, WriteRecurringError> {
        self.transition(who, id, true).await
    }

    /// Resumes a paused schedule from its first period on or after today
    /// (periods missed while paused are not back-billed).
    ///
    /// # Errors
    /// See [`WriteRecurringError`]; `WrongStatus` unless paused.
    pub async fn resume(
        &self,
        who: &Principal,
        id: RecurringInvoiceId,
    ) -> Result<RecurringInvoice, WriteRecurringError> {
        self.transition(who, id, false).await
    }

    async fn transition(
        &self,
        who: &Principal,
        id: RecurringInvoiceId,
        pause: bool,
    ) -> Result<RecurringInvoice, WriteRecurringError> {
        let writer = who.writer("pause or resume recurring invoices")?;
        let uow = self.store.begin().await?;
        let mut recurring = uow
            .recurring()
            .get(writer.tenant(), id, true)
            .await?
            .ok_or(WriteRecurringError::NotFound)?;
        let now = self.clock.now();
        let changed = if pause {
            recurring.pause(now)
        } else {
            let today = today(self.clock.as_ref(), &issuer(uow.as_ref(), writer.tenant()).await?);
            recurring.resume(today, now)
        };
        if !changed {
            return Err(WriteRecurringError::WrongStatus(recurring.status.as_str()));
        }
        uow.recurring().update(&recurring).await?;
        uow.commit().await?;
        Ok(recurring)
    }
}

fn parse_lines(lines: Vec<LineFields>, errors: &mut ValidationErrors) -> Vec<InvoiceLine> {
    if lines.len() > MAX_LINES {
        errors.add("template.lines", "too_many", format!("at most {MAX_LINES} lines"));
    }
    let mut parsed = Vec::with_capacity(lines.len());
    for (index, line) in lines.into_iter().enumerate() {
        match InvoiceLine::parse(line) {
            Ok(line) => parsed.push(line),
            Err(e) => errors.extend_prefixed(&format!("template.lines[{index}]"), e),
        }
    }
    parsed
}

/// Refuses a template whose amounts overflow: every period would fail.
fn check_amounts(lines: &[InvoiceLine], currency: Currency, errors: &mut ValidationErrors) {
    let priced: Vec<_> = lines.iter().map(InvoiceLine::priced).collect();
    if let Err(error) = compute_totals(&priced, currency) {
        errors.add("template.lines", "out_of_range", format!("an amount {error}"));
    }
}

fn check_terms(terms: Option<u32>, errors: &mut ValidationErrors) {
    if terms.is_some_and(|days| days > MAX_PAYMENT_TERMS_DAYS) {
        errors.add(
            "template.payment_terms_days",
            "out_of_range",
            format!("must be between 0 and {MAX_PAYMENT_TERMS_DAYS}"),
        );
    }
}

fn parse_frequency(name: Option<&str>, errors: &mut ValidationErrors) -> Option<Frequency> {
    match name {
        Some(name) => {
            let parsed = Frequency::parse(name);
            if parsed.is_none() {
                errors.add(
                    "frequency",
                    "invalid_choice",
                    "must be weekly, monthly, quarterly or yearly",
                );
            }
            parsed
        }
        None => {
            errors.add("frequency", "required", "is required");
            None
        }
    }
}

#[cfg(test)]
mod tests;
