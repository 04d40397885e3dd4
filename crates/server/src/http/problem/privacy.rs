//! The problem table of client privacy, exports, account closure, consent,
//! policies, privacy requests and the incident register.

use fakturo_domain::privacy::requests::CaseRuleError;
use fakturo_domain::privacy::services::client_privacy::ClientPrivacyError;
use fakturo_domain::privacy::services::closure::ClosureError;
use fakturo_domain::privacy::services::consent::{ReadConsentError, RecordAnalyticsError, RecordConsentError};
use fakturo_domain::privacy::services::exports::ExportError;
use fakturo_domain::privacy::services::incidents::ReadIncidentError;
use fakturo_domain::privacy::services::policies::AcceptPolicyError;
use fakturo_domain::privacy::services::privacy_requests::{
    ConfirmPrivacyRequestError, CreatePrivacyRequestError, PrivacyRequestError, SubmitPrivacyRequestError,
};
use fakturo_domain::privacy::services::processing_record::ProcessingRecordError;
use fakturo_domain::privacy::services::user_erasure::UserErasureError;

use super::{ApiError, ErrorCode, client_not_found, forbidden, invalid};

fn privacy_request_not_found() -> ApiError {
    ApiError::new(
        ErrorCode::PrivacyRequestNotFound,
        "No privacy request with this id exists.",
    )
}

fn case_rule(error: CaseRuleError) -> ApiError {
    let code = match &error {
        CaseRuleError::Invalid(errors) => return invalid(errors),
        CaseRuleError::Closed(_) => ErrorCode::PrivacyRequestClosed,
        CaseRuleError::InvalidTransition { .. } => ErrorCode::InvalidStatusTransition,
        CaseRuleError::ExtensionLimit { .. } => ErrorCode::ExtensionLimitReached,
        CaseRuleError::AlreadyVerified => ErrorCode::IdentityAlreadyVerified,
    };
    ApiError::new(code, error.to_string())
}

problem_table! {
    ClientPrivacyError => |e| match e {
        ClientPrivacyError::Forbidden(f) => forbidden(&f),
        ClientPrivacyError::NotFound => client_not_found(),
        ClientPrivacyError::AlreadyErased => ApiError::new(ErrorCode::ClientErased, e.to_string()),
        ClientPrivacyError::Unexpected(u) => ApiError::unexpected(&u),
    };
    ExportError => |e| match e {
        ExportError::Forbidden(f) => forbidden(&f),
        ExportError::Invalid(errors) => invalid(&errors),
        ExportError::NotFound => ApiError::new(ErrorCode::ExportNotFound, "No export with this id exists."),
        ExportError::NotReady(_) => ApiError::new(ErrorCode::ExportNotReady, e.to_string()),
        ExportError::Expired => ApiError::new(ErrorCode::ExportExpired, e.to_string()),
        ExportError::Unexpected(u) => ApiError::unexpected(&u),
    };
    ClosureError => |e| match e {
        ClosureError::Forbidden(f) => forbidden(&f),
        ClosureError::WrongPassword => ApiError::new(ErrorCode::WrongPassword, e.to_string()),
        ClosureError::AlreadyClosed => ApiError::new(ErrorCode::AccountClosed, e.to_string()),
        ClosureError::SessionRequired => ApiError::new(ErrorCode::SessionRequired, e.to_string()),
        ClosureError::NotClosed => ApiError::new(ErrorCode::AccountNotClosed, e.to_string()),
        ClosureError::GracePeriodOver(_) => ApiError::new(ErrorCode::GracePeriodOver, e.to_string()),
        ClosureError::Unexpected(u) => ApiError::unexpected(&u),
    };
    ProcessingRecordError => |e| match e {
        ProcessingRecordError::Forbidden(f) => forbidden(&f),
        ProcessingRecordError::NotFound => ApiError::new(ErrorCode::NotFound, e.to_string()),
        ProcessingRecordError::Unexpected(u) => ApiError::unexpected(&u),
    };
    UserErasureError => |e| match e {
        UserErasureError::SessionRequired => ApiError::new(ErrorCode::SessionRequired, e.to_string()),
        UserErasureError::WrongPassword => ApiError::new(ErrorCode::WrongPassword, e.to_string()),
        UserErasureError::OwnerMustTransfer => ApiError::new(ErrorCode::OwnerMustTransfer, e.to_string()),
        UserErasureError::NotFound => ApiError::new(ErrorCode::UserNotFound, e.to_string()),
        UserErasureError::Unexpected(u) => ApiError::unexpected(&u),
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
        AcceptPolicyError::NotAcceptable { .. } => ApiError::new(ErrorCode::PolicyVersionNotAcceptable, e.to_string()),
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
    ReadIncidentError => |e| match e {
        ReadIncidentError::Forbidden(f) => forbidden(&f),
        ReadIncidentError::NotFound => ApiError::new(
            ErrorCode::IncidentNotFound,
            "No incident with this id affects the organization.",
        ),
        ReadIncidentError::Unexpected(u) => ApiError::unexpected(&u),
    };
    ConfirmPrivacyRequestError => |e| match e {
        ConfirmPrivacyRequestError::Invalid => ApiError::new(ErrorCode::InvalidToken, e.to_string()),
        ConfirmPrivacyRequestError::Gone => ApiError::new(ErrorCode::TokenExpiredOrUsed, e.to_string()),
        ConfirmPrivacyRequestError::Unexpected(u) => ApiError::unexpected(&u),
    };
}
