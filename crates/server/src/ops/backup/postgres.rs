//! `pg_dump` and `pg_restore` for the backup tasks. The database password
//! never appears on their command line (where `ps` shows it to every user
//! of the machine): it is taken out of the URL and handed over in the
//! `PGPASSWORD` variable of the child process alone. A URL without a
//! password leaves libpq to its usual sources (`PGPASSWORD`, `~/.pgpass`).

use std::io::Read;
use std::path::Path;
use std::process::{Child, Command, Stdio};

/// A PostgreSQL URL split for libpq's tools: the URL without its password,
/// and the password.
pub(super) struct Connection {
    /// The URL without a password: safe on a command line and in messages.
    pub(super) url: String,
    password: Option<String>,
}

impl Connection {
    /// Splits `url`.
    ///
    /// # Errors
    /// A message when `url` is not a URL.
    pub(super) fn parse(url: &str) -> Result<Self, String> {
        let mut parsed = url::Url::parse(url).map_err(|e| format!("not a PostgreSQL URL: {e}"))?;
        let password = parsed.password().map(|encoded| {
            percent_encoding::percent_decode_str(encoded)
                .decode_utf8_lossy()
                .into_owned()
        });
        parsed
            .set_password(None)
            .map_err(|()| "not a PostgreSQL URL: it has no host".to_owned())?;
        Ok(Self {
            url: parsed.to_string(),
            password,
        })
    }

    /// A command for the libpq tool `program` connecting to this database.
    fn command(&self, program: &str) -> Command {
        let mut command = Command::new(program);
        command.arg(format!("--dbname={}", self.url));
        if let Some(password) = &self.password {
            command.env("PGPASSWORD", password);
        }
        command
    }
}

/// Streams `pg_dump`'s custom-format archive of the database at `url`
/// through age encryption into a temporary file in `dir`.
///
/// # Errors
/// A message with `pg_dump`'s own when it cannot run or fails.
pub(super) fn dump_encrypted(
    url: &str,
    dir: &Path,
    recipient: &age::x25519::Recipient,
) -> Result<tempfile::NamedTempFile, String> {
    let connection = Connection::parse(url)?;
    let mut child = connection
        .command("pg_dump")
        .args(["--format=custom", "--no-owner", "--no-privileges"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("pg_dump could not run (is the PostgreSQL client installed?): {e}"))?;
    let errors = collect_stderr(&mut child);
    let Some(archive) = child.stdout.take() else {
        let _ = child.kill();
        return Err("pg_dump gave no output".into());
    };
    let encrypted = super::encrypt_into(dir, recipient, archive);
    if encrypted.is_err() {
        let _ = child.kill();
    }
    let status = child.wait().map_err(|e| format!("pg_dump: {e}"))?;
    let errors = errors.join().unwrap_or_default();
    // An encryption failure (a full disk, say) is the cause even though
    // pg_dump, killed for it, failed too.
    let encrypted = encrypted?;
    if !status.success() {
        return Err(format!("pg_dump failed ({status}): {}", errors.trim()));
    }
    Ok(encrypted)
}

/// Feeds a custom-format archive to `pg_restore` for the database at
/// `url`, in one transaction that stops at the first error: the database
/// gets the whole backup or nothing.
///
/// # Errors
/// A message with `pg_restore`'s own, or the read error of a damaged backup.
pub(super) fn restore(url: &str, mut archive: impl Read) -> Result<(), String> {
    let connection = Connection::parse(url)?;
    let mut child = connection
        .command("pg_restore")
        .args([
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("pg_restore could not run (is the PostgreSQL client installed?): {e}"))?;
    let errors = collect_stderr(&mut child);
    // pg_restore's input stays open until it is killed or the whole backup
    // is in: closing it first would read as a complete archive.
    let mut stdin = child.stdin.take();
    let fed = match stdin.as_mut() {
        Some(stdin) => std::io::copy(&mut archive, stdin).map(|_| ()),
        None => Err(std::io::Error::other("pg_restore took no input")),
    };
    if let Err(error) = &fed
        && error.kind() != std::io::ErrorKind::BrokenPipe
    {
        // The backup could not be read to its end: stop pg_restore before it
        // commits anything.
        let _ = child.kill();
        let _ = child.wait();
        drop(stdin);
        return Err(format!("the backup could not be read ({error}); nothing was restored"));
    }
    drop(stdin);
    let status = child.wait().map_err(|e| format!("pg_restore: {e}"))?;
    let errors = errors.join().unwrap_or_default();
    if status.success() && fed.is_ok() {
        Ok(())
    } else {
        Err(format!(
            "pg_restore failed ({status}); nothing was restored: {}",
            errors.trim()
        ))
    }
}

/// Reads the child's standard error on a thread of its own, so that a
/// talkative child never blocks on a full pipe.
fn collect_stderr(child: &mut Child) -> std::thread::JoinHandle<String> {
    let stderr = child.stderr.take();
    std::thread::spawn(move || {
        let mut text = String::new();
        if let Some(mut stderr) = stderr {
            let _ = stderr.read_to_string(&mut text);
        }
        text
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_leaves_the_url() {
        let connection =
            Connection::parse("postgres://fakturo:p%40ss%3Aw0rd@db.example:5432/fakturo?sslmode=require").unwrap();
        assert_eq!(
            connection.url,
            "postgres://fakturo@db.example:5432/fakturo?sslmode=require"
        );
        assert_eq!(connection.password.as_deref(), Some("p@ss:w0rd"));
        let command = connection.command("pg_dump");
        let argv: Vec<_> = command.get_args().map(|a| a.to_string_lossy().into_owned()).collect();
        assert!(argv.iter().all(|a| !a.contains("w0rd")), "{argv:?}");
        let env: Vec<_> = command.get_envs().collect();
        assert_eq!(env.len(), 1);

        let bare = Connection::parse("postgres://postgres@127.0.0.1/postgres").unwrap();
        assert_eq!(bare.url, "postgres://postgres@127.0.0.1/postgres");
        assert!(bare.password.is_none());
        assert!(Connection::parse("not a url").is_err());
    }
}
