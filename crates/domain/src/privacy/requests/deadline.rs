//! The deadline of a privacy request. GDPR Art. 12(3) allows one calendar
//! month from receipt, extendable by two more with a reason; some
//! organizations promise less ("within 30 days"). [`DeadlineRule`] names
//! which: `30_days` (the default) is 30 days or one month, whichever is
//! sooner, so the promise and the law's outer limit are both kept;
//! `one_month` is the calendar month. Months are calendar months, clamped
//! to the end of shorter ones: received on 31 January, due on 28 (or 29)
//! February. Extensions add calendar months to the first deadline and never
//! go past receipt plus three months.

use chrono::{Months, NaiveDate, TimeDelta};
use serde::{Deserialize, Serialize};

/// The most months a deadline may be extended by, in all.
pub const MAX_EXTENSION_MONTHS: u32 = 2;

/// How long an organization gives itself to answer.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DeadlineRule {
    /// 30 days, or one calendar month when that is sooner.
    #[default]
    #[serde(rename = "30_days")]
    ThirtyDays,
    /// One calendar month.
    #[serde(rename = "one_month")]
    OneMonth,
}

impl DeadlineRule {
    /// The stable name used in configuration.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::ThirtyDays => "30_days",
            Self::OneMonth => "one_month",
        }
    }
}

fn plus_months(day: NaiveDate, months: u32) -> NaiveDate {
    day.checked_add_months(Months::new(months)).unwrap_or(NaiveDate::MAX)
}

/// The due date of a request received on `received_on` whose deadline was
/// extended by `extension_months`, under `rule`.
#[must_use]
pub fn due_on(received_on: NaiveDate, extension_months: u32, rule: DeadlineRule) -> NaiveDate {
    let month = plus_months(received_on, 1 + extension_months);
    match rule {
        DeadlineRule::OneMonth => month,
        DeadlineRule::ThirtyDays => {
            let first = received_on
                .checked_add_signed(TimeDelta::days(30))
                .unwrap_or(NaiveDate::MAX)
                .min(plus_months(received_on, 1));
            plus_months(first, extension_months).min(month)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use DeadlineRule::{OneMonth, ThirtyDays};

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn one_calendar_month_clamped_to_the_end_of_shorter_months() {
        assert_eq!(due_on(date("2027-01-31"), 0, OneMonth), date("2027-02-28"));
        assert_eq!(due_on(date("2027-01-31"), 2, OneMonth), date("2027-04-30"));
        assert_eq!(due_on(date("2027-01-31"), 1, OneMonth), date("2027-03-31"));
        assert_eq!(due_on(date("2028-01-31"), 0, OneMonth), date("2028-02-29"), "leap year");
        assert_eq!(due_on(date("2026-11-22"), 0, OneMonth), date("2026-12-22"));
        assert_eq!(due_on(date("2026-12-15"), 0, OneMonth), date("2027-01-15"));
    }

    #[test]
    fn thirty_days_or_the_month_whichever_is_sooner() {
        // A 31-day month: 30 days is sooner than the month.
        assert_eq!(due_on(date("2027-03-01"), 0, ThirtyDays), date("2027-03-31"));
        assert_eq!(due_on(date("2027-03-01"), 0, OneMonth), date("2027-04-01"));
        // February (28 days): the month is sooner, under both rules.
        assert_eq!(due_on(date("2027-02-01"), 0, ThirtyDays), date("2027-03-01"));
        assert_eq!(due_on(date("2027-02-01"), 0, OneMonth), date("2027-03-01"));
        assert_eq!(due_on(date("2027-01-31"), 0, ThirtyDays), date("2027-02-28"));
        assert_eq!(due_on(date("2027-01-31"), 0, OneMonth), date("2027-02-28"));
        // A 30-day month: the same day either way.
        assert_eq!(due_on(date("2027-04-01"), 0, ThirtyDays), date("2027-05-01"));
        assert_eq!(due_on(date("2027-04-01"), 0, OneMonth), date("2027-05-01"));
        // Leap February: 30 days from 1 February 2028 is 2 March, the month 1 March.
        assert_eq!(due_on(date("2028-02-01"), 0, ThirtyDays), date("2028-03-01"));
    }

    #[test]
    fn extensions_add_months_and_never_pass_three_months_from_receipt() {
        assert_eq!(due_on(date("2027-03-01"), 1, ThirtyDays), date("2027-04-30"));
        assert_eq!(due_on(date("2027-03-01"), 2, ThirtyDays), date("2027-05-31"));
        assert_eq!(due_on(date("2027-03-01"), 2, OneMonth), date("2027-06-01"));
        for day in 1..=31 {
            let Some(received) = NaiveDate::from_ymd_opt(2027, 1, day) else {
                continue;
            };
            for extension in 0..=MAX_EXTENSION_MONTHS {
                let due = due_on(received, extension, ThirtyDays);
                assert!(due <= due_on(received, extension, OneMonth), "{received} +{extension}");
                assert!(due > received);
            }
        }
    }

    #[test]
    fn the_rules_have_their_configuration_names() {
        assert_eq!(serde_json::to_string(&ThirtyDays).unwrap(), "\"30_days\"");
        assert_eq!(serde_json::from_str::<DeadlineRule>("\"one_month\"").unwrap(), OneMonth);
    }
}
