//! The security event log (audit trail): who did what to an organization's
//! accounts and data, when, and from which network. Entries hold no
//! personal data in clear: actors and targets are ids, the address is
//! truncated to its network ([`IpPrefix`]), and details are stable words
//! such as a role name or a sign-in method, never emails, names or secrets.

use std::collections::BTreeMap;
use std::fmt;
use std::net::IpAddr;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::{AuditEventId, TenantId, UserId};

/// What happened. The stable names are part of the API and of storage.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AuditAction {
    /// A user signed in (any method).
    SignInSucceeded,
    /// A sign-in with a wrong password for an existing account.
    SignInFailed,
    /// Sign-in attempts for an account were throttled for one network.
    SignInThrottled,
    /// A user signed out.
    SignedOut,
    /// A user changed their password.
    PasswordChanged,
    /// A password was reset through an emailed link.
    PasswordReset,
    /// A user confirmed their email address.
    EmailVerified,
    /// A user changed their name or asked to change their address.
    ProfileChanged,
    /// A user was invited.
    UserInvited,
    /// An invitation was revoked.
    InvitationRevoked,
    /// An invitation was accepted: a new user joined.
    InvitationAccepted,
    /// A user's role changed.
    RoleChanged,
    /// A user was removed from the organization.
    UserRemoved,
    /// An API token was created.
    ApiTokenCreated,
    /// An API token was revoked.
    ApiTokenRevoked,
    /// An external sign-in (Google) was linked to a user.
    IdentityLinked,
    /// An integration's credentials were stored or replaced.
    IntegrationUpdated,
    /// An integration was disconnected and its credentials deleted.
    IntegrationRemoved,
    /// Data was exported.
    DataExported,
    /// A person's data was erased.
    DataErased,
    /// Processing of a person's data was restricted or the restriction lifted.
    ProcessingRestricted,
    /// The account was closed (or reopened).
    AccountClosed,
    /// A privacy request changed.
    PrivacyRequestUpdated,
}

impl AuditAction {
    /// Every action, for listings and tests.
    pub const ALL: [Self; 23] = [
        Self::SignInSucceeded,
        Self::SignInFailed,
        Self::SignInThrottled,
        Self::SignedOut,
        Self::PasswordChanged,
        Self::PasswordReset,
        Self::EmailVerified,
        Self::ProfileChanged,
        Self::UserInvited,
        Self::InvitationRevoked,
        Self::InvitationAccepted,
        Self::RoleChanged,
        Self::UserRemoved,
        Self::ApiTokenCreated,
        Self::ApiTokenRevoked,
        Self::IdentityLinked,
        Self::IntegrationUpdated,
        Self::IntegrationRemoved,
        Self::DataExported,
        Self::DataErased,
        Self::ProcessingRestricted,
        Self::AccountClosed,
        Self::PrivacyRequestUpdated,
    ];

    /// The stable name, such as `auth.sign_in_failed`.
    #[must_use]
    pub const fn as_str(&self) -> &'static str {
        match self {
            Self::SignInSucceeded => "auth.sign_in_succeeded",
            Self::SignInFailed => "auth.sign_in_failed",
            Self::SignInThrottled => "auth.sign_in_throttled",
            Self::SignedOut => "auth.signed_out",
            Self::PasswordChanged => "auth.password_changed",
            Self::PasswordReset => "auth.password_reset",
            Self::EmailVerified => "auth.email_verified",
            Self::ProfileChanged => "auth.profile_changed",
            Self::UserInvited => "team.user_invited",
            Self::InvitationRevoked => "team.invitation_revoked",
            Self::InvitationAccepted => "team.invitation_accepted",
            Self::RoleChanged => "team.role_changed",
            Self::UserRemoved => "team.user_removed",
            Self::ApiTokenCreated => "auth.api_token_created",
            Self::ApiTokenRevoked => "auth.api_token_revoked",
            Self::IdentityLinked => "auth.identity_linked",
            Self::IntegrationUpdated => "integrations.updated",
            Self::IntegrationRemoved => "integrations.removed",
            Self::DataExported => "privacy.data_exported",
            Self::DataErased => "privacy.data_erased",
            Self::ProcessingRestricted => "privacy.processing_restricted",
            Self::AccountClosed => "account.closed",
            Self::PrivacyRequestUpdated => "privacy.request_updated",
        }
    }

    /// Parses the stable name.
    #[must_use]
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|action| action.as_str() == name)
    }
}

impl fmt::Display for AuditAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An IP address cut to its network: IPv4 to /24, IPv6 to /48. Enough to
/// recognise a network, not enough to single out a person's device.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct IpPrefix(String);

