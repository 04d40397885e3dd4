//! Retention: how long each data category is kept, from which event its
//! clock starts, and what happens when it runs out. The defaults are the
//! table of the product's privacy promises; deployments configure them.
//!
//! Accounting records (finalized invoices, credit notes, payments) cannot
//! be deleted inside their statutory period, counted from the end of the
//! year of issue: 8 years in Germany (since 2025), 10 in France, 10 where
//! nothing else is configured.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, Datelike, NaiveDate, TimeDelta, Utc};

use crate::tenancy::Country;

/// Every stored field belongs to exactly one category.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DataCategory {
    /// Users and organizations: names, emails, roles, preferences.
    AccountProfile,
    /// Password hashes, session and API token digests, linked identities, sealed keys.
    Credentials,
    /// What a tenant stores about its business: clients, drafts, schedules, notes, files, settings.
    CustomerContent,
    /// A tenant's finalized invoices, credit notes, payments and number counters.
    AccountingRecords,
    /// The operator's own subscriptions and transactions.
    OperatorBilling,
    /// Queues, idempotency records, throttles, single-use tokens, retention runs.
    TechnicalLogs,
    /// The security event log.
    SecurityEvents,
    /// Support conversations.
    SupportCommunications,
    /// Privacy requests, erasure records, exports, consents and policy acceptances.
    PrivacyRecords,
    /// Usage statistics kept only with consent, not tied to a name.
    AnonymousAnalytics,
}

impl DataCategory {
    /// Every category.
    pub const ALL: [Self; 10] = [
        Self::AccountProfile,
        Self::Credentials,
        Self::CustomerContent,
        Self::AccountingRecords,
        Self::OperatorBilling,
        Self::TechnicalLogs,
        Self::SecurityEvents,
        Self::SupportCommunications,
        Self::PrivacyRecords,
        Self::AnonymousAnalytics,
    ];

    /// The stable name.
    #[must_use]
    pub const fn as_str(&self) -> &'static str {
        match self {
            Self::AccountProfile => "account_profile",
            Self::Credentials => "credentials",
            Self::CustomerContent => "customer_content",
            Self::AccountingRecords => "accounting_records",
            Self::OperatorBilling => "operator_billing",
            Self::TechnicalLogs => "technical_logs",
            Self::SecurityEvents => "security_events",
            Self::SupportCommunications => "support_communications",
            Self::PrivacyRecords => "privacy_records",
            Self::AnonymousAnalytics => "anonymous_analytics",
        }
    }
}

impl fmt::Display for DataCategory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How long, counted from what, and then what.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Keep {
    /// While the account exists, plus this many days after it is closed.
    WhileAccountActive {
        /// Grace after closure.
        grace_days: u32,
    },
    /// Until the tenant deletes it, or the account closes (plus grace).
    UntilDeletedOrClosed {
        /// Grace after closure.
        grace_days: u32,
    },
    /// This many years from the end of the year of issue (statutory; by country).
    StatutoryFromEndOfYear,
    /// This many years from the end of the year it was made.
    YearsFromEndOfYear(u32),
    /// This many days from when it was made (or last changed).
    Days(u32),
    /// This many months from when it was made.
    Months(u32),
}

/// A category's rule, as the data map and the sweeper state it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetentionRule {
    /// The category.
    pub category: DataCategory,
    /// How long.
    pub keep: Keep,
}

impl RetentionRule {
    /// A sentence for people: "1 year from creation, then deleted".
    #[must_use]
    pub fn describe(&self) -> String {
        match self.keep {
            Keep::WhileAccountActive { grace_days } => {
                format!("while the account is active, then {grace_days} days after closure; then deleted")
            }
            Keep::UntilDeletedOrClosed { grace_days } => {
                format!("until the organization deletes it, or {grace_days} days after account closure; then deleted")
            }
            Keep::StatutoryFromEndOfYear => "the statutory period of the organization's country (DE 8 years, FR 10, \
                 otherwise 10) from the end of the year of issue; cannot be deleted before; then deleted"
                .to_owned(),
            Keep::YearsFromEndOfYear(years) => format!("{years} years from the end of the year; then deleted"),
            Keep::Days(days) => format!("{days} days; then deleted"),
            Keep::Months(months) => format!("{months} months; then deleted"),
        }
    }
}

/// Statutory retention of accounting records by country.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatutoryPeriods {
    /// Years where the country has no entry.
    pub default_years: u32,
    /// Years by ISO 3166-1 alpha-2 country code.
    pub by_country: BTreeMap<String, u32>,
}

impl Default for StatutoryPeriods {
    fn default() -> Self {
        Self {
            default_years: 10,
            by_country: [("DE".to_owned(), 8), ("FR".to_owned(), 10)].into_iter().collect(),
        }
    }
}

