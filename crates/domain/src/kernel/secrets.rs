//! Secrets at rest as a port: values such as a tenant's Stripe key are
//! sealed (encrypted and authenticated) before storage and opened only when
//! used. The adapter holds a key ring with one primary key; values sealed
//! under older keys still open until an operator re-seals them
//! (`cargo xtask rotate-keys`) and retires the old key.

use std::fmt;

/// A sealed value as stored: `v1.<key id>.<base64url(nonce ‖ ciphertext)>`.
/// `Debug` shows only the key id.
#[derive(Clone, PartialEq, Eq)]
pub struct SealedSecret(String);

impl SealedSecret {
    /// Wraps a stored value.
    #[must_use]
    pub fn from_stored(text: String) -> Self {
        Self(text)
    }

    /// The stored form.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The id of the key it was sealed under, if the format is recognised.
    #[must_use]
    pub fn key_id(&self) -> Option<&str> {
        let mut parts = self.0.splitn(3, '.');
        match (parts.next(), parts.next(), parts.next()) {
            (Some("v1"), Some(key), Some(_)) if !key.is_empty() => Some(key),
            _ => None,
        }
    }
}

impl fmt::Debug for SealedSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SealedSecret(key {:?})", self.key_id().unwrap_or("?"))
    }
}

/// A secret in clear, as just opened. `Debug` is redacted.
#[derive(Clone, PartialEq, Eq)]
pub struct RevealedSecret(String);

impl RevealedSecret {
    /// Wraps opened text.
    #[must_use]
    pub fn new(text: String) -> Self {
        Self(text)
    }

    /// The secret, for the one place that uses it.
    #[must_use]
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for RevealedSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RevealedSecret(<redacted>)")
    }
}

/// Why sealing or opening failed.
#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    /// Sealed under a key that is not in the ring any more.
    #[error("the value was sealed under key {0:?}, which is not configured")]
    UnknownKey(String),
    /// Not a sealed value, tampered with, or opened with the wrong context.
    #[error("the sealed value is malformed or does not authenticate")]
    Invalid,
    /// The machinery failed (no randomness).
    #[error("sealing failed: {0}")]
    Unexpected(String),
}

/// Seals and opens secrets. `context` is bound into the seal as associated
/// data (the row and field it belongs to), so a value moved elsewhere does
/// not open.
#[cfg_attr(test, mockall::automock)]
pub trait SecretBox: Send + Sync {
    /// Seals `plaintext` under the primary key.
    ///
    /// # Errors
    /// [`SecretError::Unexpected`] if no randomness is available.
    fn seal(&self, plaintext: &str, context: &str) -> Result<SealedSecret, SecretError>;

    /// Opens a sealed value with whichever configured key sealed it.
    ///
    /// # Errors
    /// [`SecretError::UnknownKey`] or [`SecretError::Invalid`].
    fn open(&self, sealed: &SealedSecret, context: &str) -> Result<RevealedSecret, SecretError>;

    /// Whether `sealed` is under the current primary key (rotation skips it).
    fn is_current(&self, sealed: &SealedSecret) -> bool;
}

impl From<SecretError> for crate::kernel::errors::Unexpected {
    fn from(error: SecretError) -> Self {
        Self(Box::new(error))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_ids_are_read_and_debug_hides_the_rest() {
        let sealed = SealedSecret::from_stored("v1.k2026.AAAAsecret".into());
        assert_eq!(sealed.key_id(), Some("k2026"));
        assert!(!format!("{sealed:?}").contains("secret"));
        assert_eq!(SealedSecret::from_stored("garbage".into()).key_id(), None);
        assert!(!format!("{:?}", RevealedSecret::new("sk_live_x".into())).contains("sk_live"));
    }
}
