//! Sign-in with an external identity provider (Google, through OpenID
//! Connect). The protocol — discovery, the code exchange with PKCE, the ID
//! token's signature, audience, nonce and expiry — is the adapter's work;
//! this module keeps the state between the redirect and the callback
//! (single use, ten minutes) and decides what a *verified* identity means:
//! the linked user, else the user with that verified email (now linked),
//! else a new organization when the person asked to sign up.

use serde::{Deserialize, Serialize};

use super::{AccountService, NewSession};
use crate::access::audit::{Actor, AuditAction, RequestOrigin};
use crate::access::one_time_tokens::{OneTimeToken, Redemption, TokenPurpose};
use crate::access::ports::{ExternalIdentity, PasswordHash};
use crate::access::services::audit::record;
use crate::access::user::{Role, User};
use crate::kernel::email::EmailAddress;
use crate::kernel::errors::{Unexpected, unexpected_from};
use crate::kernel::numbering::NumberPattern;
use crate::kernel::repository::RepositoryError;
use crate::kernel::tokens::SecretToken;
use crate::kernel::validation::{ValidationErrors, required_text};
use crate::privacy::policies::AcceptanceChannel;
use crate::tenancy::{Country, Organization, default_currency_for, default_time_zone_for};
use crate::{TenantId, UserId};

/// An identity whose ID token the adapter verified.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifiedIdentity {
    /// `google`.
    pub provider: String,
    /// The provider's stable subject id (`sub`).
    pub subject: String,
    /// The email in the token.
    pub email: EmailAddress,
    /// Whether the provider vouches for the email.
    pub email_verified: bool,
    /// The person's name, if the token has one.
    pub name: Option<String>,
}

/// What the person wants when they go to the provider.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "intent", rename_all = "snake_case")]
pub enum ExternalIntent {
    /// Sign in to an existing account.
    SignIn,
    /// Create an organization (with the identity's email as its owner)
    /// unless the identity already has an account.
    SignUp {
        /// The business's name.
        organization_name: String,
        /// ISO 3166-1 alpha-2.
        country: String,
        /// The privacy policy version accepted.
        accept_policy_version: String,
    },
}

#[derive(Serialize, Deserialize)]
struct StoredState {
    adapter: String,
    intent: ExternalIntent,
}

/// Why an external sign-in could not start.
#[derive(Debug, thiserror::Error)]
pub enum BeginExternalError {
    /// Invalid sign-up fields.
    #[error("invalid sign-up: {0}")]
    Invalid(ValidationErrors),
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
    /// Storage failed.
    #[error(transparent)]
    Unexpected(Unexpected),
}

/// Why an external sign-in could not finish.
#[derive(Debug, thiserror::Error)]
pub enum ExternalSignInError {
    /// The state is unknown (not started here).
    #[error("the sign-in was not started here or is not valid")]
    InvalidState,
    /// The state was used before or expired.
    #[error("the sign-in took too long or was already completed; start again")]
    StateGone,
    /// The provider does not vouch for the email.
    #[error("the email address is not verified by the provider")]
    EmailNotVerified,
    /// No account for this identity, and no sign-up was asked for.
    #[error("no account uses this identity; sign up first")]
    NoAccount,
    /// An account with this email exists but never confirmed its address.
    #[error(
        "an account with this email exists but its address was never confirmed; sign in with its password \
         (or confirm the address through a password reset) first"
    )]
    UnverifiedAccount,
    /// Storage failed.
    #[error(transparent)]
    Unexpected(Unexpected),
}

unexpected_from!(BeginExternalError, ExternalSignInError);

impl AccountService {
    /// Records the state of a sign-in that goes to the provider now: the
    /// adapter's own data (nonce, PKCE verifier) and what the person wants.
    /// `state` is the random value the provider hands back to the callback.
    ///
    /// # Errors
    /// See [`BeginExternalError`].
    pub async fn begin_external_sign_in(
        &self,
        state: &SecretToken,
        adapter: String,
        intent: ExternalIntent,
        confirm_minimum_age: bool,
    ) -> Result<(), BeginExternalError> {
        if let ExternalIntent::SignUp {
            organization_name,
            country,
            accept_policy_version,
        } = &intent
        {
            let mut errors = ValidationErrors::new();
            errors.check("organization_name", required_text(organization_name, 200));
            errors.check("country", Country::parse(country.trim()));
            if !errors.is_empty() {
                return Err(BeginExternalError::Invalid(errors));
            }
            if !confirm_minimum_age {
                return Err(BeginExternalError::AgeNotConfirmed {
                    minimum: self.policy.minimum_age,
                });
            }
            let current = self.current_privacy_policy().await?;
            if *accept_policy_version != current.version {
                return Err(BeginExternalError::PolicyNotAccepted {
                    current: current.version,
                });
            }
        }
        let payload = serde_json::to_string(&StoredState { adapter, intent }).map_err(|e| Unexpected(Box::new(e)))?;
        let now = self.clock.now();
        let token = OneTimeToken {
            digest: state.digest(),
            purpose: TokenPurpose::ExternalSignIn,
            tenant_id: None,
            user_id: None,
            payload: Some(payload),
            created_at: now,
            expires_at: now + TokenPurpose::ExternalSignIn.lifetime(),
            used_at: None,
        };
        let uow = self.store.begin().await?;
        uow.one_time_tokens().insert(&token).await?;
        uow.commit().await?;
        Ok(())
    }

