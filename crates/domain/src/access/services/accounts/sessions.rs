//! Sign-in with a password (throttled per account and network), bearer
//! authentication of sessions and API tokens, sign-out, and password
//! changes. Every sign-in issues a new token; sign-out and a password
//! change end sessions on the server at once.

use chrono::TimeDelta;

use super::{AccountService, Authenticated, Credential, NewSession};
use crate::SessionId;
use crate::access::api_tokens::{API_TOKEN_PREFIX, ApiToken};
use crate::access::audit::{Actor, AuditAction, IpPrefix, RequestOrigin};
use crate::access::ports::{AccessStore, AccessUnit};
use crate::access::ports::{Password, PasswordError, PasswordHash};
use crate::access::services::audit::record;
use crate::access::session::Session;
use crate::access::throttle::ThrottleKey;
use crate::access::user::{Principal, User};
use crate::kernel::errors::{Unexpected, unexpected_from};
use crate::kernel::repository::RepositoryError;
use crate::kernel::tokens::SecretToken;
use crate::messaging::outbox::{AccountEmail, Effect};

/// A session is marked as used at most this often (a write per request would be waste).
const TOUCH_EVERY: TimeDelta = TimeDelta::minutes(1);

/// Why a sign-in failed. Deliberately silent on whether the email exists.
#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    /// Unknown email or wrong password.
    #[error("invalid email or password")]
    InvalidCredentials,
    /// Too many wrong passwords for this account from this network.
    #[error("too many failed sign-ins from this network; try again in {retry_after_seconds} seconds")]
    Throttled {
        /// Seconds until the block ends.
        retry_after_seconds: u64,
    },
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
    /// The request used an API token, which is revoked, not signed out.
    #[error("an API token is not a session; revoke it instead")]
    NotASession,
    /// Storage failed.
    #[error(transparent)]
    Unexpected(Unexpected),
}

/// Why a password change failed.
#[derive(Debug, thiserror::Error)]
pub enum ChangePasswordError {
    /// The current password is wrong.
    #[error("the current password is not correct")]
    WrongPassword,
    /// The new password breaks the rules.
    #[error("the new password {0}")]
    Weak(PasswordError),
    /// The user was removed.
    #[error("the user no longer exists")]
    UserGone,
    /// API tokens cannot change the password (a token limited to a lower
    /// role would come back with a session of the user's full role).
    #[error("sign in to change the password; API tokens cannot")]
    SessionRequired,
    /// Storage or hashing failed.
    #[error(transparent)]
    Unexpected(Unexpected),
}

unexpected_from!(LoginError, AuthenticateError, LogoutError, ChangePasswordError);
crate::access::ports::hash_error_from!(LoginError, ChangePasswordError);

impl AccountService {
    /// Signs in with email and password and opens a session.
    ///
    /// The password is checked outside any transaction (hashing takes tens
    /// of milliseconds); the outcome is recorded afterwards: a failure
    /// counts towards the throttle of this account and network, a success
    /// clears it.
    ///
    /// # Errors
    /// [`LoginError::InvalidCredentials`] for an unknown email or a wrong
    /// password alike, taking the same time either way;
    /// [`LoginError::Throttled`] while this account is blocked for this network.
    pub async fn login(
        &self,
        email: &str,
        password: Password,
        origin: &RequestOrigin,
    ) -> Result<NewSession, LoginError> {
        let normalized = email.trim().to_lowercase();
        let network = origin
            .ip
            .clone()
            .unwrap_or_else(|| IpPrefix::from_stored("unknown".into()));
        let key = ThrottleKey::new(&normalized, network);
        let now = self.clock.now();
        let (state, found) = {
            let uow = self.store.begin().await?;
            let state = uow.throttles().get(&key).await?;
            let found = uow.users().find_credentials(&normalized).await?;
            (state, found)
        };
        self.policy
            .throttle
            .check(&state, now)
            .map_err(|blocked| LoginError::Throttled {
                retry_after_seconds: blocked.retry_after_seconds(now),
            })?;
        let verified = match &found {
            Some((_, hash)) if hash.is_usable() => self.passwords.verify(&password, hash).await?,
            _ => {
                // Spend the same effort as a real check so timing does not reveal accounts.
                let _ = self.passwords.hash(&password).await?;
                false
            }
        };
        let uow = self.store.begin().await?;
        match found {
            Some((user, _)) if verified => {
                uow.throttles().clear(&key).await?;
                let session = self.open_session(uow.as_ref(), &user).await?;
                record(
                    uow.as_ref(),
                    self.clock.as_ref(),
                    self.ids.as_ref(),
                    user.tenant_id,
                    Actor::user(user.id),
                    AuditAction::SignInSucceeded,
                    origin,
                    |e| e.about("user", user.id.as_uuid()).with("method", "password"),
                )
                .await?;
                uow.commit().await?;
                Ok(session)
            }
            found => {
                let current = uow.throttles().get(&key).await?;
                let (next, blocked) = self.policy.throttle.record_failure(&current, now);
                uow.throttles().save(&key, &next, now).await?;
                if let Some((user, _)) = &found {
                    record(
                        uow.as_ref(),
                        self.clock.as_ref(),
                        self.ids.as_ref(),
                        user.tenant_id,
                        Actor::anonymous(),
                        AuditAction::SignInFailed,
                        origin,
                        |e| e.about("user", user.id.as_uuid()).with("method", "password"),
                    )
                    .await?;
                    if let Some(blocked) = blocked {
                        record(
                            uow.as_ref(),
                            self.clock.as_ref(),
                            self.ids.as_ref(),
                            user.tenant_id,
                            Actor::system(),
                            AuditAction::SignInThrottled,
                            origin,
                            |e| {
                                e.about("user", user.id.as_uuid())
                                    .with("failures", &next.failures.to_string())
                                    .with("blocked_seconds", &blocked.retry_after_seconds(now).to_string())
                            },
                        )
                        .await?;
                        // One notice per account and hour, however many networks are blocked.
                        let hour = now.timestamp() / 3600;
                        crate::access::services::enqueue(
                            uow.as_ref(),
                            self.clock.as_ref(),
                            self.ids.as_ref(),
                            user.tenant_id,
                            Effect::SendAccountEmail {
                                user_id: user.id,
                                email: AccountEmail::SignInThrottled,
                            },
                            format!("sign-in-throttled:{}:{hour}", user.id),
                        )
                        .await?;
                    }
                }
                uow.commit().await?;
                Err(LoginError::InvalidCredentials)
            }
        }
    }

