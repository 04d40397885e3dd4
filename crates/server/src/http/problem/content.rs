//! The problem table of jobs, notes, files, credit notes, documents and the
//! organization's settings.

use fakturo_domain::invoicing::services::DocumentError;
use fakturo_domain::invoicing::services::{CreditNoteError, VoidInvoiceError};
use fakturo_domain::tenancy::services::organization::OrganizationError;
use fakturo_domain::work::content_type::TypeRefusal;
use fakturo_domain::work::services::files::FileError;
use fakturo_domain::work::services::notes::NoteError;
use fakturo_domain::work::services::work_orders::WorkOrderError;

use super::{ApiError, ErrorCode, forbidden, invalid, invoice_not_found};

fn not_found(kind: &str) -> ApiError {
    let code = match kind {
        "client" => ErrorCode::ClientNotFound,
        "invoice" => ErrorCode::InvoiceNotFound,
        "job" => ErrorCode::JobNotFound,
        "note" => ErrorCode::NoteNotFound,
        "credit note" => ErrorCode::CreditNoteNotFound,
        _ => ErrorCode::FileNotFound,
    };
    ApiError::new(code, format!("No {kind} with this id exists."))
}

fn type_refused(refusal: TypeRefusal) -> ApiError {
    match refusal {
        TypeRefusal::ActiveContent(active) => ApiError::new(
            ErrorCode::UnsupportedFileType,
            format!("Files of type {active} are not accepted: a browser would run them."),
        ),
        TypeRefusal::Mismatch => ApiError::new(
            ErrorCode::ContentTypeMismatch,
            "The file's bytes are not of the type its Content-Type declares.",
        ),
        TypeRefusal::Unrecognised => ApiError::new(
            ErrorCode::UnsupportedFileType,
            "The file is of no accepted type (PDF, images, Office documents, ZIP, text, CSV, XML).",
        ),
    }
}

problem_table! {
    WorkOrderError => |e| match e {
        WorkOrderError::Forbidden(f) => forbidden(&f),
        WorkOrderError::NotFound => not_found("job"),
        WorkOrderError::Invalid(errors) => invalid(&errors),
        WorkOrderError::Unexpected(u) => ApiError::unexpected(&u),
    };
    NoteError => |e| match e {
        NoteError::Forbidden(f) => forbidden(&f),
        NoteError::SubjectNotFound(kind) => not_found(kind),
        NoteError::Invalid(errors) => invalid(&errors),
        NoteError::Unexpected(u) => ApiError::unexpected(&u),
    };
    FileError => |e| match e {
        FileError::Forbidden(f) => forbidden(&f),
        FileError::NotFound => not_found("file"),
        FileError::SubjectNotFound(kind) => not_found(kind),
        FileError::TooLarge { max } => {
            ApiError::new(ErrorCode::FileTooLarge, format!("The file is larger than the limit of {max} bytes."))
        }
        FileError::Type(refusal) => type_refused(refusal),
        FileError::QuotaExceeded { .. } => ApiError::new(ErrorCode::StorageQuotaExceeded, e.to_string()),
        FileError::Invalid(errors) => invalid(&errors),
        FileError::Unexpected(u) => ApiError::unexpected(&u),
    };
    VoidInvoiceError => |e| match e {
        VoidInvoiceError::Forbidden(f) => forbidden(&f),
        VoidInvoiceError::NotFound => invoice_not_found(),
        VoidInvoiceError::NotFinalized => ApiError::new(ErrorCode::InvoiceNotFinalized, e.to_string()),
        VoidInvoiceError::AlreadyVoid(_) => ApiError::new(ErrorCode::InvoiceVoid, e.to_string()),
        VoidInvoiceError::Invalid(errors) => invalid(&errors),
        VoidInvoiceError::Unexpected(u) => ApiError::unexpected(&u),
    };
    CreditNoteError => |e| match e {
        CreditNoteError::NotFound => not_found("credit note"),
        CreditNoteError::Unexpected(u) => ApiError::unexpected(&u),
    };
    DocumentError => |e| match e {
        DocumentError::NotFound(kind) => not_found(kind),
        DocumentError::NotFinalized => ApiError::new(ErrorCode::InvoiceNotFinalized, e.to_string()),
        DocumentError::NotOverdue(_) => ApiError::new(ErrorCode::InvoiceNotOverdue, e.to_string()),
        DocumentError::Restricted => ApiError::new(ErrorCode::InvoiceRestricted, e.to_string()),
        DocumentError::Unexpected(u) => ApiError::unexpected(&u),
    };
    OrganizationError => |e| match e {
        OrganizationError::Forbidden(f) => forbidden(&f),
        OrganizationError::Invalid(errors) => invalid(&errors),
        OrganizationError::Unexpected(u) => ApiError::unexpected(&u),
    };
}
