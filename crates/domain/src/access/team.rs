//! Teams: invitations to join an organization with a role. An invitation is
//! emailed as a single-use link; accepting it creates the user in the
//! inviting organization. Only owners and admins invite, and nobody grants
//! a role above their own.

use chrono::{DateTime, TimeDelta, Utc};

use crate::access::user::Role;
use crate::kernel::email::EmailAddress;
use crate::kernel::tokens::TokenDigest;
use crate::{InvitationId, TenantId, UserId};

/// How long an invitation link works: seven days.
#[must_use]
pub fn invitation_lifetime() -> TimeDelta {
    TimeDelta::days(7)
}

/// An invitation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invitation {
    /// The invitation's id.
    pub id: InvitationId,
    /// The inviting organization.
    pub tenant_id: TenantId,
    /// Where the invitation goes; the new user signs in with it.
    pub email: EmailAddress,
    /// The role the new user gets.
    pub role: Role,
    /// Who invited.
    pub invited_by: UserId,
    /// Digest of the current link's token; a resent invitation replaces it.
    pub token_digest: Option<TokenDigest>,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// When the link stops working.
    pub expires_at: DateTime<Utc>,
    /// When it was accepted.
    pub accepted_at: Option<DateTime<Utc>>,
    /// When it was revoked.
    pub revoked_at: Option<DateTime<Utc>>,
}

/// Where an invitation stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InvitationStatus {
    /// Waiting to be accepted.
    Pending,
    /// A user joined with it.
    Accepted,
    /// Withdrawn by the organization.
    Revoked,
    /// Not accepted in time.
    Expired,
}

impl InvitationStatus {
    /// The stable name used in the API.
    #[must_use]
    pub const fn as_str(&self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Accepted => "accepted",
            Self::Revoked => "revoked",
            Self::Expired => "expired",
        }
    }
}

impl Invitation {
    /// Where the invitation stands at `now`.
    #[must_use]
    pub fn status(&self, now: DateTime<Utc>) -> InvitationStatus {
        if self.accepted_at.is_some() {
            InvitationStatus::Accepted
        } else if self.revoked_at.is_some() {
            InvitationStatus::Revoked
        } else if now >= self.expires_at {
            InvitationStatus::Expired
        } else {
            InvitationStatus::Pending
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use uuid::Uuid;

    use super::*;

    #[test]
    fn status_follows_acceptance_revocation_and_time() {
        let created = Utc.with_ymd_and_hms(2026, 11, 22, 10, 0, 0).unwrap();
        let mut invitation = Invitation {
            id: InvitationId::from_uuid(Uuid::nil()),
            tenant_id: TenantId::from_uuid(Uuid::nil()),
            email: EmailAddress::parse("new@example.com").unwrap(),
            role: Role::Member,
            invited_by: UserId::from_uuid(Uuid::nil()),
            token_digest: None,
            created_at: created,
            expires_at: created + invitation_lifetime(),
            accepted_at: None,
            revoked_at: None,
        };
        assert_eq!(invitation.status(created), InvitationStatus::Pending);
        assert_eq!(
            invitation.status(created + TimeDelta::days(8)),
            InvitationStatus::Expired
        );
        invitation.revoked_at = Some(created);
        assert_eq!(invitation.status(created), InvitationStatus::Revoked);
        invitation.accepted_at = Some(created);
        assert_eq!(invitation.status(created), InvitationStatus::Accepted);
    }
}
