//! Problem details (RFC 9457) and the one table that maps each domain error
//! to an HTTP status and a stable `code`.

use crate::telemetry::error_chain;
use fakturo_domain::access::services::accounts::{AuthenticateError, ChangePasswordError, LoginError, LogoutError};
use fakturo_domain::access::services::accounts::{BeginExternalError, ExternalSignInError};
use fakturo_domain::access::services::accounts::{MeError, SignupError};
use fakturo_domain::access::services::accounts::{RedeemLinkError, RequestLinkError};
use fakturo_domain::access::services::api_tokens::{ApiTokenError, CreateApiTokenError};
use fakturo_domain::access::services::audit::ListAuditEventsError;
use fakturo_domain::access::services::idempotency::IdempotencyError;
use fakturo_domain::access::services::integrations::IntegrationError;
use fakturo_domain::access::services::team::{AcceptInvitationError, InviteError, ManageUserError, TeamReadError};
use fakturo_domain::access::user::Forbidden;
use fakturo_domain::invoicing::invoice::payment::PaymentRuleError;
use fakturo_domain::invoicing::services::{
    CreateClientError, DeleteClientError, GetClientError, ListClientsError, UpdateClientError,
};
use fakturo_domain::invoicing::services::{
    CreateInvoiceError, DeleteInvoiceError, FinalizeInvoiceError, GetInvoiceError, ListInvoicesError,
    ListRemindersError, RecordPaymentError, SendInvoiceError, UpdateInvoiceError,
};
use fakturo_domain::invoicing::services::{ReadRecurringError, WriteRecurringError};
use fakturo_domain::invoicing::services::{ReadReminderSettingsError, SaveReminderSettingsError};
use fakturo_domain::kernel::errors::Unexpected;
use fakturo_domain::kernel::validation::ValidationErrors;
use fakturo_domain::privacy::requests::CaseRuleError;
use fakturo_domain::privacy::services::client_privacy::ClientPrivacyError;
use fakturo_domain::privacy::services::closure::ClosureError;
use fakturo_domain::privacy::services::consent::{ReadConsentError, RecordAnalyticsError, RecordConsentError};
use fakturo_domain::privacy::services::exports::ExportError;
use fakturo_domain::privacy::services::policies::AcceptPolicyError;
use fakturo_domain::privacy::services::privacy_requests::{
    ConfirmPrivacyRequestError, CreatePrivacyRequestError, PrivacyRequestError, SubmitPrivacyRequestError,
};
use poem::http::StatusCode;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, Object};

/// The media type of every error body.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// An error response body.
#[derive(Clone, Debug, Object)]
#[oai(rename = "Problem")]
pub struct Problem {
    /// A URI naming the kind of problem (`urn:fakturo:problem:<code>`).
    #[oai(rename = "type")]
    pub kind: String,
    /// A short summary of the kind of problem.
    pub title: String,
    /// The HTTP status.
    pub status: u16,
    /// What went wrong in this case.
    pub detail: String,
    /// A stable machine-readable code such as `invoice_not_draft`.
    pub code: String,
    /// Each invalid field, for validation problems.
    #[oai(skip_serializing_if_is_none)]
    pub errors: Option<Vec<FieldProblem>>,
    /// For `legal_hold`: the last day the record must be kept.
    #[oai(skip_serializing_if_is_none)]
    pub retained_until: Option<chrono::NaiveDate>,
}

/// One invalid field.
#[derive(Clone, Debug, Object)]
pub struct FieldProblem {
    /// The field's path, such as `lines[2].quantity`.
    pub field: String,
    /// A stable code such as `invalid_decimal`.
    pub code: String,
    /// A sentence for people.
    pub message: String,
}

