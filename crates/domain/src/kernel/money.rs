//! Exact money. Quantities, prices and rates are [`Decimal`]s; amounts are
//! [`Money`]: an integer count of the currency's minor unit (cents, yen) and
//! the currency. Rounding is always explicit and half away from zero.

use std::fmt;
use std::str::FromStr;

use rust_decimal::{Decimal, RoundingStrategy};

use crate::kernel::validation::HasCode;

/// An ISO 4217 currency that has a minor unit (so no gold or SDR codes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Currency {
    iso: iso_currency::Currency,
    minor_units: u32,
}

impl Currency {
    /// The euro, the fallback where no other currency is known.
    pub const EUR: Currency = Currency {
        iso: iso_currency::Currency::EUR,
        minor_units: 2,
    };

    /// Parses a three-letter ISO 4217 code, upper case (`EUR`, `JPY`).
    ///
    /// # Errors
    /// [`MoneyError::UnknownCurrency`] if the code is not an ISO 4217 currency
    /// with a minor unit.
    pub fn parse(code: &str) -> Result<Self, MoneyError> {
        let iso = iso_currency::Currency::from_code(code).ok_or(MoneyError::UnknownCurrency)?;
        let minor_units = iso.exponent().ok_or(MoneyError::UnknownCurrency)?;
        Ok(Self {
            iso,
            minor_units: u32::from(minor_units),
        })
    }

    /// The ISO 4217 code.
    #[must_use]
    pub fn code(&self) -> &'static str {
        self.iso.code()
    }

    /// How many decimal places the minor unit has (EUR 2, JPY 0, BHD 3).
    #[must_use]
    pub fn minor_units(&self) -> u32 {
        self.minor_units
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Currency {
    type Err = MoneyError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

/// Why a money value or decimal was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    /// Not an ISO 4217 currency with a minor unit.
    #[error("is not a supported ISO 4217 currency code")]
    UnknownCurrency,
    /// Not a plain decimal number such as `12.30`.
    #[error("must be a decimal number written as a string, such as \"12.30\"")]
    InvalidDecimal,
    /// More decimal places than the currency's minor unit.
    #[error("has more decimal places than the currency allows ({allowed})")]
    TooManyDecimals {
        /// The currency's number of decimal places.
        allowed: u32,
    },
    /// The amount does not fit the supported range.
    #[error("is too large")]
    TooLarge,
    /// Two amounts in different currencies were combined.
    #[error("currencies differ")]
    CurrencyMismatch,
}

impl HasCode for MoneyError {
    fn code(&self) -> &'static str {
        match self {
            Self::UnknownCurrency => "invalid_currency",
            Self::InvalidDecimal => "invalid_decimal",
            Self::TooManyDecimals { .. } => "too_many_decimals",
            Self::TooLarge => "out_of_range",
            Self::CurrencyMismatch => "currency_mismatch",
        }
    }
}

/// Parses a decimal written the plain way (`-12.5`, `0.333`): optional sign,
/// digits, optional fraction. No exponents, no thousands separators, no spaces.
///
/// # Errors
/// [`MoneyError::InvalidDecimal`] for anything else, or a value beyond 28 digits.
pub fn parse_decimal(text: &str) -> Result<Decimal, MoneyError> {
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    let (int_part, frac_part) = match unsigned.split_once('.') {
        Some((int_part, frac_part)) => (int_part, Some(frac_part)),
        None => (unsigned, None),
    };
    let digits_ok = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits_ok(int_part) || frac_part.is_some_and(|f| !digits_ok(f)) {
        return Err(MoneyError::InvalidDecimal);
    }
    Decimal::from_str_exact(text).map_err(|_| MoneyError::InvalidDecimal)
}

/// Rounds half away from zero to `places` decimal places.
#[must_use]
pub fn round_half_away(value: Decimal, places: u32) -> Decimal {
    value.round_dp_with_strategy(places, RoundingStrategy::MidpointAwayFromZero)
}

/// An amount of money: a whole number of the currency's minor unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Money {
    minor: i64,
    currency: Currency,
}

impl Money {
    /// An amount from its minor-unit count (`1230` EUR is 12.30 €).
    #[must_use]
    pub const fn from_minor(minor: i64, currency: Currency) -> Self {
        Self { minor, currency }
    }

    /// Zero in `currency`.
    #[must_use]
    pub const fn zero(currency: Currency) -> Self {
        Self::from_minor(0, currency)
    }

    /// Rounds `amount` half away from zero to the currency's minor unit.
    ///
    /// # Errors
    /// [`MoneyError::TooLarge`] if the result does not fit 64-bit minor units.
    pub fn round(amount: Decimal, currency: Currency) -> Result<Self, MoneyError> {
        let rounded = round_half_away(amount, currency.minor_units());
        let scaled = rounded
            .checked_mul(Decimal::from(10_i64.pow(currency.minor_units())))
            .ok_or(MoneyError::TooLarge)?;
        let minor = i64::try_from(scaled.trunc()).map_err(|_| MoneyError::TooLarge)?;
        Ok(Self { minor, currency })
    }

