//! The team's members: listing them, changing a role, removing one.

use super::{TeamReadError, TeamService};
use crate::UserId;
use crate::access::audit::{AuditAction, RequestOrigin};
use crate::access::services::audit::record;
use crate::access::session::Authenticated;
use crate::access::user::{Forbidden, Principal, Role, User};
use crate::kernel::errors::{Unexpected, unexpected_from};
use crate::kernel::pagination::{Page, PageRequest};

/// Why a user could not be changed or removed.
#[derive(Debug, thiserror::Error)]
pub enum ManageUserError {
    /// Not allowed for this role, or on this user.
    #[error(transparent)]
    Forbidden(#[from] Forbidden),
    /// No such user in the organization.
    #[error("no such user")]
    NotFound,
    /// The organization would be left without an owner.
    #[error("an organization must keep at least one owner")]
    LastOwner,
    /// Storage failed.
    #[error(transparent)]
    Unexpected(Unexpected),
}

unexpected_from!(ManageUserError);

impl TeamService {
    /// A page of the organization's users (any role may see the team).
    ///
    /// # Errors
    /// See [`TeamReadError`].
    pub async fn users(&self, who: &Principal, page: PageRequest) -> Result<Page<User>, TeamReadError> {
        let uow = self.store.begin().await?;
        Ok(uow.users().list(who.reader().tenant(), page).await?)
    }

    /// Changes a user's role.
    ///
    /// # Errors
    /// See [`ManageUserError`].
    pub async fn change_role(
        &self,
        who: &Authenticated,
        user: UserId,
        role: Role,
        origin: &RequestOrigin,
    ) -> Result<User, ManageUserError> {
        let manager = who.principal.manager("change roles")?;
        let uow = self.store.begin().await?;
        let mut target = uow
            .users()
            .get(manager.tenant(), user)
            .await?
            .ok_or(ManageUserError::NotFound)?;
        let allowed = role.is_at_most(manager.role()) && target.role.is_at_most(manager.role());
        if !allowed {
            return Err(ManageUserError::Forbidden(Forbidden {
                role: manager.role(),
                action: "grant or take away a role above their own",
            }));
        }
        if target.role == Role::Owner && role != Role::Owner && uow.users().count_owners(manager.tenant()).await? <= 1 {
            return Err(ManageUserError::LastOwner);
        }
        let previous = target.role;
        if !uow.users().set_role(manager.tenant(), user, role).await? {
            return Err(ManageUserError::NotFound);
        }
        target.role = role;
        record(
            uow.as_ref(),
            self.clock.as_ref(),
            self.ids.as_ref(),
            manager.tenant(),
            who.actor(),
            AuditAction::RoleChanged,
            origin,
            |e| {
                e.about("user", user.as_uuid())
                    .with("from", previous.as_str())
                    .with("to", role.as_str())
            },
        )
        .await?;
        uow.commit().await?;
        Ok(target)
    }

    /// Removes a user from the organization; their sessions and API tokens
    /// stop working at once. Anyone may remove themselves (but not the last owner).
    ///
    /// # Errors
    /// See [`ManageUserError`].
    pub async fn remove(
        &self,
        who: &Authenticated,
        user: UserId,
        origin: &RequestOrigin,
    ) -> Result<(), ManageUserError> {
        let principal = who.principal;
        let tenant = if user == principal.user_id {
            principal.reader().tenant()
        } else {
            principal.manager("remove users")?.tenant()
        };
        let uow = self.store.begin().await?;
        let target = uow.users().get(tenant, user).await?.ok_or(ManageUserError::NotFound)?;
        if user != principal.user_id && !target.role.is_at_most(principal.role) {
            return Err(ManageUserError::Forbidden(Forbidden {
                role: principal.role,
                action: "remove a user with a higher role",
            }));
        }
        if target.role == Role::Owner && uow.users().count_owners(tenant).await? <= 1 {
            return Err(ManageUserError::LastOwner);
        }
        if !uow.users().delete(tenant, user).await? {
            return Err(ManageUserError::NotFound);
        }
        record(
            uow.as_ref(),
            self.clock.as_ref(),
            self.ids.as_ref(),
            tenant,
            who.actor(),
            AuditAction::UserRemoved,
            origin,
            |e| e.about("user", user.as_uuid()).with("role", target.role.as_str()),
        )
        .await?;
        uow.commit().await?;
        Ok(())
    }
}