/// Every error an operation can answer with.
#[derive(Debug, ApiResponse)]
pub enum ApiError {
    /// The request is malformed.
    #[oai(status = 400, content_type = "application/problem+json")]
    BadRequest(Json<Box<Problem>>),
    /// No valid credentials.
    #[oai(status = 401, content_type = "application/problem+json")]
    Unauthorized(Json<Box<Problem>>),
    /// The plan does not allow this write (`plan_limit_reached`).
    #[oai(status = 402, content_type = "application/problem+json")]
    PaymentRequired(Json<Box<Problem>>),
    /// The role does not allow this.
    #[oai(status = 403, content_type = "application/problem+json")]
    Forbidden(Json<Box<Problem>>),
    /// No such resource in this organization.
    #[oai(status = 404, content_type = "application/problem+json")]
    NotFound(Json<Box<Problem>>),
    /// The resource's state does not allow this.
    #[oai(status = 409, content_type = "application/problem+json")]
    Conflict(Json<Box<Problem>>),
    /// The link or token was used before or has expired.
    #[oai(status = 410, content_type = "application/problem+json")]
    Gone(Json<Box<Problem>>),
    /// The body is too large.
    #[oai(status = 413, content_type = "application/problem+json")]
    PayloadTooLarge(Json<Box<Problem>>),
    /// The content type is not accepted (or does not match the content).
    #[oai(status = 415, content_type = "application/problem+json")]
    UnsupportedMediaType(Json<Box<Problem>>),
    /// The request is well-formed but its values are not acceptable.
    #[oai(status = 422, content_type = "application/problem+json")]
    Unprocessable(Json<Box<Problem>>),
    /// Too many attempts; wait `Retry-After` seconds.
    #[oai(status = 429, content_type = "application/problem+json")]
    TooManyRequests(
        Json<Box<Problem>>,
        /// Seconds to wait before trying again.
        #[oai(header = "Retry-After")]
        u64,
    ),
    /// Something failed on our side.
    #[oai(status = 500, content_type = "application/problem+json")]
    Internal(Json<Box<Problem>>),
    /// A dependency is unavailable.
    #[oai(status = 503, content_type = "application/problem+json")]
    Unavailable(Json<Box<Problem>>),
}

impl ApiError {
    /// A problem with a status, code and detail; the title comes from the status.
    #[must_use]
    pub fn new(status: StatusCode, code: &str, detail: impl Into<String>) -> Self {
        Self::from_problem(problem(status, code, detail.into(), None))
    }

    /// A validation problem listing every invalid field.
    #[must_use]
    pub fn validation(status: StatusCode, errors: &ValidationErrors) -> Self {
        let fields = errors
            .errors()
            .iter()
            .map(|e| FieldProblem {
                field: e.field.clone(),
                code: e.code.to_owned(),
                message: e.message.clone(),
            })
            .collect();
        let code = if status == StatusCode::BAD_REQUEST {
            "invalid_request"
        } else {
            "validation_failed"
        };
        Self::from_problem(problem(status, code, errors.to_string(), Some(fields)))
    }

    /// A 500 that logs its cause and tells the caller nothing internal.
    #[must_use]
    pub fn unexpected(error: &Unexpected) -> Self {
        tracing::error!(error = %error_chain(error), "unexpected failure");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal_error",
            "Something went wrong on our side. Please try again; if it persists, contact support.",
        )
    }

    /// 429 with the seconds to wait.
    #[must_use]
    pub fn too_many_requests(code: &str, detail: impl Into<String>, retry_after: u64) -> Self {
        Self::TooManyRequests(
            Json(Box::new(problem(
                StatusCode::TOO_MANY_REQUESTS,
                code,
                detail.into(),
                None,
            ))),
            retry_after,
        )
    }

    fn from_problem(problem: Problem) -> Self {
        let body = Json(Box::new(problem));
        match body.0.status {
            400 => Self::BadRequest(body),
            401 => Self::Unauthorized(body),
            402 => Self::PaymentRequired(body),
            403 => Self::Forbidden(body),
            404 => Self::NotFound(body),
            409 => Self::Conflict(body),
            410 => Self::Gone(body),
            413 => Self::PayloadTooLarge(body),
            415 => Self::UnsupportedMediaType(body),
            422 => Self::Unprocessable(body),
            429 => Self::TooManyRequests(body, 60),
            503 => Self::Unavailable(body),
            _ => Self::Internal(body),
        }
    }
}

/// Builds a problem body.
#[must_use]
pub fn problem(status: StatusCode, code: &str, detail: String, errors: Option<Vec<FieldProblem>>) -> Problem {
    Problem {
        kind: format!("urn:fakturo:problem:{code}"),
        title: status.canonical_reason().unwrap_or("Error").to_owned(),
        status: status.as_u16(),
        detail,
        code: code.to_owned(),
        errors,
        retained_until: None,
    }
}

