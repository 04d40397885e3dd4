//! Sign-up, sign-in, sessions and "who am I".

use chrono::TimeDelta;

use super::errors::{Unexpected, unexpected_from};
use super::{Ports, organization};
use crate::email::EmailAddress;
use crate::invoice::numbering::NumberPattern;
use crate::ports::{Password, RepositoryError};
use crate::session::{SecretToken, Session};
use crate::tenant::{Country, Organization, default_currency_for, default_time_zone_for};
use crate::user::{Principal, Role, User};
use crate::validation::{ValidationErrors, required_text};
use crate::{SessionId, TenantId, UserId};

/// Deployment rules for accounts.
#[derive(Clone, Debug)]
pub struct AccountPolicy {
    /// How long a session token works after sign-in.
    pub session_lifetime: TimeDelta,
    /// The privacy policy version a new user must accept.
    pub privacy_policy_version: String,
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

/// An authenticated request's identity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Authenticated {
    /// Who acts.
    pub principal: Principal,
    /// The session in use.
    pub session_id: SessionId,
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

/// Why a sign-in failed. Deliberately silent on whether the email exists.
#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    /// Unknown email or wrong password.
    #[error("invalid email or password")]
    InvalidCredentials,
    /// Storage or hashing failed.
    #[error(transparent)]
    Unexpected(Unexpected),
}

/// Why a bearer token was not accepted.
#[derive(Debug, thiserror::Error)]
pub enum AuthenticateError {
    /// Unknown, expired or revoked token.
    #[error("the token is invalid or has expired")]
    InvalidToken,
    /// Storage failed.
    #[error(transparent)]
    Unexpected(Unexpected),
}

/// Why signing out failed.
#[derive(Debug, thiserror::Error)]
pub enum LogoutError {
    /// Storage failed.
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

unexpected_from!(SignupError, LoginError, AuthenticateError, LogoutError, MeError);

/// Accounts and sessions.
#[derive(Clone, Debug)]
pub struct AccountService {
    ports: Ports,
    policy: AccountPolicy,
}

impl AccountService {
    /// The service on `ports` under `policy`.
    #[must_use]
    pub fn new(ports: Ports, policy: AccountPolicy) -> Self {
        Self { ports, policy }
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
        if fields.accept_policy_version != self.policy.privacy_policy_version {
            return Err(SignupError::PolicyNotAccepted {
                current: self.policy.privacy_policy_version.clone(),
            });
        }
        if !fields.confirm_minimum_age {
            return Err(SignupError::AgeNotConfirmed {
                minimum: self.policy.minimum_age,
            });
        }

        let password_hash = self.ports.passwords.hash(&fields.password).await?;
        let now = self.ports.clock.now();
        let organization = Organization {
            id: TenantId::from_uuid(self.ports.ids.new_uuid()),
            name: organization_name,
            country,
            default_currency: default_currency_for(country),
            time_zone: default_time_zone_for(country),
            invoice_number_pattern: NumberPattern::default_invoice(),
            default_payment_terms_days: self.policy.default_payment_terms_days,
            created_at: now,
        };
        let user = User {
            id: UserId::from_uuid(self.ports.ids.new_uuid()),
            tenant_id: organization.id,
            email,
            name,
            role: Role::Owner,
            accepted_policy_version: fields.accept_policy_version,
            created_at: now,
        };
        let uow = self.ports.store.begin().await?;
        if uow.users().find_credentials(&user.email.normalized()).await?.is_some() {
            return Err(SignupError::EmailTaken);
        }
        uow.organizations().insert(&organization).await?;
        match uow.users().insert(&user, &password_hash).await {
            Err(RepositoryError::Duplicate { .. }) => return Err(SignupError::EmailTaken),
            other => other?,
        }
        let session = self.open_session(uow.as_ref(), &user).await?;
        uow.commit().await?;
        Ok(SignedUp {
            user,
            organization,
            session,
        })
    }

    /// Signs in with email and password and opens a session.
    ///
    /// # Errors
    /// [`LoginError::InvalidCredentials`] for an unknown email or a wrong
    /// password alike, taking the same time either way.
    pub async fn login(&self, email: &str, password: Password) -> Result<NewSession, LoginError> {
        let normalized = email.trim().to_lowercase();
        let uow = self.ports.store.begin().await?;
        let Some((user, hash)) = uow.users().find_credentials(&normalized).await? else {
            // Spend the same effort as a real check so timing does not reveal accounts.
            let _ = self.ports.passwords.hash(&password).await?;
            return Err(LoginError::InvalidCredentials);
        };
        if !self.ports.passwords.verify(&password, &hash).await? {
            return Err(LoginError::InvalidCredentials);
        }
        let session = self.open_session(uow.as_ref(), &user).await?;
        uow.commit().await?;
        Ok(session)
    }

