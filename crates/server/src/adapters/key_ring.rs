//! [`KeyRing`]: the [`SecretBox`] port with XChaCha20-Poly1305. Every
//! configured key has an id; one is primary and seals new values; any key
//! in the ring opens what it sealed. A sealed value is
//! `v1.<key id>.<base64url(24-byte nonce ‖ ciphertext ‖ tag)>`, and the
//! caller's context (table, row, field) is the associated data, so a value
//! copied to another row does not open.
//!
//! Keys come from `secrets.keys` (`id:base64key, …`, 32-byte keys) with
//! `secrets.primary` naming the primary. A deployment without keys (the
//! embedded default) keeps one generated key in `secrets.key_file`.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};
use fakturo_domain::kernel::secrets::{RevealedSecret, SealedSecret, SecretBox, SecretError};

use super::os_random::random_bytes;

const VERSION: &str = "v1";
const NONCE_BYTES: usize = 24;

/// Why the key ring could not be built. Never contains key material.
#[derive(Debug, thiserror::Error)]
pub enum KeyRingError {
    /// A malformed entry of `secrets.keys`.
    #[error("`secrets.keys` entry {position}: {message}")]
    BadKey {
        /// 1-based position in the list.
        position: usize,
        /// What is wrong.
        message: &'static str,
    },
    /// The primary is not in the ring.
    #[error("`secrets.primary` names key {0:?}, which is not in `secrets.keys`")]
    UnknownPrimary(String),
    /// The generated key file could not be read or written.
    #[error("`secrets.key_file` {path}: {source}")]
    KeyFile {
        /// The file.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
}

/// The keys, by id, and the primary's id.
#[derive(Clone)]
pub struct KeyRing {
    keys: BTreeMap<String, XChaCha20Poly1305>,
    primary: String,
}

impl fmt::Debug for KeyRing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeyRing")
            .field("key_ids", &self.keys.keys().collect::<Vec<_>>())
            .field("primary", &self.primary)
            .finish()
    }
}

impl KeyRing {
    /// Parses `id:base64key, id:base64key` with `primary` (empty: the first key).
    ///
    /// # Errors
    /// [`KeyRingError`] naming the bad entry (never its key).
    pub fn parse(keys: &str, primary: &str) -> Result<Self, KeyRingError> {
        let mut ring = BTreeMap::new();
        let mut first = None;
        for (index, entry) in keys
            .split([',', '\n'])
            .map(str::trim)
            .filter(|e| !e.is_empty())
            .enumerate()
        {
            let position = index + 1;
            let bad = |message| KeyRingError::BadKey { position, message };
            let (id, material) = entry.split_once(':').ok_or_else(|| bad("must be id:base64key"))?;
            let id = id.trim();
            if id.is_empty()
                || id.len() > 32
                || !id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            {
                return Err(bad("the id must be 1 to 32 letters, digits, - or _"));
            }
            let material = material.trim();
            let bytes = STANDARD
                .decode(material)
                .or_else(|_| URL_SAFE_NO_PAD.decode(material))
                .map_err(|_| bad("the key is not base64"))?;
            if bytes.len() != 32 {
                return Err(bad("the key must be 32 bytes (44 base64 characters)"));
            }
            if ring
                .insert(id.to_owned(), XChaCha20Poly1305::new(Key::from_slice(&bytes)))
                .is_some()
            {
                return Err(bad("the id is used twice"));
            }
            first.get_or_insert_with(|| id.to_owned());
        }
        let primary = match primary.trim() {
            "" => first.ok_or(KeyRingError::BadKey {
                position: 0,
                message: "no keys are configured",
            })?,
            named => named.to_owned(),
        };
        if !ring.contains_key(&primary) {
            return Err(KeyRingError::UnknownPrimary(primary));
        }
        Ok(Self { keys: ring, primary })
    }

    /// The ring in `path`, creating the file with one fresh key (readable
    /// by the owner only) if it does not exist yet.
    ///
    /// # Errors
    /// [`KeyRingError::KeyFile`] or a malformed file.
    pub fn from_key_file(path: &Path) -> Result<Self, KeyRingError> {
        let io = |source| KeyRingError::KeyFile {
            path: path.display().to_string(),
            source,
        };
        if !path.exists() {
            if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent).map_err(io)?;
            }
            let line = format!("local:{}\n", STANDARD.encode(random_bytes::<32>()));
            write_private(path, line.as_bytes()).map_err(io)?;
        }
        let text = std::fs::read_to_string(path).map_err(io)?;
        Self::parse(&text, "")
    }

    /// The primary key's id.
    #[must_use]
    pub fn primary(&self) -> &str {
        &self.primary
    }
}

#[cfg(unix)]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write as _;
    use std::os::unix::fs::OpenOptionsExt as _;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(bytes)
}