fn forbidden(error: &Forbidden) -> ApiError {
    ApiError::new(StatusCode::FORBIDDEN, "forbidden", error.to_string())
}

/// A password that breaks the rules, as a validation problem on `field`.
pub(super) fn weak_password(field: &str, error: fakturo_domain::access::ports::PasswordError) -> ApiError {
    let mut errors = ValidationErrors::new();
    errors.add(
        field,
        fakturo_domain::kernel::validation::HasCode::code(&error),
        error.to_string(),
    );
    invalid(&errors)
}

fn invalid(errors: &ValidationErrors) -> ApiError {
    ApiError::validation(StatusCode::UNPROCESSABLE_ENTITY, errors)
}

fn client_not_found() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "client_not_found",
        "No client with this id exists.",
    )
}

fn invoice_not_found() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "invoice_not_found",
        "No invoice with this id exists.",
    )
}

fn recurring_not_found() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "recurring_invoice_not_found",
        "No recurring invoice with this id exists.",
    )
}

fn privacy_request_not_found() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "privacy_request_not_found",
        "No privacy request with this id exists.",
    )
}

fn case_rule(error: CaseRuleError) -> ApiError {
    let code = match &error {
        CaseRuleError::Invalid(errors) => return invalid(errors),
        CaseRuleError::Closed(_) => "privacy_request_closed",
        CaseRuleError::InvalidTransition { .. } => "invalid_status_transition",
        CaseRuleError::ExtensionLimit { .. } => "extension_limit_reached",
        CaseRuleError::AlreadyVerified => "identity_already_verified",
    };
    ApiError::new(StatusCode::CONFLICT, code, error.to_string())
}

fn invoice_not_draft(detail: &str) -> ApiError {
    ApiError::new(StatusCode::CONFLICT, "invoice_not_draft", detail)
}

/// The table: every domain error of every operation, to status and code.
macro_rules! problem_table {
    ($($error:ty => |$e:ident| $body:expr;)+) => {$(
        impl From<$error> for ApiError {
            fn from($e: $error) -> Self {
                $body
            }
        }
    )+};
}

mod billing;
mod content;