impl IpPrefix {
    /// Truncates an address.
    #[must_use]
    pub fn of(address: IpAddr) -> Self {
        match address {
            IpAddr::V4(v4) => {
                let [a, b, c, _] = v4.octets();
                Self(format!("{a}.{b}.{c}.0/24"))
            }
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => Self::of(IpAddr::V4(v4)),
                None => {
                    let s = v6.segments();
                    Self(format!("{:x}:{:x}:{:x}::/48", s[0], s[1], s[2]))
                }
            },
        }
    }

    /// Wraps a stored prefix.
    #[must_use]
    pub fn from_stored(text: String) -> Self {
        Self(text)
    }

    /// The prefix, such as `203.0.113.0/24`.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for IpPrefix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Who acted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ActorKind {
    /// A signed-in user (session).
    User,
    /// A user's API token.
    ApiToken,
    /// Fakturo itself (a scheduler, a worker, an operator task).
    System,
    /// Someone not signed in (a failed sign-in, a public link).
    Anonymous,
}

impl ActorKind {
    /// The stable name.
    #[must_use]
    pub const fn as_str(&self) -> &'static str {
        match self {
            Self::User => "user",
            Self::ApiToken => "api_token",
            Self::System => "system",
            Self::Anonymous => "anonymous",
        }
    }

    /// Parses the stable name.
    #[must_use]
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "user" => Some(Self::User),
            "api_token" => Some(Self::ApiToken),
            "system" => Some(Self::System),
            "anonymous" => Some(Self::Anonymous),
            _ => None,
        }
    }
}

/// The actor of an event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Actor {
    /// How they acted.
    pub kind: ActorKind,
    /// The user, when one is known.
    pub user_id: Option<UserId>,
}

impl Actor {
    /// A signed-in user.
    #[must_use]
    pub const fn user(user: UserId) -> Self {
        Self {
            kind: ActorKind::User,
            user_id: Some(user),
        }
    }

    /// Fakturo itself.
    #[must_use]
    pub const fn system() -> Self {
        Self {
            kind: ActorKind::System,
            user_id: None,
        }
    }

    /// Someone not signed in.
    #[must_use]
    pub const fn anonymous() -> Self {
        Self {
            kind: ActorKind::Anonymous,
            user_id: None,
        }
    }
}

/// What an event is about: a kind of record and its id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditTarget {
    /// `user`, `api_token`, `invitation`, `client`, `integration`, …
    pub kind: &'static str,
    /// The record's id.
    pub id: Uuid,
}

/// One entry of the security event log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditEvent {
    /// The entry's id (time-ordered).
    pub id: AuditEventId,
    /// The organization it belongs to.
    pub tenant_id: TenantId,
    /// When it happened.
    pub occurred_at: DateTime<Utc>,
    /// Who acted.
    pub actor: Actor,
    /// What happened.
    pub action: AuditAction,
    /// What it was about.
    pub target: Option<AuditTarget>,
    /// The actor's network.
    pub ip: Option<IpPrefix>,
    /// Stable words that say more (`method: password`, `role: admin`); never personal data.
    pub details: BTreeMap<String, String>,
}

impl AuditEvent {
    /// An event without target or details.
    #[must_use]
    pub fn new(
        id: AuditEventId,
        tenant_id: TenantId,
        occurred_at: DateTime<Utc>,
        actor: Actor,
        action: AuditAction,
        origin: &RequestOrigin,
    ) -> Self {
        Self {
            id,
            tenant_id,
            occurred_at,
            actor,
            action,
            target: None,
            ip: origin.ip.clone(),
            details: BTreeMap::new(),
        }
    }

    /// The event about a record.
    #[must_use]
    pub fn about(mut self, kind: &'static str, id: Uuid) -> Self {
        self.target = Some(AuditTarget { kind, id });
        self
    }

    /// The event with one more detail (a stable word, never personal data).
    #[must_use]
    pub fn with(mut self, key: &str, value: &str) -> Self {
        self.details.insert(key.to_owned(), value.to_owned());
        self
    }
}

/// Where a request came from, as far as the audit log may know it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RequestOrigin {
    /// The client's network, when known.
    pub ip: Option<IpPrefix>,
}

impl RequestOrigin {
    /// The origin of a request from `address`.
    #[must_use]
    pub fn from_ip(address: Option<IpAddr>) -> Self {
        Self {
            ip: address.map(IpPrefix::of),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_cut_to_their_network() {
        assert_eq!(IpPrefix::of("203.0.113.77".parse().unwrap()).as_str(), "203.0.113.0/24");
        assert_eq!(
            IpPrefix::of("2001:db8:abcd:12:1:2:3:4".parse().unwrap()).as_str(),
            "2001:db8:abcd::/48"
        );
        assert_eq!(
            IpPrefix::of("::ffff:198.51.100.9".parse().unwrap()).as_str(),
            "198.51.100.0/24"
        );
    }

    #[test]
    fn action_names_round_trip_and_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for action in AuditAction::ALL {
            assert_eq!(AuditAction::parse(action.as_str()), Some(action));
            assert!(seen.insert(action.as_str()));
        }
        assert_eq!(AuditAction::parse("nope"), None);
    }
}
