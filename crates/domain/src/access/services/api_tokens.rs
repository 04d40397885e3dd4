//! Personal API tokens: created by any signed-in user for themselves with a
//! role no higher than their own, shown once, revoked by their user or by
//! an owner or admin.

use std::sync::Arc;

use super::audit::record;
use crate::ApiTokenId;
use crate::access::api_tokens::{API_TOKEN_PREFIX, ApiToken};
use crate::access::audit::{AuditAction, RequestOrigin};
use crate::access::ports::AccessStore;
use crate::access::session::Authenticated;
use crate::access::user::{Forbidden, Principal, Role};
use crate::kernel::clock::Clock;
use crate::kernel::errors::{Unexpected, unexpected_from};
use crate::kernel::ids::IdGenerator;
use crate::kernel::pagination::{Page, PageRequest};
use crate::kernel::tokens::SecretToken;
use crate::kernel::tokens::TokenGenerator;
use crate::kernel::validation::{ValidationErrors, required_text};

/// Why a token could not be created.
#[derive(Debug, thiserror::Error)]
pub enum CreateApiTokenError {
    /// Invalid name or a role above the creator's.
    #[error("invalid API token: {0}")]
    Invalid(ValidationErrors),
    /// Storage failed.
    #[error(transparent)]
    Unexpected(Unexpected),
}

/// Why tokens could not be listed or a token revoked.
#[derive(Debug, thiserror::Error)]
pub enum ApiTokenError {
    /// Someone else's token, for a role that does not manage the organization.
    #[error(transparent)]
    Forbidden(#[from] Forbidden),
    /// No such token in the organization.
    #[error("no such API token")]
    NotFound,
    /// Storage failed.
    #[error(transparent)]
    Unexpected(Unexpected),
}

unexpected_from!(CreateApiTokenError, ApiTokenError);

/// A new token and its secret, shown once.
#[derive(Debug)]
pub struct NewApiToken {
    /// The stored token.
    pub token: ApiToken,
    /// The secret to hand to the user.
    pub secret: SecretToken,
}

/// API token use cases.
#[derive(Clone)]
pub struct ApiTokenService {
    store: Arc<dyn AccessStore>,
    clock: Arc<dyn Clock>,
    ids: Arc<dyn IdGenerator>,
    tokens: Arc<dyn TokenGenerator>,
}

impl ApiTokenService {
    /// The service on the access store.
    #[must_use]
    pub fn new(
        store: Arc<dyn AccessStore>,
        clock: Arc<dyn Clock>,
        ids: Arc<dyn IdGenerator>,
        tokens: Arc<dyn TokenGenerator>,
    ) -> Self {
        Self {
            store,
            clock,
            ids,
            tokens,
        }
    }

    /// Creates a token for the signed-in user. `role` defaults to their own.
    ///
    /// # Errors
    /// See [`CreateApiTokenError`].
    pub async fn create(
        &self,
        who: &Authenticated,
        name: &str,
        role: Option<&str>,
        origin: &RequestOrigin,
    ) -> Result<NewApiToken, CreateApiTokenError> {
        let principal = who.principal;
        let mut errors = ValidationErrors::new();
        let name = errors.check("name", required_text(name, 100));
        let role = match role.map(Role::parse) {
            None => Some(principal.role),
            Some(Some(role)) if role.is_at_most(principal.role) => Some(role),
            Some(Some(_)) => {
                errors.add("role", "role_too_high", "cannot be higher than your own role");
                None
            }
            Some(None) => {
                errors.add("role", "invalid_role", "must be owner, admin, member or accountant");
                None
            }
        };
        let (Some(name), Some(role)) = (name, role) else {
            return Err(CreateApiTokenError::Invalid(errors));
        };
        let secret = self.tokens.api_token();
        let hint: String = secret
            .expose()
            .trim_start_matches(API_TOKEN_PREFIX)
            .chars()
            .take(6)
            .collect();
        let token = ApiToken {
            id: ApiTokenId::from_uuid(self.ids.new_uuid()),
            tenant_id: principal.tenant_id,
            user_id: principal.user_id,
            name,
            role,
            token_digest: secret.digest(),
            hint,
            created_at: self.clock.now(),
            last_used_at: None,
            revoked_at: None,
        };
        let uow = self.store.begin().await?;
        uow.api_tokens().insert(&token).await?;
        record(
            uow.as_ref(),
            self.clock.as_ref(),
            self.ids.as_ref(),
            token.tenant_id,
            who.actor(),
            AuditAction::ApiTokenCreated,
            origin,
            |e| e.about("api_token", token.id.as_uuid()).with("role", role.as_str()),
        )
        .await?;
        uow.commit().await?;
        Ok(NewApiToken { token, secret })
    }

    /// The caller's tokens; owners and admins see everyone's.
    ///
    /// # Errors
    /// See [`ApiTokenError`].
    pub async fn list(&self, who: &Principal, page: PageRequest) -> Result<Page<ApiToken>, ApiTokenError> {
        let user = if who.role.can_manage() { None } else { Some(who.user_id) };
        let uow = self.store.begin().await?;
        Ok(uow.api_tokens().list(who.reader().tenant(), user, page).await?)
    }

    /// Revokes a token: it stops working at once.
    ///
    /// # Errors
    /// See [`ApiTokenError`].
    pub async fn revoke(
        &self,
        who: &Authenticated,
        id: ApiTokenId,
        origin: &RequestOrigin,
    ) -> Result<(), ApiTokenError> {
        let principal = who.principal;
        let tenant = principal.reader().tenant();
        let uow = self.store.begin().await?;
        let token = uow.api_tokens().get(tenant, id).await?.ok_or(ApiTokenError::NotFound)?;
        if token.user_id != principal.user_id {
            let manager = principal.manager("revoke other users' API tokens")?;
            let holder = uow.users().get(tenant, token.user_id).await?;
            if holder.is_some_and(|holder| !holder.role.is_at_most(manager.role())) {
                return Err(ApiTokenError::Forbidden(Forbidden {
                    role: manager.role(),
                    action: "revoke the API token of a user with a higher role",
                }));
            }
        }
        if token.revoked_at.is_none() {
            uow.api_tokens().revoke(tenant, id, self.clock.now()).await?;
            record(
                uow.as_ref(),
                self.clock.as_ref(),
                self.ids.as_ref(),
                tenant,
                who.actor(),
                AuditAction::ApiTokenRevoked,
                origin,
                |e| e.about("api_token", id.as_uuid()),
            )
            .await?;
            uow.commit().await?;
        }
        Ok(())
    }
}
