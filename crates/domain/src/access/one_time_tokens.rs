//! Single-use tokens sent by email or held during a redirect: magic login
//! links, password resets, email verification, and the state of a sign-in
//! with Google. Only the token's digest is stored; the token itself exists
//! in the email (or the browser) alone. Each works once and expires.

use chrono::{DateTime, TimeDelta, Utc};

use crate::kernel::tokens::TokenDigest;
use crate::{TenantId, UserId};

/// What a token is for. A token of one purpose never works for another.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TokenPurpose {
    /// Signs the user in (a magic link).
    LoginLink,
    /// Lets the user choose a new password.
    PasswordReset,
    /// Proves the user receives mail at their address.
    EmailVerification,
    /// Ties a Google sign-in's callback to the request that started it.
    ExternalSignIn,
}

impl TokenPurpose {
    /// The stable name used in storage.
    #[must_use]
    pub const fn as_str(&self) -> &'static str {
        match self {
            Self::LoginLink => "login_link",
            Self::PasswordReset => "password_reset",
            Self::EmailVerification => "email_verification",
            Self::ExternalSignIn => "external_sign_in",
        }
    }

    /// Parses the stable name.
    #[must_use]
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "login_link" => Some(Self::LoginLink),
            "password_reset" => Some(Self::PasswordReset),
            "email_verification" => Some(Self::EmailVerification),
            "external_sign_in" => Some(Self::ExternalSignIn),
            _ => None,
        }
    }

    /// How long a token works: 15 minutes for anything that signs in or
    /// changes a password, two days to verify an address, ten minutes to
    /// come back from Google.
    #[must_use]
    pub fn lifetime(&self) -> TimeDelta {
        match self {
            Self::LoginLink | Self::PasswordReset => TimeDelta::minutes(15),
            Self::EmailVerification => TimeDelta::days(2),
            Self::ExternalSignIn => TimeDelta::minutes(10),
        }
    }
}

/// A stored single-use token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OneTimeToken {
    /// The digest of the token (the token is never stored).
    pub digest: TokenDigest,
    /// What it is for.
    pub purpose: TokenPurpose,
    /// The organization of the user it belongs to, if any.
    pub tenant_id: Option<TenantId>,
    /// The user it belongs to, if any (a Google sign-in does not know yet).
    pub user_id: Option<UserId>,
    /// Extra state (for a Google sign-in: nonce, PKCE verifier, sign-up fields).
    pub payload: Option<String>,
    /// When it was issued.
    pub created_at: DateTime<Utc>,
    /// When it stops working.
    pub expires_at: DateTime<Utc>,
    /// When it was used; a used token never works again.
    pub used_at: Option<DateTime<Utc>>,
}

/// What presenting a token found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Redemption {
    /// The token was valid and is now used up.
    Redeemed(OneTimeToken),
    /// The token was used before.
    AlreadyUsed,
    /// The token expired unused.
    Expired,
    /// No such token (or one of another purpose).
    Unknown,
}
