//! Problem details (RFC 9457) and the one table that maps each domain error
//! to an HTTP status and a stable `code`.

use fakturo_domain::invoice::payment::PaymentRuleError;
use fakturo_domain::services::Unexpected;
use fakturo_domain::services::accounts::{AuthenticateError, LoginError, LogoutError, MeError, SignupError};
use fakturo_domain::services::clients::{
    CreateClientError, DeleteClientError, GetClientError, ListClientsError, UpdateClientError,
};
use fakturo_domain::services::idempotency::IdempotencyError;
use fakturo_domain::services::invoices::{
    CreateInvoiceError, DeleteInvoiceError, FinalizeInvoiceError, GetInvoiceError, ListInvoicesError,
    ListRemindersError, RecordPaymentError, SendInvoiceError, UpdateInvoiceError,
};
use fakturo_domain::services::recurring::{ReadRecurringError, WriteRecurringError};
use fakturo_domain::services::reminders::{ReadReminderSettingsError, SaveReminderSettingsError};
use fakturo_domain::user::Forbidden;
use fakturo_domain::validation::ValidationErrors;
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
    /// The role does not allow this.
    #[oai(status = 403, content_type = "application/problem+json")]
    Forbidden(Json<Box<Problem>>),
    /// No such resource in this organization.
    #[oai(status = 404, content_type = "application/problem+json")]
    NotFound(Json<Box<Problem>>),
    /// The resource's state does not allow this.
    #[oai(status = 409, content_type = "application/problem+json")]
    Conflict(Json<Box<Problem>>),
    /// The body is too large.
    #[oai(status = 413, content_type = "application/problem+json")]
    PayloadTooLarge(Json<Box<Problem>>),
    /// The request is well-formed but its values are not acceptable.
    #[oai(status = 422, content_type = "application/problem+json")]
    Unprocessable(Json<Box<Problem>>),
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

    fn from_problem(problem: Problem) -> Self {
        let body = Json(Box::new(problem));
        match body.0.status {
            400 => Self::BadRequest(body),
            401 => Self::Unauthorized(body),
            403 => Self::Forbidden(body),
            404 => Self::NotFound(body),
            409 => Self::Conflict(body),
            413 => Self::PayloadTooLarge(body),
            422 => Self::Unprocessable(body),
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
    }
}

fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

fn forbidden(error: &Forbidden) -> ApiError {
    ApiError::new(StatusCode::FORBIDDEN, "forbidden", error.to_string())
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
        LoginError::Unexpected(u) => ApiError::unexpected(&u),
    };
    AuthenticateError => |e| match e {
        AuthenticateError::InvalidToken => ApiError::new(StatusCode::UNAUTHORIZED, "unauthenticated", "The access token is missing, invalid or expired."),
        AuthenticateError::Unexpected(u) => ApiError::unexpected(&u),
    };
    LogoutError => |e| match e {
        LogoutError::Unexpected(u) => ApiError::unexpected(&u),
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
}
