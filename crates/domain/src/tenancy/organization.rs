//! Tenants: the organizations (businesses) whose data Fakturo keeps apart.

use std::fmt;

use chrono::{DateTime, NaiveDate, Utc};

use crate::TenantId;
use crate::kernel::money::Currency;
use crate::kernel::numbering::NumberPattern;
use crate::kernel::validation::HasCode;

/// An ISO 3166-1 alpha-2 country code, upper case (`DE`, `FR`).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Country(isocountry::CountryCode);

/// Why a country code was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("is not an ISO 3166-1 alpha-2 country code")]
pub struct CountryError;

impl HasCode for CountryError {
    fn code(&self) -> &'static str {
        "invalid_country"
    }
}

impl Country {
    /// Parses an upper-case alpha-2 code.
    ///
    /// # Errors
    /// [`CountryError`] if it is not an assigned ISO 3166-1 alpha-2 code.
    pub fn parse(code: &str) -> Result<Self, CountryError> {
        if code.len() != 2 || !code.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(CountryError);
        }
        isocountry::CountryCode::for_alpha2(code)
            .map(Self)
            .map_err(|_| CountryError)
    }

    /// The alpha-2 code.
    #[must_use]
    pub fn code(&self) -> &'static str {
        self.0.alpha2()
    }
}

impl fmt::Display for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl fmt::Debug for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Country({})", self.code())
    }
}

/// An IANA time zone (`Europe/Berlin`). Dates such as "today" and due dates
/// are reckoned in the tenant's zone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimeZone(chrono_tz::Tz);

/// Why a time zone was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("is not an IANA time zone name such as \"Europe/Berlin\"")]
pub struct TimeZoneError;

impl HasCode for TimeZoneError {
    fn code(&self) -> &'static str {
        "invalid_time_zone"
    }
}

impl TimeZone {
    /// Parses an IANA zone name.
    ///
    /// # Errors
    /// [`TimeZoneError`] if the name is unknown.
    pub fn parse(name: &str) -> Result<Self, TimeZoneError> {
        name.parse::<chrono_tz::Tz>().map(Self).map_err(|_| TimeZoneError)
    }

    /// UTC.
    #[must_use]
    pub const fn utc() -> Self {
        Self(chrono_tz::Tz::UTC)
    }

    /// The IANA name.
    #[must_use]
    pub fn name(&self) -> &'static str {
        self.0.name()
    }

    /// The calendar date in this zone at `instant`.
    #[must_use]
    pub fn date_at(&self, instant: DateTime<Utc>) -> NaiveDate {
        instant.with_timezone(&self.0).date_naive()
    }
}

/// An organization: the tenant that owns clients, invoices and users.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Organization {
    /// The tenant's id.
    pub id: TenantId,
    /// The business name shown on invoices.
    pub name: String,
    /// Where the business is established; decides statutory retention.
    pub country: Country,
    /// Currency proposed for new clients and invoices.
    pub default_currency: Currency,
    /// The zone in which the business's dates are reckoned.
    pub time_zone: TimeZone,
    /// How invoice numbers are formed.
    pub invoice_number_pattern: NumberPattern,
    /// Days from issue to due date when an invoice names neither.
    pub default_payment_terms_days: u32,
    /// When the organization signed up.
    pub created_at: DateTime<Utc>,
    /// Set while the account is closed and waiting for its purge.
    pub closure: Option<Closure>,
    /// What invoices print about the seller.
    pub profile: OrganizationProfile,
}

/// The seller's details printed on invoices and e-invoices (EN 16931 BG-4,
/// BG-5 and the payment account, BG-17).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OrganizationProfile {
    /// Street and number, possibly several lines.
    pub address: Option<String>,
    /// Postal code.
    pub postcode: Option<String>,
    /// City.
    pub city: Option<String>,
    /// VAT identifier, such as `DE123456789`.
    pub vat_id: Option<String>,
    /// The address clients write to (also the electronic address of e-invoices).
    pub email: Option<String>,
    /// Phone number.
    pub phone: Option<String>,
    /// The account invoices are paid to.
    pub iban: Option<String>,
    /// Its bank's BIC.
    pub bic: Option<String>,
}

/// A closed account: export and reopening stay possible until `purge_after`,
/// then every record of the tenant is deleted (but what a legal hold keeps).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Closure {
    /// When the owner closed the account.
    pub closed_at: DateTime<Utc>,
    /// The purge runs on or after this instant (closure + 30 days).
    pub purge_after: DateTime<Utc>,
}

/// The default currency for a country where one is obvious, else EUR.
#[must_use]
pub fn default_currency_for(country: Country) -> Currency {
    let code = match country.code() {
        "US" | "EC" | "SV" | "PR" => "USD",
        "GB" => "GBP",
        "CH" | "LI" => "CHF",
        "PL" => "PLN",
        "CZ" => "CZK",
        "SE" => "SEK",
        "DK" => "DKK",
        "NO" => "NOK",
        "HU" => "HUF",
        "RO" => "RON",
        "CA" => "CAD",
        "AU" => "AUD",
        "NZ" => "NZD",
        "JP" => "JPY",
        "IN" => "INR",
        "BR" => "BRL",
        "MX" => "MXN",
        "ZA" => "ZAR",
        _ => "EUR",
    };
    Currency::parse(code).unwrap_or(Currency::EUR)
}

/// The time zone proposed at sign-up for a country: its capital's zone when
/// the country has exactly one obvious zone, else UTC.
#[must_use]
pub fn default_time_zone_for(country: Country) -> TimeZone {
    let name = match country.code() {
        "DE" => "Europe/Berlin",
        "FR" => "Europe/Paris",
        "AT" => "Europe/Vienna",
        "CH" => "Europe/Zurich",
        "NL" => "Europe/Amsterdam",
        "BE" => "Europe/Brussels",
        "LU" => "Europe/Luxembourg",
        "IT" => "Europe/Rome",
        "ES" => "Europe/Madrid",
        "PT" => "Europe/Lisbon",
        "IE" => "Europe/Dublin",
        "GB" => "Europe/London",
        "PL" => "Europe/Warsaw",
        "CZ" => "Europe/Prague",
        "SE" => "Europe/Stockholm",
        "DK" => "Europe/Copenhagen",
        "NO" => "Europe/Oslo",
        "FI" => "Europe/Helsinki",
        "GR" => "Europe/Athens",
        "JP" => "Asia/Tokyo",
        "IN" => "Asia/Kolkata",
        _ => "UTC",
    };
    TimeZone::parse(name).unwrap_or(TimeZone::utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn countries_are_upper_case_alpha_2() {
        assert_eq!(Country::parse("DE").unwrap().code(), "DE");
        assert!(Country::parse("de").is_err());
        assert!(Country::parse("DEU").is_err());
        assert!(Country::parse("XX").is_err());
    }

    #[test]
    fn dates_are_reckoned_in_the_tenant_zone() {
        let berlin = TimeZone::parse("Europe/Berlin").unwrap();
        let instant = DateTime::parse_from_rfc3339("2026-12-31T23:30:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(berlin.date_at(instant), NaiveDate::from_ymd_opt(2027, 1, 1).unwrap());
        assert!(TimeZone::parse("Mars/Olympus").is_err());
    }

    #[test]
    fn defaults_follow_the_country() {
        assert_eq!(default_currency_for(Country::parse("US").unwrap()).code(), "USD");
        assert_eq!(default_currency_for(Country::parse("DE").unwrap()).code(), "EUR");
        assert_eq!(
            default_time_zone_for(Country::parse("FR").unwrap()).name(),
            "Europe/Paris"
        );
    }
}