problem_table! {
    SignupError => |e| match e {
        SignupError::Invalid(errors) => invalid(&errors),
        SignupError::PolicyNotAccepted { .. } => ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "policy_not_accepted", e.to_string()),
        SignupError::AgeNotConfirmed { .. } => ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "minimum_age_not_confirmed", e.to_string()),
        SignupError::EmailTaken => ApiError::new(StatusCode::CONFLICT, "email_taken", e.to_string()),
        SignupError::Unexpected(u) => ApiError::unexpected(&u),
    };
    LoginError => |e| match e {
        LoginError::InvalidCredentials => ApiError::new(StatusCode::UNAUTHORIZED, "invalid_credentials", "The email or password is not correct."),
        LoginError::Throttled { retry_after_seconds } => ApiError::too_many_requests("sign_in_throttled", e.to_string(), retry_after_seconds),
        LoginError::Unexpected(u) => ApiError::unexpected(&u),
    };
    AuthenticateError => |e| match e {
        AuthenticateError::InvalidToken => ApiError::new(StatusCode::UNAUTHORIZED, "unauthenticated", "The access token is missing, invalid or expired."),
        AuthenticateError::Unexpected(u) => ApiError::unexpected(&u),
    };
    LogoutError => |e| match e {
        LogoutError::NotASession => ApiError::new(StatusCode::BAD_REQUEST, "not_a_session", e.to_string()),
        LogoutError::Unexpected(u) => ApiError::unexpected(&u),
    };
    ChangePasswordError => |e| match e {
        ChangePasswordError::WrongPassword => ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "wrong_password", e.to_string()),
        ChangePasswordError::Weak(error) => weak_password("new_password", error),
        ChangePasswordError::UserGone => ApiError::new(StatusCode::UNAUTHORIZED, "unauthenticated", e.to_string()),
        ChangePasswordError::SessionRequired => ApiError::new(StatusCode::FORBIDDEN, "session_required", e.to_string()),
        ChangePasswordError::Unexpected(u) => ApiError::unexpected(&u),
    };
    RedeemLinkError => |e| match e {
        RedeemLinkError::Invalid => ApiError::new(StatusCode::UNAUTHORIZED, "invalid_token", e.to_string()),
        RedeemLinkError::Gone => ApiError::new(StatusCode::GONE, "token_expired_or_used", e.to_string()),
        RedeemLinkError::Weak(error) => weak_password("new_password", error),
        RedeemLinkError::Unexpected(u) => ApiError::unexpected(&u),
    };
    RequestLinkError => |e| match e {
        RequestLinkError::AlreadyVerified => ApiError::new(StatusCode::CONFLICT, "email_already_verified", e.to_string()),
        RequestLinkError::UserGone => ApiError::new(StatusCode::UNAUTHORIZED, "unauthenticated", e.to_string()),
        RequestLinkError::Unexpected(u) => ApiError::unexpected(&u),
    };
    InviteError => |e| match e {
        InviteError::Forbidden(f) => forbidden(&f),
        InviteError::Invalid(errors) => invalid(&errors),
        InviteError::EmailTaken => ApiError::new(StatusCode::CONFLICT, "email_taken", e.to_string()),
        InviteError::Unexpected(u) => ApiError::unexpected(&u),
    };
    TeamReadError => |e| match e {
        TeamReadError::Forbidden(f) => forbidden(&f),
        TeamReadError::NotFound => ApiError::new(StatusCode::NOT_FOUND, "invitation_not_found", "No invitation with this id exists."),
        TeamReadError::NotPending => ApiError::new(StatusCode::CONFLICT, "invitation_not_pending", e.to_string()),
        TeamReadError::Unexpected(u) => ApiError::unexpected(&u),
    };
    AcceptInvitationError => |e| match e {
        AcceptInvitationError::Invalid => ApiError::new(StatusCode::UNAUTHORIZED, "invalid_token", e.to_string()),
        AcceptInvitationError::Gone => ApiError::new(StatusCode::GONE, "token_expired_or_used", e.to_string()),
        AcceptInvitationError::Fields(errors) => invalid(&errors),
        AcceptInvitationError::PolicyNotAccepted { .. } => ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "policy_not_accepted", e.to_string()),
        AcceptInvitationError::AgeNotConfirmed { .. } => ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "minimum_age_not_confirmed", e.to_string()),
        AcceptInvitationError::EmailTaken => ApiError::new(StatusCode::CONFLICT, "email_taken", e.to_string()),
        AcceptInvitationError::Unexpected(u) => ApiError::unexpected(&u),
    };
    ManageUserError => |e| match e {
        ManageUserError::Forbidden(f) => forbidden(&f),
        ManageUserError::NotFound => ApiError::new(StatusCode::NOT_FOUND, "user_not_found", "No user with this id exists."),
        ManageUserError::LastOwner => ApiError::new(StatusCode::CONFLICT, "last_owner", e.to_string()),
        ManageUserError::Unexpected(u) => ApiError::unexpected(&u),
    };
    CreateApiTokenError => |e| match e {
        CreateApiTokenError::Invalid(errors) => invalid(&errors),
        CreateApiTokenError::Unexpected(u) => ApiError::unexpected(&u),
    };
    ApiTokenError => |e| match e {
        ApiTokenError::Forbidden(f) => forbidden(&f),
        ApiTokenError::NotFound => ApiError::new(StatusCode::NOT_FOUND, "api_token_not_found", "No API token with this id exists."),
        ApiTokenError::Unexpected(u) => ApiError::unexpected(&u),
    };
    ListAuditEventsError => |e| match e {
        ListAuditEventsError::Forbidden(f) => forbidden(&f),
        ListAuditEventsError::Unexpected(u) => ApiError::unexpected(&u),
    };
    IntegrationError => |e| match e {
        IntegrationError::Forbidden(f) => forbidden(&f),
        IntegrationError::Invalid(errors) => invalid(&errors),
        IntegrationError::NotConnected => ApiError::new(StatusCode::NOT_FOUND, "integration_not_connected", e.to_string()),
        IntegrationError::Unexpected(u) => ApiError::unexpected(&u),
    };
    BeginExternalError => |e| match e {
        BeginExternalError::Invalid(errors) => invalid(&errors),
        BeginExternalError::PolicyNotAccepted { .. } => ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "policy_not_accepted", e.to_string()),
        BeginExternalError::AgeNotConfirmed { .. } => ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "minimum_age_not_confirmed", e.to_string()),
        BeginExternalError::Unexpected(u) => ApiError::unexpected(&u),
    };
    ClientPrivacyError => |e| match e {
        ClientPrivacyError::Forbidden(f) => forbidden(&f),
        ClientPrivacyError::NotFound => client_not_found(),
        ClientPrivacyError::AlreadyErased => ApiError::new(StatusCode::CONFLICT, "client_erased", e.to_string()),
        ClientPrivacyError::Unexpected(u) => ApiError::unexpected(&u),
    };
    ExportError => |e| match e {
        ExportError::Forbidden(f) => forbidden(&f),
        ExportError::Invalid(errors) => invalid(&errors),
        ExportError::NotFound => ApiError::new(StatusCode::NOT_FOUND, "export_not_found", "No export with this id exists."),
        ExportError::NotReady(_) => ApiError::new(StatusCode::CONFLICT, "export_not_ready", e.to_string()),
        ExportError::Expired => ApiError::new(StatusCode::GONE, "export_expired", e.to_string()),
        ExportError::Unexpected(u) => ApiError::unexpected(&u),
    };
    ClosureError => |e| match e {
        ClosureError::Forbidden(f) => forbidden(&f),
        ClosureError::WrongPassword => ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "wrong_password", e.to_string()),
        ClosureError::AlreadyClosed => ApiError::new(StatusCode::CONFLICT, "account_closed", e.to_string()),
        ClosureError::SessionRequired => ApiError::new(StatusCode::FORBIDDEN, "session_required", e.to_string()),
        ClosureError::NotClosed => ApiError::new(StatusCode::CONFLICT, "account_not_closed", e.to_string()),
        ClosureError::GracePeriodOver(_) => ApiError::new(StatusCode::GONE, "grace_period_over", e.to_string()),
        ClosureError::Unexpected(u) => ApiError::unexpected(&u),
    };
    ExternalSignInError => |e| match e {
        ExternalSignInError::InvalidState => ApiError::new(StatusCode::UNAUTHORIZED, "invalid_state", e.to_string()),
        ExternalSignInError::StateGone => ApiError::new(StatusCode::GONE, "token_expired_or_used", e.to_string()),
        ExternalSignInError::EmailNotVerified => ApiError::new(StatusCode::FORBIDDEN, "email_not_verified", e.to_string()),
        ExternalSignInError::NoAccount => ApiError::new(StatusCode::NOT_FOUND, "no_account", e.to_string()),
        ExternalSignInError::UnverifiedAccount => ApiError::new(StatusCode::CONFLICT, "account_not_verified", e.to_string()),
        ExternalSignInError::Unexpected(u) => ApiError::unexpected(&u),
    };
    MeError => |e| match e {
        MeError::UserGone => ApiError::new(StatusCode::UNAUTHORIZED, "unauthenticated", "The user of this session no longer exists."),
        MeError::Unexpected(u) => ApiError::unexpected(&u),
    };
    CreateClientError => |e| match e {
        CreateClientError::Forbidden(f) => forbidden(&f),
        CreateClientError::Invalid(errors) => invalid(&errors),
        CreateClientError::Unexpected(u) => ApiError::unexpected(&u),
    };
    GetClientError => |e| match e {
        GetClientError::NotFound => client_not_found(),
        GetClientError::Unexpected(u) => ApiError::unexpected(&u),
    };
    ListClientsError => |e| match e {
        ListClientsError::Unexpected(u) => ApiError::unexpected(&u),
    };
    UpdateClientError => |e| match e {
        UpdateClientError::Forbidden(f) => forbidden(&f),
        UpdateClientError::NotFound => client_not_found(),
        UpdateClientError::Invalid(errors) => invalid(&errors),
        UpdateClientError::Unexpected(u) => ApiError::unexpected(&u),
    };
    DeleteClientError => |e| match e {
        DeleteClientError::Forbidden(f) => forbidden(&f),
        DeleteClientError::NotFound => client_not_found(),
        DeleteClientError::HasInvoices => ApiError::new(StatusCode::CONFLICT, "client_has_invoices", e.to_string()),
        DeleteClientError::HasJobs => ApiError::new(StatusCode::CONFLICT, "client_has_jobs", e.to_string()),
        DeleteClientError::Unexpected(u) => ApiError::unexpected(&u),
    };
    CreateInvoiceError => |e| match e {
        CreateInvoiceError::Forbidden(f) => forbidden(&f),
        CreateInvoiceError::Invalid(errors) => invalid(&errors),
        CreateInvoiceError::Unexpected(u) => ApiError::unexpected(&u),
    };
    GetInvoiceError => |e| match e {
        GetInvoiceError::NotFound => invoice_not_found(),
        GetInvoiceError::Unexpected(u) => ApiError::unexpected(&u),
    };
    ListInvoicesError => |e| match e {
        ListInvoicesError::Unexpected(u) => ApiError::unexpected(&u),
    };
    UpdateInvoiceError => |e| match e {
        UpdateInvoiceError::Forbidden(f) => forbidden(&f),
        UpdateInvoiceError::NotFound => invoice_not_found(),
        UpdateInvoiceError::NotDraft => invoice_not_draft("The invoice is finalized and can no longer be changed."),
        UpdateInvoiceError::Invalid(errors) => invalid(&errors),
        UpdateInvoiceError::Unexpected(u) => ApiError::unexpected(&u),
    };
    DeleteInvoiceError => |e| match e {
        DeleteInvoiceError::Forbidden(f) => forbidden(&f),
        DeleteInvoiceError::NotFound => invoice_not_found(),
        DeleteInvoiceError::NotDraft => invoice_not_draft("The invoice is finalized and cannot be deleted."),
        DeleteInvoiceError::LegalHold { until, .. } => {
            let mut error = ApiError::new(StatusCode::CONFLICT, "legal_hold", e.to_string());
            if let ApiError::Conflict(Json(body)) = &mut error {
                body.retained_until = Some(until);
            }
            error
        }
        DeleteInvoiceError::Unexpected(u) => ApiError::unexpected(&u),
    };
    FinalizeInvoiceError => |e| match e {
        FinalizeInvoiceError::Forbidden(f) => forbidden(&f),
        FinalizeInvoiceError::NotFound => invoice_not_found(),
        FinalizeInvoiceError::NotDraft => invoice_not_draft("The invoice is already finalized."),
        FinalizeInvoiceError::NumberTaken(number) => ApiError::new(
            StatusCode::CONFLICT,
            "invoice_number_taken",
            format!("The next number of the series, {number}, is already used by another invoice; change the organization's number pattern."),
        ),
        FinalizeInvoiceError::Incomplete(errors) => {
            let mut error = invalid(&errors);
            if let ApiError::Unprocessable(Json(body)) = &mut error {
                body.code = "invoice_not_ready".into();
                body.kind = "urn:fakturo:problem:invoice_not_ready".into();
            }
            error
        }
        FinalizeInvoiceError::Unexpected(u) => ApiError::unexpected(&u),
    };
    RecordPaymentError => |e| match e {
        RecordPaymentError::Forbidden(f) => forbidden(&f),
        RecordPaymentError::NotFound => invoice_not_found(),
        RecordPaymentError::Invalid(errors) => invalid(&errors),
        RecordPaymentError::Rule(rule) => match rule {
            PaymentRuleError::NotFinalized => ApiError::new(StatusCode::CONFLICT, "invoice_not_finalized", rule.to_string()),
            PaymentRuleError::NotPayable(_) => ApiError::new(StatusCode::CONFLICT, "invoice_not_payable", rule.to_string()),
            PaymentRuleError::Overpayment { .. } => ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "overpayment", rule.to_string()),
        },
        RecordPaymentError::Unexpected(u) => ApiError::unexpected(&u),
    };
    IdempotencyError => |e| match e {
        IdempotencyError::InvalidKey => ApiError::new(StatusCode::BAD_REQUEST, "invalid_idempotency_key", e.to_string()),
        IdempotencyError::InFlight => ApiError::new(StatusCode::CONFLICT, "idempotency_key_in_use", e.to_string()),
        IdempotencyError::KeyReused => ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "idempotency_key_reused", e.to_string()),
        IdempotencyError::Unexpected(u) => ApiError::unexpected(&u),
    };
    SendInvoiceError => |e| match e {
        SendInvoiceError::Forbidden(f) => forbidden(&f),
        SendInvoiceError::NotFound => invoice_not_found(),
        SendInvoiceError::NotSendable => ApiError::new(StatusCode::CONFLICT, "invoice_not_sendable", e.to_string()),
        SendInvoiceError::NoRecipient => ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "client_has_no_email", e.to_string()),
        SendInvoiceError::Unexpected(u) => ApiError::unexpected(&u),
    };
    ListRemindersError => |e| match e {
        ListRemindersError::NotFound => invoice_not_found(),
        ListRemindersError::Unexpected(u) => ApiError::unexpected(&u),
    };
    WriteRecurringError => |e| match e {
        WriteRecurringError::Forbidden(f) => forbidden(&f),
        WriteRecurringError::NotFound => recurring_not_found(),
        WriteRecurringError::Invalid(errors) => invalid(&errors),
        WriteRecurringError::WrongStatus(_) => ApiError::new(StatusCode::CONFLICT, "recurring_invoice_wrong_status", e.to_string()),
        WriteRecurringError::Unexpected(u) => ApiError::unexpected(&u),
    };
    ReadRecurringError => |e| match e {
        ReadRecurringError::NotFound => recurring_not_found(),
        ReadRecurringError::Unexpected(u) => ApiError::unexpected(&u),
    };
    SaveReminderSettingsError => |e| match e {
        SaveReminderSettingsError::Forbidden(f) => forbidden(&f),
        SaveReminderSettingsError::Invalid(errors) => invalid(&errors),
        SaveReminderSettingsError::Unexpected(u) => ApiError::unexpected(&u),
    };
    ReadReminderSettingsError => |e| match e {
        ReadReminderSettingsError::Unexpected(u) => ApiError::unexpected(&u),
    };
    RecordConsentError => |e| match e {
        RecordConsentError::Invalid(errors) => invalid(&errors),
        RecordConsentError::Unexpected(u) => ApiError::unexpected(&u),
    };
    ReadConsentError => |e| match e {
        ReadConsentError::Unexpected(u) => ApiError::unexpected(&u),
    };
    RecordAnalyticsError => |e| match e {
        RecordAnalyticsError::Invalid(errors) => invalid(&errors),
        RecordAnalyticsError::Unexpected(u) => ApiError::unexpected(&u),
    };
    AcceptPolicyError => |e| match e {
        AcceptPolicyError::Invalid(errors) => invalid(&errors),
        AcceptPolicyError::NotAcceptable { .. } => ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "policy_version_not_acceptable", e.to_string()),
        AcceptPolicyError::Unexpected(u) => ApiError::unexpected(&u),
    };
    CreatePrivacyRequestError => |e| match e {
        CreatePrivacyRequestError::Forbidden(f) => forbidden(&f),
        CreatePrivacyRequestError::Invalid(errors) => invalid(&errors),
        CreatePrivacyRequestError::ClientNotFound => client_not_found(),
        CreatePrivacyRequestError::Unexpected(u) => ApiError::unexpected(&u),
    };
    PrivacyRequestError => |e| match e {
        PrivacyRequestError::Forbidden(f) => forbidden(&f),
        PrivacyRequestError::NotFound => privacy_request_not_found(),
        PrivacyRequestError::Rule(rule) => case_rule(rule),
        PrivacyRequestError::Invalid(errors) => invalid(&errors),
        PrivacyRequestError::Unexpected(u) => ApiError::unexpected(&u),
    };
    SubmitPrivacyRequestError => |e| match e {
        SubmitPrivacyRequestError::Invalid(errors) => invalid(&errors),
        SubmitPrivacyRequestError::Unexpected(u) => ApiError::unexpected(&u),
    };
    ConfirmPrivacyRequestError => |e| match e {
        ConfirmPrivacyRequestError::Invalid => ApiError::new(StatusCode::UNAUTHORIZED, "invalid_token", e.to_string()),
        ConfirmPrivacyRequestError::Gone => ApiError::new(StatusCode::GONE, "token_expired_or_used", e.to_string()),
        ConfirmPrivacyRequestError::Unexpected(u) => ApiError::unexpected(&u),
    };
}