    /// Uses up the state of a sign-in coming back from the provider and
    /// returns the adapter's data and the person's intent.
    ///
    /// # Errors
    /// [`ExternalSignInError::InvalidState`] or [`ExternalSignInError::StateGone`].
    pub async fn take_external_state(&self, state: &str) -> Result<(String, ExternalIntent), ExternalSignInError> {
        let now = self.clock.now();
        let uow = self.store.begin().await?;
        let redemption = uow
            .one_time_tokens()
            .redeem(
                &SecretToken::new(state.to_owned()).digest(),
                TokenPurpose::ExternalSignIn,
                now,
            )
            .await?;
        let token = match redemption {
            Redemption::Redeemed(token) => token,
            Redemption::AlreadyUsed | Redemption::Expired => return Err(ExternalSignInError::StateGone),
            Redemption::Unknown => return Err(ExternalSignInError::InvalidState),
        };
        uow.commit().await?;
        let stored: StoredState =
            serde_json::from_str(token.payload.as_deref().unwrap_or_default()).map_err(|e| Unexpected(Box::new(e)))?;
        Ok((stored.adapter, stored.intent))
    }

    /// Signs in with a verified identity: its linked user; else the user
    /// with the same verified email, whom it links (an account whose address
    /// was never confirmed is not linked: it may belong to someone who
    /// squatted the address); else, when `intent` is a sign-up, a new
    /// organization with this person as its owner.
    ///
    /// # Errors
    /// See [`ExternalSignInError`].
    pub async fn sign_in_external(
        &self,
        identity: VerifiedIdentity,
        intent: ExternalIntent,
        origin: &RequestOrigin,
    ) -> Result<NewSession, ExternalSignInError> {
        if !identity.email_verified {
            return Err(ExternalSignInError::EmailNotVerified);
        }
        let now = self.clock.now();
        let uow = self.store.begin().await?;
        let linked = uow.identities().find(&identity.provider, &identity.subject).await?;
        let user = match linked {
            Some(link) => uow
                .users()
                .get(link.tenant_id, link.user_id)
                .await?
                .ok_or(ExternalSignInError::NoAccount)?,
            None => {
                let existing = uow.users().find_credentials(&identity.email.normalized()).await?;
                let (user, created) = match (existing, &intent) {
                    // Nobody proved this address before: whoever registered it may
                    // not be its owner, and linking would hand the provider's
                    // verified owner an organization others may already share.
                    (Some((user, _)), _) if user.email_verified_at.is_none() => {
                        return Err(ExternalSignInError::UnverifiedAccount);
                    }
                    (Some((user, _)), _) => (user, false),
                    (None, ExternalIntent::SignIn) => return Err(ExternalSignInError::NoAccount),
                    (None, ExternalIntent::SignUp { .. }) => {
                        (self.create_owner(uow.as_ref(), &identity, &intent).await?, true)
                    }
                };
                let link = ExternalIdentity {
                    tenant_id: user.tenant_id,
                    user_id: user.id,
                    provider: identity.provider.clone(),
                    subject: identity.subject.clone(),
                    linked_at: now,
                };
                uow.identities().insert(&link).await?;
                record(
                    uow.as_ref(),
                    self.clock.as_ref(),
                    self.ids.as_ref(),
                    user.tenant_id,
                    Actor::user(user.id),
                    AuditAction::IdentityLinked,
                    origin,
                    |e| {
                        e.about("user", user.id.as_uuid())
                            .with("provider", &identity.provider)
                            .with("new_account", if created { "true" } else { "false" })
                    },
                )
                .await?;
                user
            }
        };
        if user.email_verified_at.is_none() && user.email == identity.email {
            uow.users().mark_email_verified(user.tenant_id, user.id, now).await?;
        }
        let session = self.open_session(uow.as_ref(), &user).await?;
        record(
            uow.as_ref(),
            self.clock.as_ref(),
            self.ids.as_ref(),
            user.tenant_id,
            Actor::user(user.id),
            AuditAction::SignInSucceeded,
            origin,
            |e| e.about("user", user.id.as_uuid()).with("method", &identity.provider),
        )
        .await?;
        uow.commit().await?;
        Ok(session)
    }

    async fn create_owner(
        &self,
        uow: &dyn crate::access::ports::AccessUnit,
        identity: &VerifiedIdentity,
        intent: &ExternalIntent,
    ) -> Result<User, ExternalSignInError> {
        let ExternalIntent::SignUp {
            organization_name,
            country,
            accept_policy_version,
        } = intent
        else {
            return Err(ExternalSignInError::NoAccount);
        };
        let country = Country::parse(country.trim()).map_err(|e| Unexpected(Box::new(e)))?;
        let now = self.clock.now();
        let organization = Organization {
            id: TenantId::from_uuid(self.ids.new_uuid()),
            name: organization_name.trim().to_owned(),
            country,
            default_currency: default_currency_for(country),
            time_zone: default_time_zone_for(country),
            invoice_number_pattern: NumberPattern::default_invoice(),
            default_payment_terms_days: self.policy.default_payment_terms_days,
            created_at: now,
            closure: None,
            profile: crate::tenancy::OrganizationProfile::default(),
        };
        let name = identity
            .name
            .clone()
            .filter(|n| !n.trim().is_empty())
            .unwrap_or_else(|| identity.email.as_str().split('@').next().unwrap_or_default().to_owned());
        let user = User {
            id: UserId::from_uuid(self.ids.new_uuid()),
            tenant_id: organization.id,
            email: identity.email.clone(),
            name,
            role: Role::Owner,
            accepted_policy_version: accept_policy_version.clone(),
            email_verified_at: Some(now),
            created_at: now,
        };
        uow.create_organization(&organization).await?;
        match uow.users().insert(&user, &PasswordHash::unusable()).await {
            Err(RepositoryError::Duplicate { .. }) => return Err(ExternalSignInError::NoAccount),
            other => other?,
        }
        self.record_acceptance(uow, &user, AcceptanceChannel::Signup).await?;
        Ok(user)
    }
}
