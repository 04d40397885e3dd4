//! The retention sweeper: once a day (and whenever an operator runs it, as
//! of any date, for real or as a dry run) it deletes what has outlived its
//! category's rule — old security events and technical records, expired
//! exports, accounting records whose legal hold ended, closed accounts past
//! their grace period — and writes a retention record with counts per
//! category, never the data itself.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, Datelike, NaiveDate, TimeDelta, Utc};
use serde::Serialize;

use crate::kernel::clock::Clock;
use crate::kernel::errors::Unexpected;
use crate::kernel::files::FileStore;
use crate::kernel::files::{KeyPrefix, ObjectKey};
use crate::privacy::ports::Expiry;
use crate::privacy::ports::PrivacyStore;
use crate::privacy::retention::{DataCategory, Keep, RetentionPolicy};

/// The first instant of `year` (UTC); records from before it are past a
/// rule counted from the end of the year.
fn start_of_year(year: i32) -> DateTime<Utc> {
    NaiveDate::from_ymd_opt(year, 1, 1)
        .and_then(|day| day.and_hms_opt(0, 0, 0))
        .map_or(DateTime::<Utc>::MIN_UTC, |start| start.and_utc())
}

/// One line of a sweep: what went (or would go), how many, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SweepLine {
    /// The data category.
    pub category: &'static str,
    /// What, such as `security_events` or `held_invoices`.
    pub what: String,
    /// How many rows (or files).
    pub count: u64,
    /// The rule that expired them.
    pub reason: String,
}

/// What a sweep did (or, dry, would do).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SweepReport {
    /// The instant the sweep reckoned with.
    pub as_of: DateTime<Utc>,
    /// Nothing was deleted.
    pub dry_run: bool,
    /// Counts per category and kind.
    pub lines: Vec<SweepLine>,
}

impl SweepReport {
    /// Counts per category, for the retention record.
    #[must_use]
    pub fn totals(&self) -> BTreeMap<&'static str, u64> {
        let mut totals = BTreeMap::new();
        for line in &self.lines {
            *totals.entry(line.category).or_default() += line.count;
        }
        totals
    }
}

/// The sweeper.
#[derive(Clone)]
pub struct RetentionService {
    store: Arc<dyn PrivacyStore>,
    clock: Arc<dyn Clock>,
    files: Arc<dyn FileStore>,
    policy: RetentionPolicy,
}

impl RetentionService {
    /// The sweeper on the privacy store under `policy`.
    #[must_use]
    pub fn new(
        store: Arc<dyn PrivacyStore>,
        clock: Arc<dyn Clock>,
        files: Arc<dyn FileStore>,
        policy: RetentionPolicy,
    ) -> Self {
        Self {
            store,
            clock,
            files,
            policy,
        }
    }

    /// The policy in force.
    #[must_use]
    pub fn policy(&self) -> &RetentionPolicy {
        &self.policy
    }

    /// The daily run: sweeps once per day across instances and records it.
    /// `None` when today's sweep ran already.
    ///
    /// # Errors
    /// [`Unexpected`] when storage fails; what was deleted before stays deleted.
    pub async fn run_daily(&self) -> Result<Option<SweepReport>, Unexpected> {
        let now = self.clock.now();
        let day = now.date_naive();
        {
            let uow = self.store.begin().await?;
            if !uow.retention().claim_sweep(day, now).await? {
                return Ok(None);
            }
            uow.commit().await?;
        }
        let report = self.sweep(false).await?;
        let totals = serde_json::to_string(&report.totals()).map_err(|e| Unexpected(Box::new(e)))?;
        let uow = self.store.begin().await?;
        uow.retention().finish_sweep(day, &totals, self.clock.now()).await?;
        uow.commit().await?;
        Ok(Some(report))
    }

    /// Sweeps as of the clock's now; with `dry_run`, only counts.
    ///
    /// # Errors
    /// [`Unexpected`] when storage fails.
    pub async fn sweep(&self, dry_run: bool) -> Result<SweepReport, Unexpected> {
        let now = self.clock.now();
        let mut lines = Vec::new();
        for kind in Expiry::ALL {
            let (cutoff, reason) = self.cutoff(kind, now);
            let uow = self.store.begin().await?;
            let count = if dry_run {
                uow.retention().count_expired(kind, cutoff).await?
            } else {
                let deleted = uow.retention().delete_expired(kind, cutoff).await?;
                uow.commit().await?;
                deleted
            };
            lines.push(SweepLine {
                category: kind.category().as_str(),
                what: kind.as_str().to_owned(),
                count,
                reason,
            });
        }
        lines.push(self.sweep_exports(now, dry_run).await?);
        lines.extend(self.sweep_holds(now, dry_run).await?);
        lines.extend(self.sweep_closed_accounts(now, dry_run).await?);
        Ok(SweepReport {
            as_of: now,
            dry_run,
            lines,
        })
    }

