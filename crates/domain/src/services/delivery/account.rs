//! Account emails and invitations. Their links carry a single-use token
//! made *now*, when the email is prepared, and stored only as a digest: no
//! token waits in the job queue. A retried job makes a fresh token; the
//! earlier one, never delivered, simply expires.

use chrono::{DateTime, Utc};

use super::DeliveryService;
use crate::access::one_time_tokens::{OneTimeToken, TokenPurpose};
use crate::access::team::InvitationStatus;
use crate::kernel::errors::Unexpected;
use crate::messaging::delivery::{Notice, Outgoing, Prepared};
use crate::messaging::outbox::{AccountEmail, Job};
use crate::{InvitationId, TenantId, UserId};

/// The sender's display name of emails to Fakturo's own users.
const PRODUCT_NAME: &str = "Fakturo";

impl DeliveryService {
    pub(super) async fn prepare_account_email(
        &self,
        job: &Job,
        tenant: TenantId,
        user_id: UserId,
        email: AccountEmail,
    ) -> Result<Prepared, Unexpected> {
        let now = self.ports.clock.now();
        let uow = self.ports.store.begin().await?;
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
            AccountEmail::SignInThrottled => None,
        };
        let notice = match purpose {
            Some(purpose) => {
                let token = self.ports.tokens.link_token();
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

    pub(super) async fn prepare_invitation(
        &self,
        job: &Job,
        tenant: TenantId,
        id: InvitationId,
    ) -> Result<Prepared, Unexpected> {
        let now: DateTime<Utc> = self.ports.clock.now();
        let uow = self.ports.store.begin().await?;
        let Some(mut invitation) = uow.invitations().get(tenant, id).await? else {
            return Ok(Prepared::Skip("the invitation no longer exists"));
        };
        if invitation.status(now) != InvitationStatus::Pending {
            return Ok(Prepared::Skip("the invitation is no longer pending"));
        }
        let Some(organization) = uow.organizations().get(tenant).await? else {
            return Ok(Prepared::Skip("the organization no longer exists"));
        };
        let token = self.ports.tokens.link_token();
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
