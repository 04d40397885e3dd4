//! The `fakturo` binary: `fakturo` (or `fakturo serve`) runs the server;
//! `fakturo admin <task>` runs an operator task on machines without cargo.

use std::process::ExitCode;

use fakturo_server::{Application, Settings, ops, telemetry};

const USAGE: &str = "usage: fakturo [serve]
       fakturo admin migrate | openapi | run-due [--as-of YYYY-MM-DD] | jobs | jobs retry <id> | rotate-keys | billing reconcile | retention [--dry-run] | backup
       fakturo admin backup-keygen | restore FILE --into URL --identity KEYFILE | prune-backups [--as-of YYYY-MM-DD]
       fakturo admin publish-policy --kind privacy|terms --version V --effective DATE [--material] --summary TEXT
       fakturo admin privacy-requests
       fakturo admin erase-user EMAIL
       fakturo admin processing-record [--tenant ID] [--pdf FILE]
       fakturo admin send-product-update --subject TEXT --body TEXT [--tenant ID]
       fakturo admin incident open|update|notify-authority|notify|close|list|show …

Configuration: config/default.toml (built in) < FAKTURO_CONFIG file < FAKTURO_SECTION__KEY variables.";

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let settings = match Settings::load() {
        Ok(settings) => settings,
        Err(error) => {
            eprintln!("fakturo: {error}");
            return ExitCode::FAILURE;
        }
    };
    telemetry::init(&settings.log);
    let outcome = match args.as_slice() {
        [] | ["serve"] => serve(settings).await,
        ["admin", "migrate"] => ops::migrate(&settings).await.map_err(|e| e.to_string()),
        ["admin", "openapi"] => print(ops::openapi(&settings).await.map(|spec| format!("{spec}\n"))),
        ["admin", "run-due"] => print(ops::run_due(&settings, None).await),
        ["admin", "run-due", "--as-of", date] => match date.parse() {
            Ok(date) => print(ops::run_due(&settings, Some(date)).await),
            Err(_) => Err(format!("--as-of takes a date like 2027-01-31, not {date}")),
        },
        ["admin", "jobs"] => print(ops::jobs(&settings).await),
        ["admin", "jobs", "retry", id] => print(ops::retry_job(&settings, id).await),
        ["admin", "rotate-keys"] => print(ops::rotate_keys(&settings).await),
        ["admin", "billing", "reconcile"] => print(ops::billing_reconcile(&settings).await),
        ["admin", "backup"] => print(ops::backup(&settings).await),
        ["admin", "backup-keygen"] => {
            print!("{}", ops::backup_keygen());
            Ok(())
        }
        ["admin", "restore", rest @ ..] => match ops::parse_restore_args(rest) {
            Ok(request) => print(ops::restore(&request).await),
            Err(message) => Err(message),
        },
        ["admin", "prune-backups"] => print(ops::prune_backups(&settings, None).await),
        ["admin", "prune-backups", "--as-of", date] => match date.parse() {
            Ok(date) => print(ops::prune_backups(&settings, Some(date)).await),
            Err(_) => Err(format!("--as-of takes a date like 2027-01-31, not {date}")),
        },
        ["admin", "retention"] => print(ops::retention(&settings, None, false).await),
        ["admin", "retention", "--dry-run"] => print(ops::retention(&settings, None, true).await),
        ["admin", "publish-policy", rest @ ..] => match ops::parse_policy_draft(rest) {
            Ok(draft) => print(ops::publish_policy(&settings, draft).await),
            Err(message) => Err(message),
        },
        ["admin", "privacy-requests"] => print(ops::privacy_requests(&settings).await),
        ["admin", "erase-user", email] => print(ops::erase_user(&settings, email).await),
        ["admin", "processing-record", rest @ ..] => print(ops::processing_record(&settings, rest).await),
        ["admin", "send-product-update", rest @ ..] => print(ops::send_product_update(&settings, rest).await),
        ["admin", "incident", rest @ ..] => print(ops::incident(&settings, rest).await),
        ["-h" | "--help" | "help"] => {
            println!("{USAGE}");
            Ok(())
        }
        _ => Err(format!("unknown command\n{USAGE}")),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("fakturo: {error}");
            ExitCode::FAILURE
        }
    }
}

fn print(result: Result<String, ops::OpsError>) -> Result<(), String> {
    result.map(|text| print!("{text}")).map_err(|e| e.to_string())
}

async fn serve(settings: Settings) -> Result<(), String> {
    let application = Application::build(settings).await.map_err(|e| e.to_string())?;
    application.run_until_stopped().await.map_err(|e| e.to_string())
}