    /// Resolves a bearer token to the acting principal.
    ///
    /// # Errors
    /// [`AuthenticateError::InvalidToken`] for unknown, expired or revoked tokens.
    pub async fn authenticate(&self, token: &SecretToken) -> Result<Authenticated, AuthenticateError> {
        let now = self.ports.clock.now();
        let uow = self.ports.store.begin().await?;
        let session = uow
            .sessions()
            .find_active(&token.digest(), now)
            .await?
            .ok_or(AuthenticateError::InvalidToken)?;
        let user = uow
            .users()
            .get(session.tenant_id, session.user_id)
            .await?
            .ok_or(AuthenticateError::InvalidToken)?;
        Ok(Authenticated {
            principal: Principal {
                user_id: user.id,
                tenant_id: user.tenant_id,
                role: user.role,
            },
            session_id: session.id,
        })
    }

    /// Ends the session in use; its token stops working at once.
    ///
    /// # Errors
    /// [`LogoutError::Unexpected`] if storage fails.
    pub async fn logout(&self, who: &Authenticated) -> Result<(), LogoutError> {
        let uow = self.ports.store.begin().await?;
        uow.sessions().delete(who.principal.tenant_id, who.session_id).await?;
        uow.commit().await?;
        Ok(())
    }

    /// The acting user and their organization.
    ///
    /// # Errors
    /// [`MeError::UserGone`] if the user was removed.
    pub async fn me(&self, principal: &Principal) -> Result<(User, Organization), MeError> {
        let uow = self.ports.store.begin().await?;
        let user = uow
            .users()
            .get(principal.tenant_id, principal.user_id)
            .await?
            .ok_or(MeError::UserGone)?;
        let organization = organization(uow.as_ref(), principal.tenant_id).await?;
        Ok((user, organization))
    }

    async fn open_session(&self, uow: &dyn crate::ports::UnitOfWork, user: &User) -> Result<NewSession, Unexpected> {
        let now = self.ports.clock.now();
        let token = self.ports.tokens.secret_token();
        let session = Session {
            id: SessionId::from_uuid(self.ports.ids.new_uuid()),
            tenant_id: user.tenant_id,
            user_id: user.id,
            token_digest: token.digest(),
            created_at: now,
            expires_at: now + self.policy.session_lifetime,
        };
        uow.sessions().insert(&session).await?;
        Ok(NewSession { token, session })
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use async_trait::async_trait;
    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::ports::security::{MockIdGenerator, MockPasswordHasher, MockTokenGenerator};
    use crate::ports::{ManualClock, Store, UnitOfWork};

    /// A store that must not be reached.
    struct UnreachableStore;

    #[async_trait]
    impl Store for UnreachableStore {
        async fn begin(&self) -> Result<Box<dyn UnitOfWork>, RepositoryError> {
            panic!("the store must not be reached");
        }
        async fn ping(&self) -> Result<(), RepositoryError> {
            panic!("the store must not be reached");
        }
    }

    fn service(passwords: MockPasswordHasher) -> AccountService {
        let ports = Ports {
            store: Arc::new(UnreachableStore),
            clock: Arc::new(ManualClock::new(Utc.with_ymd_and_hms(2026, 11, 22, 10, 0, 0).unwrap())),
            ids: Arc::new(MockIdGenerator::new()),
            tokens: Arc::new(MockTokenGenerator::new()),
            passwords: Arc::new(passwords),
        };
        AccountService::new(
            ports,
            AccountPolicy {
                session_lifetime: TimeDelta::hours(24),
                privacy_policy_version: "2026-11-01".into(),
                minimum_age: 16,
                default_payment_terms_days: 14,
            },
        )
    }

    fn fields() -> SignupFields {
        SignupFields {
            email: "ada@example.com".into(),
            password: Password::new_secret("correct horse battery".into()).unwrap(),
            name: "Ada".into(),
            organization_name: "Ada Design".into(),
            country: "DE".into(),
            accept_policy_version: "2026-11-01".into(),
            confirm_minimum_age: true,
        }
    }

    #[tokio::test]
    async fn refused_signups_reach_neither_the_hasher_nor_the_store() {
        let mut passwords = MockPasswordHasher::new();
        passwords.expect_hash().never();
        let accounts = service(passwords);

        let old_policy = SignupFields {
            accept_policy_version: "2020-01-01".into(),
            ..fields()
        };
        assert!(matches!(
            accounts.signup(old_policy).await,
            Err(SignupError::PolicyNotAccepted { current }) if current == "2026-11-01"
        ));
        let too_young = SignupFields {
            confirm_minimum_age: false,
            ..fields()
        };
        assert!(matches!(
            accounts.signup(too_young).await,
            Err(SignupError::AgeNotConfirmed { minimum: 16 })
        ));
        let invalid = SignupFields {
            email: "nope".into(),
            country: "Germany".into(),
            ..fields()
        };
        match accounts.signup(invalid).await {
            Err(SignupError::Invalid(errors)) => {
                let fields: Vec<_> = errors.errors().iter().map(|e| e.field.as_str()).collect();
                assert_eq!(fields, ["email", "country"]);
            }
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn hashing_failures_are_unexpected_not_wrong_passwords() {
        let mut passwords = MockPasswordHasher::new();
        passwords
            .expect_hash()
            .times(1)
            .returning(|_| Err(crate::ports::security::HashError("no memory".into())));
        let accounts = service(passwords);
        assert!(matches!(
            accounts.signup(fields()).await,
            Err(SignupError::Unexpected(_))
        ));
    }
}
