//! Users, their roles in an organization, and the principal a request acts as.
//!
//! Permissions are capability handles: a service obtains a [`Writer`] from a
//! [`Principal`] only when the role allows writing, and the repository calls
//! that change data take the tenant from the handle.

use std::fmt;

use chrono::{DateTime, Utc};

use crate::kernel::email::EmailAddress;
use crate::{TenantId, UserId};

/// A user's role in their organization.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    /// Created the organization; may do everything, including closing it.
    Owner,
    /// Manages users and settings and all business data.
    Admin,
    /// Works with clients, invoices and payments.
    Member,
    /// Reads everything, changes nothing.
    Accountant,
}

impl Role {
    /// The stable name used in the API and in storage.
    #[must_use]
    pub const fn as_str(&self) -> &'static str {
        match self {
            Self::Owner => "owner",
            Self::Admin => "admin",
            Self::Member => "member",
            Self::Accountant => "accountant",
        }
    }

    /// Parses the stable name.
    #[must_use]
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "owner" => Some(Self::Owner),
            "admin" => Some(Self::Admin),
            "member" => Some(Self::Member),
            "accountant" => Some(Self::Accountant),
            _ => None,
        }
    }

    /// Whether this role may create and change business data.
    #[must_use]
    pub const fn can_write(&self) -> bool {
        matches!(self, Self::Owner | Self::Admin | Self::Member)
    }

    /// Whether this role manages the organization: its users, billing,
    /// integrations, privacy settings and security log.
    #[must_use]
    pub const fn can_manage(&self) -> bool {
        matches!(self, Self::Owner | Self::Admin)
    }

    /// The role's place in the order of power: an accountant (read only)
    /// below a member, below an admin, below the owner.
    #[must_use]
    pub const fn rank(&self) -> u8 {
        match self {
            Self::Accountant => 0,
            Self::Member => 1,
            Self::Admin => 2,
            Self::Owner => 3,
        }
    }

    /// Whether this role grants nothing that `other` does not.
    #[must_use]
    pub const fn is_at_most(&self, other: Role) -> bool {
        self.rank() <= other.rank()
    }

    /// The weaker of two roles.
    #[must_use]
    pub const fn min(self, other: Role) -> Role {
        if self.rank() <= other.rank() { self } else { other }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A person who signs in, member of exactly one organization.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct User {
    /// The user's id.
    pub id: UserId,
    /// The organization the user belongs to.
    pub tenant_id: TenantId,
    /// Sign-in address; unique across the deployment.
    pub email: EmailAddress,
    /// Display name.
    pub name: String,
    /// Role in the organization.
    pub role: Role,
    /// The privacy policy version accepted at sign-up.
    pub accepted_policy_version: String,
    /// When the user proved they receive mail at `email`; `None` until then.
    pub email_verified_at: Option<DateTime<Utc>>,
    /// When the account was created.
    pub created_at: DateTime<Utc>,
}

/// Who a request acts as: an authenticated user in their tenant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Principal {
    /// The acting user.
    pub user_id: UserId,
    /// The user's organization; every query of the request is scoped to it.
    pub tenant_id: TenantId,
    /// The user's role.
    pub role: Role,
}

/// Returned when the principal's role does not allow an action.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the {role} role may not {action}")]
pub struct Forbidden {
    /// The principal's role.
    pub role: Role,
    /// What was attempted, for the error message.
    pub action: &'static str,
}

/// Proof that the principal may read the tenant's business data.
#[derive(Clone, Copy, Debug)]
pub struct Reader<'a>(&'a Principal);

/// Proof that the principal may change the tenant's business data.
#[derive(Clone, Copy, Debug)]
pub struct Writer<'a>(&'a Principal);

/// Proof that the principal manages the organization (owner or admin):
/// users, billing, integrations, privacy settings, the security log.
#[derive(Clone, Copy, Debug)]
pub struct Manager<'a>(&'a Principal);

/// Proof that the principal owns the organization.
#[derive(Clone, Copy, Debug)]
pub struct Owner<'a>(&'a Principal);

