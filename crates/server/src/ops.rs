//! Operator tasks. `cargo xtask …` and `fakturo admin …` are thin
//! command-line layers over these functions, which tests call directly.
//! The privacy tasks live in `ops/privacy.rs`, the encrypted backups in
//! `ops/backup.rs`, the incident register's in `ops/incidents.rs`.

mod backup;
mod billing;
mod incidents;
mod privacy;

pub use backup::{
    BackupKey, RestoreRequest, backup, backup_keygen, generate_backup_key, parse_restore_args, prune_backups, restore,
};
pub use billing::{billing_reconcile, billing_reconcile_at};
pub use incidents::{INCIDENT_USAGE, as_json as incident_json, incident, incident_at, parse_incident_draft};

use std::fmt::Write as _;
use std::sync::Arc;

use chrono::{NaiveDate, TimeZone as _, Utc};
use fakturo_database::{ConnectError, connect, migrate as apply_migrations};
use fakturo_domain::kernel::clock::{Clock, ManualClock};
use fakturo_domain::messaging::outbox::JobStatus;
use fakturo_domain::messaging::ports::JobQueue as _;

use crate::adapters::SystemClock;
use crate::application::{StartError, database_settings, open_store, wire};
use crate::http::openapi_json;
use crate::settings::Settings;

pub use privacy::{
    PROCESSING_RECORD_USAGE, PRODUCT_UPDATE_USAGE, PUBLISH_POLICY_USAGE, erase_user, erase_user_at, parse_policy_draft,
    privacy_requests, processing_record, publish_policy, publish_policy_at, send_product_update,
    send_product_update_at,
};

