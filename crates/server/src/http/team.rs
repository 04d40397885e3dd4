//! The team: users, roles, invitations and joining by invitation.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use fakturo_domain::access::services::team::AcceptFields;
use fakturo_domain::access::team::Invitation;
use fakturo_domain::access::user::Role;
use fakturo_domain::kernel::validation::ValidationErrors;
use fakturo_domain::{InvitationId, UserId};
use poem::http::StatusCode;
use poem::web::cookie::CookieJar;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, Object, OpenApi};
use uuid::Uuid;

use super::accounts::{SignupCreated, SignupResponse, UserView, organization_view, user_view};
use super::auth::{Auth, ClientAddress};
use super::pagination::page_request;
use super::problem::ApiError;
use super::{ApiTags, AppState};

pub struct TeamApi {
    state: Arc<AppState>,
}

impl TeamApi {
    pub fn new(state: Arc<AppState>) -> Self {
        Self { state }
    }
}

/// A new invitation.
#[derive(Object)]
#[oai(deny_unknown_fields)]
struct InvitationCreate {
    /// Where the invitation goes.
    email: String,
    /// `owner`, `admin`, `member` or `accountant`; not above your own.
    role: String,
}

/// An invitation.
#[derive(Object)]
struct InvitationView {
    id: Uuid,
    email: String,
    role: String,
    /// `pending`, `accepted`, `revoked` or `expired`.
    status: String,
    invited_by: Uuid,
    created_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
}

/// A page of invitations, newest first.
#[derive(Object)]
struct InvitationList {
    data: Vec<InvitationView>,
    next_cursor: Option<String>,
}

/// A page of users, newest first.
#[derive(Object)]
struct UserList {
    data: Vec<UserView>,
    next_cursor: Option<String>,
}

/// Joining an organization with an invitation link.
#[derive(Object)]
#[oai(deny_unknown_fields)]
struct InvitationAcceptance {
    /// The `token` of the invitation link.
    #[oai(write_only)]
    token: String,
    /// Your name.
    name: String,
    /// 8 to 128 characters, not one of the most common passwords.
    #[oai(write_only)]
    password: String,
    /// The current privacy policy version.
    accept_policy_version: String,
    /// Must be `true`: you confirm the deployment's minimum age.
    confirm_minimum_age: bool,
}

/// A role change.
#[derive(Object)]
#[oai(deny_unknown_fields)]
struct UserPatch {
    /// The new role.
    role: String,
}

#[derive(ApiResponse)]
enum InvitationCreated {
    /// The invitation; the link is emailed.
    #[oai(status = 201)]
    Created(Json<InvitationView>),
}

#[derive(ApiResponse)]
enum Removed {
    /// Done.
    #[oai(status = 204)]
    Removed,
}

impl AppState {
    fn invitation_view(&self, invitation: &Invitation) -> InvitationView {
        let now = fakturo_domain::kernel::clock::Clock::now(self.clock.as_ref());
        InvitationView {
            id: invitation.id.as_uuid(),
            email: invitation.email.to_string(),
            role: invitation.role.as_str().to_owned(),
            status: invitation.status(now).as_str().to_owned(),
            invited_by: invitation.invited_by.as_uuid(),
            created_at: invitation.created_at,
            expires_at: invitation.expires_at,
        }
    }
}

#[OpenApi(prefix_path = "/api/v1", tag = "ApiTags::Team")]
impl TeamApi {
    /// Invite someone to the organization (owners and admins); the link is
    /// emailed and works for seven days, once. Beyond the plan's users: 402
    /// `plan_limit_reached`.
    #[oai(path = "/users/invitations", method = "post", operation_id = "create_invitation")]
    async fn invite(
        &self,
        auth: Auth,
        address: ClientAddress,
        body: Json<InvitationCreate>,
    ) -> Result<InvitationCreated, ApiError> {
        let who = self.state.authenticate(auth).await?;
        if who.principal.manager("invite users").is_ok() {
            // The plan's users (402 `plan_limit_reached`); roles are checked by the service.
            let need = fakturo_domain::billing::Need::User;
            self.state
                .services
                .billing
                .require(who.principal.tenant_id, need)
                .await?;
        }
        let request = body.0;
        let invitation = self
            .state
            .services
            .team
            .invite(&who, &request.email, &request.role, &address.origin())
            .await?;
        Ok(InvitationCreated::Created(Json(
            self.state.invitation_view(&invitation),
        )))
    }

