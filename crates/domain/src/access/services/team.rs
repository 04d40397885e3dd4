//! Team use cases: invitations, the member list, role changes and removal.
//! Owners and admins manage the team; nobody grants a role above their own,
//! an admin cannot touch an owner, and the last owner can neither leave nor
//! be demoted. Removing a user ends their sessions and API tokens at once.

use std::sync::Arc;

use super::AccountService;
use super::accounts::{AccountPolicy, Authenticated, NewSession};
use super::audit::record;
use crate::access::audit::{AuditAction, RequestOrigin};
use crate::access::ports::Password;
use crate::access::ports::{AccessStore, PasswordHasher};
use crate::access::team::{Invitation, InvitationStatus, invitation_lifetime};
use crate::access::user::{Forbidden, Principal, Role, User};
use crate::kernel::clock::Clock;
use crate::kernel::email::EmailAddress;
use crate::kernel::errors::{Unexpected, unexpected_from};
use crate::kernel::ids::IdGenerator;
use crate::kernel::pagination::{Page, PageRequest};
use crate::kernel::repository::RepositoryError;
use crate::kernel::tokens::SecretToken;
use crate::kernel::validation::{ValidationErrors, required_text};
use crate::messaging::outbox::Effect;
use crate::privacy::policies::AcceptanceChannel;
use crate::tenancy::Organization;
use crate::{InvitationId, UserId};

/// Why an invitation could not be made.
#[derive(Debug, thiserror::Error)]
pub enum InviteError {
    /// Only owners and admins invite.
    #[error(transparent)]
    Forbidden(#[from] Forbidden),
    /// The role is above the inviter's, or the fields are invalid.
    #[error("invalid invitation: {0}")]
    Invalid(ValidationErrors),
    /// The address already has an account.
    #[error("a user with this email already exists")]
    EmailTaken,
    /// Storage failed.
    #[error(transparent)]
    Unexpected(Unexpected),
}

/// Why invitations or users could not be listed, or an invitation revoked.
#[derive(Debug, thiserror::Error)]
pub enum TeamReadError {
    /// Not allowed for this role.
    #[error(transparent)]
    Forbidden(#[from] Forbidden),
    /// No such invitation.
    #[error("no such invitation")]
    NotFound,
    /// The invitation is no longer pending.
    #[error("the invitation is no longer pending")]
    NotPending,
    /// Storage failed.
    #[error(transparent)]
    Unexpected(Unexpected),
}

/// Why an invitation could not be accepted.
#[derive(Debug, thiserror::Error)]
pub enum AcceptInvitationError {
    /// No such link.
    #[error("the invitation link is not valid")]
    Invalid,
    /// Accepted, revoked or expired.
    #[error("the invitation has already been used, was revoked or has expired")]
    Gone,
    /// Invalid fields.
    #[error("invalid acceptance: {0}")]
    Fields(ValidationErrors),
    /// The accepted policy version is not the current one.
    #[error("the current privacy policy (version {current}) must be accepted")]
    PolicyNotAccepted {
        /// The version to accept.
        current: String,
    },
    /// The minimum age was not confirmed.
    #[error("you must confirm that you are at least {minimum} years old")]
    AgeNotConfirmed {
        /// The deployment's minimum age.
        minimum: u8,
    },
    /// The address got an account in the meantime.
    #[error("a user with this email already exists")]
    EmailTaken,
    /// Storage or hashing failed.
    #[error(transparent)]
    Unexpected(Unexpected),
}

unexpected_from!(InviteError, TeamReadError, AcceptInvitationError);
crate::access::ports::hash_error_from!(AcceptInvitationError);

/// The fields of an acceptance, unvalidated.
#[derive(Clone, Debug)]
pub struct AcceptFields {
    /// The token from the invitation link.
    pub token: String,
    /// The new user's name.
    pub name: String,
    /// Their password (as typed).
    pub password: String,
    /// The privacy policy version they accept.
    pub accept_policy_version: String,
    /// They confirm the minimum age.
    pub confirm_minimum_age: bool,
}

/// The result of an acceptance.
#[derive(Debug)]
pub struct Joined {
    /// The new user.
    pub user: User,
    /// Their organization.
    pub organization: Organization,
    /// A session for them.
    pub session: NewSession,
}

mod members;

pub use members::ManageUserError;

/// Team use cases.
#[derive(Clone)]
pub struct TeamService {
    store: Arc<dyn AccessStore>,
    clock: Arc<dyn Clock>,
    ids: Arc<dyn IdGenerator>,
    passwords: Arc<dyn PasswordHasher>,
    accounts: AccountService,
}

impl TeamService {
    /// The service on the access store; sessions for new members come from `accounts`.
    #[must_use]
    pub fn new(
        store: Arc<dyn AccessStore>,
        clock: Arc<dyn Clock>,
        ids: Arc<dyn IdGenerator>,
        passwords: Arc<dyn PasswordHasher>,
        accounts: AccountService,
    ) -> Self {
        Self {
            store,
            clock,
            ids,
            passwords,
            accounts,
        }
    }