/// Why an operator task failed.
#[derive(Debug, thiserror::Error)]
pub enum OpsError {
    /// The application could not be wired.
    #[error(transparent)]
    Start(#[from] StartError),
    /// The database failed.
    #[error(transparent)]
    Database(#[from] ConnectError),
    /// A task failed.
    #[error("{0}")]
    Task(String),
}

/// Applies pending migrations to the configured database.
///
/// # Errors
/// [`ConnectError`] if the database is unreachable, newer than this build,
/// or a migration fails.
pub async fn migrate(settings: &Settings) -> Result<(), ConnectError> {
    let db = connect(&database_settings(settings)).await?;
    apply_migrations(&db).await?;
    db.close().await?;
    Ok(())
}

/// The OpenAPI document of this build. Needs no database of the
/// deployment: the operations are described, not called.
///
/// # Errors
/// [`OpsError`] only if the in-memory database cannot be prepared.
pub async fn openapi(settings: &Settings) -> Result<String, OpsError> {
    let mut scratch = settings.clone();
    scratch.database.url = "sqlite::memory:".into();
    scratch.database.migrate_on_start = true;
    // A throwaway key: describing the API must not create or read key files.
    scratch.secrets.keys = format!(
        "openapi:{}",
        base64::Engine::encode(&base64::engine::general_purpose::STANDARD, [7_u8; 32])
    );
    scratch.secrets.primary = String::new();
    let wiring = wire(scratch, Arc::new(SystemClock)).await?;
    let spec = openapi_json(&wiring.state);
    let _ = wiring.sql.connection().clone().close().await;
    Ok(spec)
}

/// Re-seals every stored secret under the key ring's primary key, so keys
/// other than the primary can then be removed from `secrets.keys`.
///
/// # Errors
/// [`OpsError`] naming the first value that does not open (a key missing
/// from the ring) or a storage failure; values re-sealed before it stay so.
pub async fn rotate_keys(settings: &Settings) -> Result<String, OpsError> {
    let wiring = wire(settings.clone(), Arc::new(SystemClock)).await?;
    let report = wiring
        .state
        .services
        .integrations
        .rotate_keys()
        .await
        .map_err(|e| OpsError::Task(e.to_string()))?;
    let primary = crate::application::key_ring(settings)?.primary().to_owned();
    let _ = wiring.sql.connection().clone().close().await;
    Ok(format!(
        "key rotation: {} stored secret(s) examined, {} re-sealed under primary key {primary:?}\n",
        report.examined, report.resealed
    ))
}

/// Runs the scheduler once as if it were `as_of` (noon UTC): issues every
/// due recurring invoice and queues due reminders, then performs the jobs
/// that are due, and says what it did.
///
/// # Errors
/// [`OpsError`] when storage fails; work done before the failure stays.
pub async fn run_due(settings: &Settings, as_of: Option<NaiveDate>) -> Result<String, OpsError> {
    let clock = clock_as_of(as_of)?;
    let wiring = wire(settings.clone(), clock.clone()).await?;
    let report = wiring
        .state
        .services
        .scheduler
        .run_due()
        .await
        .map_err(|e| OpsError::Task(e.to_string()))?;
    let jobs = wiring
        .workers
        .drain()
        .await
        .map_err(|e| OpsError::Task(e.to_string()))?;
    let _ = wiring.sql.connection().clone().close().await;
    let mut out = String::new();
    let _ = writeln!(out, "run-due as of {}", clock.now().to_rfc3339());
    let _ = writeln!(out, "recurring invoices issued: {}", report.issued.len());
    for issued in &report.issued {
        let _ = writeln!(
            out,
            "  {} issued {} (schedule {})",
            issued.issue_date, issued.number, issued.schedule_id
        );
    }
    for paused in &report.paused {
        let _ = writeln!(out, "  schedule {paused} paused: its template makes no valid invoice");
    }
    let _ = writeln!(
        out,
        "reminders queued: {}, superseded: {}, refused (restriction or objection): {}",
        report.reminders_queued, report.reminders_skipped, report.reminders_refused
    );
    match &report.sweep {
        Some(sweep) => write_sweep(&mut out, sweep),
        None => {
            let _ = writeln!(out, "retention sweep: ran already today");
        }
    }
    let _ = writeln!(
        out,
        "privacy requests: {} organization(s) with overdue cases, {} owner notice(s) queued, {} expired submission(s) purged",
        report.privacy.tenants_with_overdue, report.privacy.notices_queued, report.privacy.submissions_purged
    );
    let _ = writeln!(
        out,
        "jobs performed: {} done, {} to retry, {} dead",
        jobs.done, jobs.retried, jobs.dead
    );
    Ok(out)
}

/// A clock standing at noon UTC of `as_of`, or the system clock.
fn clock_as_of(as_of: Option<NaiveDate>) -> Result<Arc<dyn Clock>, OpsError> {
    Ok(match as_of {
        Some(date) => {
            let noon = date
                .and_hms_opt(12, 0, 0)
                .map(|t| Utc.from_utc_datetime(&t))
                .ok_or_else(|| OpsError::Task("invalid date".into()))?;
            Arc::new(ManualClock::new(noon))
        }
        None => Arc::new(SystemClock),
    })
}

fn write_sweep(out: &mut String, sweep: &fakturo_domain::privacy::services::retention::SweepReport) {
    let verb = if sweep.dry_run { "would delete" } else { "deleted" };
    let _ = writeln!(
        out,
        "retention sweep as of {}{}:",
        sweep.as_of.to_rfc3339(),
        if sweep.dry_run {
            " (dry run: nothing deleted)"
        } else {
            ""
        }
    );
    for line in &sweep.lines {
        let _ = writeln!(
            out,
            "  {verb} {:>6} {} [{}]: {}",
            line.count, line.what, line.category, line.reason
        );
    }
}

/// The retention sweep as of a date (noon UTC): deletes what has expired,
/// or with `dry_run` prints what would go and why.
///
/// # Errors
/// [`OpsError`] when storage fails; what was deleted before stays deleted.
pub async fn retention(settings: &Settings, as_of: Option<NaiveDate>, dry_run: bool) -> Result<String, OpsError> {
    let wiring = wire(settings.clone(), clock_as_of(as_of)?).await?;
    let sweep = wiring
        .state
        .services
        .retention
        .sweep(dry_run)
        .await
        .map_err(|e| OpsError::Task(e.to_string()))?;
    let _ = wiring.sql.connection().clone().close().await;
    let mut out = String::new();
    write_sweep(&mut out, &sweep);
    Ok(out)
}

/// Lists pending and dead jobs (newest errors included).
///
/// # Errors
/// [`OpsError`] when storage fails.
pub async fn jobs(settings: &Settings) -> Result<String, OpsError> {
    let store = open_store(settings).await?;
    let mut out = String::new();
    for status in [JobStatus::Pending, JobStatus::Running, JobStatus::Dead] {
        let jobs = store
            .list(status, 1000)
            .await
            .map_err(|e| OpsError::Task(e.to_string()))?;
        let _ = writeln!(out, "{} jobs: {}", status.as_str(), jobs.len());
        for job in jobs {
            let _ = writeln!(
                out,
                "  {} {} attempts {}/{} run_at {}{}",
                job.id,
                job.effect.kind(),
                job.attempts,
                job.max_attempts,
                job.run_at.to_rfc3339(),
                job.last_error.map(|e| format!(" last error: {e}")).unwrap_or_default()
            );
        }
    }
    Ok(out)
}

/// Puts a dead job back in the queue.
///
/// # Errors
/// [`OpsError::Task`] if there is no dead job with that id.
pub async fn retry_job(settings: &Settings, id: &str) -> Result<String, OpsError> {
    let id = uuid::Uuid::parse_str(id).map_err(|_| OpsError::Task(format!("not a job id: {id}")))?;
    let store = open_store(settings).await?;
    let now = SystemClock.now();
    if store.retry(id, now).await.map_err(|e| OpsError::Task(e.to_string()))? {
        let _ = store.connection().clone().close().await;
        Ok(format!("job {id} queued again\n"))
    } else {
        Err(OpsError::Task(format!("no dead job {id}")))
    }
}