    fn cutoff(&self, kind: Expiry, now: DateTime<Utc>) -> (DateTime<Utc>, String) {
        let days = |n: u32| RetentionPolicy::cutoff_days(now, n);
        match kind {
            Expiry::SecurityEvents => (
                days(self.policy.security_event_days),
                format!("security events are kept {} days", self.policy.security_event_days),
            ),
            Expiry::FinishedJobs => (
                days(self.policy.technical_days),
                format!("finished jobs are kept {} days", self.policy.technical_days),
            ),
            Expiry::SpentTokens => (
                now - TimeDelta::days(1),
                "expired single-use tokens are kept a day".into(),
            ),
            Expiry::ExpiredSessions => (now, "sessions are deleted once they expire".into()),
            Expiry::StaleThrottles => (
                now - TimeDelta::days(1),
                "sign-in throttles are forgotten after a day".into(),
            ),
            Expiry::IdempotencyRecords => (now - TimeDelta::days(1), "idempotency records are kept a day".into()),
            Expiry::WebhookEvents => (
                days(self.policy.technical_days),
                format!("settled webhook events are kept {} days", self.policy.technical_days),
            ),
            Expiry::AnalyticsEvents => (
                now.checked_sub_months(chrono::Months::new(self.policy.analytics_months))
                    .unwrap_or(now),
                format!("anonymous analytics are kept {} months", self.policy.analytics_months),
            ),
            Expiry::BillingRecords => {
                let years = match self.policy.rule(DataCategory::OperatorBilling).keep {
                    Keep::YearsFromEndOfYear(years) => years,
                    _ => 10,
                };
                (
                    start_of_year(now.year().saturating_sub(i32::try_from(years).unwrap_or(i32::MAX))),
                    format!("the operator's billing records are kept {years} years from the end of the year"),
                )
            }
        }
    }

    async fn sweep_exports(&self, now: DateTime<Utc>, dry_run: bool) -> Result<SweepLine, Unexpected> {
        let mut count = 0;
        loop {
            let uow = self.store.begin().await?;
            let expired = uow.exports().expired(now, 100).await?;
            if dry_run || expired.is_empty() {
                count += u64::try_from(expired.len()).unwrap_or(u64::MAX);
                break;
            }
            for export in &expired {
                if let Some(key) = export.object_key.as_deref().and_then(|k| k.parse::<ObjectKey>().ok()) {
                    self.files.delete(&key).await.map_err(|e| Unexpected(Box::new(e)))?;
                }
                uow.exports().delete(export.tenant_id, export.id).await?;
                count += 1;
            }
            uow.commit().await?;
        }
        Ok(SweepLine {
            category: DataCategory::PrivacyRecords.as_str(),
            what: "expired_exports".into(),
            count,
            reason: format!("export archives are kept {} days", self.policy.export_days),
        })
    }

    async fn sweep_holds(&self, now: DateTime<Utc>, dry_run: bool) -> Result<Vec<SweepLine>, Unexpected> {
        let today = now.date_naive();
        let mut deleted: BTreeMap<String, u64> = BTreeMap::new();
        loop {
            let uow = self.store.begin().await?;
            let due = uow.retention().holds_ended(today, 100).await?;
            if dry_run || due.is_empty() {
                *deleted.entry("invoices".into()).or_default() += u64::try_from(due.len()).unwrap_or(u64::MAX);
                break;
            }
            for (tenant, invoice) in due {
                for (table, n) in uow.retention().delete_held_invoice(tenant, invoice).await? {
                    *deleted.entry(table).or_default() += n;
                }
            }
            uow.commit().await?;
        }
        Ok(deleted
            .into_iter()
            .filter(|(_, n)| *n > 0)
            .map(|(table, count)| SweepLine {
                category: DataCategory::AccountingRecords.as_str(),
                what: format!("held_{table}"),
                count,
                reason: "the legal hold after an erasure ended (statutory period over)".into(),
            })
            .collect())
    }

    async fn sweep_closed_accounts(&self, now: DateTime<Utc>, dry_run: bool) -> Result<Vec<SweepLine>, Unexpected> {
        let mut lines = Vec::new();
        let keep = self.policy.keep_accounting_after_closure;
        let reason = format!(
            "the account was closed more than {} days ago{}",
            self.policy.closure_grace_days,
            if keep {
                " (accounting records kept under legal hold)"
            } else {
                ""
            }
        );
        let uow = self.store.begin().await?;
        let due = uow.tenants_due_for_purge(now, 1000).await?;
        drop(uow);
        for tenant in due {
            let uow = self.store.begin().await?;
            let counts = if dry_run {
                uow.retention().count_tenant_rows(tenant).await?
            } else {
                let keep_years = match uow.organization(tenant).await? {
                    Some(org) if keep => Some(self.policy.statutory.years(org.country)),
                    _ => None,
                };
                let counts = uow.retention().purge_tenant(tenant, keep_years, now).await?;
                // The stored files go before the rows' purge commits: if the
                // commit fails, the tenant is still due and the next sweep
                // deletes again, whereas files left by a failure after the
                // commit would have no row left to find them by.
                self.files
                    .delete_prefix(&KeyPrefix::tenant(tenant))
                    .await
                    .map_err(|e| Unexpected(Box::new(e)))?;
                uow.commit().await?;
                counts
            };
            let rows: u64 = counts.values().sum();
            lines.push(SweepLine {
                category: DataCategory::CustomerContent.as_str(),
                what: "closed_account_rows".into(),
                count: rows,
                reason: reason.clone(),
            });
        }
        Ok(lines)
    }
}
