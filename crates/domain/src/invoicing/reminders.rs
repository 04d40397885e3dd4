//! Payment reminder rules: reminders at fixed offsets from the due date,
//! optionally repeated. `{days_from_due: 7, repeat_every_days: 7,
//! max_repeats: 3}` reminds at +7, +14 and +21 days.

use chrono::{DateTime, NaiveDate, Utc};

use crate::kernel::validation::ValidationErrors;
use crate::{InvoiceId, TenantId};

/// Where one reminder of an invoice is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ReminderStatus {
    /// Its email is queued.
    Queued,
    /// Delivered.
    Sent,
    /// Not sent: a later reminder superseded it (the scheduler was not
    /// running on its day), or the client takes no reminders.
    Skipped,
    /// Not sent: the invoice was paid or voided before it went out.
    Cancelled,
}

impl ReminderStatus {
    /// The stable name used in the API and in storage.
    #[must_use]
    pub const fn as_str(&self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Sent => "sent",
            Self::Skipped => "skipped",
            Self::Cancelled => "cancelled",
        }
    }

    /// Parses the stable name.
    #[must_use]
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "queued" => Some(Self::Queued),
            "sent" => Some(Self::Sent),
            "skipped" => Some(Self::Skipped),
            "cancelled" => Some(Self::Cancelled),
            _ => None,
        }
    }
}

/// One reminder of one invoice: at most one per offset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvoiceReminder {
    /// The owning tenant.
    pub tenant_id: TenantId,
    /// The invoice reminded of.
    pub invoice_id: InvoiceId,
    /// The rule offset it belongs to.
    pub days_from_due: i32,
    /// The day it was due to go out.
    pub due_on: NaiveDate,
    /// Where it is.
    pub status: ReminderStatus,
    /// To whom it went.
    pub recipient: Option<String>,
    /// When it went.
    pub sent_at: Option<DateTime<Utc>>,
    /// When it was recorded.
    pub created_at: DateTime<Utc>,
}

/// One rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReminderRule {
    /// Days from the due date (negative: before it).
    pub days_from_due: i32,
    /// Repeat this often, in days.
    pub repeat_every_days: Option<u32>,
    /// How many reminders this rule sends in all (with a repeat).
    pub max_repeats: Option<u32>,
}

/// A tenant's reminder settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReminderSettings {
    /// Whether reminders are sent at all.
    pub enabled: bool,
    /// The rules.
    pub rules: Vec<ReminderRule>,
}

/// The most rules a tenant may set.
pub const MAX_RULES: usize = 10;
/// The widest offset from the due date, in days.
pub const MAX_OFFSET_DAYS: i32 = 365;

impl ReminderSettings {
    /// Nothing is sent until the tenant sets rules.
    #[must_use]
    pub fn disabled() -> Self {
        Self {
            enabled: false,
            rules: Vec::new(),
        }
    }

    /// Validates settings.
    ///
    /// # Errors
    /// Every invalid rule field, with its path.
    pub fn new(enabled: bool, rules: Vec<ReminderRule>) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        if rules.len() > MAX_RULES {
            errors.add("rules", "too_many", format!("at most {MAX_RULES} rules"));
        }
        for (index, rule) in rules.iter().enumerate() {
            let field = |name: &str| format!("rules[{index}].{name}");
            if rule.days_from_due.abs() > MAX_OFFSET_DAYS {
                errors.add(
                    field("days_from_due"),
                    "out_of_range",
                    format!("must be between -{MAX_OFFSET_DAYS} and {MAX_OFFSET_DAYS}"),
                );
            }
            match (rule.repeat_every_days, rule.max_repeats) {
                (Some(every), Some(count)) => {
                    if !(1..=90).contains(&every) {
                        errors.add(field("repeat_every_days"), "out_of_range", "must be between 1 and 90");
                    }
                    if !(1..=12).contains(&count) {
                        errors.add(field("max_repeats"), "out_of_range", "must be between 1 and 12");
                    }
                }
                (None, None) => {}
                (Some(_), None) => errors.add(field("max_repeats"), "required", "is required with repeat_every_days"),
                (None, Some(_)) => errors.add(field("repeat_every_days"), "required", "is required with max_repeats"),
            }
        }
        errors.into_result(Self { enabled, rules })
    }

    /// Every reminder offset, in days from the due date, sorted and distinct.
    #[must_use]
    pub fn offsets(&self) -> Vec<i32> {
        if !self.enabled {
            return Vec::new();
        }
        let mut offsets: Vec<i32> = self
            .rules
            .iter()
            .flat_map(|rule| {
                let count = rule.max_repeats.unwrap_or(1);
                let every = i32::try_from(rule.repeat_every_days.unwrap_or(0)).unwrap_or(0);
                (0..count).map(move |n| rule.days_from_due + i32::try_from(n).unwrap_or(0) * every)
            })
            .collect();
        offsets.sort_unstable();
        offsets.dedup();
        offsets
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_outline_example_sends_five_reminders() {
        let settings = ReminderSettings::new(
            true,
            vec![
                ReminderRule {
                    days_from_due: -3,
                    repeat_every_days: None,
                    max_repeats: None,
                },
                ReminderRule {
                    days_from_due: 0,
                    repeat_every_days: None,
                    max_repeats: None,
                },
                ReminderRule {
                    days_from_due: 7,
                    repeat_every_days: Some(7),
                    max_repeats: Some(3),
                },
            ],
        )
        .unwrap();
        assert_eq!(settings.offsets(), [-3, 0, 7, 14, 21]);
        let off = ReminderSettings {
            enabled: false,
            ..settings
        };
        assert!(off.offsets().is_empty());
    }

    #[test]
    fn bad_rules_are_named() {
        let errors = ReminderSettings::new(
            true,
            vec![ReminderRule {
                days_from_due: 400,
                repeat_every_days: Some(7),
                max_repeats: None,
            }],
        )
        .unwrap_err();
        let fields: Vec<_> = errors.errors().iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["rules[0].days_from_due", "rules[0].max_repeats"]);
    }
}