    /// Resolves a bearer token (a session's or an API token) to the acting principal.
    ///
    /// # Errors
    /// [`AuthenticateError::InvalidToken`] for unknown, expired or revoked tokens.
    pub async fn authenticate(&self, token: &SecretToken) -> Result<Authenticated, AuthenticateError> {
        if token.expose().starts_with(API_TOKEN_PREFIX) {
            return self.authenticate_api_token(token).await;
        }
        let now = self.clock.now();
        let uow = self.store.begin().await?;
        let session = uow
            .sessions()
            .find_active(&token.digest(), now, now - self.policy.session_idle_timeout)
            .await?
            .ok_or(AuthenticateError::InvalidToken)?;
        let user = uow
            .users()
            .get(session.tenant_id, session.user_id)
            .await?
            .ok_or(AuthenticateError::InvalidToken)?;
        let account_closed = closed(uow.as_ref(), user.tenant_id).await?;
        if now - session.last_seen_at >= TOUCH_EVERY {
            uow.sessions().touch(session.tenant_id, session.id, now).await?;
            uow.commit().await?;
        }
        Ok(Authenticated {
            principal: principal_of(&user),
            credential: Credential::Session(session.id),
            account_closed,
        })
    }

    async fn authenticate_api_token(&self, token: &SecretToken) -> Result<Authenticated, AuthenticateError> {
        let now = self.clock.now();
        let uow = self.store.begin().await?;
        let api_token: ApiToken = uow
            .api_tokens()
            .find_active(&token.digest())
            .await?
            .ok_or(AuthenticateError::InvalidToken)?;
        let user = uow
            .users()
            .get(api_token.tenant_id, api_token.user_id)
            .await?
            .ok_or(AuthenticateError::InvalidToken)?;
        let account_closed = closed(uow.as_ref(), user.tenant_id).await?;
        if api_token.last_used_at.is_none_or(|at| now - at >= TOUCH_EVERY) {
            uow.api_tokens().touch(api_token.tenant_id, api_token.id, now).await?;
            uow.commit().await?;
        }
        Ok(Authenticated {
            principal: Principal {
                user_id: user.id,
                tenant_id: user.tenant_id,
                role: api_token.effective_role(user.role),
            },
            credential: Credential::ApiToken(api_token.id),
            account_closed,
        })
    }

    /// Ends the session in use; its token stops working at once.
    ///
    /// # Errors
    /// [`LogoutError::NotASession`] for API tokens.
    pub async fn logout(&self, who: &Authenticated, origin: &RequestOrigin) -> Result<(), LogoutError> {
        let Credential::Session(session) = who.credential else {
            return Err(LogoutError::NotASession);
        };
        let uow = self.store.begin().await?;
        uow.sessions().delete(who.principal.tenant_id, session).await?;
        record(
            uow.as_ref(),
            self.clock.as_ref(),
            self.ids.as_ref(),
            who.principal.tenant_id,
            who.actor(),
            AuditAction::SignedOut,
            origin,
            |e| e,
        )
        .await?;
        uow.commit().await?;
        Ok(())
    }

