//! Operator tasks. `cargo xtask …` and `fakturo admin …` are thin
//! command-line layers over these functions, which tests call directly.

use std::fmt::Write as _;
use std::sync::Arc;

use chrono::{NaiveDate, TimeZone as _, Utc};
use fakturo_database::{ConnectError, connect, migrate as apply_migrations};
use fakturo_domain::jobs::JobStatus;
use fakturo_domain::ports::{Clock, JobQueue as _, ManualClock};

use crate::adapters::SystemClock;
use crate::application::{StartError, database_settings, open_store, wire};
use crate::http::openapi_json;
use crate::settings::Settings;

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
    let wiring = wire(scratch, Arc::new(SystemClock)).await?;
    let spec = openapi_json(&wiring.state);
    let _ = wiring.sql.connection().clone().close().await;
    Ok(spec)
}

/// Runs the scheduler once as if it were `as_of` (noon UTC): issues every
/// due recurring invoice and queues due reminders, then performs the jobs
/// that are due, and says what it did.
///
/// # Errors
/// [`OpsError`] when storage fails; work done before the failure stays.
pub async fn run_due(settings: &Settings, as_of: Option<NaiveDate>) -> Result<String, OpsError> {
    let clock: Arc<dyn Clock> = match as_of {
        Some(date) => {
            let noon = date
                .and_hms_opt(12, 0, 0)
                .map(|t| Utc.from_utc_datetime(&t))
                .ok_or_else(|| OpsError::Task("invalid date".into()))?;
            Arc::new(ManualClock::new(noon))
        }
        None => Arc::new(SystemClock),
    };
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
        "reminders queued: {}, superseded: {}",
        report.reminders_queued, report.reminders_skipped
    );
    let _ = writeln!(
        out,
        "jobs performed: {} done, {} to retry, {} dead",
        jobs.done, jobs.retried, jobs.dead
    );
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
