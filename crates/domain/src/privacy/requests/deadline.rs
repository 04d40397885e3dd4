//! The deadline of a privacy request: one calendar month from the day it
//! was received (GDPR Art. 12(3)), plus up to two months more with a
//! reason. Months are calendar months, clamped to the end of shorter ones:
//! received on 31 January, due on 28 (or 29) February; extended by two
//! months, due on 30 April. Extensions count from the day of receipt, not
//! from the clamped date, so no day is lost.

use chrono::{Months, NaiveDate};

/// The most months a deadline may be extended by, in all.
pub const MAX_EXTENSION_MONTHS: u32 = 2;

/// The due date of a request received on `received_on` whose deadline was
/// extended by `extension_months`.
#[must_use]
pub fn due_on(received_on: NaiveDate, extension_months: u32) -> NaiveDate {
    received_on
        .checked_add_months(Months::new(1 + extension_months))
        .unwrap_or(NaiveDate::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn one_calendar_month_clamped_to_the_end_of_shorter_months() {
        assert_eq!(due_on(date("2027-01-31"), 0), date("2027-02-28"));
        assert_eq!(due_on(date("2027-01-31"), 2), date("2027-04-30"));
        assert_eq!(due_on(date("2027-01-31"), 1), date("2027-03-31"));
        assert_eq!(due_on(date("2028-01-31"), 0), date("2028-02-29"), "leap year");
        assert_eq!(due_on(date("2026-11-22"), 0), date("2026-12-22"));
        assert_eq!(due_on(date("2026-12-15"), 0), date("2027-01-15"));
    }
}
