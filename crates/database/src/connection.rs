//! Connecting, migrating and checking the schema version.

use std::path::Path;
use std::time::Duration;

use fakturo_migrations::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, DbErr, Statement};

/// Which database a URL points at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// An SQLite file (or `sqlite::memory:`).
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

/// How to reach the database.
#[derive(Clone, Debug)]
pub struct DatabaseSettings {
    /// `sqlite://path/to/file.db` or `postgres://user@host/db`.
    pub url: String,
    /// Pool size for PostgreSQL (SQLite always uses one writer connection).
    pub max_connections: u32,
    /// How long to wait for a pooled connection.
    pub acquire_timeout: Duration,
}

/// Why the database could not be opened or prepared.
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    /// The URL is neither `sqlite:` nor `postgres:`.
    #[error("database.url must start with sqlite:// or postgres://")]
    UnsupportedUrl,
    /// The folder for the SQLite file could not be created.
    #[error("cannot create the folder for the SQLite database: {0}")]
    Folder(#[source] std::io::Error),
    /// The database refused the connection or a statement.
    #[error("database error: {0}")]
    Database(#[from] DbErr),
    /// The schema has migrations this build does not know: it is newer.
    #[error(
        "the database schema is newer than this build (unknown migrations: {0}); upgrade Fakturo or restore a matching backup"
    )]
    SchemaTooNew(String),
    /// The schema lacks migrations and automatic migration is off.
    #[error("the database schema is behind this build ({0} pending migrations); run `cargo xtask migrate`")]
    SchemaBehind(usize),
}

impl Backend {
    /// The backend a URL names.
    ///
    /// # Errors
    /// [`ConnectError::UnsupportedUrl`] for other schemes.
    pub fn of_url(url: &str) -> Result<Self, ConnectError> {
        if url.starts_with("sqlite:") {
            Ok(Self::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Self::Postgres)
        } else {
            Err(ConnectError::UnsupportedUrl)
        }
    }
}

/// Opens a connection pool. For SQLite the file (and its folder) is created
/// if missing, WAL journaling and foreign keys are switched on, and the pool
/// has a single connection so that writers queue instead of failing with
/// `SQLITE_BUSY`.
///
/// # Errors
/// See [`ConnectError`].
pub async fn connect(settings: &DatabaseSettings) -> Result<DatabaseConnection, ConnectError> {
    let backend = Backend::of_url(&settings.url)?;
    let mut options = ConnectOptions::new(settings.url.clone());
    options
        .sqlx_logging(false)
        .acquire_timeout(settings.acquire_timeout)
        .connect_timeout(Duration::from_secs(10));
    match backend {
        Backend::Sqlite => {
            create_sqlite_folder(&settings.url)?;
            options
                .max_connections(1)
                .min_connections(1)
                .map_sqlx_sqlite_opts(|opts| {
                    opts.create_if_missing(true)
                        .foreign_keys(true)
                        .journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                        .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Normal)
                        .busy_timeout(Duration::from_secs(10))
                });
        }
        Backend::Postgres => {
            options.max_connections(settings.max_connections.max(1));
        }
    }
    Ok(Database::connect(options).await?)
}

fn create_sqlite_folder(url: &str) -> Result<(), ConnectError> {
    let path = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:")
        .split('?')
        .next()
        .unwrap_or_default();
    if path.is_empty() || path.starts_with(":memory:") {
        return Ok(());
    }
    match Path::new(path).parent() {
        Some(folder) if !folder.as_os_str().is_empty() => std::fs::create_dir_all(folder).map_err(ConnectError::Folder),
        _ => Ok(()),
    }
}

/// Applies every pending migration.
///
/// # Errors
/// [`ConnectError::SchemaTooNew`] if the database has migrations this build
/// does not know; [`ConnectError::Database`] if a migration fails (it is
/// rolled back where the database supports transactional DDL).
pub async fn migrate(db: &DatabaseConnection) -> Result<(), ConnectError> {
    refuse_newer_schema(db).await?;
    Migrator::up(db, None).await?;
    Ok(())
}

/// Checks that the schema matches this build exactly, without changing it.
///
/// # Errors
/// [`ConnectError::SchemaTooNew`] or [`ConnectError::SchemaBehind`].
pub async fn check_schema(db: &DatabaseConnection) -> Result<(), ConnectError> {
    refuse_newer_schema(db).await?;
    let pending = Migrator::get_pending_migrations(db).await?.len();
    if pending > 0 {
        return Err(ConnectError::SchemaBehind(pending));
    }
    Ok(())
}

async fn refuse_newer_schema(db: &DatabaseConnection) -> Result<(), ConnectError> {
    let backend = db.get_database_backend();
    let exists_sql = match backend {
        DbBackend::Sqlite => {
            "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'seaql_migrations'"
        }
        _ => {
            "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_name = 'seaql_migrations' AND table_schema = current_schema()"
        }
    };
    let exists = db
        .query_one_raw(Statement::from_string(backend, exists_sql))
        .await?
        .map(|row| row.try_get::<i64>("", "n"))
        .transpose()?
        .unwrap_or(0);
    if exists == 0 {
        return Ok(());
    }
    let known: Vec<String> = Migrator::migrations().iter().map(|m| m.name().to_owned()).collect();
    let applied = db
        .query_all_raw(Statement::from_string(backend, "SELECT version FROM seaql_migrations"))
        .await?;
    let mut unknown = Vec::new();
    for row in applied {
        let version: String = row.try_get("", "version")?;
        if !known.contains(&version) {
            unknown.push(version);
        }
    }
    if unknown.is_empty() {
        Ok(())
    } else {
        Err(ConnectError::SchemaTooNew(unknown.join(", ")))
    }
}
