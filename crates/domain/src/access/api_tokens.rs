//! Personal API tokens for scripts and integrations: prefixed (`fkt_`),
//! shown once, stored as a digest, scoped to a role no higher than their
//! creator's, and revocable. A token acts with the weaker of its own role
//! and its user's current role, so demoting a user demotes their tokens.

use chrono::{DateTime, Utc};

use crate::access::user::Role;
use crate::kernel::tokens::TokenDigest;
use crate::{ApiTokenId, TenantId, UserId};

/// The prefix of every API token, so scanners and people recognise one.
pub const API_TOKEN_PREFIX: &str = "fkt_";
/// The prefix of every session token.
pub const SESSION_TOKEN_PREFIX: &str = "fks_";

/// A stored API token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiToken {
    /// The token's id.
    pub id: ApiTokenId,
    /// The organization.
    pub tenant_id: TenantId,
    /// The user it acts for.
    pub user_id: UserId,
    /// A label chosen by the user.
    pub name: String,
    /// The most the token may do.
    pub role: Role,
    /// Digest of the token.
    pub token_digest: TokenDigest,
    /// The first characters of the token after its prefix, to tell tokens apart.
    pub hint: String,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// When it was last used (updated at most once a minute).
    pub last_used_at: Option<DateTime<Utc>>,
    /// When it was revoked; a revoked token never works again.
    pub revoked_at: Option<DateTime<Utc>>,
}

impl ApiToken {
    /// The role the token acts with while its user has `user_role`.
    #[must_use]
    pub fn effective_role(&self, user_role: Role) -> Role {
        self.role.min(user_role)
    }
}