    fn policy(&self) -> &AccountPolicy {
        self.accounts.policy()
    }

    /// Invites `email` with `role` and emails the link.
    ///
    /// # Errors
    /// See [`InviteError`].
    pub async fn invite(
        &self,
        who: &Authenticated,
        email: &str,
        role: &str,
        origin: &RequestOrigin,
    ) -> Result<Invitation, InviteError> {
        let manager = who.principal.manager("invite users")?;
        let mut errors = ValidationErrors::new();
        let email = errors.check("email", EmailAddress::parse(email));
        let role = match Role::parse(role) {
            Some(role) if role.is_at_most(manager.role()) => Some(role),
            Some(_) => {
                return Err(InviteError::Forbidden(Forbidden {
                    role: manager.role(),
                    action: "invite someone with a role above their own",
                }));
            }
            None => {
                errors.add("role", "invalid_role", "must be owner, admin, member or accountant");
                None
            }
        };
        let (Some(email), Some(role)) = (email, role) else {
            return Err(InviteError::Invalid(errors));
        };
        let now = self.clock.now();
        let invitation = Invitation {
            id: InvitationId::from_uuid(self.ids.new_uuid()),
            tenant_id: manager.tenant(),
            email,
            role,
            invited_by: manager.user(),
            token_digest: None,
            created_at: now,
            expires_at: now + invitation_lifetime(),
            accepted_at: None,
            revoked_at: None,
        };
        let uow = self.store.begin().await?;
        if uow
            .users()
            .find_credentials(&invitation.email.normalized())
            .await?
            .is_some()
        {
            return Err(InviteError::EmailTaken);
        }
        uow.invitations().insert(&invitation).await?;
        crate::access::services::enqueue(
            uow.as_ref(),
            self.clock.as_ref(),
            self.ids.as_ref(),
            invitation.tenant_id,
            Effect::SendInvitation {
                invitation_id: invitation.id,
            },
            format!("invitation:{}", invitation.id),
        )
        .await?;
        record(
            uow.as_ref(),
            self.clock.as_ref(),
            self.ids.as_ref(),
            invitation.tenant_id,
            who.actor(),
            AuditAction::UserInvited,
            origin,
            |e| {
                e.about("invitation", invitation.id.as_uuid())
                    .with("role", role.as_str())
            },
        )
        .await?;
        uow.commit().await?;
        Ok(invitation)
    }

    /// A page of the organization's invitations.
    ///
    /// # Errors
    /// See [`TeamReadError`].
    pub async fn invitations(&self, who: &Principal, page: PageRequest) -> Result<Page<Invitation>, TeamReadError> {
        let manager = who.manager("see invitations")?;
        let uow = self.store.begin().await?;
        Ok(uow.invitations().list(manager.tenant(), page).await?)
    }

