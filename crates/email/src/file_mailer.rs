//! [`FileMailer`]: the [`Mailer`] port as a folder of `.eml` files, the
//! embedded default, so that a development server needs no mail server and
//! a developer can open every message it sent.
//!
//! Each message lands in a file named after a hash of its Message-ID, so a
//! message delivered twice (a retried job) leaves one file, as a real
//! recipient would see one message. Files are written to a temporary name
//! and renamed, so a reader never sees half a message.

use std::fmt::{self, Write as _};
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use async_trait::async_trait;
use fakturo_domain::messaging::ports::{EmailMessage, MailError, Mailer};
use lettre::Address;
use sha2::{Digest, Sha256};

use crate::errors::{self, SetupError};
use crate::message;

/// Where [`FileMailer::default`] writes.
pub const DEFAULT_OUTBOX_DIR: &str = "./data/outbox";

/// The sender address of a [`FileMailer`] until
/// [`FileMailer::with_from_address`] sets the deployment's.
pub const DEFAULT_FROM_ADDRESS: &str = "invoices@fakturo.localhost";
const DEFAULT_FROM_USER: &str = "invoices";
const DEFAULT_FROM_DOMAIN: &str = "fakturo.localhost";

/// Distinguishes the temporary files of concurrent writes in one process.
static TEMP_FILE_COUNTER: AtomicU64 = AtomicU64::new(0);

/// Writes every message as an RFC 5322 `.eml` file into a folder, which is
/// created on the first message if missing.
#[derive(Clone)]
pub struct FileMailer {
    outbox_dir: PathBuf,
    from_address: Address,
}

impl fmt::Debug for FileMailer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FileMailer")
            .field("outbox_dir", &self.outbox_dir)
            .finish_non_exhaustive()
    }
}

impl Default for FileMailer {
    /// Writes under [`DEFAULT_OUTBOX_DIR`].
    fn default() -> Self {
        Self::new(PathBuf::from(DEFAULT_OUTBOX_DIR))
    }
}

impl FileMailer {
    /// Writes into `outbox_dir`, from [`DEFAULT_FROM_ADDRESS`].
    #[must_use]
    pub fn new(outbox_dir: PathBuf) -> Self {
        Self {
            outbox_dir,
            from_address: Address::new_dangerous(DEFAULT_FROM_USER, DEFAULT_FROM_DOMAIN),
        }
    }

    /// Uses the deployment's sender address, as [`SmtpMailer`](crate::SmtpMailer) would.
    ///
    /// # Errors
    /// [`SetupError::InvalidFromAddress`] if `from_address` is not an email address.
    pub fn with_from_address(mut self, from_address: &str) -> Result<Self, SetupError> {
        self.from_address = errors::parse_from_address(from_address)?;
        Ok(self)
    }

    /// The folder the files go to.
    #[must_use]
    pub fn outbox_dir(&self) -> &Path {
        &self.outbox_dir
    }

    /// The file a message with this Message-ID is written to.
    #[must_use]
    pub fn path_for(&self, message_id: &str) -> PathBuf {
        self.outbox_dir.join(file_name(message_id))
    }
}

#[async_trait]
impl Mailer for FileMailer {
    async fn send(&self, message: &EmailMessage) -> Result<(), MailError> {
        let bytes = message::build_message(message, &self.from_address)?.formatted();
        let dir = self.outbox_dir.clone();
        let name = file_name(&message.message_id);
        tokio::task::spawn_blocking(move || write_atomically(&dir, &name, &bytes))
            .await
            .map_err(|_| MailError::Transient("the outbox writer stopped before finishing".to_owned()))?
            .map_err(|error| MailError::Transient(format!("could not write to the outbox folder ({})", error.kind())))
    }
}

/// `<hex of the first 16 bytes of SHA-256(message_id)>.eml`: the same
/// message always maps to the same file, and the name reveals nothing.
fn file_name(message_id: &str) -> String {
    let digest = Sha256::digest(message_id.as_bytes());
    let mut name = String::with_capacity(36);
    for byte in digest.iter().take(16) {
        let _ = write!(name, "{byte:02x}");
    }
    name.push_str(".eml");
    name
}

/// Writes `bytes` to `dir/name` through a temporary file in the same folder
/// and a rename, which replaces an older file of that name in one step.
fn write_atomically(dir: &Path, name: &str, bytes: &[u8]) -> io::Result<()> {
    fs::create_dir_all(dir)?;
    let counter = TEMP_FILE_COUNTER.fetch_add(1, Ordering::Relaxed);
    let temp_path = dir.join(format!(".{name}.{}-{counter}.tmp", std::process::id()));
    let written = (|| {
        let mut file = fs::File::create(&temp_path)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        fs::rename(&temp_path, dir.join(name))
    })();
    if written.is_err() {
        // Best effort: the write already failed, and its error is the one to report.
        let _ = fs::remove_file(&temp_path);
    }
    written
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_sender_is_a_valid_address() {
        let parsed = errors::parse_from_address(DEFAULT_FROM_ADDRESS).ok();
        assert_eq!(
            parsed,
            Some(Address::new_dangerous(DEFAULT_FROM_USER, DEFAULT_FROM_DOMAIN))
        );
    }

    #[test]
    fn file_names_depend_only_on_the_message_id() {
        assert_eq!(file_name("<a@example.com>"), file_name("<a@example.com>"));
        assert_ne!(file_name("<a@example.com>"), file_name("<b@example.com>"));
        assert_eq!(file_name("<a@example.com>").len(), 32 + ".eml".len());
    }

    #[test]
    fn the_default_folder_is_the_documented_one() {
        assert_eq!(FileMailer::default().outbox_dir(), Path::new(DEFAULT_OUTBOX_DIR));
    }
}
