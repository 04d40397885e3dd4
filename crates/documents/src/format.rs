//! Number and date formats: for people (per [`Language`]) and for the
//! e-invoices (plain `1234.50`, ISO dates).

use chrono::{Datelike, NaiveDate};
use fakturo_domain::kernel::money::Money;
use rust_decimal::Decimal;

use crate::model::Language;

const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A date for people: `15 January 2026`, `15.01.2026`.
#[must_use]
pub fn human_date(date: NaiveDate, language: Language) -> String {
    match language {
        Language::En => {
            let month = usize::try_from(date.month0())
                .ok()
                .and_then(|index| MONTHS_EN.get(index))
                .copied()
                .unwrap_or_default();
            format!("{} {month} {}", date.day(), date.year())
        }
        Language::De => format!("{:02}.{:02}.{}", date.day(), date.month(), date.year()),
    }
}

/// An amount for people, with the currency's decimals and digit grouping:
/// `1,234.50` or `1.234,50`.
#[must_use]
pub fn human_amount(amount: Money, language: Language) -> String {
    human_decimal(amount.to_decimal(), language)
}

/// An amount with its currency code: `1,234.50 EUR`.
#[must_use]
pub fn human_money(amount: Money, language: Language) -> String {
    format!("{} {}", human_amount(amount, language), amount.currency().code())
}

/// A unit price for people: as precise as given, but with at least the
/// currency's decimals (`80.00`, `0.333`).
#[must_use]
pub fn human_price(price: Decimal, minor_units: u32, language: Language) -> String {
    let mut price = price.normalize();
    if price.scale() < minor_units {
        price.rescale(minor_units);
    }
    human_decimal(price, language)
}

/// A quantity or percentage for people, without trailing zeros: `1.5`, `3`.
#[must_use]
pub fn human_number(value: Decimal, language: Language) -> String {
    human_decimal(value.normalize(), language)
}

/// A percentage for people: `19 %`, `5,5 %`.
#[must_use]
pub fn human_percent(value: Decimal, language: Language) -> String {
    format!("{}\u{a0}%", human_number(value, language))
}

/// Writes `value` with its own scale, grouping the integer digits.
fn human_decimal(value: Decimal, language: Language) -> String {
    let (group, point) = match language {
        Language::En => (',', '.'),
        Language::De => ('.', ','),
    };
    let text = value.to_string();
    let (sign, unsigned) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text.as_str()),
    };
    let (integer, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let mut out = String::with_capacity(text.len() + integer.len() / 3 + 1);
    out.push_str(sign);
    for (index, digit) in integer.chars().enumerate() {
        if index > 0 && (integer.len() - index) % 3 == 0 {
            out.push(group);
        }
        out.push(digit);
    }
    if !fraction.is_empty() {
        out.push(point);
        out.push_str(fraction);
    }
    out
}

/// An amount for XML: plain, with the currency's decimals (`1234.50`).
#[must_use]
pub fn xml_amount(amount: Money) -> String {
    amount.to_string()
}

/// A quantity or price for XML: plain, with the scale it was given in.
#[must_use]
pub fn xml_decimal(value: Decimal) -> String {
    value.to_string()
}

/// A rate for XML, without trailing zeros (`19`, `5.5`).
#[must_use]
pub fn xml_rate(value: Decimal) -> String {
    value.normalize().to_string()
}

/// A date as `YYYY-MM-DD` (UBL).
#[must_use]
pub fn iso_date(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

/// A date as `YYYYMMDD` (CII format 102).
#[must_use]
pub fn compact_date(date: NaiveDate) -> String {
    date.format("%Y%m%d").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use fakturo_domain::kernel::money::Currency;

    #[test]
    fn groups_digits_per_language() {
        let amount = Money::from_minor(-123_456_789, Currency::EUR);
        assert_eq!(human_amount(amount, Language::En), "-1,234,567.89");
        assert_eq!(human_amount(amount, Language::De), "-1.234.567,89");
        assert_eq!(human_amount(Money::from_minor(5, Currency::EUR), Language::En), "0.05");
        assert_eq!(
            human_money(Money::from_minor(100_000, Currency::EUR), Language::En),
            "1,000.00 EUR"
        );
    }

    #[test]
    fn prices_keep_their_precision_but_show_at_least_the_minor_units() {
        let d = |s: &str| Decimal::from_str_exact(s).unwrap();
        assert_eq!(human_price(d("80"), 2, Language::En), "80.00");
        assert_eq!(human_price(d("0.333"), 2, Language::En), "0.333");
        assert_eq!(human_price(d("1234.5000"), 2, Language::De), "1.234,50");
        assert_eq!(human_number(d("1.50"), Language::De), "1,5");
        assert_eq!(human_percent(d("19.00"), Language::En), "19\u{a0}%");
    }

    #[test]
    fn dates_per_language_and_for_xml() {
        let date = NaiveDate::from_ymd_opt(2026, 1, 5).unwrap();
        assert_eq!(human_date(date, Language::En), "5 January 2026");
        assert_eq!(human_date(date, Language::De), "05.01.2026");
        assert_eq!(iso_date(date), "2026-01-05");
        assert_eq!(compact_date(date), "20260105");
    }
}
