//! Scratch databases for tests and benchmarks: a fresh, empty database per
//! use, removed when dropped. PostgreSQL scratch databases are created on
//! the server named by `FAKTURO_TEST_POSTGRES_URL` (default: the local
//! server); when none answers they are skipped with one clear line, unless
//! `FAKTURO_REQUIRE_POSTGRES=1`, which turns the skip into a failure.

use std::path::PathBuf;

use sea_orm::{ConnectOptions, ConnectionTrait, Database, DbBackend, Statement};
use uuid::Uuid;

use crate::connection::Backend;

/// The variable naming the PostgreSQL server for tests.
pub const POSTGRES_URL_VAR: &str = "FAKTURO_TEST_POSTGRES_URL";
/// The variable that makes a missing PostgreSQL server a failure.
pub const REQUIRE_POSTGRES_VAR: &str = "FAKTURO_REQUIRE_POSTGRES";
const DEFAULT_POSTGRES_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// Why no scratch database could be made.
#[derive(Debug, thiserror::Error)]
pub enum ScratchError {
    /// No PostgreSQL server answered and none is required: skip the test.
    #[error("skipped: no PostgreSQL at {0} (set {POSTGRES_URL_VAR}, or {REQUIRE_POSTGRES_VAR}=1 to fail instead)")]
    Skipped(String),
    /// PostgreSQL is required but did not answer, or creating the database failed.
    #[error("PostgreSQL is required ({REQUIRE_POSTGRES_VAR}=1) but failed: {0}")]
    Failed(String),
}

/// Prints a skip message where a person sees it: straight to the process's
/// standard error, past the test harness's capture of `println!`.
pub fn announce_skip(skip: &ScratchError) {
    use std::io::Write as _;
    let _ = writeln!(std::io::stderr(), "{skip}");
}

/// A database that exists for as long as this value.
#[derive(Debug)]
pub struct ScratchDatabase {
    url: String,
    cleanup: Cleanup,
}

#[derive(Debug)]
enum Cleanup {
    SqliteFile(PathBuf),
    PostgresDatabase { admin_url: String, name: String },
}

impl ScratchDatabase {
    /// A new empty database on `backend`.
    ///
    /// # Errors
    /// [`ScratchError::Skipped`] when PostgreSQL is absent and not required;
    /// [`ScratchError::Failed`] otherwise.
    pub async fn create(backend: Backend) -> Result<Self, ScratchError> {
        match backend {
            Backend::Sqlite => {
                let path = std::env::temp_dir().join(format!("fakturo-test-{}.db", Uuid::new_v4().simple()));
                Ok(Self {
                    url: format!("sqlite://{}", path.display()),
                    cleanup: Cleanup::SqliteFile(path),
                })
            }
            Backend::Postgres => Self::postgres().await,
        }
    }

    async fn postgres() -> Result<Self, ScratchError> {
        let admin_url = std::env::var(POSTGRES_URL_VAR).unwrap_or_else(|_| DEFAULT_POSTGRES_URL.to_owned());
        let required = std::env::var(REQUIRE_POSTGRES_VAR).is_ok_and(|v| v == "1" || v == "true");
        let admin = match Database::connect(quiet(&admin_url)).await {
            Ok(admin) => admin,
            Err(error) if required => return Err(ScratchError::Failed(error.to_string())),
            Err(_) => return Err(ScratchError::Skipped(redact(&admin_url))),
        };
        let name = format!("fakturo_test_{}", Uuid::new_v4().simple());
        admin
            .execute_unprepared(&format!("CREATE DATABASE {name}"))
            .await
            .map_err(|e| ScratchError::Failed(e.to_string()))?;
        let _ = admin.close().await;
        Ok(Self {
            url: replace_database(&admin_url, &name),
            cleanup: Cleanup::PostgresDatabase { admin_url, name },
        })
    }

    /// The connection URL of the scratch database.
    #[must_use]
    pub fn url(&self) -> &str {
        &self.url
    }
}

impl Drop for ScratchDatabase {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::SqliteFile(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let mut file = path.clone().into_os_string();
                    file.push(suffix);
                    let _ = std::fs::remove_file(file);
                }
            }
            Cleanup::PostgresDatabase { admin_url, name } => {
                let (admin_url, name) = (admin_url.clone(), name.clone());
                // Drop runs outside any async context we may block: use a thread with its own runtime.
                let _ = std::thread::spawn(move || {
                    let Ok(runtime) = tokio::runtime::Builder::new_current_thread().enable_all().build() else {
                        return;
                    };
                    runtime.block_on(async move {
                        if let Ok(admin) = Database::connect(quiet(&admin_url)).await {
                            let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                            let _ = admin
                                .execute_raw(Statement::from_string(DbBackend::Postgres, sql))
                                .await;
                            let _ = admin.close().await;
                        }
                    });
                })
                .join();
            }
        }
    }
}

/// Connection options that keep the administrative statements out of the logs.
fn quiet(url: &str) -> ConnectOptions {
    let mut options = ConnectOptions::new(url.to_owned());
    options.sqlx_logging(false).max_connections(1);
    options
}

/// The same server URL with another database name.
fn replace_database(url: &str, database: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let server = match base[scheme_end..].find('/') {
        Some(slash) => &base[..scheme_end + slash],
        None => base,
    };
    match query {
        Some(query) => format!("{server}/{database}?{query}"),
        None => format!("{server}/{database}"),
    }
}

/// The URL without a password, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => format!("{}://…@{}", &url[..scheme], &url[at + 1..]),
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_get_a_new_database_name() {
        assert_eq!(
            replace_database("postgres://postgres@127.0.0.1:5432/postgres", "x"),
            "postgres://postgres@127.0.0.1:5432/x"
        );
        assert_eq!(
            replace_database("postgres://u:p@h/db?sslmode=disable", "x"),
            "postgres://u:p@h/x?sslmode=disable"
        );
        assert_eq!(replace_database("postgres://h", "x"), "postgres://h/x");
        assert_eq!(redact("postgres://u:secret@h/db"), "postgres://…@h/db");
    }
}
