//! `cargo xtask restore FILE --into URL --identity FILE`: decrypts a backup
//! with the private key kept away from the server and restores it into an
//! empty database. A database that holds any table is refused, so a
//! restore can never mix a backup into live data or overwrite it.

use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use fakturo_database::{Backend, DatabaseSettings, connect};

use super::{OpsError, blocking, postgres};

/// What `cargo xtask restore` was asked to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RestoreRequest {
    /// The encrypted backup.
    pub file: PathBuf,
    /// The empty database to restore into: a `postgres://` URL, an
    /// `sqlite://` URL or an SQLite file path.
    pub into: String,
    /// The age identity file holding the backup's private key.
    pub identity: PathBuf,
}

/// The usage line of `restore`.
const RESTORE_USAGE: &str = "restore FILE --into URL --identity FILE";

/// Reads `FILE --into URL --identity FILE` (the options in any order).
///
/// # Errors
/// A message naming what is missing or unknown.
pub fn parse_restore_args(args: &[&str]) -> Result<RestoreRequest, String> {
    let (mut file, mut into, mut identity) = (None, None, None);
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        let slot = match *arg {
            "--into" => &mut into,
            "--identity" => &mut identity,
            other if other.starts_with("--") => return Err(format!("unknown option {other}; usage: {RESTORE_USAGE}")),
            other => {
                if file.replace((*other).to_owned()).is_some() {
                    return Err(format!("one backup file at a time; usage: {RESTORE_USAGE}"));
                }
                continue;
            }
        };
        let value = rest
            .next()
            .ok_or_else(|| format!("{arg} takes a value; usage: {RESTORE_USAGE}"))?;
        *slot = Some((*value).to_owned());
    }
    match (file, into, identity) {
        (Some(file), Some(into), Some(identity)) => Ok(RestoreRequest {
            file: file.into(),
            into,
            identity: identity.into(),
        }),
        _ => Err(format!("usage: {RESTORE_USAGE}")),
    }
}

/// What kind of database a decrypted backup holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Contents {
    Sqlite,
    PostgresArchive,
}

impl Contents {
    fn backend(self) -> Backend {
        match self {
            Self::Sqlite => Backend::Sqlite,
            Self::PostgresArchive => Backend::Postgres,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Self::Sqlite => "SQLite",
            Self::PostgresArchive => "PostgreSQL",
        }
    }
}

/// The decrypted stream of a backup.
type Plaintext = Box<dyn Read + Send>;

/// Decrypts the backup in `request.file` with `request.identity` and
/// restores it into `request.into`, which must hold no table.
///
/// # Errors
/// [`OpsError::Task`] when the key does not open the backup, the backup is
/// damaged or for the other database, the target holds any table, or the
/// restore fails (PostgreSQL: in one transaction, so nothing is restored).
pub async fn restore(request: &RestoreRequest) -> Result<String, OpsError> {
    let (file, identity) = (request.file.clone(), request.identity.clone());
    let (contents, plaintext) = blocking(move || open_backup(&file, &identity)).await?;
    let target = Target::parse(&request.into)?;
    if target.backend() != contents.backend() {
        return Err(OpsError::Task(format!(
            "{} is a {} backup; restore it into a {} database",
            request.file.display(),
            contents.name(),
            contents.name()
        )));
    }
    let tables = target.tables().await?;
    if !tables.is_empty() {
        return Err(OpsError::Task(format!(
            "refusing to restore into {}: the database is not empty ({} table(s), such as {:?}); \
             restore into a new, empty database",
            target.display(),
            tables.len(),
            tables[0]
        )));
    }
    let restore_into = target.clone();
    blocking(move || match &restore_into {
        Target::SqliteFile(path) => restore_sqlite(path, plaintext),
        Target::Postgres(url) => postgres::restore(url, plaintext),
    })
    .await?;
    let restored = target.tables().await?;
    Ok(format!(
        "restored {} ({} backup) into {}: {} table(s)\n\
         point database.url at it and start Fakturo; migrations newer than the backup apply at start\n",
        request.file.display(),
        contents.name(),
        target.display(),
        restored.len()
    ))
}

