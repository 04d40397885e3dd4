//! Soak checks with the real `fakturo` binary on a scratch PostgreSQL database.
//!
//! - `cargo xtask soak crash [N]`: the binary is killed with SIGKILL in the
//!   middle of a run of N due recurring invoices (with emails), and again in
//!   the middle of their delivery, then run again; afterwards every schedule
//!   has exactly one invoice, the numbers are contiguous, and every email
//!   exists exactly once.
//! - `cargo xtask soak parallel [N]`: two processes run the same N due
//!   schedules at the same time, with the same outcome.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use fakturo_database::Backend;
use sea_orm::{ConnectionTrait, Statement};

use crate::bench::seed;

/// Delivered messages: `.eml` files (a killed writer may leave a hidden temporary file).
fn emails_in(outbox: &std::path::Path) -> usize {
    std::fs::read_dir(outbox).map_or(0, |entries| {
        entries
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
            .count()
    })
}

async fn scalar(seeded: &crate::bench::Seeded, sql: &str) -> Result<i64, String> {
    let db = seeded.wiring.sql.connection();
    let row = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .map_err(|e| e.to_string())?
        .ok_or("no row")?;
    row.try_get::<i64>("", "n").map_err(|e| e.to_string())
}

fn binary() -> Result<PathBuf, String> {
    let status = std::process::Command::new(env!("CARGO"))
        .args(["build", "-q", "-p", "fakturo-server", "--bin", "fakturo"])
        .status()
        .map_err(|e| e.to_string())?;
    if !status.success() {
        return Err("building fakturo failed".into());
    }
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"),
        PathBuf::from,
    );
    Ok(target.join("debug/fakturo"))
}

async fn run_due(bin: &PathBuf, url: &str, outbox: &str, date: &str) -> Result<tokio::process::Child, String> {
    tokio::process::Command::new(bin)
        .args(["admin", "run-due", "--as-of", date])
        .env("FAKTURO_DATABASE__URL", url)
        .env("FAKTURO_EMAIL__OUTBOX_DIR", outbox)
        .env("FAKTURO_EMAIL__TRANSPORT", "file")
        .env("FAKTURO_LOG__LEVEL", "error")
        .stdout(std::process::Stdio::null())
        .spawn()
        .map_err(|e| e.to_string())
}