    /// Parses an amount string that must not need rounding (`"12.3"` and
    /// `"12.30"` are fine in EUR, `"12.305"` is not).
    ///
    /// # Errors
    /// [`MoneyError::InvalidDecimal`], [`MoneyError::TooManyDecimals`] or
    /// [`MoneyError::TooLarge`].
    pub fn parse(text: &str, currency: Currency) -> Result<Self, MoneyError> {
        let value = parse_decimal(text)?.normalize();
        if value.scale() > currency.minor_units() {
            return Err(MoneyError::TooManyDecimals {
                allowed: currency.minor_units(),
            });
        }
        Self::round(value, currency)
    }

    /// The minor-unit count.
    #[must_use]
    pub const fn minor(&self) -> i64 {
        self.minor
    }

    /// The currency.
    #[must_use]
    pub const fn currency(&self) -> Currency {
        self.currency
    }

    /// The amount as an exact decimal with the currency's scale (`12.30`).
    #[must_use]
    pub fn to_decimal(&self) -> Decimal {
        Decimal::new(self.minor, self.currency.minor_units())
    }

    /// True for amounts above zero.
    #[must_use]
    pub const fn is_positive(&self) -> bool {
        self.minor > 0
    }

    /// True for amounts below zero.
    #[must_use]
    pub const fn is_negative(&self) -> bool {
        self.minor < 0
    }

    /// The sum of two amounts in the same currency.
    ///
    /// # Errors
    /// [`MoneyError::CurrencyMismatch`] or [`MoneyError::TooLarge`] on overflow.
    pub fn checked_add(self, other: Self) -> Result<Self, MoneyError> {
        if self.currency != other.currency {
            return Err(MoneyError::CurrencyMismatch);
        }
        let minor = self.minor.checked_add(other.minor).ok_or(MoneyError::TooLarge)?;
        Ok(Self::from_minor(minor, self.currency))
    }

    /// The difference of two amounts in the same currency.
    ///
    /// # Errors
    /// [`MoneyError::CurrencyMismatch`] or [`MoneyError::TooLarge`] on overflow.
    pub fn checked_sub(self, other: Self) -> Result<Self, MoneyError> {
        if self.currency != other.currency {
            return Err(MoneyError::CurrencyMismatch);
        }
        let minor = self.minor.checked_sub(other.minor).ok_or(MoneyError::TooLarge)?;
        Ok(Self::from_minor(minor, self.currency))
    }
}

impl fmt::Display for Money {
    /// Formats with exactly the currency's decimal places: `12.30`, `1230`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.to_decimal())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eur() -> Currency {
        Currency::parse("EUR").unwrap()
    }

    #[test]
    fn formats_with_the_currency_scale() {
        let jpy = Currency::parse("JPY").unwrap();
        let bhd = Currency::parse("BHD").unwrap();
        assert_eq!(Money::from_minor(1230, eur()).to_string(), "12.30");
        assert_eq!(Money::from_minor(-5, eur()).to_string(), "-0.05");
        assert_eq!(Money::from_minor(1230, jpy).to_string(), "1230");
        assert_eq!(Money::from_minor(1230, bhd).to_string(), "1.230");
    }

    #[test]
    fn rounds_half_away_from_zero_not_to_even() {
        let d = |s: &str| parse_decimal(s).unwrap();
        assert_eq!(Money::round(d("0.125"), eur()).unwrap().minor(), 13);
        assert_eq!(Money::round(d("0.135"), eur()).unwrap().minor(), 14);
        assert_eq!(Money::round(d("-0.125"), eur()).unwrap().minor(), -13);
        assert_eq!(Money::round(d("0.666"), eur()).unwrap().minor(), 67);
    }

    #[test]
    fn parse_refuses_sub_minor_amounts_and_odd_syntax() {
        assert_eq!(Money::parse("12.3", eur()).unwrap().minor(), 1230);
        assert_eq!(Money::parse("12.300", eur()).unwrap().minor(), 1230);
        assert_eq!(
            Money::parse("12.305", eur()),
            Err(MoneyError::TooManyDecimals { allowed: 2 })
        );
        for bad in ["", "1e3", " 1", "1,5", "+1", ".5", "5.", "abc", "--1", "1.2.3"] {
            assert_eq!(Money::parse(bad, eur()), Err(MoneyError::InvalidDecimal), "{bad:?}");
        }
        assert_eq!(Money::parse("99999999999999999999", eur()), Err(MoneyError::TooLarge));
    }

    #[test]
    fn currency_codes_are_iso_4217_with_a_minor_unit() {
        assert_eq!(Currency::parse("JPY").unwrap().minor_units(), 0);
        assert!(Currency::parse("eur").is_err());
        assert!(Currency::parse("XAU").is_err());
        assert!(Currency::parse("ABC").is_err());
    }
}
