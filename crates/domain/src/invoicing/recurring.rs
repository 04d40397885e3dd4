//! Recurring invoices: a template and a schedule. Every issue date is
//! computed from the schedule's anchor (its start date), never from the
//! previous issue date, so a schedule anchored on the 31st issues on the
//! last day of shorter months and returns to the 31st afterwards.

use chrono::{DateTime, Days, Months, NaiveDate, Utc};

use crate::invoicing::invoice::InvoiceLine;
use crate::kernel::money::Currency;
use crate::kernel::validation::ValidationErrors;
use crate::{ClientId, RecurringInvoiceId, TenantId};

/// Whether a schedule issues.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RecurringStatus {
    /// Issues on its dates.
    Active,
    /// Issues nothing until resumed; missed periods are not back-billed.
    Paused,
    /// Past its end; issues nothing more.
    Completed,
}

impl RecurringStatus {
    /// The stable name used in the API and in storage.
    #[must_use]
    pub const fn as_str(&self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Paused => "paused",
            Self::Completed => "completed",
        }
    }

    /// Parses the stable name.
    #[must_use]
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "active" => Some(Self::Active),
            "paused" => Some(Self::Paused),
            "completed" => Some(Self::Completed),
            _ => None,
        }
    }
}

/// What each generated invoice contains.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvoiceTemplate {
    /// The invoice currency.
    pub currency: Currency,
    /// The lines, in order.
    pub lines: Vec<InvoiceLine>,
    /// Free text printed on each invoice.
    pub notes: Option<String>,
    /// Days from issue to due date; the organization's default when `None`.
    pub payment_terms_days: Option<u32>,
}

/// A recurring invoice: template, schedule and progress.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecurringInvoice {
    /// The schedule's id.
    pub id: RecurringInvoiceId,
    /// The owning tenant.
    pub tenant_id: TenantId,
    /// Who is invoiced.
    pub client_id: ClientId,
    /// The content of each invoice.
    pub template: InvoiceTemplate,
    /// When invoices are issued.
    pub schedule: Schedule,
    /// Email each invoice to the client once issued.
    pub auto_send: bool,
    /// Active, paused or completed.
    pub status: RecurringStatus,
    /// The index of the next period to issue.
    pub next_period: u32,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

impl RecurringInvoice {
    /// The next issue date, if the schedule is active and not past its end.
    #[must_use]
    pub fn next_issue_date(&self) -> Option<NaiveDate> {
        match self.status {
            RecurringStatus::Active => self.schedule.occurrence(self.next_period),
            RecurringStatus::Paused | RecurringStatus::Completed => None,
        }
    }

    /// Records that period `index` was issued; completes the schedule after its last period.
    pub fn advance_past(&mut self, index: u32, now: DateTime<Utc>) {
        self.next_period = index.saturating_add(1);
        if self.schedule.occurrence(self.next_period).is_none() {
            self.status = RecurringStatus::Completed;
        }
        self.updated_at = now;
    }

    /// Pauses an active schedule; `false` if it was not active.
    pub fn pause(&mut self, now: DateTime<Utc>) -> bool {
        if self.status != RecurringStatus::Active {
            return false;
        }
        self.status = RecurringStatus::Paused;
        self.updated_at = now;
        true
    }

    /// Resumes a paused schedule from the first period on or after `today`;
    /// `false` if it was not paused.
    pub fn resume(&mut self, today: NaiveDate, now: DateTime<Utc>) -> bool {
        if self.status != RecurringStatus::Paused {
            return false;
        }
        self.next_period = self.schedule.first_index_on_or_after(self.next_period, today);
        self.status = if self.schedule.occurrence(self.next_period).is_some() {
            RecurringStatus::Active
        } else {
            RecurringStatus::Completed
        };
        self.updated_at = now;
        true
    }
}

/// How often a schedule issues.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Frequency {
    /// Every `interval` weeks.
    Weekly,
    /// Every `interval` months.
    Monthly,
    /// Every `3 × interval` months.
    Quarterly,
    /// Every `12 × interval` months.
    Yearly,
}

impl Frequency {
    /// The stable name used in the API and in storage.
    #[must_use]
    pub const fn as_str(&self) -> &'static str {
        match self {
            Self::Weekly => "weekly",
            Self::Monthly => "monthly",
            Self::Quarterly => "quarterly",
            Self::Yearly => "yearly",
        }
    }

    /// Parses the stable name.
    #[must_use]
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "weekly" => Some(Self::Weekly),
            "monthly" => Some(Self::Monthly),
            "quarterly" => Some(Self::Quarterly),
            "yearly" => Some(Self::Yearly),
            _ => None,
        }
    }
}

/// The most periods between two issues.
pub const MAX_INTERVAL: u32 = 52;

/// When a recurring invoice is issued.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Schedule {
    /// The unit of repetition.
    pub frequency: Frequency,
    /// How many units between issues (1 = every unit).
    pub interval: u32,
    /// The anchor and first issue date.
    pub start_date: NaiveDate,
    /// Stop after this many invoices.
    pub end_after_count: Option<u32>,
    /// Issue nothing after this date.
    pub end_on: Option<NaiveDate>,
}