    /// Changes the signed-in user's password after checking the current
    /// one, ends every session of the user and opens a new one.
    ///
    /// # Errors
    /// See [`ChangePasswordError`].
    pub async fn change_password(
        &self,
        who: &Authenticated,
        current: Password,
        new: String,
        origin: &RequestOrigin,
    ) -> Result<NewSession, ChangePasswordError> {
        if !matches!(who.credential, Credential::Session(_)) {
            return Err(ChangePasswordError::SessionRequired);
        }
        let new = Password::new_secret(new).map_err(ChangePasswordError::Weak)?;
        let principal = who.principal;
        let (user, hash) = user_and_hash(self.store.as_ref(), &principal)
            .await?
            .ok_or(ChangePasswordError::UserGone)?;
        if !hash.is_usable() || !self.passwords.verify(&current, &hash).await? {
            return Err(ChangePasswordError::WrongPassword);
        }
        let new_hash = self.passwords.hash(&new).await?;
        let uow = self.store.begin().await?;
        if !uow.users().set_password(user.tenant_id, user.id, &new_hash).await? {
            return Err(ChangePasswordError::UserGone);
        }
        uow.sessions().delete_for_user(user.tenant_id, user.id, None).await?;
        let session = self.open_session(uow.as_ref(), &user).await?;
        record(
            uow.as_ref(),
            self.clock.as_ref(),
            self.ids.as_ref(),
            user.tenant_id,
            who.actor(),
            AuditAction::PasswordChanged,
            origin,
            |e| e.about("user", user.id.as_uuid()),
        )
        .await?;
        uow.commit().await?;
        Ok(session)
    }

    /// Whether `password` is the acting user's own, for confirming an
    /// irreversible action such as closing the account; `false` too once
    /// the user is gone or has no password (Google only).
    ///
    /// # Errors
    /// [`Unexpected`] when storage or hashing fails.
    pub async fn confirm_password(&self, principal: &Principal, password: &Password) -> Result<bool, Unexpected> {
        let Some((_, hash)) = user_and_hash(self.store.as_ref(), principal).await? else {
            return Ok(false);
        };
        Ok(hash.is_usable() && self.passwords.verify(password, &hash).await?)
    }

    /// Opens a new session for `user` inside `uow`.
    pub(in crate::access::services) async fn open_session(
        &self,
        uow: &dyn AccessUnit,
        user: &User,
    ) -> Result<NewSession, Unexpected> {
        let now = self.clock.now();
        let token = self.tokens.secret_token();
        let session = Session {
            id: SessionId::from_uuid(self.ids.new_uuid()),
            tenant_id: user.tenant_id,
            user_id: user.id,
            token_digest: token.digest(),
            created_at: now,
            expires_at: now + self.policy.session_lifetime,
            last_seen_at: now,
        };
        uow.sessions().insert(&session).await?;
        Ok(NewSession { token, session })
    }

    /// Queues an account email for `user`; at most one per user, kind and minute.
    pub(in crate::access::services) async fn enqueue_account_email(
        &self,
        uow: &dyn AccessUnit,
        user: &User,
        email: AccountEmail,
    ) -> Result<bool, Unexpected> {
        let minute = self.clock.now().timestamp() / 60;
        Ok(crate::access::services::enqueue(
            uow,
            self.clock.as_ref(),
            self.ids.as_ref(),
            user.tenant_id,
            Effect::SendAccountEmail {
                user_id: user.id,
                email,
            },
            format!("account-email:{}:{email:?}:{minute}", user.id),
        )
        .await?)
    }
}

/// Whether the tenant's account is closed.
async fn closed(uow: &dyn AccessUnit, tenant: crate::TenantId) -> Result<bool, Unexpected> {
    Ok(crate::access::services::organization(uow, tenant)
        .await?
        .closure
        .is_some())
}

/// The principal a user acts as.
pub(super) fn principal_of(user: &User) -> Principal {
    Principal {
        user_id: user.id,
        tenant_id: user.tenant_id,
        role: user.role,
    }
}

/// The signed-in user and their password hash; `None` once the user is gone.
async fn user_and_hash(
    store: &dyn AccessStore,
    principal: &Principal,
) -> Result<Option<(User, PasswordHash)>, RepositoryError> {
    let uow = store.begin().await?;
    let Some(user) = uow.users().get(principal.tenant_id, principal.user_id).await? else {
        return Ok(None);
    };
    let hash = uow
        .users()
        .find_credentials(&user.email.normalized())
        .await?
        .map(|(_, hash)| hash);
    Ok(hash.map(|hash| (user, hash)))
}
