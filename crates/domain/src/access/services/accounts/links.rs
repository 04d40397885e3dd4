//! Emailed single-use links: magic sign-in links, password resets and
//! email verification. Asking for a link always "succeeds", whether or not
//! the address has an account, so nobody learns who does. A link works once
//! and expires (15 minutes to sign in or reset, two days to verify).

use super::{AccountService, Authenticated, NewSession};
use crate::access::audit::{Actor, AuditAction, RequestOrigin};
use crate::access::one_time_tokens::{Redemption, TokenPurpose};
use crate::access::ports::{Password, PasswordError};
use crate::access::services::audit::record;
use crate::kernel::email::EmailAddress;
use crate::kernel::errors::{Unexpected, unexpected_from};
use crate::kernel::repository::RepositoryError;
use crate::kernel::tokens::SecretToken;
use crate::messaging::outbox::AccountEmail;

/// Why a link did not work.
#[derive(Debug, thiserror::Error)]
pub enum RedeemLinkError {
    /// No such link.
    #[error("the link is not valid")]
    Invalid,
    /// The link was used before, or it expired.
    #[error("the link has already been used or has expired; ask for a new one")]
    Gone,
    /// Another account took the new address meanwhile (email changes only).
    #[error("another account uses this email address")]
    AddressTaken,
    /// The new password breaks the rules (resets only).
    #[error("the new password {0}")]
    Weak(PasswordError),
    /// Storage or hashing failed.
    #[error(transparent)]
    Unexpected(Unexpected),
}

/// Why a link could not be requested.
#[derive(Debug, thiserror::Error)]
pub enum RequestLinkError {
    /// The address is already verified (verification only).
    #[error("the email address is already verified")]
    AlreadyVerified,
    /// The user was removed.
    #[error("the user no longer exists")]
    UserGone,
    /// Storage failed.
    #[error(transparent)]
    Unexpected(Unexpected),
}

unexpected_from!(RedeemLinkError, RequestLinkError);
crate::access::ports::hash_error_from!(RedeemLinkError);

impl AccountService {
    /// Emails a magic sign-in link if `email` has an account; silent otherwise.
    ///
    /// # Errors
    /// [`RequestLinkError::Unexpected`] only: the answer never depends on the address.
    pub async fn request_login_link(&self, email: &str) -> Result<(), RequestLinkError> {
        self.email_link_if_account(email, AccountEmail::LoginLink).await
    }

    /// Emails a password reset link if `email` has an account; silent otherwise.
    ///
    /// # Errors
    /// [`RequestLinkError::Unexpected`] only.
    pub async fn request_password_reset(&self, email: &str) -> Result<(), RequestLinkError> {
        self.email_link_if_account(email, AccountEmail::PasswordReset).await
    }

    async fn email_link_if_account(&self, email: &str, kind: AccountEmail) -> Result<(), RequestLinkError> {
        let normalized = email.trim().to_lowercase();
        let uow = self.store.begin().await?;
        if let Some((user, _)) = uow.users().find_credentials(&normalized).await? {
            self.enqueue_account_email(uow.as_ref(), &user, kind).await?;
            uow.commit().await?;
        }
        Ok(())
    }

    /// Emails the signed-in user a link that confirms their address.
    ///
    /// # Errors
    /// [`RequestLinkError::AlreadyVerified`] when there is nothing to confirm.
    pub async fn request_email_verification(&self, who: &Authenticated) -> Result<(), RequestLinkError> {
        let uow = self.store.begin().await?;
        let user = uow
            .users()
            .get(who.principal.tenant_id, who.principal.user_id)
            .await?
            .ok_or(RequestLinkError::UserGone)?;
        if user.email_verified_at.is_some() {
            return Err(RequestLinkError::AlreadyVerified);
        }
        self.enqueue_account_email(uow.as_ref(), &user, AccountEmail::EmailVerification)
            .await?;
        uow.commit().await?;
        Ok(())
    }

    /// Signs in with a magic link; the link is used up. Following the link
    /// also proves the address.
    ///
    /// # Errors
    /// [`RedeemLinkError::Invalid`] or [`RedeemLinkError::Gone`].
    pub async fn redeem_login_link(&self, token: &str, origin: &RequestOrigin) -> Result<NewSession, RedeemLinkError> {
        let now = self.clock.now();
        let uow = self.store.begin().await?;
        let redeemed = redeemed(
            uow.one_time_tokens()
                .redeem(
                    &SecretToken::new(token.to_owned()).digest(),
                    TokenPurpose::LoginLink,
                    now,
                )
                .await?,
        )?;
        let (Some(tenant), Some(user_id)) = (redeemed.tenant_id, redeemed.user_id) else {
            return Err(RedeemLinkError::Invalid);
        };
        let user = uow
            .users()
            .get(tenant, user_id)
            .await?
            .ok_or(RedeemLinkError::Invalid)?;
        if user.email_verified_at.is_none() {
            uow.users().mark_email_verified(tenant, user.id, now).await?;
        }
        let session = self.open_session(uow.as_ref(), &user).await?;
        record(
            uow.as_ref(),
            self.clock.as_ref(),
            self.ids.as_ref(),
            tenant,
            Actor::user(user.id),
            AuditAction::SignInSucceeded,
            origin,
            |e| e.about("user", user.id.as_uuid()).with("method", "magic_link"),
        )
        .await?;
        uow.commit().await?;
        Ok(session)
    }