/// Runs the crash soak with `schedules` due schedules on PostgreSQL.
pub async fn crash(schedules: usize) -> Result<String, String> {
    let bin = binary()?;
    let outbox_path = std::env::temp_dir().join(format!("fakturo-soak-{}", uuid::Uuid::new_v4().simple()));
    let outbox = outbox_path.display().to_string();
    let seeded = seed(Backend::Postgres, None, schedules, true, &outbox).await?;
    let url = seeded.wiring.state.settings.database.url.clone();
    let mut out = String::new();

    let started = Instant::now();
    let mut first = run_due(&bin, &url, &outbox, "2026-11-22").await?;
    let mut at_kill = 0;
    loop {
        let issued = scalar(&seeded, "SELECT COUNT(*) AS n FROM invoices").await?;
        if issued >= i64::try_from(schedules / 3).unwrap_or(0) {
            first.start_kill().map_err(|e| e.to_string())?;
            let _ = first.wait().await;
            at_kill = issued;
            break;
        }
        if first.try_wait().map_err(|e| e.to_string())?.is_some() {
            out.push_str("the first run finished before it could be killed; use more schedules\n");
            break;
        }
        if started.elapsed() > Duration::from_secs(600) {
            return Err("the first run made no progress".into());
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let emails_at_kill = emails_in(&outbox_path);
    out.push_str(&format!(
        "killed with SIGKILL after {at_kill} of {schedules} invoices and {emails_at_kill} emails\n"
    ));

    // The same day again: the rest is issued, then emails go out; killed again mid-delivery.
    let mut second = run_due(&bin, &url, &outbox, "2026-11-22").await?;
    let emails = || emails_in(&outbox_path);
    loop {
        if emails() >= schedules / 3 {
            second.start_kill().map_err(|e| e.to_string())?;
            let _ = second.wait().await;
            break;
        }
        if second.try_wait().map_err(|e| e.to_string())?.is_some() {
            out.push_str("the second run finished before it could be killed\n");
            break;
        }
        if started.elapsed() > Duration::from_secs(600) {
            return Err("the second run made no progress".into());
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let issued = scalar(&seeded, "SELECT COUNT(*) AS n FROM invoices").await?;
    out.push_str(&format!(
        "second run killed with SIGKILL after {issued} invoices and {} emails\n",
        emails()
    ));
    // The same day once more: what nobody holds is delivered; jobs leased by the killed runs wait.
    let status = run_due(&bin, &url, &outbox, "2026-11-22")
        .await?
        .wait()
        .await
        .map_err(|e| e.to_string())?;
    out.push_str(&format!("third run: {status}, {} emails\n", emails()));
    // The next day: the killed runs' leases have expired and their jobs are performed.
    let status = run_due(&bin, &url, &outbox, "2026-11-23")
        .await?
        .wait()
        .await
        .map_err(|e| e.to_string())?;
    out.push_str(&format!("fourth run (next day): {status}\n"));

    let ok = verify(&seeded, schedules, &outbox_path, &mut out).await?;
    let _ = std::fs::remove_dir_all(&outbox_path);
    if ok { Ok(out) } else { Err(out) }
}

/// Checks exactly-once: one invoice and one email per schedule, contiguous numbers.
async fn verify(
    seeded: &crate::bench::Seeded,
    schedules: usize,
    outbox_path: &std::path::Path,
    out: &mut String,
) -> Result<bool, String> {
    let invoices = scalar(seeded, "SELECT COUNT(*) AS n FROM invoices").await?;
    let distinct_numbers = scalar(seeded, "SELECT COUNT(DISTINCT number) AS n FROM invoices").await?;
    let max_number = scalar(
        seeded,
        "SELECT CAST(MAX(CAST(SUBSTR(number, 10) AS INTEGER)) AS BIGINT) AS n FROM invoices",
    )
    .await?;
    let runs = scalar(seeded, "SELECT COUNT(*) AS n FROM recurring_runs").await?;
    let jobs_done = scalar(
        seeded,
        "SELECT COUNT(*) AS n FROM jobs WHERE kind = 'send_invoice_email' AND status = 'done'",
    )
    .await?;
    let jobs_total = scalar(
        seeded,
        "SELECT COUNT(*) AS n FROM jobs WHERE kind = 'send_invoice_email'",
    )
    .await?;
    // The seed's sign-up sends one email of its own (the address verification).
    let other_emails = scalar(
        seeded,
        "SELECT COUNT(*) AS n FROM jobs WHERE kind = 'send_account_email' AND status = 'done'",
    )
    .await?;
    let other_jobs = scalar(
        seeded,
        "SELECT COUNT(*) AS n FROM jobs WHERE kind <> 'send_invoice_email'",
    )
    .await?;
    let emails = emails_in(outbox_path);
    let invoice_emails = i64::try_from(emails).unwrap_or(i64::MAX) - other_emails;
    out.push_str(&format!(
        "invoices: {invoices} (distinct numbers {distinct_numbers}, highest {max_number}), runs: {runs}\n\
         invoice email jobs: {jobs_done} done of {jobs_total}; .eml files: {emails} \
         ({invoice_emails} invoice emails; other jobs: {other_emails} emails sent of {other_jobs})\n"
    ));
    let expected = i64::try_from(schedules).unwrap_or(0);
    let ok = invoices == expected
        && distinct_numbers == expected
        && max_number == expected
        && runs == expected
        && jobs_done == expected
        && jobs_total == expected
        && other_emails == other_jobs
        && invoice_emails == expected;
    out.push_str(if ok {
        "RESULT: exactly once\n"
    } else {
        "RESULT: MISMATCH\n"
    });
    Ok(ok)
}

/// Two processes run the same due schedules at once.
pub async fn parallel(schedules: usize) -> Result<String, String> {
    let bin = binary()?;
    let outbox_path = std::env::temp_dir().join(format!("fakturo-soak-{}", uuid::Uuid::new_v4().simple()));
    let outbox = outbox_path.display().to_string();
    let seeded = seed(Backend::Postgres, None, schedules, true, &outbox).await?;
    let url = seeded.wiring.state.settings.database.url.clone();
    let started = Instant::now();
    let mut first = run_due(&bin, &url, &outbox, "2026-11-22").await?;
    let mut second = run_due(&bin, &url, &outbox, "2026-11-22").await?;
    let (a, b) = tokio::join!(first.wait(), second.wait());
    let mut out = format!(
        "two processes: {}, {} in {:.1} s\n",
        a.map_err(|e| e.to_string())?,
        b.map_err(|e| e.to_string())?,
        started.elapsed().as_secs_f64()
    );
    let ok = verify(&seeded, schedules, &outbox_path, &mut out).await?;
    let _ = std::fs::remove_dir_all(&outbox_path);
    if ok { Ok(out) } else { Err(out) }
}
