//! Emailed links: magic sign-in links, password resets and email
//! verification. Requests for a link answer 202 whether or not the address
//! has an account.

use std::sync::Arc;

use poem::web::cookie::CookieJar;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, Object, OpenApi};

use super::accounts::{SessionCreated, SessionResponse};
use super::auth::{Auth, ClientAddress};
use super::problem::ApiError;
use super::{ApiTags, AppState};

pub struct LinksApi {
    state: Arc<AppState>,
}

impl LinksApi {
    pub fn new(state: Arc<AppState>) -> Self {
        Self { state }
    }
}

/// An address to send a link to.
#[derive(Object)]
#[oai(deny_unknown_fields)]
struct LinkRequest {
    /// The account's email address.
    email: String,
}

/// A token from an emailed link.
#[derive(Object)]
#[oai(deny_unknown_fields)]
struct TokenBody {
    /// The `token` of the link.
    #[oai(write_only)]
    token: String,
}

/// A new password with a reset link's token.
#[derive(Object)]
#[oai(deny_unknown_fields)]
struct PasswordResetCompletion {
    /// The `token` of the reset link.
    #[oai(write_only)]
    token: String,
    /// 8 to 128 characters, not one of the most common passwords.
    #[oai(write_only)]
    new_password: String,
}

#[derive(ApiResponse)]
enum Accepted {
    /// If the address has an account, a link is on its way.
    #[oai(status = 202)]
    Accepted,
}

#[derive(ApiResponse)]
enum Done {
    /// Done.
    #[oai(status = 204)]
    Done,
}

#[OpenApi(prefix_path = "/api/v1", tag = "ApiTags::Accounts")]
impl LinksApi {
    /// Email a magic sign-in link (valid 15 minutes, once). Always 202, so
    /// nobody learns whether an address has an account.
    #[oai(path = "/login-links", method = "post", operation_id = "request_login_link")]
    async fn request_login_link(&self, body: Json<LinkRequest>) -> Result<Accepted, ApiError> {
        self.state.services.accounts.request_login_link(&body.0.email).await?;
        Ok(Accepted::Accepted)
    }

    /// Sign in with a magic link's token. A used or expired link answers 410.
    #[oai(path = "/login-links/redeem", method = "post", operation_id = "redeem_login_link")]
    async fn redeem_login_link(
        &self,
        address: ClientAddress,
        jar: &CookieJar,
        body: Json<TokenBody>,
    ) -> Result<SessionCreated, ApiError> {
        let session = self
            .state
            .services
            .accounts
            .redeem_login_link(&body.0.token, &address.origin())
            .await?;
        self.state.set_session_cookies(jar, &session);
        Ok(SessionCreated::Created(Json(SessionResponse::of(&session))))
    }

    /// Email a password reset link (valid 15 minutes, once). Always 202.
    #[oai(path = "/password-resets", method = "post", operation_id = "request_password_reset")]
    async fn request_password_reset(&self, body: Json<LinkRequest>) -> Result<Accepted, ApiError> {
        self.state
            .services
            .accounts
            .request_password_reset(&body.0.email)
            .await?;
        Ok(Accepted::Accepted)
    }

    /// Set a new password with a reset link's token. Every session of the
    /// user ends; sign in again with the new password.
    #[oai(
        path = "/password-resets/complete",
        method = "post",
        operation_id = "complete_password_reset"
    )]
    async fn complete_password_reset(
        &self,
        address: ClientAddress,
        body: Json<PasswordResetCompletion>,
    ) -> Result<Done, ApiError> {
        let request = body.0;
        self.state
            .services
            .accounts
            .complete_password_reset(&request.token, request.new_password, &address.origin())
            .await?;
        Ok(Done::Done)
    }

    /// Email the signed-in user a link that confirms their address (valid two days).
    #[oai(
        path = "/email-verifications",
        method = "post",
        operation_id = "request_email_verification"
    )]
    async fn request_email_verification(&self, auth: Auth) -> Result<Accepted, ApiError> {
        let who = self.state.authenticate(auth).await?;
        self.state.services.accounts.request_email_verification(&who).await?;
        Ok(Accepted::Accepted)
    }

    /// Confirm an email address with a verification link's token.
    #[oai(
        path = "/email-verifications/confirm",
        method = "post",
        operation_id = "confirm_email_verification"
    )]
    async fn confirm_email(&self, address: ClientAddress, body: Json<TokenBody>) -> Result<Done, ApiError> {
        self.state
            .services
            .accounts
            .confirm_email(&body.0.token, &address.origin())
            .await?;
        Ok(Done::Done)
    }
}
