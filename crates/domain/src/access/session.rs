//! Server-side sessions behind opaque bearer tokens. The token is 256 random
//! bits shown to the client once; only its SHA-256 digest is stored, so a
//! leaked database does not yield usable tokens.

use chrono::{DateTime, Utc};

use super::audit::{Actor, ActorKind};
use super::user::Principal;
use crate::kernel::tokens::TokenDigest;
use crate::{ApiTokenId, SessionId, TenantId, UserId};

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

/// The credential a request authenticated with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Credential {
    /// A sign-in session (bearer token or cookie).
    Session(SessionId),
    /// A personal API token.
    ApiToken(ApiTokenId),
}

/// An authenticated request's identity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Authenticated {
    /// Who acts.
    pub principal: Principal,
    /// How they proved it.
    pub credential: Credential,
    /// The organization is closed: only export, reopening and sign-out remain.
    pub account_closed: bool,
}

impl Authenticated {
    /// The audit actor for this request.
    #[must_use]
    pub fn actor(&self) -> Actor {
        Actor {
            kind: match self.credential {
                Credential::Session(_) => ActorKind::User,
                Credential::ApiToken(_) => ActorKind::ApiToken,
            },
            user_id: Some(self.principal.user_id),
        }
    }
}
