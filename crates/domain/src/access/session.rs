//! Server-side sessions behind opaque bearer tokens. The token is 256 random
//! bits shown to the client once; only its SHA-256 digest is stored, so a
//! leaked database does not yield usable tokens.

use chrono::{DateTime, Utc};

use crate::kernel::tokens::TokenDigest;
use crate::{SessionId, TenantId, UserId};

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
