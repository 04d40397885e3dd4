//! Sign-up, sign-in, sessions and "who am I".

use std::sync::Arc;

use chrono::TimeDelta;

use super::{in_force, organization};
use crate::access::ports::Password;
use crate::access::ports::{AccessStore, PasswordHasher};
use crate::access::session::Session;
pub use crate::access::session::{Authenticated, Credential};
use crate::access::throttle::ThrottlePolicy;
use crate::access::user::{Principal, Role, User};
use crate::kernel::clock::Clock;
use crate::kernel::email::EmailAddress;
use crate::kernel::errors::{Unexpected, unexpected_from};
use crate::kernel::ids::IdGenerator;
use crate::kernel::numbering::NumberPattern;
use crate::kernel::repository::RepositoryError;
use crate::kernel::tokens::SecretToken;
use crate::kernel::tokens::TokenGenerator;
use crate::kernel::validation::{ValidationErrors, required_text};
use crate::messaging::outbox::AccountEmail;
use crate::privacy::policies::{AcceptanceChannel, EffectivePolicy, PolicyAcceptance, PolicyDefaults, PolicyKind};
use crate::tenancy::{Country, Organization, default_currency_for, default_time_zone_for};
use crate::{TenantId, UserId};

/// Deployment rules for accounts.
#[derive(Clone, Debug)]
pub struct AccountPolicy {
    /// How long a session token works after sign-in, however active (absolute expiry).
    pub session_lifetime: TimeDelta,
    /// How long a session works without being used (idle expiry).
    pub session_idle_timeout: TimeDelta,
    /// Sign-in throttling per account and network.
    pub throttle: ThrottlePolicy,
    /// The configured policy versions (until newer ones are published) and
    /// the notice a material change needs; a new user must accept the
    /// privacy policy version in force.
    pub policies: PolicyDefaults,
    /// The minimum age a new user must confirm (13, 16 or 18).
    pub minimum_age: u8,
    /// Days from issue to due date for new organizations.
    pub default_payment_terms_days: u32,
}

/// The fields of a sign-up, unvalidated.
#[derive(Clone, Debug)]
pub struct SignupFields {
    /// Sign-in address of the first user.
    pub email: String,
    /// Their password.
    pub password: Password,
    /// Their name.
    pub name: String,
    /// The business's name.
    pub organization_name: String,
    /// The business's country (ISO 3166-1 alpha-2).
    pub country: String,
    /// The privacy policy version the user accepted.
    pub accept_policy_version: String,
    /// The user confirmed the minimum age.
    pub confirm_minimum_age: bool,
}

/// A new session and the token that opens it (shown once).
#[derive(Debug)]
pub struct NewSession {
    /// The bearer token.
    pub token: SecretToken,
    /// The stored session.
    pub session: Session,
}

/// The result of a sign-up.
#[derive(Debug)]
pub struct SignedUp {
    /// The new owner.
    pub user: User,
    /// The new organization.
    pub organization: Organization,
    /// A session for the new owner.
    pub session: NewSession,
}

/// Why a sign-up failed.
#[derive(Debug, thiserror::Error)]
pub enum SignupError {
    /// Invalid fields.
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
    /// An account with this email exists.
    #[error("an account with this email already exists")]
    EmailTaken,
    /// Storage or hashing failed.
    #[error(transparent)]
    Unexpected(Unexpected),
}

/// Why "who am I" failed.
#[derive(Debug, thiserror::Error)]
pub enum MeError {
    /// The user was removed after the session began.
    #[error("the user no longer exists")]
    UserGone,
    /// Storage failed.
    #[error(transparent)]
    Unexpected(Unexpected),
}

unexpected_from!(SignupError, MeError);
crate::access::ports::hash_error_from!(SignupError);

/// Accounts and sessions (sign-in lives in `sessions.rs`, emailed links in
/// `links.rs`, Google in `external.rs`).
#[derive(Clone)]
pub struct AccountService {
    store: Arc<dyn AccessStore>,
    clock: Arc<dyn Clock>,
    ids: Arc<dyn IdGenerator>,
    tokens: Arc<dyn TokenGenerator>,
    passwords: Arc<dyn PasswordHasher>,
    policy: AccountPolicy,
}

impl AccountService {
    /// The service on the access store under `policy`.
    #[must_use]
    pub fn new(
        store: Arc<dyn AccessStore>,
        clock: Arc<dyn Clock>,
        ids: Arc<dyn IdGenerator>,
        tokens: Arc<dyn TokenGenerator>,
        passwords: Arc<dyn PasswordHasher>,
        policy: AccountPolicy,
    ) -> Self {
        Self {
            store,
            clock,
            ids,
            tokens,
            passwords,
            policy,
        }
    }

    /// The deployment's account rules.
    #[must_use]
    pub fn policy(&self) -> &AccountPolicy {
        &self.policy
    }