impl Principal {
    /// Every role may read its own tenant's business data.
    #[must_use]
    pub fn reader(&self) -> Reader<'_> {
        Reader(self)
    }

    /// A write handle, when the role allows writing.
    ///
    /// # Errors
    /// [`Forbidden`] for read-only roles (accountant).
    pub fn writer(&self, action: &'static str) -> Result<Writer<'_>, Forbidden> {
        if self.role.can_write() {
            Ok(Writer(self))
        } else {
            Err(Forbidden {
                role: self.role,
                action,
            })
        }
    }
}

impl Principal {
    /// A management handle, for owners and admins.
    ///
    /// # Errors
    /// [`Forbidden`] for members and accountants.
    pub fn manager(&self, action: &'static str) -> Result<Manager<'_>, Forbidden> {
        if self.role.can_manage() {
            Ok(Manager(self))
        } else {
            Err(Forbidden {
                role: self.role,
                action,
            })
        }
    }

    /// An owner handle.
    ///
    /// # Errors
    /// [`Forbidden`] for every role but the owner.
    pub fn owner(&self, action: &'static str) -> Result<Owner<'_>, Forbidden> {
        if self.role == Role::Owner {
            Ok(Owner(self))
        } else {
            Err(Forbidden {
                role: self.role,
                action,
            })
        }
    }
}

impl Manager<'_> {
    /// The tenant the handle is scoped to.
    #[must_use]
    pub fn tenant(&self) -> TenantId {
        self.0.tenant_id
    }

    /// The acting user.
    #[must_use]
    pub fn user(&self) -> UserId {
        self.0.user_id
    }

    /// The acting user's role (an owner may do what an admin may not).
    #[must_use]
    pub fn role(&self) -> Role {
        self.0.role
    }
}

impl Owner<'_> {
    /// The tenant the handle is scoped to.
    #[must_use]
    pub fn tenant(&self) -> TenantId {
        self.0.tenant_id
    }

    /// The acting user.
    #[must_use]
    pub fn user(&self) -> UserId {
        self.0.user_id
    }
}

impl Reader<'_> {
    /// The tenant the handle is scoped to.
    #[must_use]
    pub fn tenant(&self) -> TenantId {
        self.0.tenant_id
    }
}

impl Writer<'_> {
    /// The tenant the handle is scoped to.
    #[must_use]
    pub fn tenant(&self) -> TenantId {
        self.0.tenant_id
    }

    /// The acting user.
    #[must_use]
    pub fn user(&self) -> UserId {
        self.0.user_id
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn principal(role: Role) -> Principal {
        Principal {
            user_id: UserId::from_uuid(Uuid::nil()),
            tenant_id: TenantId::from_uuid(Uuid::nil()),
            role,
        }
    }

    #[test]
    fn accountants_read_but_never_write() {
        assert!(principal(Role::Accountant).writer("create invoices").is_err());
        for role in [Role::Owner, Role::Admin, Role::Member] {
            assert!(principal(role).writer("create invoices").is_ok());
        }
    }

    #[test]
    fn only_owners_and_admins_manage_and_only_owners_own() {
        for role in [Role::Owner, Role::Admin] {
            assert!(principal(role).manager("invite users").is_ok());
        }
        for role in [Role::Member, Role::Accountant] {
            assert!(principal(role).manager("invite users").is_err());
        }
        assert!(principal(Role::Owner).owner("close the account").is_ok());
        assert!(principal(Role::Admin).owner("close the account").is_err());
    }

    #[test]
    fn roles_are_ordered_by_power() {
        assert!(Role::Accountant.is_at_most(Role::Member));
        assert!(Role::Member.is_at_most(Role::Admin));
        assert!(Role::Admin.is_at_most(Role::Owner));
        assert!(!Role::Owner.is_at_most(Role::Admin));
        assert_eq!(Role::Owner.min(Role::Member), Role::Member);
        assert_eq!(Role::Accountant.min(Role::Admin), Role::Accountant);
    }

    #[test]
    fn role_names_round_trip() {
        for role in [Role::Owner, Role::Admin, Role::Member, Role::Accountant] {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("root"), None);
    }
}