impl StatutoryPeriods {
    /// The years for a country.
    #[must_use]
    pub fn years(&self, country: Country) -> u32 {
        self.by_country
            .get(country.code())
            .copied()
            .unwrap_or(self.default_years)
    }

    /// The last day a record issued on `issued` must be kept: the end of
    /// the year of issue plus the statutory years.
    #[must_use]
    pub fn hold_until(&self, country: Country, issued: NaiveDate) -> NaiveDate {
        let year = issued
            .year()
            .saturating_add(i32::try_from(self.years(country)).unwrap_or(i32::MAX));
        NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(NaiveDate::MAX)
    }

    /// The end of a finalized invoice's statutory retention: counted from
    /// its issue date (`today` while it has none) or, when a credit note was
    /// issued later (`credited`), from the credit note's, which is kept for
    /// its own full period.
    #[must_use]
    pub fn invoice_hold_until(
        &self,
        country: Country,
        issue_date: Option<NaiveDate>,
        credited: Option<NaiveDate>,
        today: NaiveDate,
    ) -> NaiveDate {
        let issued = issue_date.unwrap_or(today).max(credited.unwrap_or_default());
        self.hold_until(country, issued)
    }
}

/// The deployment's retention settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetentionPolicy {
    /// Accounting records, by country.
    pub statutory: StatutoryPeriods,
    /// Days between account closure and the purge (and export window).
    pub closure_grace_days: u32,
    /// Keep accounting records after a purge until their statutory period ends.
    pub keep_accounting_after_closure: bool,
    /// Days security events are kept.
    pub security_event_days: u32,
    /// Days technical records (finished jobs, stale tokens, throttles) are kept.
    pub technical_days: u32,
    /// Months anonymous analytics are kept.
    pub analytics_months: u32,
    /// Days a finished export stays downloadable.
    pub export_days: u32,
}

impl Default for RetentionPolicy {
    fn default() -> Self {
        Self {
            statutory: StatutoryPeriods::default(),
            closure_grace_days: 30,
            keep_accounting_after_closure: false,
            security_event_days: 365,
            technical_days: 90,
            analytics_months: 13,
            export_days: 7,
        }
    }
}

impl RetentionPolicy {
    /// The rule of a category under this policy.
    #[must_use]
    pub fn rule(&self, category: DataCategory) -> RetentionRule {
        let grace_days = self.closure_grace_days;
        let keep = match category {
            DataCategory::AccountProfile | DataCategory::Credentials => Keep::WhileAccountActive { grace_days },
            DataCategory::CustomerContent => Keep::UntilDeletedOrClosed { grace_days },
            DataCategory::AccountingRecords => Keep::StatutoryFromEndOfYear,
            DataCategory::OperatorBilling => Keep::YearsFromEndOfYear(10),
            DataCategory::TechnicalLogs => Keep::Days(self.technical_days),
            DataCategory::SecurityEvents => Keep::Days(self.security_event_days),
            DataCategory::SupportCommunications => Keep::YearsFromEndOfYear(2),
            DataCategory::PrivacyRecords => Keep::WhileAccountActive { grace_days },
            DataCategory::AnonymousAnalytics => Keep::Months(self.analytics_months),
        };
        RetentionRule { category, keep }
    }

    /// Records of `days`-day rules made before this instant have expired at `now`.
    #[must_use]
    pub fn cutoff_days(now: DateTime<Utc>, days: u32) -> DateTime<Utc> {
        now - TimeDelta::days(i64::from(days))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statutory_periods_run_from_the_end_of_the_year_of_issue() {
        let periods = StatutoryPeriods::default();
        let issued = NaiveDate::from_ymd_opt(2026, 3, 15).unwrap();
        assert_eq!(
            periods.hold_until(Country::parse("DE").unwrap(), issued),
            NaiveDate::from_ymd_opt(2034, 12, 31).unwrap()
        );
        assert_eq!(
            periods.hold_until(Country::parse("FR").unwrap(), issued),
            NaiveDate::from_ymd_opt(2036, 12, 31).unwrap()
        );
        assert_eq!(
            periods.hold_until(Country::parse("IT").unwrap(), issued),
            NaiveDate::from_ymd_opt(2036, 12, 31).unwrap(),
            "default 10 years"
        );
    }

    #[test]
    fn every_category_has_a_rule_and_a_description() {
        let policy = RetentionPolicy::default();
        for category in DataCategory::ALL {
            let rule = policy.rule(category);
            assert_eq!(rule.category, category);
            assert!(rule.describe().ends_with("deleted"), "{category}");
        }
        assert_eq!(policy.rule(DataCategory::SecurityEvents).keep, Keep::Days(365));
        assert_eq!(policy.rule(DataCategory::AnonymousAnalytics).keep, Keep::Months(13));
    }
}
