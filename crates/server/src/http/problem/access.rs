//! The problem table of accounts, sessions, links, the team, API tokens,
//! integrations, the audit log and idempotency keys.

use fakturo_domain::access::services::accounts::{AuthenticateError, ChangePasswordError, LoginError, LogoutError};
use fakturo_domain::access::services::accounts::{BeginExternalError, ExternalSignInError};
use fakturo_domain::access::services::accounts::{MeError, SignupError, UpdateProfileError};
use fakturo_domain::access::services::accounts::{RedeemLinkError, RequestLinkError};
use fakturo_domain::access::services::api_tokens::{ApiTokenError, CreateApiTokenError};
use fakturo_domain::access::services::audit::ListAuditEventsError;
use fakturo_domain::access::services::idempotency::IdempotencyError;
use fakturo_domain::access::services::integrations::IntegrationError;
use fakturo_domain::access::services::team::{AcceptInvitationError, InviteError, ManageUserError, TeamReadError};

use super::{ApiError, ErrorCode, forbidden, invalid, weak_password};

problem_table! {
    SignupError => |e| match e {
        SignupError::Invalid(errors) => invalid(&errors),
        SignupError::PolicyNotAccepted { .. } => ApiError::new(ErrorCode::PolicyNotAccepted, e.to_string()),
        SignupError::AgeNotConfirmed { .. } => ApiError::new(ErrorCode::MinimumAgeNotConfirmed, e.to_string()),
        SignupError::EmailTaken => ApiError::new(ErrorCode::EmailTaken, e.to_string()),
        SignupError::Unexpected(u) => ApiError::unexpected(&u),
    };
    LoginError => |e| match e {
        LoginError::InvalidCredentials => ApiError::new(ErrorCode::InvalidCredentials, "The email or password is not correct."),
        LoginError::Throttled { retry_after_seconds } => ApiError::too_many_requests(ErrorCode::SignInThrottled, e.to_string(), retry_after_seconds),
        LoginError::Unexpected(u) => ApiError::unexpected(&u),
    };
    AuthenticateError => |e| match e {
        AuthenticateError::InvalidToken => ApiError::new(ErrorCode::Unauthenticated, "The access token is missing, invalid or expired."),
        AuthenticateError::Unexpected(u) => ApiError::unexpected(&u),
    };
    LogoutError => |e| match e {
        LogoutError::NotASession => ApiError::new(ErrorCode::NotASession, e.to_string()),
        LogoutError::Unexpected(u) => ApiError::unexpected(&u),
    };
    ChangePasswordError => |e| match e {
        ChangePasswordError::WrongPassword => ApiError::new(ErrorCode::WrongPassword, e.to_string()),
        ChangePasswordError::Weak(error) => weak_password("new_password", error),
        ChangePasswordError::UserGone => ApiError::new(ErrorCode::Unauthenticated, e.to_string()),
        ChangePasswordError::SessionRequired => ApiError::new(ErrorCode::SessionRequired, e.to_string()),
        ChangePasswordError::Unexpected(u) => ApiError::unexpected(&u),
    };
    RedeemLinkError => |e| match e {
        RedeemLinkError::Invalid => ApiError::new(ErrorCode::InvalidToken, e.to_string()),
        RedeemLinkError::Gone => ApiError::new(ErrorCode::TokenExpiredOrUsed, e.to_string()),
        RedeemLinkError::AddressTaken => ApiError::new(
            ErrorCode::EmailTaken,
            "Another account uses the new address now; the account keeps its address.",
        ),
        RedeemLinkError::Weak(error) => weak_password("new_password", error),
        RedeemLinkError::Unexpected(u) => ApiError::unexpected(&u),
    };
    RequestLinkError => |e| match e {
        RequestLinkError::AlreadyVerified => ApiError::new(ErrorCode::EmailAlreadyVerified, e.to_string()),
        RequestLinkError::UserGone => ApiError::new(ErrorCode::Unauthenticated, e.to_string()),
        RequestLinkError::Unexpected(u) => ApiError::unexpected(&u),
    };
    InviteError => |e| match e {
        InviteError::Forbidden(f) => forbidden(&f),
        InviteError::Invalid(errors) => invalid(&errors),
        InviteError::EmailTaken => ApiError::new(ErrorCode::EmailTaken, e.to_string()),
        InviteError::Unexpected(u) => ApiError::unexpected(&u),
    };
    TeamReadError => |e| match e {
        TeamReadError::Forbidden(f) => forbidden(&f),
        TeamReadError::NotFound => ApiError::new(ErrorCode::InvitationNotFound, "No invitation with this id exists."),
        TeamReadError::NotPending => ApiError::new(ErrorCode::InvitationNotPending, e.to_string()),
        TeamReadError::Unexpected(u) => ApiError::unexpected(&u),
    };
    AcceptInvitationError => |e| match e {
        AcceptInvitationError::Invalid => ApiError::new(ErrorCode::InvalidToken, e.to_string()),
        AcceptInvitationError::Gone => ApiError::new(ErrorCode::TokenExpiredOrUsed, e.to_string()),
        AcceptInvitationError::Fields(errors) => invalid(&errors),
        AcceptInvitationError::PolicyNotAccepted { .. } => ApiError::new(ErrorCode::PolicyNotAccepted, e.to_string()),
        AcceptInvitationError::AgeNotConfirmed { .. } => ApiError::new(ErrorCode::MinimumAgeNotConfirmed, e.to_string()),
        AcceptInvitationError::EmailTaken => ApiError::new(ErrorCode::EmailTaken, e.to_string()),
        AcceptInvitationError::Unexpected(u) => ApiError::unexpected(&u),
    };
    ManageUserError => |e| match e {
        ManageUserError::Forbidden(f) => forbidden(&f),
        ManageUserError::NotFound => ApiError::new(ErrorCode::UserNotFound, "No user with this id exists."),
        ManageUserError::LastOwner => ApiError::new(ErrorCode::LastOwner, e.to_string()),
        ManageUserError::Unexpected(u) => ApiError::unexpected(&u),
    };
    CreateApiTokenError => |e| match e {
        CreateApiTokenError::Invalid(errors) => invalid(&errors),
        CreateApiTokenError::Unexpected(u) => ApiError::unexpected(&u),
    };
    ApiTokenError => |e| match e {
        ApiTokenError::Forbidden(f) => forbidden(&f),
        ApiTokenError::NotFound => ApiError::new(ErrorCode::ApiTokenNotFound, "No API token with this id exists."),
        ApiTokenError::Unexpected(u) => ApiError::unexpected(&u),
    };
    ListAuditEventsError => |e| match e {
        ListAuditEventsError::Forbidden(f) => forbidden(&f),
        ListAuditEventsError::Unexpected(u) => ApiError::unexpected(&u),
    };
    IntegrationError => |e| match e {
        IntegrationError::Forbidden(f) => forbidden(&f),
        IntegrationError::Invalid(errors) => invalid(&errors),
        IntegrationError::NotConnected => ApiError::new(ErrorCode::IntegrationNotConnected, e.to_string()),
        IntegrationError::Unexpected(u) => ApiError::unexpected(&u),
    };
    BeginExternalError => |e| match e {
        BeginExternalError::Invalid(errors) => invalid(&errors),
        BeginExternalError::PolicyNotAccepted { .. } => ApiError::new(ErrorCode::PolicyNotAccepted, e.to_string()),
        BeginExternalError::AgeNotConfirmed { .. } => ApiError::new(ErrorCode::MinimumAgeNotConfirmed, e.to_string()),
        BeginExternalError::Unexpected(u) => ApiError::unexpected(&u),
    };
    ExternalSignInError => |e| match e {
        ExternalSignInError::InvalidState => ApiError::new(ErrorCode::InvalidState, e.to_string()),
        ExternalSignInError::StateGone => ApiError::new(ErrorCode::TokenExpiredOrUsed, e.to_string()),
        ExternalSignInError::EmailNotVerified => ApiError::new(ErrorCode::EmailNotVerified, e.to_string()),
        ExternalSignInError::NoAccount => ApiError::new(ErrorCode::NoAccount, e.to_string()),
        ExternalSignInError::UnverifiedAccount => ApiError::new(ErrorCode::AccountNotVerified, e.to_string()),
        ExternalSignInError::Unexpected(u) => ApiError::unexpected(&u),
    };
    MeError => |e| match e {
        MeError::UserGone => ApiError::new(ErrorCode::Unauthenticated, "The user of this session no longer exists."),
        MeError::Unexpected(u) => ApiError::unexpected(&u),
    };
    UpdateProfileError => |e| match e {
        UpdateProfileError::Invalid(errors) => invalid(&errors),
        UpdateProfileError::EmailTaken => {
            ApiError::new(ErrorCode::EmailTaken, "Another account uses this email address.")
        }
        UpdateProfileError::UserGone => {
            ApiError::new(ErrorCode::Unauthenticated, "The user of this session no longer exists.")
        }
        UpdateProfileError::Unexpected(u) => ApiError::unexpected(&u),
    };
    IdempotencyError => |e| match e {
        IdempotencyError::InvalidKey => ApiError::new(ErrorCode::InvalidIdempotencyKey, e.to_string()),
        IdempotencyError::InFlight => ApiError::new(ErrorCode::IdempotencyKeyInUse, e.to_string()),
        IdempotencyError::KeyReused => ApiError::new(ErrorCode::IdempotencyKeyReused, e.to_string()),
        IdempotencyError::Unexpected(u) => ApiError::unexpected(&u),
    };
}