/// Opens and decrypts a backup and tells what it holds. The private key is
/// read from `identity` and kept only in memory.
fn open_backup(file: &Path, identity: &Path) -> Result<(Contents, Plaintext), String> {
    let identities = age::IdentityFile::from_file(identity.display().to_string())
        .map_err(|e| format!("cannot read the identity file {}: {e}", identity.display()))?
        .into_identities()
        .map_err(|e| format!("the identity file {} holds no usable key: {e}", identity.display()))?;
    if identities.is_empty() {
        return Err(format!("the identity file {} holds no key", identity.display()));
    }
    let sealed = std::fs::File::open(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    let decryptor = age::Decryptor::new_buffered(BufReader::new(sealed))
        .map_err(|e| format!("{} is not an encrypted Fakturo backup: {e}", file.display()))?;
    let mut reader = decryptor
        .decrypt(identities.iter().map(|i| i.as_ref() as &dyn age::Identity))
        .map_err(|e| format!("the identity does not open {}: {e}", file.display()))?;
    let mut head = [0_u8; 16];
    reader
        .read_exact(&mut head)
        .map_err(|e| format!("{} is damaged: {e}", file.display()))?;
    let contents = if &head == b"SQLite format 3\0" {
        Contents::Sqlite
    } else if head.starts_with(b"PGDMP") {
        Contents::PostgresArchive
    } else {
        return Err(format!("{} does not hold a Fakturo database", file.display()));
    };
    Ok((contents, Box::new(std::io::Cursor::new(head).chain(reader))))
}

/// The database to restore into.
#[derive(Clone, Debug)]
enum Target {
    SqliteFile(PathBuf),
    Postgres(String),
}

impl Target {
    fn parse(into: &str) -> Result<Self, OpsError> {
        if into.contains("://") || into.starts_with("sqlite:") {
            match Backend::of_url(into)? {
                Backend::Postgres => Ok(Self::Postgres(into.to_owned())),
                Backend::Sqlite => {
                    let path = into
                        .trim_start_matches("sqlite://")
                        .trim_start_matches("sqlite:")
                        .split('?')
                        .next()
                        .unwrap_or_default();
                    Self::sqlite_path(path)
                }
            }
        } else {
            Self::sqlite_path(into)
        }
    }

    fn sqlite_path(path: &str) -> Result<Self, OpsError> {
        if path.is_empty() || path.starts_with(":memory:") {
            return Err(OpsError::Task("restore into an SQLite file, not memory".into()));
        }
        Ok(Self::SqliteFile(PathBuf::from(path)))
    }

    fn backend(&self) -> Backend {
        match self {
            Self::SqliteFile(_) => Backend::Sqlite,
            Self::Postgres(_) => Backend::Postgres,
        }
    }

    /// For messages: a path, or the URL without its password.
    fn display(&self) -> String {
        match self {
            Self::SqliteFile(path) => path.display().to_string(),
            Self::Postgres(url) => postgres::Connection::parse(url).map_or_else(|_| "the database".into(), |c| c.url),
        }
    }

    /// The tables the database holds (none for a missing SQLite file).
    async fn tables(&self) -> Result<Vec<String>, OpsError> {
        let url = match self {
            Self::SqliteFile(path) if !path.exists() => return Ok(Vec::new()),
            Self::SqliteFile(path) => format!("sqlite://{}", path.display()),
            Self::Postgres(url) => url.clone(),
        };
        let db = connect(&DatabaseSettings {
            url,
            max_connections: 1,
            acquire_timeout: std::time::Duration::from_secs(30),
        })
        .await
        .map_err(|e| OpsError::Task(format!("cannot open {}: {e}", self.display())))?;
        let schema = fakturo_database::data_map::schema_columns(&db).await;
        let _ = db.close().await;
        let schema =
            schema.map_err(|e| OpsError::Task(format!("cannot read the tables of {}: {e}", self.display())))?;
        Ok(schema.into_keys().collect())
    }
}

/// Writes the decrypted SQLite database beside `path` and renames it into
/// place once complete, so a failed restore leaves no half-written file.
fn restore_sqlite(path: &Path, mut plaintext: Plaintext) -> Result<(), String> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut partial = tempfile::Builder::new()
        .prefix(".fakturo-restore-")
        .tempfile_in(&dir)
        .map_err(|e| format!("cannot write in {}: {e}", dir.display()))?;
    std::io::copy(&mut plaintext, partial.as_file_mut())
        .map_err(|e| format!("the backup could not be read ({e}); nothing was restored"))?;
    partial
        .as_file()
        .sync_all()
        .map_err(|e| format!("{}: {e}", dir.display()))?;
    // The target held no table; journal files left beside it would be
    // applied to the restored database, so they go.
    for suffix in ["-wal", "-shm", "-journal"] {
        let mut journal = path.as_os_str().to_owned();
        journal.push(suffix);
        match std::fs::remove_file(&journal) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(format!("cannot remove {}: {e}", Path::new(&journal).display()));
            }
            _ => {}
        }
    }
    partial
        .persist(path)
        .map_err(|e| format!("cannot write {}: {}", path.display(), e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn restore_arguments_in_any_order() {
        let expected = RestoreRequest {
            file: "b.age".into(),
            into: "postgres://h/db".into(),
            identity: "key.txt".into(),
        };
        let args = ["b.age", "--into", "postgres://h/db", "--identity", "key.txt"];
        assert_eq!(parse_restore_args(&args).unwrap(), expected);
        let args = ["--identity", "key.txt", "--into", "postgres://h/db", "b.age"];
        assert_eq!(parse_restore_args(&args).unwrap(), expected);
        assert!(parse_restore_args(&["b.age", "--into", "x.db"]).is_err());
        assert!(parse_restore_args(&["b.age", "--into"]).is_err());
        assert!(parse_restore_args(&["a", "b", "--into", "x", "--identity", "k"]).is_err());
        assert!(parse_restore_args(&["b.age", "--force", "--into", "x", "--identity", "k"]).is_err());
    }

    #[test]
    fn targets_are_sqlite_paths_or_urls() {
        assert!(matches!(Target::parse("data/x.db").unwrap(), Target::SqliteFile(p) if p == Path::new("data/x.db")));
        assert!(
            matches!(Target::parse("sqlite://data/x.db?mode=rwc").unwrap(), Target::SqliteFile(p) if p == Path::new("data/x.db"))
        );
        assert!(matches!(Target::parse("postgres://h/db").unwrap(), Target::Postgres(_)));
        assert!(Target::parse("sqlite::memory:").is_err());
        assert!(Target::parse("mysql://h/db").is_err());
    }
}
