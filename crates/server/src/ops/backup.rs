//! Encrypted backups. `cargo xtask backup` writes the database (SQLite: a
//! `VACUUM INTO` copy; PostgreSQL: `pg_dump`, custom format) through age
//! encryption to `retention.backup_recipient`, an age X25519 public key, as
//! `fakturo-<UTC time>.sqlite.age` or `.pgdump.age` in
//! `retention.backup_dir`. Only the public key is on the server: the private
//! key (`cargo xtask backup-keygen` prints a pair) is kept elsewhere and
//! handed to `cargo xtask restore` ([`restore`]). Backups older than
//! `retention.backup_days` are deleted after every backup and by
//! `cargo xtask prune-backups`, as of a date.
//!
//! Plaintext never sits in `backup_dir`: `pg_dump`'s output is encrypted as
//! it streams, and the SQLite copy lives in a temporary folder that is
//! removed whatever happens. A backup is written under a temporary name and
//! renamed only once complete.

mod postgres;
mod restore;

use std::fmt::Write as _;
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use fakturo_database::Backend;
use fakturo_domain::kernel::clock::Clock as _;

pub use restore::{RestoreRequest, parse_restore_args, restore};

use super::OpsError;
use crate::adapters::SystemClock;
use crate::application::open_store;
use crate::settings::Settings;

/// How a backup's name carries the moment it was taken (UTC).
const STAMP: &str = "%Y%m%dT%H%M%SZ";
/// The endings of the files `cargo xtask backup` writes (and, before
/// backups were encrypted, wrote): only such files are ever pruned.
const BACKUP_SUFFIXES: [&str; 4] = [".sqlite.age", ".pgdump.age", ".db", ".pgdump"];

/// A new backup key pair, as `cargo xtask backup-keygen` prints it.
pub struct BackupKey {
    /// The private key (`AGE-SECRET-KEY-1…`): restores backups. Never stored by Fakturo.
    pub identity: String,
    /// The public key (`age1…`): `retention.backup_recipient`.
    pub recipient: String,
}

impl std::fmt::Debug for BackupKey {
    /// The private key is never printed.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BackupKey")
            .field("recipient", &self.recipient)
            .finish_non_exhaustive()
    }
}

/// Generates a backup key pair.
#[must_use]
pub fn generate_backup_key() -> BackupKey {
    let identity = age::x25519::Identity::generate();
    BackupKey {
        identity: age::secrecy::ExposeSecret::expose_secret(&identity.to_string()).to_owned(),
        recipient: identity.to_public().to_string(),
    }
}

/// A new key pair as an age identity file: comments that say what to do
/// with it, then the private key. Redirected to a file, it is what
/// `cargo xtask restore --identity` (and the `age` tool) read.
#[must_use]
pub fn backup_keygen() -> String {
    let key = generate_backup_key();
    format!(
        "# Fakturo backup key. Keep this file away from the server and the backups\n\
         # (a password manager, an offline medium): without it no backup can be\n\
         # restored, and anyone who holds it can read every backup.\n\
         # Configure the public key:\n\
         #   [retention] backup_recipient = \"{recipient}\"\n\
         #   or FAKTURO_RETENTION__BACKUP_RECIPIENT={recipient}\n\
         # public key: {recipient}\n\
         {identity}\n",
        recipient = key.recipient,
        identity = key.identity,
    )
}

