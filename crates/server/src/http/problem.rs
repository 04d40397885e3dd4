//! Problem details (RFC 9457): the error body, the [`ApiError`] response
//! every operation answers with, and the tables that map each domain error
//! to an HTTP status and a stable code ([`ErrorCode`], the one place codes
//! are minted). The tables live in one submodule per business area.

use crate::telemetry::error_chain;
use fakturo_domain::access::user::Forbidden;
use fakturo_domain::kernel::errors::Unexpected;
use fakturo_domain::kernel::validation::ValidationErrors;
use poem::http::StatusCode;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, Object};

mod codes;

pub use codes::ErrorCode;

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
    /// A problem with a code and detail; the status is the code's default and
    /// the title comes from the status.
    #[must_use]
    pub fn new(code: ErrorCode, detail: impl Into<String>) -> Self {
        Self::with_status(code.status(), code, detail)
    }

    /// A problem with a code under another status than its default.
    #[must_use]
    pub fn with_status(status: StatusCode, code: ErrorCode, detail: impl Into<String>) -> Self {
        Self::from_problem(problem(status, code, detail.into(), None))
    }

    /// A validation problem listing every invalid field: `invalid_request`
    /// under 400, else `validation_failed`.
    #[must_use]
    pub fn validation(status: StatusCode, errors: &ValidationErrors) -> Self {
        let code = if status == StatusCode::BAD_REQUEST {
            ErrorCode::InvalidRequest
        } else {
            ErrorCode::ValidationFailed
        };
        Self::invalid_fields(status, code, errors)
    }

    /// A problem with `code` that lists every invalid field.
    #[must_use]
    pub fn invalid_fields(status: StatusCode, code: ErrorCode, errors: &ValidationErrors) -> Self {
        let fields = errors
            .errors()
            .iter()
            .map(|e| FieldProblem {
                field: e.field.clone(),
                code: e.code.to_owned(),
                message: e.message.clone(),
            })
            .collect();
        Self::from_problem(problem(status, code, errors.to_string(), Some(fields)))
    }

    /// A 500 that logs its cause and tells the caller nothing internal.
    #[must_use]
    pub fn unexpected(error: &Unexpected) -> Self {
        tracing::error!(error = %error_chain(error), "unexpected failure");
        Self::new(
            ErrorCode::InternalError,
            "Something went wrong on our side. Please try again; if it persists, contact support.",
        )
    }

    /// 429 with the seconds to wait.
    #[must_use]
    pub fn too_many_requests(code: ErrorCode, detail: impl Into<String>, retry_after: u64) -> Self {
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
pub fn problem(status: StatusCode, code: ErrorCode, detail: String, errors: Option<Vec<FieldProblem>>) -> Problem {
    let code = code.as_str();
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
    ApiError::new(ErrorCode::Forbidden, error.to_string())
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
    ApiError::new(ErrorCode::ClientNotFound, "No client with this id exists.")
}

fn invoice_not_found() -> ApiError {
    ApiError::new(ErrorCode::InvoiceNotFound, "No invoice with this id exists.")
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

mod access;
mod billing;
mod content;
mod invoicing;
mod privacy;
