//! `cargo xtask <task>`: the operators' interface and developer chores. A
//! thin command-line layer: the work is done by `fakturo_server::ops`.
//!
//! - `cargo xtask migrate` applies pending migrations to the configured database.
//! - `cargo xtask openapi [--output FILE]` prints (or writes) the OpenAPI document.
//! - `cargo xtask run-due [--as-of DATE]` runs the scheduler once as of a date.
//! - `cargo xtask jobs` and `cargo xtask jobs retry <id>` inspect and revive jobs.
//! - `cargo xtask rotate-keys` re-seals stored secrets under the primary key.
//! - `cargo xtask backup`, `backup-keygen`, `restore …` and `prune-backups`:
//!   encrypted backups, their key pair, restores into an empty database, and
//!   their expiry.
//! - `cargo xtask billing reconcile` applies what Stripe says of checkout
//!   sessions open for more than an hour (lost webhooks).
//! - `cargo xtask publish-policy …` publishes a policy version and notifies every user.
//! - `cargo xtask privacy-requests` lists the operator's own privacy requests.
//! - `cargo xtask erase-user EMAIL` erases one person's account, not the organization.
//! - `cargo xtask processing-record …` prints (or renders) the record of processing activities.
//! - `cargo xtask send-product-update …` queues a product update (sent only with consent).
//! - `cargo xtask incident …` keeps the incident register (GDPR Arts. 33–34).

use std::process::ExitCode;

mod bench;
mod soak;

use fakturo_server::{Settings, ops, telemetry};

const USAGE: &str = "usage: cargo xtask <task>

tasks:
  migrate                  apply pending migrations to the configured database
  openapi [--output FILE]  print the OpenAPI document (or write it to FILE)
  run-due [--as-of DATE]   issue due recurring invoices and queue due reminders as if
                           it were DATE (YYYY-MM-DD, noon UTC), then perform due jobs
  jobs                     list pending, running and dead jobs
  jobs retry <id>          put a dead job back in the queue
  rotate-keys              re-encrypt every stored secret under secrets.primary; afterwards
                           the other keys can be removed from secrets.keys
  billing reconcile        ask Stripe about invoice checkout sessions open for more than an
                           hour and apply what it says; then apply waiting webhook events
  retention [--dry-run] [--as-of DATE]
                           delete what has outlived its retention rule (or, dry, print what
                           would go and why), as if it were DATE
  backup                   write a database backup, encrypted to retention.backup_recipient,
                           to retention.backup_dir and delete backups older than
                           retention.backup_days
  backup-keygen            print a new backup key pair: the private key to keep away from
                           the server, and the public key for retention.backup_recipient
  restore FILE --into URL --identity KEYFILE
                           decrypt a backup with the private key in KEYFILE and restore it
                           into an empty database (postgres:// URL or SQLite file); a
                           database that holds any table is refused
  prune-backups [--as-of DATE]
                           delete the backups in retention.backup_dir older than
                           retention.backup_days as of DATE (default: now)
  bench export [N] [--sqlite]
                           seed N (default 100000) invoices and measure the peak memory of
                           building a whole-organization export
  publish-policy --kind privacy|terms --version V --effective DATE [--material] --summary TEXT
                           publish a policy version and email a notice to every user; a
                           material change needs policies.material_notice_days of notice
  privacy-requests         list the privacy requests that concern no organization's clients
                           (the operator's own cases), with their deadlines
  erase-user EMAIL         erase one person's account (a child's account, a request sent to
                           the operator): the account goes, the organization's records stay
                           naming a pseudonym; an owner must hand ownership over first
  processing-record [--tenant ID] [--pdf FILE]
                           the record of processing activities (GDPR Art. 30), generated from
                           the data map: the operator's own, or an organization's; JSON, or a PDF
  send-product-update --subject TEXT --body TEXT [--tenant ID]
                           queue a product update for every user (of one organization);
                           each is emailed only if its user consents to marketing email
  incident open|update|notify-authority|notify|close|list|show …
                           the register of personal data breaches: the 72-hour clock to the
                           authority, service notices to every affected user (once each);
                           `cargo xtask incident` alone prints every form
  bench run-due [N] [--sqlite]
                           time the scheduler issuing N (default 10000) due recurring
                           invoices on a scratch PostgreSQL (or SQLite) database
  bench render             time invoice PDF and Factur-X rendering (release build of the
                           documents crate's render_bench: min, median and p95 in ms)
  soak crash [N]           kill the fakturo binary with SIGKILL during a run of N
                           (default 1000) due invoices with emails, run it again, and
                           check that everything happened exactly once
  soak parallel [N]        two fakturo processes run the same N (default 500) due
                           schedules at once; check that everything happened once

The database and other settings come from config/default.toml, FAKTURO_CONFIG
and FAKTURO_SECTION__KEY variables, exactly as for the server.";

/// `[--dry-run] [--as-of DATE]` in any order.
fn retention_args(args: &[&str]) -> Result<(bool, Option<chrono::NaiveDate>), String> {
    let mut dry_run = false;
    let mut as_of = None;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match *arg {
            "--dry-run" => dry_run = true,
            "--as-of" => {
                let date = rest.next().ok_or("--as-of takes a date like 2027-01-31")?;
                as_of = Some(
                    date.parse()
                        .map_err(|_| format!("--as-of takes a date like 2027-01-31, not {date}"))?,
                );
            }
            other => return Err(format!("unknown argument {other}; see cargo xtask help")),
        }
    }
    Ok((dry_run, as_of))
}

/// Runs the documents crate's render benchmark; rendering is CPU work, so
/// only a release build gives honest figures.
fn render_bench() -> Result<(), String> {
    let status = std::process::Command::new(env!("CARGO"))
        .args([
            "run",
            "--release",
            "-q",
            "-p",
            "fakturo-documents",
            "--example",
            "render_bench",
        ])
        .status()
        .map_err(|e| e.to_string())?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("render_bench failed: {status}"))
    }
}

