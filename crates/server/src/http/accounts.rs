//! Sign-up, sessions and "who am I".

use std::sync::Arc;

use chrono::{DateTime, Utc};
use fakturo_domain::ports::Password;
use fakturo_domain::services::accounts::SignupFields;
use fakturo_domain::tenant::Organization;
use fakturo_domain::user::User;
use fakturo_domain::validation::{HasCode, ValidationErrors};
use poem::http::StatusCode;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, Object, OpenApi};
use uuid::Uuid;

use super::auth::BearerAuth;
use super::problem::ApiError;
use super::{ApiTags, AppState};

pub struct AccountsApi {
    state: Arc<AppState>,
}

impl AccountsApi {
    pub fn new(state: Arc<AppState>) -> Self {
        Self { state }
    }
}

/// A new organization and its owner.
#[derive(Object)]
#[oai(deny_unknown_fields)]
struct SignupRequest {
    /// The owner's sign-in email.
    email: String,
    /// 8 to 128 characters.
    #[oai(write_only)]
    password: String,
    /// The owner's name.
    name: String,
    /// The business's name.
    organization_name: String,
    /// ISO 3166-1 alpha-2 country of the business.
    country: String,
    /// The current privacy policy version (see `GET /api/v1/public/policies/current`).
    accept_policy_version: String,
    /// Must be `true`: the user confirms the deployment's minimum age.
    confirm_minimum_age: bool,
}

/// A user.
#[derive(Object)]
struct UserView {
    id: Uuid,
    email: String,
    name: String,
    /// `owner`, `admin`, `member` or `accountant`.
    role: String,
    created_at: DateTime<Utc>,
}

/// An organization (tenant).
#[derive(Object)]
struct OrganizationView {
    id: Uuid,
    name: String,
    /// ISO 3166-1 alpha-2.
    country: String,
    /// ISO 4217.
    default_currency: String,
    /// IANA time zone in which dates are reckoned.
    time_zone: String,
    /// How invoice numbers are formed.
    invoice_number_pattern: String,
    default_payment_terms_days: u32,
    created_at: DateTime<Utc>,
}

/// The result of a sign-up.
#[derive(Object)]
struct SignupResponse {
    user: UserView,
    organization: OrganizationView,
    /// A bearer token for the new owner, shown once.
    token: String,
    /// When the token stops working.
    expires_at: DateTime<Utc>,
}

/// Credentials.
#[derive(Object)]
#[oai(deny_unknown_fields)]
struct SessionRequest {
    email: String,
    #[oai(write_only)]
    password: String,
}

/// A new session.
#[derive(Object)]
struct SessionResponse {
    /// The bearer token, shown once.
    token: String,
    /// When it stops working.
    expires_at: DateTime<Utc>,
}

/// The signed-in user.
#[derive(Object)]
struct MeResponse {
    user: UserView,
    organization: OrganizationView,
    /// The user's role in the organization.
    role: String,
}

#[derive(ApiResponse)]
enum SignupCreated {
    /// The organization, its owner and a session.
    #[oai(status = 201)]
    Created(Json<SignupResponse>),
}

#[derive(ApiResponse)]
enum SessionCreated {
    /// Signed in.
    #[oai(status = 201)]
    Created(Json<SessionResponse>),
}

#[derive(ApiResponse)]
enum SessionEnded {
    /// The token no longer works.
    #[oai(status = 204)]
    Ended,
}

fn user_view(user: &User) -> UserView {
    UserView {
        id: user.id.as_uuid(),
        email: user.email.to_string(),
        name: user.name.clone(),
        role: user.role.as_str().to_owned(),
        created_at: user.created_at,
    }
}

fn organization_view(org: &Organization) -> OrganizationView {
    OrganizationView {
        id: org.id.as_uuid(),
        name: org.name.clone(),
        country: org.country.code().to_owned(),
        default_currency: org.default_currency.code().to_owned(),
        time_zone: org.time_zone.name().to_owned(),
        invoice_number_pattern: org.invoice_number_pattern.as_str().to_owned(),
        default_payment_terms_days: org.default_payment_terms_days,
        created_at: org.created_at,
    }
}

#[OpenApi(prefix_path = "/api/v1", tag = "ApiTags::Accounts")]
impl AccountsApi {
    /// Create an organization and its owner, and sign the owner in.
    #[oai(path = "/signup", method = "post", operation_id = "signup")]
    async fn signup(&self, body: Json<SignupRequest>) -> Result<SignupCreated, ApiError> {
        let request = body.0;
        let password = Password::new_secret(request.password).map_err(|error| {
            let mut errors = ValidationErrors::new();
            errors.add("password", error.code(), error.to_string());
            ApiError::validation(StatusCode::UNPROCESSABLE_ENTITY, &errors)
        })?;
        let signed_up = self
            .state
            .services
            .accounts
            .signup(SignupFields {
                email: request.email,
                password,
                name: request.name,
                organization_name: request.organization_name,
                country: request.country,
                accept_policy_version: request.accept_policy_version,
                confirm_minimum_age: request.confirm_minimum_age,
            })
            .await?;
        Ok(SignupCreated::Created(Json(SignupResponse {
            user: user_view(&signed_up.user),
            organization: organization_view(&signed_up.organization),
            token: signed_up.session.token.expose().to_owned(),
            expires_at: signed_up.session.session.expires_at,
        })))
    }

    /// Sign in with email and password.
    #[oai(path = "/sessions", method = "post", operation_id = "create_session")]
    async fn create_session(&self, body: Json<SessionRequest>) -> Result<SessionCreated, ApiError> {
        let request = body.0;
        let session = self
            .state
            .services
            .accounts
            .login(&request.email, Password::presented(request.password))
            .await?;
        Ok(SessionCreated::Created(Json(SessionResponse {
            token: session.token.expose().to_owned(),
            expires_at: session.session.expires_at,
        })))
    }

    /// Sign out: the token in use stops working at once.
    #[oai(
        path = "/sessions/current",
        method = "delete",
        operation_id = "delete_current_session"
    )]
    async fn delete_current_session(&self, auth: BearerAuth) -> Result<SessionEnded, ApiError> {
        let who = self.state.authenticate(auth).await?;
        self.state.services.accounts.logout(&who).await?;
        Ok(SessionEnded::Ended)
    }

    /// The signed-in user, their organization and role.
    #[oai(path = "/me", method = "get", operation_id = "me")]
    async fn me(&self, auth: BearerAuth) -> Result<Json<MeResponse>, ApiError> {
        let who = self.state.authenticate(auth).await?;
        let (user, organization) = self.state.services.accounts.me(&who.principal).await?;
        Ok(Json(MeResponse {
            role: user.role.as_str().to_owned(),
            user: user_view(&user),
            organization: organization_view(&organization),
        }))
    }
}
