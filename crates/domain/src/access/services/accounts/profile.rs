//! Correcting one's own account: the name at once, the email address only
//! once the new address proves it receives mail (a link sent there), with a
//! notice to the old address meanwhile.

use super::{AccountService, Authenticated, Me, MeError};
use crate::access::audit::{AuditAction, RequestOrigin};
use crate::access::services::audit::record;
use crate::kernel::email::EmailAddress;
use crate::kernel::errors::{Unexpected, unexpected_from};
use crate::kernel::validation::{ValidationErrors, required_text};
use crate::messaging::outbox::{AccountEmail, Effect};

/// What a user changes of their own account; `None` leaves it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProfileChanges {
    /// A new display name.
    pub name: Option<String>,
    /// A new email address (applied once confirmed from it).
    pub email: Option<String>,
}

/// What changing one's account did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProfileChanged {
    /// The account now.
    pub me: Me,
    /// The address a confirmation link went to, if one was asked for.
    pub pending_email: Option<EmailAddress>,
}

/// Why the account could not be changed.
#[derive(Debug, thiserror::Error)]
pub enum UpdateProfileError {
    /// A field is not valid.
    #[error("invalid changes: {0}")]
    Invalid(ValidationErrors),
    /// Another account uses the new address.
    #[error("another account uses this email address")]
    EmailTaken,
    /// The user was removed after the session began.
    #[error("the user no longer exists")]
    UserGone,
    /// Storage failed.
    #[error(transparent)]
    Unexpected(Unexpected),
}

unexpected_from!(UpdateProfileError);

impl From<MeError> for UpdateProfileError {
    fn from(error: MeError) -> Self {
        match error {
            MeError::UserGone => Self::UserGone,
            MeError::Unexpected(u) => Self::Unexpected(u),
        }
    }
}

impl AccountService {
    /// Changes the caller's name now and asks for their new address to be
    /// confirmed (the account keeps the old one until then).
    ///
    /// # Errors
    /// See [`UpdateProfileError`].
    pub async fn update_profile(
        &self,
        who: &Authenticated,
        changes: ProfileChanges,
        origin: &RequestOrigin,
    ) -> Result<ProfileChanged, UpdateProfileError> {
        let mut errors = ValidationErrors::new();
        let name = changes
            .name
            .as_deref()
            .and_then(|name| errors.check("name", required_text(name, 200)));
        let email = changes
            .email
            .as_deref()
            .and_then(|email| errors.check("email", EmailAddress::parse(email)));
        if !errors.is_empty() {
            return Err(UpdateProfileError::Invalid(errors));
        }
        let (tenant, user_id) = (who.principal.tenant_id, who.principal.user_id);
        let uow = self.store.begin().await?;
        let user = uow
            .users()
            .get(tenant, user_id)
            .await?
            .ok_or(UpdateProfileError::UserGone)?;
        if let Some(name) = &name {
            uow.users().rename(tenant, user_id, name).await?;
        }
        let email = email.filter(|email| email.normalized() != user.email.normalized());
        if let Some(email) = &email {
            if uow.users().find_credentials(&email.normalized()).await?.is_some() {
                return Err(UpdateProfileError::EmailTaken);
            }
            let key = format!("email-change:{user_id}:{}", self.ids.new_uuid());
            let effect = Effect::SendEmailChange {
                user_id,
                new_email: email.as_str().to_owned(),
            };
            crate::access::services::enqueue(
                uow.as_ref(),
                self.clock.as_ref(),
                self.ids.as_ref(),
                tenant,
                effect,
                key,
            )
            .await?;
            self.enqueue_account_email(uow.as_ref(), &user, AccountEmail::EmailChangeRequested)
                .await?;
        }
        if name.is_some() || email.is_some() {
            record(
                uow.as_ref(),
                self.clock.as_ref(),
                self.ids.as_ref(),
                tenant,
                who.actor(),
                AuditAction::ProfileChanged,
                origin,
                |e| {
                    e.about("user", user_id.as_uuid())
                        .with("name_changed", if name.is_some() { "true" } else { "false" })
                        .with("email_change_requested", if email.is_some() { "true" } else { "false" })
                },
            )
            .await?;
        }
        uow.commit().await?;
        Ok(ProfileChanged {
            me: self.me(&who.principal).await?,
            pending_email: email,
        })
    }
}
