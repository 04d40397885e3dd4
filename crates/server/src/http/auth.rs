//! Bearer authentication: the token names a server-side session, resolved
//! on every request (so revocation takes effect at once).

use fakturo_domain::services::accounts::Authenticated;
use fakturo_domain::session::SecretToken;
use poem_openapi::SecurityScheme;
use poem_openapi::auth::Bearer;

use super::AppState;
use super::problem::ApiError;

/// `Authorization: Bearer <token>` with a session token from `POST /api/v1/sessions` or sign-up.
#[derive(SecurityScheme)]
#[oai(ty = "bearer", bearer_format = "opaque")]
pub struct BearerAuth(Bearer);

impl AppState {
    /// Resolves the bearer token to the acting user.
    ///
    /// # Errors
    /// 401 `unauthenticated` for unknown, expired or revoked tokens.
    pub async fn authenticate(&self, auth: BearerAuth) -> Result<Authenticated, ApiError> {
        let token = SecretToken::new(auth.0.token);
        Ok(self.services.accounts.authenticate(&token).await?)
    }
}
