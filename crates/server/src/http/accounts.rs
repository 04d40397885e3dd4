//! Sign-up, sessions and "who am I".

use std::sync::Arc;

use chrono::{DateTime, Utc};
use fakturo_domain::access::ports::Password;
use fakturo_domain::access::services::accounts::{Me, NewSession, ProfileChanges, SignupFields};
use fakturo_domain::access::user::User;
use fakturo_domain::tenancy::Organization;
use poem::web::cookie::CookieJar;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, Object, OpenApi};
use uuid::Uuid;

use super::auth::{Auth, ClientAddress};
use super::problem::{ApiError, weak_password};
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
pub(super) struct UserView {
    id: Uuid,
    email: String,
    name: String,
    /// `owner`, `admin`, `member` or `accountant`.
    role: String,
    /// Whether the user confirmed their email address.
    email_verified: bool,
    created_at: DateTime<Utc>,
}

/// An organization (tenant).
#[derive(Object)]
pub(super) struct OrganizationView {
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
    /// Set while the account is closed: when its data will be purged.
    purge_after: Option<DateTime<Utc>>,
    /// The seller's details invoices print.
    profile: OrganizationProfileView,
}

/// The seller's details invoices and e-invoices print.
#[derive(Object)]
pub(super) struct OrganizationProfileView {
    /// Street and number.
    address: Option<String>,
    postcode: Option<String>,
    city: Option<String>,
    /// VAT identifier, such as `DE123456789`.
    vat_id: Option<String>,
    /// The address clients write to (also the seller's electronic address on e-invoices).
    email: Option<String>,
    phone: Option<String>,
    /// The account invoices are paid to.
    iban: Option<String>,
    bic: Option<String>,
}

/// The result of a sign-up.
#[derive(Object)]
pub(super) struct SignupResponse {
    pub(super) user: UserView,
    pub(super) organization: OrganizationView,
    /// A bearer token for the new owner, shown once (also set as the `fakturo_session` cookie).
    pub(super) token: String,
    /// When the token stops working.
    pub(super) expires_at: DateTime<Utc>,
    /// The anti-CSRF token for cookie requests (also the `fakturo_csrf` cookie).
    pub(super) csrf_token: String,
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
pub(super) struct SessionResponse {
    /// The bearer token, shown once (also set as the `fakturo_session` cookie).
    token: String,
    /// When it stops working, however active; unused sessions end sooner.
    expires_at: DateTime<Utc>,
    /// The anti-CSRF token for cookie requests (also the `fakturo_csrf` cookie).
    csrf_token: String,
}

impl SessionResponse {
    /// The response body of a new session.
    pub(super) fn of(session: &NewSession) -> Self {
        Self {
            token: session.token.expose().to_owned(),
            expires_at: session.session.expires_at,
            csrf_token: session.token.csrf_token(),
        }
    }
}

/// A password change.
#[derive(Object)]
#[oai(deny_unknown_fields)]
struct PasswordChange {
    /// The password in use now.
    #[oai(write_only)]
    current_password: String,
    /// 8 to 128 characters, not one of the most common passwords.
    #[oai(write_only)]
    new_password: String,
}

/// Changes to one's own account; absent fields stay as they are.
#[derive(Object)]
#[oai(deny_unknown_fields)]
struct ProfilePatch {
    /// A new display name, 1 to 200 characters.
    name: Option<String>,
    /// A new email address: the account keeps its address until a link
    /// sent to the new one is followed; the old address is told.
    email: Option<String>,
}

/// The account after the change.
#[derive(Object)]
struct ProfileUpdated {
    #[oai(flatten)]
    me: MeResponse,
    /// Where a confirmation link went, when a new address was asked for;
    /// `null` otherwise.
    pending_email: Option<String>,
}

/// The signed-in user.
#[derive(Object)]
struct MeResponse {
    user: UserView,
    organization: OrganizationView,
    /// The user's role in the organization.
    role: String,
    /// The privacy policy in force and whether the user accepted it.
    privacy_policy: MePolicyStatus,
}

/// The privacy policy in force, for the signed-in user.
#[derive(Object)]
struct MePolicyStatus {
    /// The version in force.
    version: String,
    /// When it took effect.
    effective_at: DateTime<Utc>,
    /// Whether the user accepted this version (else ask them to, with
    /// `POST /api/v1/me/policy-acceptances`).
    accepted: bool,
    /// When they accepted it.
    accepted_at: Option<DateTime<Utc>>,
}

#[derive(ApiResponse)]
pub(super) enum SignupCreated {
    /// The organization, its owner and a session.
    #[oai(status = 201)]
    Created(Json<SignupResponse>),
}

#[derive(ApiResponse)]
pub(super) enum SessionCreated {
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

pub(super) fn user_view(user: &User) -> UserView {
    UserView {
        id: user.id.as_uuid(),
        email: user.email.to_string(),
        name: user.name.clone(),
        role: user.role.as_str().to_owned(),
        email_verified: user.email_verified_at.is_some(),
        created_at: user.created_at,
    }
}

pub(super) fn organization_view(org: &Organization) -> OrganizationView {
    OrganizationView {
        id: org.id.as_uuid(),
        name: org.name.clone(),
        country: org.country.code().to_owned(),
        default_currency: org.default_currency.code().to_owned(),
        time_zone: org.time_zone.name().to_owned(),
        invoice_number_pattern: org.invoice_number_pattern.as_str().to_owned(),
        default_payment_terms_days: org.default_payment_terms_days,
        created_at: org.created_at,
        purge_after: org.closure.map(|c| c.purge_after),
        profile: OrganizationProfileView {
            address: org.profile.address.clone(),
            postcode: org.profile.postcode.clone(),
            city: org.profile.city.clone(),
            vat_id: org.profile.vat_id.clone(),
            email: org.profile.email.clone(),
            phone: org.profile.phone.clone(),
            iban: org.profile.iban.clone(),
            bic: org.profile.bic.clone(),
        },
    }
}

#[OpenApi(prefix_path = "/api/v1", tag = "ApiTags::Accounts")]
impl AccountsApi {
    /// Create an organization and its owner, and sign the owner in.
    #[oai(path = "/signup", method = "post", operation_id = "signup")]
    async fn signup(&self, jar: &CookieJar, body: Json<SignupRequest>) -> Result<SignupCreated, ApiError> {
        let request = body.0;
        let password = Password::new_secret(request.password).map_err(|error| weak_password("password", error))?;
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
        self.state.set_session_cookies(jar, &signed_up.session);
        Ok(SignupCreated::Created(Json(SignupResponse {
            user: user_view(&signed_up.user),
            organization: organization_view(&signed_up.organization),
            token: signed_up.session.token.expose().to_owned(),
            expires_at: signed_up.session.session.expires_at,
            csrf_token: signed_up.session.token.csrf_token(),
        })))
    }

