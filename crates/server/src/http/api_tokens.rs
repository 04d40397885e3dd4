//! Personal API tokens: create (shown once), list, revoke.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use fakturo_domain::ApiTokenId;
use fakturo_domain::access::api_tokens::{API_TOKEN_PREFIX, ApiToken};
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, Object, OpenApi};
use uuid::Uuid;

use super::auth::{Auth, ClientAddress};
use super::pagination::page_request;
use super::problem::ApiError;
use super::{ApiTags, AppState};

pub struct ApiTokensApi {
    state: Arc<AppState>,
}

impl ApiTokensApi {
    pub fn new(state: Arc<AppState>) -> Self {
        Self { state }
    }
}

/// A new API token.
#[derive(Object)]
#[oai(deny_unknown_fields)]
struct ApiTokenCreate {
    /// A label, such as `Accounting export`.
    name: String,
    /// The most the token may do; not above your own role (default: your role).
    role: Option<String>,
}

/// An API token (without its secret).
#[derive(Object)]
struct ApiTokenView {
    id: Uuid,
    name: String,
    role: String,
    /// The start of the token, to tell tokens apart: `fkt_AbCdEf…`.
    hint: String,
    /// The user the token acts for.
    user_id: Uuid,
    created_at: DateTime<Utc>,
    last_used_at: Option<DateTime<Utc>>,
    revoked_at: Option<DateTime<Utc>>,
}

/// A created token and its secret, shown this once.
#[derive(Object)]
struct ApiTokenCreated {
    id: Uuid,
    /// Use as `Authorization: Bearer <token>`. It is not shown again.
    token: String,
    name: String,
    role: String,
    created_at: DateTime<Utc>,
}

/// A page of tokens, newest first.
#[derive(Object)]
struct ApiTokenList {
    data: Vec<ApiTokenView>,
    next_cursor: Option<String>,
}

#[derive(ApiResponse)]
enum Created {
    /// The token, with its secret shown once.
    #[oai(status = 201)]
    Created(Json<ApiTokenCreated>),
}

#[derive(ApiResponse)]
enum Revoked {
    /// The token no longer works.
    #[oai(status = 204)]
    Revoked,
}

fn view(token: &ApiToken) -> ApiTokenView {
    ApiTokenView {
        id: token.id.as_uuid(),
        name: token.name.clone(),
        role: token.role.as_str().to_owned(),
        hint: format!("{API_TOKEN_PREFIX}{}…", token.hint),
        user_id: token.user_id.as_uuid(),
        created_at: token.created_at,
        last_used_at: token.last_used_at,
        revoked_at: token.revoked_at,
    }
}

#[OpenApi(prefix_path = "/api/v1", tag = "ApiTags::Accounts")]
impl ApiTokensApi {
    /// Create a personal API token for yourself.
    #[oai(path = "/api-tokens", method = "post", operation_id = "create_api_token")]
    async fn create(
        &self,
        auth: Auth,
        address: ClientAddress,
        body: Json<ApiTokenCreate>,
    ) -> Result<Created, ApiError> {
        let who = self.state.authenticate(auth).await?;
        let request = body.0;
        let created = self
            .state
            .services
            .api_tokens
            .create(&who, &request.name, request.role.as_deref(), &address.origin())
            .await?;
        Ok(Created::Created(Json(ApiTokenCreated {
            id: created.token.id.as_uuid(),
            token: created.secret.expose().to_owned(),
            name: created.token.name,
            role: created.token.role.as_str().to_owned(),
            created_at: created.token.created_at,
        })))
    }

    /// Your API tokens (owners and admins: everyone's).
    #[oai(path = "/api-tokens", method = "get", operation_id = "list_api_tokens")]
    async fn list(
        &self,
        auth: Auth,
        /// Page size, 1 to 100 (default 50).
        #[oai(validator(minimum(value = "1"), maximum(value = "100")))]
        limit: Query<Option<u32>>,
        /// The `next_cursor` of the previous page.
        cursor: Query<Option<String>>,
    ) -> Result<Json<ApiTokenList>, ApiError> {
        let who = self.state.authenticate(auth).await?;
        let page = page_request(limit.0, cursor.0.as_deref())?;
        let found = self.state.services.api_tokens.list(&who.principal, page).await?;
        Ok(Json(ApiTokenList {
            data: found.items.iter().map(view).collect(),
            next_cursor: found.next_cursor,
        }))
    }

    /// Revoke an API token: it stops working at once.
    #[oai(path = "/api-tokens/:id", method = "delete", operation_id = "revoke_api_token")]
    async fn revoke(&self, auth: Auth, address: ClientAddress, id: Path<Uuid>) -> Result<Revoked, ApiError> {
        let who = self.state.authenticate(auth).await?;
        self.state
            .services
            .api_tokens
            .revoke(&who, ApiTokenId::from_uuid(id.0), &address.origin())
            .await?;
        Ok(Revoked::Revoked)
    }
}
