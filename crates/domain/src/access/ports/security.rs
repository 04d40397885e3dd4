//! Cryptographic ports: password hashing, random tokens and ids.

use std::collections::HashSet;
use std::fmt;
use std::sync::OnceLock;

use async_trait::async_trait;

use crate::kernel::validation::HasCode;

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
    /// One of the most common passwords, the first ones an attacker tries.
    #[error("is one of the most commonly used passwords; choose another")]
    TooCommon,
}

impl HasCode for PasswordError {
    fn code(&self) -> &'static str {
        match self {
            Self::TooShort => "password_too_short",
            Self::TooLong => "password_too_long",
            Self::TooCommon => "password_too_common",
        }
    }
}

/// The fewest characters a new password may have (OWASP ASVS 6.2.1).
pub const MIN_PASSWORD_CHARS: usize = 8;
/// The most characters a password may have; longer ones are refused before hashing.
pub const MAX_PASSWORD_CHARS: usize = 128;

/// The 1,000 most common passwords of public breach corpora (the head of
/// zxcvbn's frequency list), one per line, lower case.
const COMMON_PASSWORDS: &str = include_str!("../../../data/common-passwords.txt");

/// Whether `text` is, ignoring case, one of the 1,000 most common passwords.
#[must_use]
pub fn is_common_password(text: &str) -> bool {
    static LIST: OnceLock<HashSet<&'static str>> = OnceLock::new();
    let list = LIST.get_or_init(|| {
        COMMON_PASSWORDS
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect()
    });
    list.contains(text.to_lowercase().as_str())
}

impl Password {
    /// Checks a new password the way OWASP ASVS 5.0 (V6.2) asks: at least
    /// 8 and at most 128 characters, and not one of the 1,000 most common
    /// passwords. Spaces and any Unicode are allowed, nothing is trimmed,
    /// and there are no composition rules.
    ///
    /// # Errors
    /// [`PasswordError`] when too short, too long or too common.
    pub fn new_secret(text: String) -> Result<Self, PasswordError> {
        let chars = text.chars().count();
        if chars < MIN_PASSWORD_CHARS {
            return Err(PasswordError::TooShort);
        }
        if chars > MAX_PASSWORD_CHARS {
            return Err(PasswordError::TooLong);
        }
        if is_common_password(&text) {
            return Err(PasswordError::TooCommon);
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

    /// The stored value of an account that has no password (it signs in
    /// with Google or magic links only). Nothing verifies against it.
    #[must_use]
    pub fn unusable() -> Self {
        Self(UNUSABLE_HASH.to_owned())
    }

    /// Whether a password can verify against this hash.
    #[must_use]
    pub fn is_usable(&self) -> bool {
        self.0 != UNUSABLE_HASH
    }
}

/// Not a PHC string, so no password can ever match it.
const UNUSABLE_HASH: &str = "!no-password";

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

impl From<HashError> for crate::kernel::errors::Unexpected {
    fn from(error: HashError) -> Self {
        Self(Box::new(error))
    }
}

/// Implements `From<HashError>` for an operation's error enum by way of its
/// `Unexpected(Unexpected)` variant.
macro_rules! hash_error_from {
    ($($error:ty),+ $(,)?) => {$(
        impl From<$crate::access::ports::HashError> for $error {
            fn from(error: $crate::access::ports::HashError) -> Self {
                Self::Unexpected(error.into())
            }
        }
    )+};
}
pub(crate) use hash_error_from;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_passwords_follow_the_asvs_rules() {
        assert_eq!(Password::new_secret("short".into()), Err(PasswordError::TooShort));
        assert_eq!(Password::new_secret("x".repeat(129)), Err(PasswordError::TooLong));
        assert!(Password::new_secret("x".repeat(128)).is_ok());
        for common in ["password", "Password1", "12345678", "QWERTYUIOP", "iloveyou"] {
            assert_eq!(
                Password::new_secret(common.into()),
                Err(PasswordError::TooCommon),
                "{common}"
            );
        }
        assert!(Password::new_secret("correct horse battery".into()).is_ok());
        assert!(Password::new_secret("Zoë's long passphrase".into()).is_ok());
    }

    #[test]
    fn the_common_list_has_a_thousand_entries() {
        assert_eq!(COMMON_PASSWORDS.lines().filter(|l| !l.trim().is_empty()).count(), 1000);
    }

    #[test]
    fn the_unusable_hash_is_not_usable() {
        assert!(!PasswordHash::unusable().is_usable());
        assert!(PasswordHash::from_phc("$argon2id$v=19$m=19456,t=2,p=1$abc$def".into()).is_usable());
    }
}
