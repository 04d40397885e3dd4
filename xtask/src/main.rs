//! `cargo xtask <task>`: the operators' interface and developer chores. A
//! thin command-line layer: the work is done by `fakturo_server::ops`.
//!
//! - `cargo xtask migrate` applies pending migrations to the configured database.
//! - `cargo xtask openapi [--output FILE]` prints (or writes) the OpenAPI document.

use std::process::ExitCode;

use fakturo_server::{Settings, ops, telemetry};

const USAGE: &str = "usage: cargo xtask <task>

tasks:
  migrate                  apply pending migrations to the configured database
  openapi [--output FILE]  print the OpenAPI document (or write it to FILE)

The database and other settings come from config/default.toml, FAKTURO_CONFIG
and FAKTURO_SECTION__KEY variables, exactly as for the server.";

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
