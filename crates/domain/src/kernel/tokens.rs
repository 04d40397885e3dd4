//! Opaque secret tokens: what a client holds (shown once), the digest that
//! is the only form stored, and the port that makes new ones.

use sha2::{Digest, Sha256};
use std::fmt;

/// An opaque secret token as the client holds it. `Debug` is redacted.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretToken(String);

impl SecretToken {
    /// Wraps a token string (generated, or presented by a client).
    #[must_use]
    pub fn new(token: String) -> Self {
        Self(token)
    }

    /// The token text, to hand to the client once.
    #[must_use]
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The anti-CSRF token of a cookie session opened with this token: the
    /// browser echoes it in `X-CSRF-Token` on unsafe requests. Derived, so
    /// nothing more is stored, and useless without the HttpOnly cookie.
    #[must_use]
    pub fn csrf_token(&self) -> String {
        let hash = Sha256::digest(format!("fakturo-csrf:{}", self.0).as_bytes());
        hash.iter().map(|byte| format!("{byte:02x}")).collect()
    }

    /// The digest under which the token is stored and looked up.
    #[must_use]
    pub fn digest(&self) -> TokenDigest {
        let hash = Sha256::digest(self.0.as_bytes());
        TokenDigest(hash.iter().map(|byte| format!("{byte:02x}")).collect())
    }
}

impl fmt::Debug for SecretToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretToken(<redacted>)")
    }
}

/// The hex SHA-256 digest of a [`SecretToken`], as stored.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TokenDigest(String);

impl TokenDigest {
    /// Wraps a stored digest.
    #[must_use]
    pub fn from_stored(hex: String) -> Self {
        Self(hex)
    }

    /// The hex digest.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Makes unguessable opaque tokens.
#[cfg_attr(test, mockall::automock)]
pub trait TokenGenerator: Send + Sync {
    /// A new session token with at least 256 bits of randomness
    /// (`fks_…`). Infallible: a failing system random source aborts the
    /// process in the adapter.
    fn secret_token(&self) -> SecretToken;

    /// A new API token with at least 256 bits of randomness (`fkt_…`).
    fn api_token(&self) -> SecretToken;

    /// A new single-use token for an emailed link: at least 256 random
    /// bits, URL-safe, no prefix.
    fn link_token(&self) -> SecretToken;

    /// A token for a public link (`/i/{token}`): at least 128 random bits,
    /// URL-safe, no prefix.
    fn public_token(&self) -> String;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digest_is_stable_hex_sha256_and_debug_is_redacted() {
        let token = SecretToken::new("abc".into());
        assert_eq!(
            token.digest().as_str(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert!(!format!("{token:?}").contains("abc"));
    }
}