/// Writes an encrypted backup of the database into `retention.backup_dir`
/// and deletes backups older than `retention.backup_days`.
///
/// # Errors
/// [`OpsError::Task`] when `retention.backup_recipient` is not set, or the
/// backup cannot be made or written; nothing is left in `backup_dir` then.
pub async fn backup(settings: &Settings) -> Result<String, OpsError> {
    let recipient = backup_recipient(settings)?;
    let now = SystemClock.now();
    let dir = PathBuf::from(&settings.retention.backup_dir);
    std::fs::create_dir_all(&dir).map_err(|e| OpsError::Task(format!("{}: {e}", dir.display())))?;
    let stamp = now.format(STAMP);
    let path = match Backend::of_url(&settings.database.url)? {
        Backend::Sqlite => {
            // The plaintext copy lives in a private temporary folder that is
            // removed when `scratch` drops, on success and failure alike.
            let scratch = tempfile::Builder::new()
                .prefix("fakturo-backup-")
                .tempdir()
                .map_err(|e| OpsError::Task(format!("cannot make a temporary folder: {e}")))?;
            let copy = scratch.path().join("copy.db");
            let store = open_store(settings).await?;
            let copied = store.backup_into(&copy).await;
            let _ = store.connection().clone().close().await;
            copied.map_err(|e| OpsError::Task(format!("VACUUM INTO failed: {e}")))?;
            let target = dir.join(format!("fakturo-{stamp}.sqlite.age"));
            blocking(move || {
                let file = std::fs::File::open(&copy).map_err(|e| format!("cannot read the copy: {e}"))?;
                let encrypted = encrypt_into(&dir_of(&target), &recipient, file)?;
                drop(scratch);
                publish(encrypted, &target)
            })
            .await?
        }
        Backend::Postgres => {
            let url = settings.database.url.clone();
            let target = dir.join(format!("fakturo-{stamp}.pgdump.age"));
            blocking(move || {
                let encrypted = postgres::dump_encrypted(&url, &dir_of(&target), &recipient)?;
                publish(encrypted, &target)
            })
            .await?
        }
    };
    let pruned = prune_dir(&dir, settings.retention.backup_days, now)?;
    let mut out = format!("encrypted backup written to {}\n", path.display());
    write_pruned(&mut out, settings.retention.backup_days, now, &pruned);
    Ok(out)
}

/// Deletes the backups in `retention.backup_dir` that are older than
/// `retention.backup_days` as of `as_of` (noon UTC; default: now). Only
/// files named like Fakturo backups are touched.
///
/// # Errors
/// [`OpsError::Task`] when the folder cannot be read or a file deleted.
pub async fn prune_backups(settings: &Settings, as_of: Option<NaiveDate>) -> Result<String, OpsError> {
    let now = super::clock_as_of(as_of)?.now();
    let dir = PathBuf::from(&settings.retention.backup_dir);
    if !dir.is_dir() {
        return Ok(format!("no backup folder {}: nothing to delete\n", dir.display()));
    }
    let pruned = prune_dir(&dir, settings.retention.backup_days, now)?;
    let mut out = String::new();
    write_pruned(&mut out, settings.retention.backup_days, now, &pruned);
    Ok(out)
}

fn write_pruned(out: &mut String, days: u32, now: DateTime<Utc>, pruned: &[String]) {
    let _ = writeln!(
        out,
        "backups older than {days} days as of {} deleted: {}",
        now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        pruned.len()
    );
    for name in pruned {
        let _ = writeln!(out, "  {name}");
    }
}

/// The configured recipient, or why there is none.
fn backup_recipient(settings: &Settings) -> Result<age::x25519::Recipient, OpsError> {
    let text = settings.retention.backup_recipient.trim();
    if text.is_empty() {
        return Err(OpsError::Task(
            "retention.backup_recipient is not set: backups are always encrypted. Run `cargo xtask backup-keygen`, \
             keep the private key elsewhere, and set the public key (age1…) as retention.backup_recipient"
                .into(),
        ));
    }
    text.parse()
        .map_err(|_| OpsError::Task("retention.backup_recipient is not an age public key (age1…)".into()))
}

/// When the backup named `name` was taken, if it is a Fakturo backup.
fn backup_taken_at(name: &str) -> Option<DateTime<Utc>> {
    let rest = name.strip_prefix("fakturo-")?;
    let (stamp, suffix) = rest.split_at_checked(16)?;
    if !BACKUP_SUFFIXES.contains(&suffix) {
        return None;
    }
    NaiveDateTime::parse_from_str(stamp, STAMP).ok().map(|t| t.and_utc())
}