#[cfg(not(unix))]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::write(path, bytes)
}

impl SecretBox for KeyRing {
    fn seal(&self, plaintext: &str, context: &str) -> Result<SealedSecret, SecretError> {
        let cipher = self
            .keys
            .get(&self.primary)
            .ok_or_else(|| SecretError::UnknownKey(self.primary.clone()))?;
        let nonce = random_bytes::<NONCE_BYTES>();
        let ciphertext = cipher
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: plaintext.as_bytes(),
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| SecretError::Unexpected("encryption failed".into()))?;
        let mut sealed = Vec::with_capacity(NONCE_BYTES + ciphertext.len());
        sealed.extend_from_slice(&nonce);
        sealed.extend_from_slice(&ciphertext);
        Ok(SealedSecret::from_stored(format!(
            "{VERSION}.{}.{}",
            self.primary,
            URL_SAFE_NO_PAD.encode(sealed)
        )))
    }

    fn open(&self, sealed: &SealedSecret, context: &str) -> Result<RevealedSecret, SecretError> {
        let mut parts = sealed.as_str().splitn(3, '.');
        let (Some(VERSION), Some(key_id), Some(body)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(SecretError::Invalid);
        };
        let cipher = self
            .keys
            .get(key_id)
            .ok_or_else(|| SecretError::UnknownKey(key_id.to_owned()))?;
        let bytes = URL_SAFE_NO_PAD.decode(body).map_err(|_| SecretError::Invalid)?;
        if bytes.len() <= NONCE_BYTES {
            return Err(SecretError::Invalid);
        }
        let (nonce, ciphertext) = bytes.split_at(NONCE_BYTES);
        let plaintext = cipher
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: ciphertext,
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| SecretError::Invalid)?;
        String::from_utf8(plaintext)
            .map(RevealedSecret::new)
            .map_err(|_| SecretError::Invalid)
    }

    fn is_current(&self, sealed: &SealedSecret) -> bool {
        sealed.key_id() == Some(self.primary.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(byte: u8) -> String {
        STANDARD.encode([byte; 32])
    }

    #[test]
    fn sealed_values_open_with_their_context_only() {
        let ring = KeyRing::parse(&format!("k1:{}", key(1)), "").unwrap();
        let sealed = ring.seal("sk_live_secret", "row-a").unwrap();
        assert!(sealed.as_str().starts_with("v1.k1."));
        assert!(!sealed.as_str().contains("sk_live"));
        assert_eq!(ring.open(&sealed, "row-a").unwrap().expose(), "sk_live_secret");
        assert!(matches!(ring.open(&sealed, "row-b"), Err(SecretError::Invalid)));
        assert_ne!(
            ring.seal("sk_live_secret", "row-a").unwrap(),
            sealed,
            "fresh nonce each time"
        );
    }

    #[test]
    fn rotation_seals_under_the_new_primary_and_old_values_still_open() {
        let old = KeyRing::parse(&format!("k1:{}", key(1)), "").unwrap();
        let sealed = old.seal("value", "ctx").unwrap();
        let both = KeyRing::parse(&format!("k1:{}, k2:{}", key(1), key(2)), "k2").unwrap();
        assert!(!both.is_current(&sealed));
        assert_eq!(both.open(&sealed, "ctx").unwrap().expose(), "value");
        let resealed = both.seal("value", "ctx").unwrap();
        assert!(both.is_current(&resealed));
        let new_only = KeyRing::parse(&format!("k2:{}", key(2)), "").unwrap();
        assert_eq!(new_only.open(&resealed, "ctx").unwrap().expose(), "value");
        assert!(matches!(new_only.open(&sealed, "ctx"), Err(SecretError::UnknownKey(id)) if id == "k1"));
    }

    #[test]
    fn bad_configuration_is_named_without_key_material() {
        assert!(matches!(
            KeyRing::parse("k1:short", ""),
            Err(KeyRingError::BadKey { position: 1, .. })
        ));
        assert!(matches!(
            KeyRing::parse(&format!("k1:{}", key(1)), "k9"),
            Err(KeyRingError::UnknownPrimary(_))
        ));
        let message = KeyRing::parse(&format!("k1:{},bad", key(3)), "")
            .unwrap_err()
            .to_string();
        assert!(message.contains("entry 2") && !message.contains(&key(3)), "{message}");
        assert!(!format!("{:?}", KeyRing::parse(&format!("k1:{}", key(1)), "").unwrap()).contains(&key(1)));
    }

    #[test]
    fn a_missing_key_file_is_created_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys");
        let first = KeyRing::from_key_file(&path).unwrap();
        let sealed = first.seal("x", "c").unwrap();
        let again = KeyRing::from_key_file(&path).unwrap();
        assert_eq!(again.open(&sealed, "c").unwrap().expose(), "x");
    }
}