    /// Creates an organization, its owner and a first session.
    ///
    /// # Errors
    /// See [`SignupError`].
    pub async fn signup(&self, fields: SignupFields) -> Result<SignedUp, SignupError> {
        let mut errors = ValidationErrors::new();
        let email = errors.check("email", EmailAddress::parse(&fields.email));
        let name = errors.check("name", required_text(&fields.name, 200));
        let organization_name = errors.check("organization_name", required_text(&fields.organization_name, 200));
        let country = errors.check("country", Country::parse(fields.country.trim()));
        let (Some(email), Some(name), Some(organization_name), Some(country)) =
            (email, name, organization_name, country)
        else {
            return Err(SignupError::Invalid(errors));
        };
        if !errors.is_empty() {
            return Err(SignupError::Invalid(errors));
        }
        if !fields.confirm_minimum_age {
            return Err(SignupError::AgeNotConfirmed {
                minimum: self.policy.minimum_age,
            });
        }
        let current = self.current_privacy_policy().await?;
        if fields.accept_policy_version != current.version {
            return Err(SignupError::PolicyNotAccepted {
                current: current.version,
            });
        }

        let password_hash = self.passwords.hash(&fields.password).await?;
        let now = self.clock.now();
        let organization = Organization {
            id: TenantId::from_uuid(self.ids.new_uuid()),
            name: organization_name,
            country,
            default_currency: default_currency_for(country),
            time_zone: default_time_zone_for(country),
            invoice_number_pattern: NumberPattern::default_invoice(),
            default_payment_terms_days: self.policy.default_payment_terms_days,
            created_at: now,
            closure: None,
            profile: crate::tenancy::OrganizationProfile::default(),
        };
        let user = User {
            id: UserId::from_uuid(self.ids.new_uuid()),
            tenant_id: organization.id,
            email,
            name,
            role: Role::Owner,
            accepted_policy_version: fields.accept_policy_version,
            email_verified_at: None,
            created_at: now,
        };
        let uow = self.store.begin().await?;
        if uow.users().find_credentials(&user.email.normalized()).await?.is_some() {
            return Err(SignupError::EmailTaken);
        }
        uow.create_organization(&organization).await?;
        match uow.users().insert(&user, &password_hash).await {
            Err(RepositoryError::Duplicate { .. }) => return Err(SignupError::EmailTaken),
            other => other?,
        }
        self.record_acceptance(uow.as_ref(), &user, AcceptanceChannel::Signup)
            .await?;
        let session = self.open_session(uow.as_ref(), &user).await?;
        self.enqueue_account_email(uow.as_ref(), &user, AccountEmail::EmailVerification)
            .await?;
        uow.commit().await?;
        Ok(SignedUp {
            user,
            organization,
            session,
        })
    }

    /// The acting user, their organization, and whether they accepted the
    /// privacy policy in force.
    ///
    /// # Errors
    /// [`MeError::UserGone`] if the user was removed.
    pub async fn me(&self, principal: &Principal) -> Result<Me, MeError> {
        let uow = self.store.begin().await?;
        let user = uow
            .users()
            .get(principal.tenant_id, principal.user_id)
            .await?
            .ok_or(MeError::UserGone)?;
        let organization = organization(uow.as_ref(), principal.tenant_id).await?;
        let privacy_policy = in_force(
            uow.as_ref(),
            &self.policy.policies,
            PolicyKind::Privacy,
            self.clock.now(),
        )
        .await?;
        let accepted = uow
            .policy_acceptance(user.tenant_id, user.id, PolicyKind::Privacy, &privacy_policy.version)
            .await?;
        Ok(Me {
            user,
            organization,
            privacy_policy,
            privacy_policy_accepted_at: accepted.map(|a| a.accepted_at),
        })
    }

    /// The privacy policy in force now (its own short unit of work, before
    /// anything is hashed or written).
    pub(crate) async fn current_privacy_policy(&self) -> Result<EffectivePolicy, RepositoryError> {
        let uow = self.store.begin().await?;
        in_force(
            uow.as_ref(),
            &self.policy.policies,
            PolicyKind::Privacy,
            self.clock.now(),
        )
        .await
    }

    /// Records, inside `uow`, that a new user accepted the privacy policy
    /// version they signed up or joined with.
    pub(crate) async fn record_acceptance(
        &self,
        uow: &dyn crate::access::ports::AccessUnit,
        user: &User,
        channel: AcceptanceChannel,
    ) -> Result<(), RepositoryError> {
        uow.record_policy_acceptance(&PolicyAcceptance {
            tenant_id: user.tenant_id,
            user_id: user.id,
            kind: PolicyKind::Privacy,
            version: user.accepted_policy_version.clone(),
            accepted_at: user.created_at,
            channel,
        })
        .await?;
        Ok(())
    }
}

/// "Who am I".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Me {
    /// The user.
    pub user: User,
    /// Their organization.
    pub organization: Organization,
    /// The privacy policy in force.
    pub privacy_policy: EffectivePolicy,
    /// When the user accepted that version; `None` if they have not (yet).
    pub privacy_policy_accepted_at: Option<chrono::DateTime<chrono::Utc>>,
}

mod external;
mod links;
mod profile;
mod sessions;

pub use external::{BeginExternalError, ExternalIntent, ExternalSignInError, VerifiedIdentity};
pub use links::{RedeemLinkError, RequestLinkError};
pub use profile::{ProfileChanged, ProfileChanges, UpdateProfileError};
pub use sessions::{AuthenticateError, ChangePasswordError, LoginError, LogoutError};

#[cfg(test)]
mod tests;
