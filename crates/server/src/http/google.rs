//! Sign in (or sign up) with Google. `start` returns the URL to send the
//! browser to; Google redirects back to `callback`, which answers with a
//! session like any sign-in. Off unless `google.enabled` is set.

use std::sync::Arc;

use fakturo_domain::access::services::accounts::ExternalIntent;
use fakturo_domain::kernel::tokens::SecretToken;
use poem::http::StatusCode;
use poem::web::cookie::CookieJar;
use poem_openapi::param::Query;
use poem_openapi::payload::Json;
use poem_openapi::{Object, OpenApi};

use super::accounts::{SessionCreated, SessionResponse};
use super::auth::ClientAddress;
use super::problem::{ApiError, ErrorCode};
use super::{ApiTags, AppState};
use crate::adapters::{GoogleSignIn, OidcError};

/// The associated data under which the external sign-in state is sealed.
const STATE_CONTEXT: &str = "one_time_tokens/external_sign_in";

pub struct GoogleApi {
    state: Arc<AppState>,
}

impl GoogleApi {
    pub fn new(state: Arc<AppState>) -> Self {
        Self { state }
    }
}

/// What the person wants to do with their Google account.
#[derive(Object)]
#[oai(deny_unknown_fields)]
struct GoogleStart {
    /// `sign_in` (an existing account) or `sign_up` (a new organization).
    intent: String,
    /// For `sign_up`: the business's name.
    organization_name: Option<String>,
    /// For `sign_up`: ISO 3166-1 alpha-2 country.
    country: Option<String>,
    /// For `sign_up`: the current privacy policy version.
    accept_policy_version: Option<String>,
    /// For `sign_up`: must be `true`.
    confirm_minimum_age: Option<bool>,
}

/// Where to send the browser.
#[derive(Object)]
struct GoogleRedirect {
    /// Google's authorization URL (valid for ten minutes).
    authorization_url: String,
}

fn provider_error(error: &OidcError) -> ApiError {
    match error {
        OidcError::InvalidToken(_) => {
            tracing::warn!(%error, "a Google ID token was refused");
            ApiError::new(
                ErrorCode::InvalidIdToken,
                "The identity provider's answer did not verify.",
            )
        }
        OidcError::Provider(_) | OidcError::Config { .. } => {
            tracing::error!(%error, "sign-in with Google failed");
            ApiError::new(
                ErrorCode::IdentityProviderUnavailable,
                "Google could not be reached; try again later.",
            )
        }
    }
}

impl GoogleApi {
    fn adapter(&self) -> Result<&GoogleSignIn, ApiError> {
        self.state.google.as_deref().ok_or_else(|| {
            ApiError::new(
                ErrorCode::GoogleSignInDisabled,
                "Sign-in with Google is not enabled on this deployment.",
            )
        })
    }
}

#[OpenApi(prefix_path = "/api/v1", tag = "ApiTags::Accounts")]
impl GoogleApi {
    /// Start signing in (or up) with Google: returns the URL to send the browser to.
    #[oai(path = "/auth/google/start", method = "post", operation_id = "start_google_sign_in")]
    async fn start(&self, body: Json<GoogleStart>) -> Result<Json<GoogleRedirect>, ApiError> {
        let google = self.adapter()?;
        let request = body.0;
        let intent = match request.intent.as_str() {
            "sign_in" => ExternalIntent::SignIn,
            "sign_up" => ExternalIntent::SignUp {
                organization_name: request.organization_name.unwrap_or_default(),
                country: request.country.unwrap_or_default(),
                accept_policy_version: request.accept_policy_version.unwrap_or_default(),
            },
            _ => {
                return Err(ApiError::validation(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    &fakturo_domain::kernel::validation::ValidationErrors::single(
                        "intent",
                        "invalid_intent",
                        "must be sign_in or sign_up",
                    ),
                ));
            }
        };
        let authorization = google.authorization().await.map_err(|e| provider_error(&e))?;
        let sealed = self
            .state
            .secrets
            .seal(&authorization.adapter_state, STATE_CONTEXT)
            .map_err(|e| ApiError::unexpected(&e.into()))?;
        self.state
            .services
            .accounts
            .begin_external_sign_in(
                &SecretToken::new(authorization.state),
                sealed.as_str().to_owned(),
                intent,
                request.confirm_minimum_age.unwrap_or(false),
            )
            .await?;
        Ok(Json(GoogleRedirect {
            authorization_url: authorization.url,
        }))
    }

    /// Where Google sends the browser back: signs in and answers with a session.
    #[oai(
        path = "/auth/google/callback",
        method = "get",
        operation_id = "google_sign_in_callback"
    )]
    async fn callback(
        &self,
        address: ClientAddress,
        jar: &CookieJar,
        /// The authorization code.
        code: Query<Option<String>>,
        /// The state handed out by `start`.
        state: Query<Option<String>>,
        /// Set by Google when the person declined.
        error: Query<Option<String>>,
    ) -> Result<SessionCreated, ApiError> {
        let google = self.adapter()?;
        let (Some(code), Some(state), None) = (code.0, state.0, error.0) else {
            return Err(ApiError::new(
                ErrorCode::SignInCancelled,
                "The sign-in with Google was cancelled or is incomplete.",
            ));
        };
        let accounts = &self.state.services.accounts;
        let (sealed, intent) = accounts.take_external_state(&state).await?;
        let adapter_state = self
            .state
            .secrets
            .open(
                &fakturo_domain::kernel::secrets::SealedSecret::from_stored(sealed),
                STATE_CONTEXT,
            )
            .map_err(|e| ApiError::unexpected(&e.into()))?;
        let identity = google
            .identity(&code, adapter_state.expose())
            .await
            .map_err(|e| provider_error(&e))?;
        let session = accounts.sign_in_external(identity, intent, &address.origin()).await?;
        self.state.set_session_cookies(jar, &session);
        Ok(SessionCreated::Created(Json(SessionResponse::of(&session))))
    }
}