    /// Sign in with email and password.
    #[oai(path = "/sessions", method = "post", operation_id = "create_session")]
    async fn create_session(
        &self,
        address: ClientAddress,
        jar: &CookieJar,
        body: Json<SessionRequest>,
    ) -> Result<SessionCreated, ApiError> {
        let request = body.0;
        let session = self
            .state
            .services
            .accounts
            .login(&request.email, Password::presented(request.password), &address.origin())
            .await?;
        self.state.set_session_cookies(jar, &session);
        Ok(SessionCreated::Created(Json(SessionResponse::of(&session))))
    }

    /// Sign out: the token in use stops working at once.
    #[oai(
        path = "/sessions/current",
        method = "delete",
        operation_id = "delete_current_session"
    )]
    async fn delete_current_session(
        &self,
        auth: Auth,
        address: ClientAddress,
        jar: &CookieJar,
    ) -> Result<SessionEnded, ApiError> {
        let who = self.state.authenticate_even_if_closed(auth).await?;
        self.state.services.accounts.logout(&who, &address.origin()).await?;
        self.state.clear_session_cookies(jar);
        Ok(SessionEnded::Ended)
    }

    /// Change the password: every session of the user ends and a new one
    /// is returned.
    #[oai(path = "/me/password", method = "put", operation_id = "change_password")]
    async fn change_password(
        &self,
        auth: Auth,
        address: ClientAddress,
        jar: &CookieJar,
        body: Json<PasswordChange>,
    ) -> Result<Json<SessionResponse>, ApiError> {
        let who = self.state.authenticate(auth).await?;
        let request = body.0;
        let session = self
            .state
            .services
            .accounts
            .change_password(
                &who,
                Password::presented(request.current_password),
                request.new_password,
                &address.origin(),
            )
            .await?;
        self.state.set_session_cookies(jar, &session);
        Ok(Json(SessionResponse::of(&session)))
    }

    /// The signed-in user, their organization and role.
    #[oai(path = "/me", method = "get", operation_id = "me")]
    async fn me(&self, auth: Auth) -> Result<Json<MeResponse>, ApiError> {
        let who = self.state.authenticate_even_if_closed(auth).await?;
        let me = self.state.services.accounts.me(&who.principal).await?;
        Ok(Json(me_response(me)))
    }

    /// Correct one's own account: the name changes at once; a new email
    /// address only once the link sent to it is followed (the old address
    /// is told). 409 `email_taken` when another account uses it.
    #[oai(path = "/me", method = "patch", operation_id = "update_me")]
    async fn update_me(
        &self,
        auth: Auth,
        address: ClientAddress,
        body: Json<ProfilePatch>,
    ) -> Result<Json<ProfileUpdated>, ApiError> {
        let who = self.state.authenticate(auth).await?;
        let changes = ProfileChanges {
            name: body.0.name,
            email: body.0.email,
        };
        let changed = self
            .state
            .services
            .accounts
            .update_profile(&who, changes, &address.origin())
            .await?;
        Ok(Json(ProfileUpdated {
            me: me_response(changed.me),
            pending_email: changed.pending_email.map(|email| email.as_str().to_owned()),
        }))
    }
}

fn me_response(me: Me) -> MeResponse {
    MeResponse {
        role: me.user.role.as_str().to_owned(),
        user: user_view(&me.user),
        organization: organization_view(&me.organization),
        privacy_policy: MePolicyStatus {
            version: me.privacy_policy.version,
            effective_at: me.privacy_policy.effective_at,
            accepted: me.privacy_policy_accepted_at.is_some(),
            accepted_at: me.privacy_policy_accepted_at,
        },
    }
}