impl Schedule {
    /// Validates a schedule.
    ///
    /// # Errors
    /// Every invalid field.
    pub fn new(
        frequency: Frequency,
        interval: u32,
        start_date: NaiveDate,
        end_after_count: Option<u32>,
        end_on: Option<NaiveDate>,
    ) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        if !(1..=MAX_INTERVAL).contains(&interval) {
            errors.add(
                "interval",
                "out_of_range",
                format!("must be between 1 and {MAX_INTERVAL}"),
            );
        }
        if end_after_count == Some(0) {
            errors.add("end_after_count", "out_of_range", "must be at least 1");
        }
        if end_on.is_some_and(|end| end < start_date) {
            errors.add("end_on", "before_start_date", "must not be before the start date");
        }
        errors.into_result(Self {
            frequency,
            interval,
            start_date,
            end_after_count,
            end_on,
        })
    }

    /// The issue date of period `index` (0 is the start date), or `None`
    /// past the end of the schedule or of the calendar.
    #[must_use]
    pub fn occurrence(&self, index: u32) -> Option<NaiveDate> {
        if self.end_after_count.is_some_and(|count| index >= count) {
            return None;
        }
        let steps = index.checked_mul(self.interval)?;
        let date = match self.frequency {
            Frequency::Weekly => self.start_date.checked_add_days(Days::new(u64::from(steps) * 7))?,
            Frequency::Monthly => self.start_date.checked_add_months(Months::new(steps))?,
            Frequency::Quarterly => self.start_date.checked_add_months(Months::new(steps.checked_mul(3)?))?,
            Frequency::Yearly => self
                .start_date
                .checked_add_months(Months::new(steps.checked_mul(12)?))?,
        };
        if self.end_on.is_some_and(|end| date > end) {
            return None;
        }
        Some(date)
    }

    /// The periods from `from_index` on whose issue date is on or before
    /// `today`, oldest first: what a scheduler run as of `today` must issue.
    #[must_use]
    pub fn due(&self, from_index: u32, today: NaiveDate) -> Vec<(u32, NaiveDate)> {
        let mut due = Vec::new();
        let mut index = from_index;
        while let Some(date) = self.occurrence(index) {
            if date > today {
                break;
            }
            due.push((index, date));
            index = match index.checked_add(1) {
                Some(next) => next,
                None => break,
            };
        }
        due
    }

    /// The first period index whose issue date is on or after `date`
    /// (for resuming a paused schedule without back-billing).
    #[must_use]
    pub fn first_index_on_or_after(&self, from_index: u32, date: NaiveDate) -> u32 {
        let mut index = from_index;
        while let Some(occurrence) = self.occurrence(index) {
            if occurrence >= date {
                return index;
            }
            index = match index.checked_add(1) {
                Some(next) => next,
                None => return index,
            };
        }
        index
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn monthly_from(start: NaiveDate) -> Schedule {
        Schedule::new(Frequency::Monthly, 1, start, None, None).unwrap()
    }

    #[test]
    fn the_31st_clamps_to_month_ends_and_returns() {
        let schedule = monthly_from(date(2027, 1, 31));
        let dates: Vec<_> = (0..6).map(|i| schedule.occurrence(i).unwrap()).collect();
        assert_eq!(
            dates,
            [
                date(2027, 1, 31),
                date(2027, 2, 28),
                date(2027, 3, 31),
                date(2027, 4, 30),
                date(2027, 5, 31),
                date(2027, 6, 30)
            ]
        );
        let leap = monthly_from(date(2028, 1, 31));
        assert_eq!(leap.occurrence(1), Some(date(2028, 2, 29)));
    }

    #[test]
    fn other_frequencies() {
        let weekly = Schedule::new(Frequency::Weekly, 2, date(2027, 1, 1), None, None).unwrap();
        assert_eq!(weekly.occurrence(1), Some(date(2027, 1, 15)));
        let quarterly = Schedule::new(Frequency::Quarterly, 1, date(2027, 11, 30), None, None).unwrap();
        assert_eq!(quarterly.occurrence(1), Some(date(2028, 2, 29)));
        assert_eq!(quarterly.occurrence(2), Some(date(2028, 5, 30)));
        let yearly = Schedule::new(Frequency::Yearly, 1, date(2028, 2, 29), None, None).unwrap();
        assert_eq!(yearly.occurrence(1), Some(date(2029, 2, 28)));
        assert_eq!(yearly.occurrence(4), Some(date(2032, 2, 29)));
    }

    #[test]
    fn end_conditions_stop_the_schedule() {
        let counted = Schedule::new(Frequency::Monthly, 1, date(2027, 1, 15), Some(3), None).unwrap();
        assert_eq!(counted.occurrence(2), Some(date(2027, 3, 15)));
        assert_eq!(counted.occurrence(3), None);
        let until = Schedule::new(Frequency::Monthly, 1, date(2027, 1, 15), None, Some(date(2027, 3, 14))).unwrap();
        assert_eq!(until.occurrence(1), Some(date(2027, 2, 15)));
        assert_eq!(until.occurrence(2), None);
        assert!(Schedule::new(Frequency::Monthly, 0, date(2027, 1, 1), Some(0), Some(date(2026, 1, 1))).is_err());
    }

    #[test]
    fn catching_up_issues_every_missed_period_once() {
        let schedule = monthly_from(date(2027, 1, 31));
        assert_eq!(
            schedule.due(0, date(2027, 4, 30)),
            [
                (0, date(2027, 1, 31)),
                (1, date(2027, 2, 28)),
                (2, date(2027, 3, 31)),
                (3, date(2027, 4, 30))
            ]
        );
        assert_eq!(schedule.due(4, date(2027, 4, 30)), []);
        assert_eq!(schedule.due(0, date(2027, 1, 30)), []);
        assert_eq!(schedule.first_index_on_or_after(0, date(2027, 3, 1)), 2);
    }
}