    /// Revokes a pending invitation; its link stops working.
    ///
    /// # Errors
    /// See [`TeamReadError`].
    pub async fn revoke_invitation(
        &self,
        who: &Authenticated,
        id: InvitationId,
        origin: &RequestOrigin,
    ) -> Result<Invitation, TeamReadError> {
        let manager = who.principal.manager("revoke invitations")?;
        let now = self.clock.now();
        let uow = self.store.begin().await?;
        let mut invitation = uow
            .invitations()
            .get(manager.tenant(), id)
            .await?
            .ok_or(TeamReadError::NotFound)?;
        if !invitation.role.is_at_most(manager.role()) {
            return Err(TeamReadError::Forbidden(Forbidden {
                role: manager.role(),
                action: "revoke an invitation with a role above their own",
            }));
        }
        if invitation.status(now) != InvitationStatus::Pending {
            return Err(TeamReadError::NotPending);
        }
        invitation.revoked_at = Some(now);
        uow.invitations().update(&invitation).await?;
        record(
            uow.as_ref(),
            self.clock.as_ref(),
            self.ids.as_ref(),
            manager.tenant(),
            who.actor(),
            AuditAction::InvitationRevoked,
            origin,
            |e| e.about("invitation", id.as_uuid()),
        )
        .await?;
        uow.commit().await?;
        Ok(invitation)
    }

    /// Joins the inviting organization with the link's token: creates the
    /// user with the invited role and signs them in.
    ///
    /// # Errors
    /// See [`AcceptInvitationError`].
    pub async fn accept(&self, fields: AcceptFields, origin: &RequestOrigin) -> Result<Joined, AcceptInvitationError> {
        let mut errors = ValidationErrors::new();
        let name = errors.check("name", required_text(&fields.name, 200));
        let password = match Password::new_secret(fields.password) {
            Ok(password) => Some(password),
            Err(error) => {
                errors.add(
                    "password",
                    crate::kernel::validation::HasCode::code(&error),
                    error.to_string(),
                );
                None
            }
        };
        let (Some(name), Some(password)) = (name, password) else {
            return Err(AcceptInvitationError::Fields(errors));
        };
        if !fields.confirm_minimum_age {
            return Err(AcceptInvitationError::AgeNotConfirmed {
                minimum: self.policy().minimum_age,
            });
        }
        let current = self.accounts.current_privacy_policy().await?;
        if fields.accept_policy_version != current.version {
            return Err(AcceptInvitationError::PolicyNotAccepted {
                current: current.version,
            });
        }
        let hash = self.passwords.hash(&password).await?;
        let now = self.clock.now();
        let uow = self.store.begin().await?;
        let digest = SecretToken::new(fields.token).digest();
        let mut invitation = uow
            .invitations()
            .find_by_token(&digest)
            .await?
            .ok_or(AcceptInvitationError::Invalid)?;
        if invitation.status(now) != InvitationStatus::Pending {
            return Err(AcceptInvitationError::Gone);
        }
        let user = User {
            id: UserId::from_uuid(self.ids.new_uuid()),
            tenant_id: invitation.tenant_id,
            email: invitation.email.clone(),
            name,
            role: invitation.role,
            accepted_policy_version: fields.accept_policy_version,
            // The invitation link arrived at this address.
            email_verified_at: Some(now),
            created_at: now,
        };
        match uow.users().insert(&user, &hash).await {
            Err(RepositoryError::Duplicate { .. }) => return Err(AcceptInvitationError::EmailTaken),
            other => other?,
        }
        invitation.accepted_at = Some(now);
        uow.invitations().update(&invitation).await?;
        self.accounts
            .record_acceptance(uow.as_ref(), &user, AcceptanceChannel::Invitation)
            .await?;
        let organization = super::organization(uow.as_ref(), user.tenant_id).await?;
        let session = self.accounts.open_session(uow.as_ref(), &user).await?;
        record(
            uow.as_ref(),
            self.clock.as_ref(),
            self.ids.as_ref(),
            user.tenant_id,
            crate::access::audit::Actor::user(user.id),
            AuditAction::InvitationAccepted,
            origin,
            |e| {
                e.about("user", user.id.as_uuid())
                    .with("invitation", &invitation.id.to_string())
                    .with("role", user.role.as_str())
            },
        )
        .await?;
        uow.commit().await?;
        Ok(Joined {
            user,
            organization,
            session,
        })
    }
}