fn print(result: Result<String, ops::OpsError>) -> Result<(), String> {
    result.map(|text| print!("{text}")).map_err(|e| e.to_string())
}

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    if matches!(args.as_slice(), [] | ["-h" | "--help" | "help"]) {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    let settings = match Settings::load() {
        Ok(settings) => settings,
        Err(error) => {
            eprintln!("xtask: {error}");
            return ExitCode::FAILURE;
        }
    };
    telemetry::init(&settings.log);
    let outcome = match args.as_slice() {
        ["migrate"] => ops::migrate(&settings)
            .await
            .map(|()| println!("migrations applied"))
            .map_err(|e| e.to_string()),
        ["openapi"] => ops::openapi(&settings)
            .await
            .map(|spec| println!("{spec}"))
            .map_err(|e| e.to_string()),
        ["openapi", "--output", file] => match ops::openapi(&settings).await {
            Ok(spec) => std::fs::write(file, spec)
                .map(|()| println!("wrote {file}"))
                .map_err(|e| format!("cannot write {file}: {e}")),
            Err(error) => Err(error.to_string()),
        },
        ["run-due"] => print(ops::run_due(&settings, None).await),
        ["run-due", "--as-of", date] => match date.parse() {
            Ok(date) => print(ops::run_due(&settings, Some(date)).await),
            Err(_) => Err(format!("--as-of takes a date like 2027-01-31, not {date}")),
        },
        ["jobs"] => print(ops::jobs(&settings).await),
        ["jobs", "retry", id] => print(ops::retry_job(&settings, id).await),
        ["rotate-keys"] => print(ops::rotate_keys(&settings).await),
        ["billing", "reconcile"] => print(ops::billing_reconcile(&settings).await),
        ["backup"] => print(ops::backup(&settings).await),
        ["backup-keygen"] => {
            print!("{}", ops::backup_keygen());
            Ok(())
        }
        ["restore", rest @ ..] => match ops::parse_restore_args(rest) {
            Ok(request) => print(ops::restore(&request).await),
            Err(message) => Err(message),
        },
        ["prune-backups"] => print(ops::prune_backups(&settings, None).await),
        ["prune-backups", "--as-of", date] => match date.parse() {
            Ok(date) => print(ops::prune_backups(&settings, Some(date)).await),
            Err(_) => Err(format!("--as-of takes a date like 2027-01-31, not {date}")),
        },
        ["retention", rest @ ..] => match retention_args(rest) {
            Ok((dry_run, as_of)) => print(ops::retention(&settings, as_of, dry_run).await),
            Err(message) => Err(message),
        },
        ["bench", "export", rest @ ..] => {
            let backend = if rest.contains(&"--sqlite") {
                fakturo_database::Backend::Sqlite
            } else {
                fakturo_database::Backend::Postgres
            };
            let count = rest.iter().find_map(|a| a.parse().ok()).unwrap_or(100_000);
            bench::export(backend, count).await.map(|text| print!("{text}"))
        }
        ["publish-policy", rest @ ..] => match ops::parse_policy_draft(rest) {
            Ok(draft) => print(ops::publish_policy(&settings, draft).await),
            Err(message) => Err(message),
        },
        ["privacy-requests"] => print(ops::privacy_requests(&settings).await),
        ["erase-user", email] => print(ops::erase_user(&settings, email).await),
        ["processing-record", rest @ ..] => print(ops::processing_record(&settings, rest).await),
        ["send-product-update", rest @ ..] => print(ops::send_product_update(&settings, rest).await),
        ["incident", rest @ ..] => print(ops::incident(&settings, rest).await),
        ["bench", "run-due", rest @ ..] => {
            let backend = if rest.contains(&"--sqlite") {
                fakturo_database::Backend::Sqlite
            } else {
                fakturo_database::Backend::Postgres
            };
            let count = rest.iter().find_map(|a| a.parse().ok()).unwrap_or(10_000);
            bench::run_due(backend, count).await.map(|text| print!("{text}"))
        }
        ["bench", "render"] => render_bench(),
        ["soak", "parallel", rest @ ..] => {
            let count = rest.iter().find_map(|a| a.parse().ok()).unwrap_or(500);
            soak::parallel(count).await.map(|text| print!("{text}"))
        }
        ["soak", "crash", rest @ ..] => {
            let count = rest.iter().find_map(|a| a.parse().ok()).unwrap_or(1000);
            soak::crash(count).await.map(|text| print!("{text}"))
        }
        _ => Err(format!("unknown task\n\n{USAGE}")),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("xtask: {error}");
            ExitCode::FAILURE
        }
    }
}
