//! Account emails and invitations. Their links carry a single-use token
//! made *now*, when the email is prepared, and stored only as a digest: no
//! token waits in the job queue. A retried job makes a fresh token; the
//! earlier one, never delivered, simply expires.

use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::access::one_time_tokens::{OneTimeToken, TokenPurpose};
use crate::access::ports::AccessStore;
use crate::access::team::InvitationStatus;
use crate::kernel::clock::Clock;
use crate::kernel::email::EmailAddress;
use crate::kernel::errors::Unexpected;
use crate::kernel::tokens::TokenGenerator;
use crate::messaging::delivery::{Notice, Outgoing, Prepared};
use crate::messaging::outbox::{AccountEmail, Job};
use crate::{InvitationId, TenantId, UserId};

/// The sender's display name of emails to Fakturo's own users.
const PRODUCT_NAME: &str = "Fakturo";

/// Prepares the emails to Fakturo's users: account links and notices, and
/// invitations to a team.
#[derive(Clone)]
pub struct AccountDelivery {
    store: Arc<dyn AccessStore>,
    clock: Arc<dyn Clock>,
    tokens: Arc<dyn TokenGenerator>,
}

impl std::fmt::Debug for AccountDelivery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AccountDelivery")
    }
}

impl AccountDelivery {
    /// The preparation on the access store.
    #[must_use]
    pub fn new(store: Arc<dyn AccessStore>, clock: Arc<dyn Clock>, tokens: Arc<dyn TokenGenerator>) -> Self {
        Self { store, clock, tokens }
    }

    /// What an account email job sends now: a fresh single-use link, a
    /// notice, or nothing once the user is gone or the address verified.
    ///
    /// # Errors
    /// [`Unexpected`] when storage fails (the job is retried).
    pub async fn prepare_account_email(
        &self,
        job: &Job,
        tenant: TenantId,
        user_id: UserId,
        email: AccountEmail,
    ) -> Result<Prepared, Unexpected> {
        let now = self.clock.now();
        let uow = self.store.begin().await?;
        let Some(user) = uow.users().get(tenant, user_id).await? else {
            return Ok(Prepared::Skip("the user no longer exists"));
        };
        let purpose = match email {
            AccountEmail::LoginLink => Some(TokenPurpose::LoginLink),
            AccountEmail::PasswordReset => Some(TokenPurpose::PasswordReset),
            AccountEmail::EmailVerification => {
                if user.email_verified_at.is_some() {
                    return Ok(Prepared::Skip("the address is verified already"));
                }
                Some(TokenPurpose::EmailVerification)
            }
            AccountEmail::SignInThrottled | AccountEmail::EmailChangeRequested => None,
            AccountEmail::EmailChange => return Ok(Prepared::Skip("an email change is sent with its address")),
        };
        let notice = match purpose {
            Some(purpose) => {
                let token = self.tokens.link_token();
                uow.one_time_tokens()
                    .insert(&OneTimeToken {
                        digest: token.digest(),
                        purpose,
                        tenant_id: Some(tenant),
                        user_id: Some(user.id),
                        payload: None,
                        created_at: now,
                        expires_at: now + purpose.lifetime(),
                        used_at: None,
                    })
                    .await?;
                Notice::AccountLink {
                    email,
                    token: token.expose().to_owned(),
                    valid_minutes: purpose.lifetime().num_minutes(),
                }
            }
            None if email == AccountEmail::EmailChangeRequested => Notice::EmailChangeRequested,
            None => Notice::SignInThrottled,
        };
        uow.commit().await?;
        Ok(Prepared::Send(Outgoing {
            to: user.email,
            to_name: user.name,
            from_name: PRODUCT_NAME.to_owned(),
            reply_to: None,
            message_key: job.idempotency_key.clone(),
            notice,
        }))
    }

    /// The link that moves the account to `new_email`, sent to that address:
    /// a fresh verification token carrying the address, so the change
    /// happens only when the link is followed. Nothing once the account has
    /// the address already.
    ///
    /// # Errors
    /// [`Unexpected`] when storage fails (the job is retried).
    pub async fn prepare_email_change(
        &self,
        job: &Job,
        tenant: TenantId,
        user_id: UserId,
        new_email: &str,
    ) -> Result<Prepared, Unexpected> {
        let now = self.clock.now();
        let Ok(address) = EmailAddress::parse(new_email) else {
            return Ok(Prepared::Skip("the new address is not valid"));
        };
        let uow = self.store.begin().await?;
        let Some(user) = uow.users().get(tenant, user_id).await? else {
            return Ok(Prepared::Skip("the user no longer exists"));
        };
        if user.email.normalized() == address.normalized() {
            return Ok(Prepared::Skip("the account has the address already"));
        }
        let purpose = TokenPurpose::EmailVerification;
        let token = self.tokens.link_token();
        uow.one_time_tokens()
            .insert(&OneTimeToken {
                digest: token.digest(),
                purpose,
                tenant_id: Some(tenant),
                user_id: Some(user.id),
                payload: Some(address.as_str().to_owned()),
                created_at: now,
                expires_at: now + purpose.lifetime(),
                used_at: None,
            })
            .await?;
        uow.commit().await?;
        Ok(Prepared::Send(Outgoing {
            to: address,
            to_name: user.name,
            from_name: PRODUCT_NAME.to_owned(),
            reply_to: None,
            message_key: job.idempotency_key.clone(),
            notice: Notice::AccountLink {
                email: AccountEmail::EmailChange,
                token: token.expose().to_owned(),
                valid_minutes: purpose.lifetime().num_minutes(),
            },
        }))
    }

    /// What an invitation job sends now: the invitation with a fresh link,
    /// or nothing once it is no longer pending.
    ///
    /// # Errors
    /// [`Unexpected`] when storage fails (the job is retried).
    pub async fn prepare_invitation(
        &self,
        job: &Job,
        tenant: TenantId,
        id: InvitationId,
    ) -> Result<Prepared, Unexpected> {
        let now: DateTime<Utc> = self.clock.now();
        let uow = self.store.begin().await?;
        let Some(mut invitation) = uow.invitations().get(tenant, id).await? else {
            return Ok(Prepared::Skip("the invitation no longer exists"));
        };
        if invitation.status(now) != InvitationStatus::Pending {
            return Ok(Prepared::Skip("the invitation is no longer pending"));
        }
        let Some(organization) = uow.organization(tenant).await? else {
            return Ok(Prepared::Skip("the organization no longer exists"));
        };
        let token = self.tokens.link_token();
        invitation.token_digest = Some(token.digest());
        uow.invitations().update(&invitation).await?;
        let inviter = uow.users().get(tenant, invitation.invited_by).await?;
        uow.commit().await?;
        Ok(Prepared::Send(Outgoing {
            to: invitation.email.clone(),
            to_name: String::new(),
            from_name: organization.name.clone(),
            reply_to: inviter.map(|user| user.email),
            message_key: job.idempotency_key.clone(),
            notice: Notice::Invitation {
                organization_name: organization.name,
                role: invitation.role.as_str().to_owned(),
                token: token.expose().to_owned(),
                valid_days: (invitation.expires_at - now).num_days().max(1),
            },
        }))
    }
}
