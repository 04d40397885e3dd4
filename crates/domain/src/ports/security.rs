//! Cryptographic ports: password hashing, random tokens and ids.

use std::fmt;

use async_trait::async_trait;
use uuid::Uuid;

use crate::session::SecretToken;
use crate::validation::HasCode;

/// A password as typed. `Debug` is redacted and nothing stores it.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

/// Why a new password was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    /// Fewer than 8 characters.
    #[error("must be at least {MIN_PASSWORD_CHARS} characters")]
    TooShort,
    /// More than 128 characters.
    #[error("must be at most {MAX_PASSWORD_CHARS} characters")]
    TooLong,
}

impl HasCode for PasswordError {
    fn code(&self) -> &'static str {
        match self {
            Self::TooShort => "password_too_short",
            Self::TooLong => "password_too_long",
        }
    }
}

/// The fewest characters a new password may have (OWASP ASVS 6.2.1).
pub const MIN_PASSWORD_CHARS: usize = 8;
/// The most characters a password may have; longer ones are refused before hashing.
pub const MAX_PASSWORD_CHARS: usize = 128;

impl Password {
    /// Checks a new password's length. Spaces and any Unicode are allowed
    /// and nothing is trimmed.
    ///
    /// # Errors
    /// [`PasswordError`] when too short or too long.
    pub fn new_secret(text: String) -> Result<Self, PasswordError> {
        let chars = text.chars().count();
        if chars < MIN_PASSWORD_CHARS {
            return Err(PasswordError::TooShort);
        }
        if chars > MAX_PASSWORD_CHARS {
            return Err(PasswordError::TooLong);
        }
        Ok(Self(text))
    }

    /// Wraps a password presented at sign-in, unchecked (a wrong one simply
    /// fails to verify). Over-long input is cut so hashing stays bounded.
    #[must_use]
    pub fn presented(text: String) -> Self {
        Self(text.chars().take(MAX_PASSWORD_CHARS + 1).collect())
    }

    /// The password text, for the hasher only.
    #[must_use]
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(<redacted>)")
    }
}

/// A password hash as a PHC string (`$argon2id$v=19$m=19456,t=2,p=1$…`).
#[derive(Clone, PartialEq, Eq)]
pub struct PasswordHash(String);

impl PasswordHash {
    /// Wraps a stored PHC string.
    #[must_use]
    pub fn from_phc(phc: String) -> Self {
        Self(phc)
    }

    /// The PHC string, for storage.
    #[must_use]
    pub fn as_phc(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for PasswordHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PasswordHash(<redacted>)")
    }
}

/// An error of the hashing machinery itself (never a wrong password).
#[derive(Debug, thiserror::Error)]
#[error("password hashing failed: {0}")]
pub struct HashError(pub String);

/// Hashes and verifies passwords.
#[cfg_attr(test, mockall::automock)]
#[async_trait]
pub trait PasswordHasher: Send + Sync {
    /// Hashes a password with a fresh salt.
    ///
    /// # Errors
    /// [`HashError`] if the hashing machinery fails.
    async fn hash(&self, password: &Password) -> Result<PasswordHash, HashError>;

    /// Checks a password against a stored hash; `Ok(false)` for a wrong password.
    ///
    /// # Errors
    /// [`HashError`] if the stored hash is malformed or hashing fails.
    async fn verify(&self, password: &Password, hash: &PasswordHash) -> Result<bool, HashError>;
}

/// Makes unguessable opaque tokens.
#[cfg_attr(test, mockall::automock)]
pub trait TokenGenerator: Send + Sync {
    /// A new token with at least 256 bits of randomness. Infallible: a
    /// failing system random source aborts the process in the adapter.
    fn secret_token(&self) -> SecretToken;

    /// A token for a public link (`/i/{token}`): at least 128 random bits,
    /// URL-safe, no prefix.
    fn public_token(&self) -> String;
}

/// Makes new ids (UUID v7, time-ordered).
#[cfg_attr(test, mockall::automock)]
pub trait IdGenerator: Send + Sync {
    /// A new unique id.
    fn new_uuid(&self) -> Uuid;
}