    /// List invitations (owners and admins).
    #[oai(path = "/users/invitations", method = "get", operation_id = "list_invitations")]
    async fn invitations(
        &self,
        auth: Auth,
        /// Page size, 1 to 100 (default 50).
        #[oai(validator(minimum(value = "1"), maximum(value = "100")))]
        limit: Query<Option<u32>>,
        /// The `next_cursor` of the previous page.
        cursor: Query<Option<String>>,
    ) -> Result<Json<InvitationList>, ApiError> {
        let who = self.state.authenticate(auth).await?;
        let page = page_request(limit.0, cursor.0.as_deref())?;
        let found = self.state.services.team.invitations(&who.principal, page).await?;
        Ok(Json(InvitationList {
            data: found.items.iter().map(|i| self.state.invitation_view(i)).collect(),
            next_cursor: found.next_cursor,
        }))
    }

    /// Revoke a pending invitation (owners and admins).
    #[oai(
        path = "/users/invitations/:id",
        method = "delete",
        operation_id = "revoke_invitation"
    )]
    async fn revoke_invitation(&self, auth: Auth, address: ClientAddress, id: Path<Uuid>) -> Result<Removed, ApiError> {
        let who = self.state.authenticate(auth).await?;
        self.state
            .services
            .team
            .revoke_invitation(&who, InvitationId::from_uuid(id.0), &address.origin())
            .await?;
        Ok(Removed::Removed)
    }

    /// Join an organization with an invitation link's token; signs the new user in.
    #[oai(path = "/invitations/accept", method = "post", operation_id = "accept_invitation")]
    async fn accept(
        &self,
        address: ClientAddress,
        jar: &CookieJar,
        body: Json<InvitationAcceptance>,
    ) -> Result<SignupCreated, ApiError> {
        let request = body.0;
        let joined = self
            .state
            .services
            .team
            .accept(
                AcceptFields {
                    token: request.token,
                    name: request.name,
                    password: request.password,
                    accept_policy_version: request.accept_policy_version,
                    confirm_minimum_age: request.confirm_minimum_age,
                },
                &address.origin(),
            )
            .await?;
        self.state.set_session_cookies(jar, &joined.session);
        Ok(SignupCreated::Created(Json(SignupResponse {
            user: user_view(&joined.user),
            organization: organization_view(&joined.organization),
            token: joined.session.token.expose().to_owned(),
            expires_at: joined.session.session.expires_at,
            csrf_token: joined.session.token.csrf_token(),
        })))
    }

    /// The organization's users.
    #[oai(path = "/users", method = "get", operation_id = "list_users")]
    async fn users(
        &self,
        auth: Auth,
        /// Page size, 1 to 100 (default 50).
        #[oai(validator(minimum(value = "1"), maximum(value = "100")))]
        limit: Query<Option<u32>>,
        /// The `next_cursor` of the previous page.
        cursor: Query<Option<String>>,
    ) -> Result<Json<UserList>, ApiError> {
        let who = self.state.authenticate(auth).await?;
        let page = page_request(limit.0, cursor.0.as_deref())?;
        let found = self.state.services.team.users(&who.principal, page).await?;
        Ok(Json(UserList {
            data: found.items.iter().map(user_view).collect(),
            next_cursor: found.next_cursor,
        }))
    }

    /// Change a user's role (owners and admins; never above your own).
    #[oai(path = "/users/:id", method = "patch", operation_id = "update_user")]
    async fn update_user(
        &self,
        auth: Auth,
        address: ClientAddress,
        id: Path<Uuid>,
        body: Json<UserPatch>,
    ) -> Result<Json<UserView>, ApiError> {
        let who = self.state.authenticate(auth).await?;
        let role = Role::parse(&body.0.role).ok_or_else(|| {
            ApiError::validation(
                StatusCode::UNPROCESSABLE_ENTITY,
                &ValidationErrors::single("role", "invalid_role", "must be owner, admin, member or accountant"),
            )
        })?;
        let user = self
            .state
            .services
            .team
            .change_role(&who, UserId::from_uuid(id.0), role, &address.origin())
            .await?;
        Ok(Json(user_view(&user)))
    }

    /// Remove a user (owners and admins; anyone may remove themselves). Their
    /// sessions and API tokens stop working at once.
    #[oai(path = "/users/:id", method = "delete", operation_id = "remove_user")]
    async fn remove_user(&self, auth: Auth, address: ClientAddress, id: Path<Uuid>) -> Result<Removed, ApiError> {
        let who = self.state.authenticate(auth).await?;
        self.state
            .services
            .team
            .remove(&who, UserId::from_uuid(id.0), &address.origin())
            .await?;
        Ok(Removed::Removed)
    }
}