/// Deletes the Fakturo backups in `dir` taken more than `days` before
/// `now`, and returns their names, oldest first.
fn prune_dir(dir: &Path, days: u32, now: DateTime<Utc>) -> Result<Vec<String>, OpsError> {
    let cutoff = now - chrono::TimeDelta::days(i64::from(days));
    let entries = std::fs::read_dir(dir).map_err(|e| OpsError::Task(format!("{}: {e}", dir.display())))?;
    let mut expired = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| OpsError::Task(format!("{}: {e}", dir.display())))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let is_file = entry.file_type().is_ok_and(|kind| kind.is_file());
        if let Some(taken) = backup_taken_at(&name).filter(|_| is_file)
            && taken < cutoff
        {
            expired.push((taken, name, entry.path()));
        }
    }
    expired.sort();
    let mut pruned = Vec::with_capacity(expired.len());
    for (_, name, path) in expired {
        std::fs::remove_file(&path).map_err(|e| OpsError::Task(format!("{}: {e}", path.display())))?;
        pruned.push(name);
    }
    Ok(pruned)
}

/// The folder a backup file goes into.
fn dir_of(target: &Path) -> PathBuf {
    target.parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// Encrypts `plaintext` to `recipient` into a temporary file in `dir`
/// (private to this user, deleted if dropped before [`publish`]).
fn encrypt_into(
    dir: &Path,
    recipient: &age::x25519::Recipient,
    mut plaintext: impl Read,
) -> Result<tempfile::NamedTempFile, String> {
    let mut partial = tempfile::Builder::new()
        .prefix(".fakturo-partial-")
        .tempfile_in(dir)
        .map_err(|e| format!("cannot write in {}: {e}", dir.display()))?;
    let encryptor = age::Encryptor::with_recipients(std::iter::once(recipient as &dyn age::Recipient))
        .map_err(|e| format!("cannot encrypt: {e}"))?;
    let written = (|| {
        let mut writer = encryptor.wrap_output(BufWriter::new(partial.as_file_mut()))?;
        std::io::copy(&mut plaintext, &mut writer)?;
        writer.finish()?.flush()
    })();
    written.map_err(|e| format!("cannot write the backup: {e}"))?;
    partial
        .as_file()
        .sync_all()
        .map_err(|e| format!("cannot write the backup: {e}"))?;
    Ok(partial)
}

/// Gives a complete encrypted backup its final name (never over another file).
fn publish(encrypted: tempfile::NamedTempFile, target: &Path) -> Result<PathBuf, String> {
    encrypted
        .persist_noclobber(target)
        .map_err(|e| format!("cannot name the backup {}: {}", target.display(), e.error))?;
    Ok(target.to_path_buf())
}

/// Runs file and process work off the async threads.
async fn blocking<T: Send + 'static>(work: impl FnOnce() -> Result<T, String> + Send + 'static) -> Result<T, OpsError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| OpsError::Task(format!("the backup task stopped: {e}")))?
        .map_err(OpsError::Task)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_fakturo_backup_names_carry_a_date() {
        let at = |text: &str| Some(NaiveDateTime::parse_from_str(text, STAMP).unwrap().and_utc());
        assert_eq!(
            backup_taken_at("fakturo-20270101T020304Z.sqlite.age"),
            at("20270101T020304Z")
        );
        assert_eq!(
            backup_taken_at("fakturo-20270101T020304Z.pgdump.age"),
            at("20270101T020304Z")
        );
        assert_eq!(backup_taken_at("fakturo-20270101T020304Z.db"), at("20270101T020304Z"));
        for other in [
            "fakturo-20270101T020304Z.sqlite.age.bak",
            "fakturo-20270101T020304Z.txt",
            "fakturo-2027-01-01.db",
            "fakturo.db",
            "notes-20270101T020304Z.db",
            ".fakturo-partial-abc",
            "fakturo-20271301T020304Z.db",
        ] {
            assert_eq!(backup_taken_at(other), None, "{other}");
        }
    }

    #[test]
    fn a_key_pair_encrypts_and_decrypts() {
        let key = generate_backup_key();
        assert!(key.recipient.starts_with("age1"));
        assert!(!format!("{key:?}").contains(&key.identity));
        let recipient: age::x25519::Recipient = key.recipient.parse().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let file = encrypt_into(dir.path(), &recipient, &b"CREATE TABLE invoices"[..]).unwrap();
        let sealed = std::fs::read(file.path()).unwrap();
        assert!(!sealed.windows(8).any(|w| w == b"invoices"));
        let identity: age::x25519::Identity = key.identity.parse().unwrap();
        let plain = age::decrypt(&identity, &sealed).unwrap();
        assert_eq!(plain, b"CREATE TABLE invoices");
    }
}