    /// Sets a new password with a reset link; the link and every other
    /// reset link of the user are used up, and every session ends.
    ///
    /// # Errors
    /// See [`RedeemLinkError`].
    pub async fn complete_password_reset(
        &self,
        token: &str,
        new_password: String,
        origin: &RequestOrigin,
    ) -> Result<(), RedeemLinkError> {
        let password = Password::new_secret(new_password).map_err(RedeemLinkError::Weak)?;
        let hash = self.passwords.hash(&password).await?;
        let now = self.clock.now();
        let uow = self.store.begin().await?;
        let redeemed = redeemed(
            uow.one_time_tokens()
                .redeem(
                    &SecretToken::new(token.to_owned()).digest(),
                    TokenPurpose::PasswordReset,
                    now,
                )
                .await?,
        )?;
        let (Some(tenant), Some(user_id)) = (redeemed.tenant_id, redeemed.user_id) else {
            return Err(RedeemLinkError::Invalid);
        };
        if !uow.users().set_password(tenant, user_id, &hash).await? {
            return Err(RedeemLinkError::Invalid);
        }
        // Whoever may have had the account before the reset loses every way
        // in that the reset did not give: other reset links, unused sign-in
        // links, and sessions.
        for purpose in [TokenPurpose::PasswordReset, TokenPurpose::LoginLink] {
            uow.one_time_tokens()
                .expire_for_user(tenant, user_id, purpose, now)
                .await?;
        }
        uow.sessions().delete_for_user(tenant, user_id, None).await?;
        uow.users().mark_email_verified(tenant, user_id, now).await?;
        record(
            uow.as_ref(),
            self.clock.as_ref(),
            self.ids.as_ref(),
            tenant,
            Actor::user(user_id),
            AuditAction::PasswordReset,
            origin,
            |e| e.about("user", user_id.as_uuid()),
        )
        .await?;
        uow.commit().await?;
        Ok(())
    }

    /// Confirms an email address with a verification link.
    ///
    /// # Errors
    /// [`RedeemLinkError::Invalid`] or [`RedeemLinkError::Gone`].
    pub async fn confirm_email(&self, token: &str, origin: &RequestOrigin) -> Result<(), RedeemLinkError> {
        let now = self.clock.now();
        let uow = self.store.begin().await?;
        let redeemed = redeemed(
            uow.one_time_tokens()
                .redeem(
                    &SecretToken::new(token.to_owned()).digest(),
                    TokenPurpose::EmailVerification,
                    now,
                )
                .await?,
        )?;
        let (Some(tenant), Some(user_id)) = (redeemed.tenant_id, redeemed.user_id) else {
            return Err(RedeemLinkError::Invalid);
        };
        match redeemed.payload.as_deref().map(EmailAddress::parse) {
            // A link sent to a new address moves the account there now.
            Some(Ok(address)) => match uow.users().change_email(tenant, user_id, &address, now).await {
                Ok(true) => {}
                Ok(false) => return Err(RedeemLinkError::Invalid),
                Err(RepositoryError::Duplicate { .. }) => return Err(RedeemLinkError::AddressTaken),
                Err(error) => return Err(error.into()),
            },
            Some(Err(_)) => return Err(RedeemLinkError::Invalid),
            None => uow.users().mark_email_verified(tenant, user_id, now).await?,
        }
        record(
            uow.as_ref(),
            self.clock.as_ref(),
            self.ids.as_ref(),
            tenant,
            Actor::user(user_id),
            AuditAction::EmailVerified,
            origin,
            |e| e.about("user", user_id.as_uuid()),
        )
        .await?;
        uow.commit().await?;
        Ok(())
    }
}

/// The redeemed token, or the error its redemption means.
fn redeemed(redemption: Redemption) -> Result<crate::access::one_time_tokens::OneTimeToken, RedeemLinkError> {
    match redemption {
        Redemption::Redeemed(token) => Ok(token),
        Redemption::AlreadyUsed | Redemption::Expired => Err(RedeemLinkError::Gone),
        Redemption::Unknown => Err(RedeemLinkError::Invalid),
    }
}
