//! Server-side sessions behind opaque bearer tokens. The token is 256 random
//! bits shown to the client once; only its SHA-256 digest is stored, so a
//! leaked database does not yield usable tokens.

use std::fmt;

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use crate::{SessionId, TenantId, UserId};

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

/// A server-side session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    /// The session's id.
    pub id: SessionId,
    /// The signed-in user's organization.
    pub tenant_id: TenantId,
    /// The signed-in user.
    pub user_id: UserId,
    /// Digest of the bearer token.
    pub token_digest: TokenDigest,
    /// When the session was created.
    pub created_at: DateTime<Utc>,
    /// When the token stops working, however active (absolute expiry).
    pub expires_at: DateTime<Utc>,
    /// When it was last used; it lapses after the idle timeout without use.
    pub last_seen_at: DateTime<Utc>,
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
