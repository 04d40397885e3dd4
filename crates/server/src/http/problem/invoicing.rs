//! The problem table of clients, invoices, payments, recurring invoices and
//! reminder settings.

use fakturo_domain::billing::{Limit, PlanLimitReached};
use fakturo_domain::invoicing::invoice::payment::PaymentRuleError;
use fakturo_domain::invoicing::services::{
    CreateClientError, DeleteClientError, GetClientError, ListClientsError, UpdateClientError,
};
use fakturo_domain::invoicing::services::{
    CreateInvoiceError, DeleteInvoiceError, FinalizeInvoiceError, GetInvoiceError, ListInvoicesError,
    ListPaymentsError, ListRemindersError, RecordPaymentError, SendInvoiceError, UpdateInvoiceError,
};
use fakturo_domain::invoicing::services::{ReadRecurringError, WriteRecurringError};
use fakturo_domain::invoicing::services::{ReadReminderSettingsError, SaveReminderSettingsError};
use poem::http::StatusCode;
use poem_openapi::payload::Json;

use super::{ApiError, ErrorCode, client_not_found, forbidden, invalid, invoice_not_found};

fn recurring_not_found() -> ApiError {
    ApiError::new(
        ErrorCode::RecurringInvoiceNotFound,
        "No recurring invoice with this id exists.",
    )
}

fn invoice_not_draft(detail: &str) -> ApiError {
    ApiError::new(ErrorCode::InvoiceNotDraft, detail)
}

problem_table! {
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
        DeleteClientError::HasInvoices => ApiError::new(ErrorCode::ClientHasInvoices, e.to_string()),
        DeleteClientError::HasJobs => ApiError::new(ErrorCode::ClientHasJobs, e.to_string()),
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
            let mut error = ApiError::new(ErrorCode::LegalHold, e.to_string());
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
        FinalizeInvoiceError::NumberTaken(number) => ApiError::new(ErrorCode::InvoiceNumberTaken, format!("The next number of the series, {number}, is already used by another invoice; change the organization's number pattern."),
        ),
        FinalizeInvoiceError::Incomplete(errors) => {
            ApiError::invalid_fields(StatusCode::UNPROCESSABLE_ENTITY, ErrorCode::InvoiceNotReady, &errors)
        }
        FinalizeInvoiceError::MonthlyCapReached { limit } => super::billing::plan_limit(&PlanLimitReached {
            limit: Limit::InvoicesPerMonth,
            allowed: Some(limit),
        }),
        FinalizeInvoiceError::Unexpected(u) => ApiError::unexpected(&u),
    };
    RecordPaymentError => |e| match e {
        RecordPaymentError::Forbidden(f) => forbidden(&f),
        RecordPaymentError::NotFound => invoice_not_found(),
        RecordPaymentError::Invalid(errors) => invalid(&errors),
        RecordPaymentError::Rule(rule) => match rule {
            PaymentRuleError::NotFinalized => ApiError::new(ErrorCode::InvoiceNotFinalized, rule.to_string()),
            PaymentRuleError::NotPayable(_) => ApiError::new(ErrorCode::InvoiceNotPayable, rule.to_string()),
            PaymentRuleError::Overpayment { .. } => ApiError::new(ErrorCode::Overpayment, rule.to_string()),
        },
        RecordPaymentError::Unexpected(u) => ApiError::unexpected(&u),
    };
    SendInvoiceError => |e| match e {
        SendInvoiceError::Forbidden(f) => forbidden(&f),
        SendInvoiceError::NotFound => invoice_not_found(),
        SendInvoiceError::NotSendable => ApiError::new(ErrorCode::InvoiceNotSendable, e.to_string()),
        SendInvoiceError::NoRecipient => ApiError::new(ErrorCode::ClientHasNoEmail, e.to_string()),
        SendInvoiceError::Unexpected(u) => ApiError::unexpected(&u),
    };
    ListRemindersError => |e| match e {
        ListRemindersError::NotFound => invoice_not_found(),
        ListRemindersError::Unexpected(u) => ApiError::unexpected(&u),
    };
    ListPaymentsError => |e| match e {
        ListPaymentsError::NotFound => invoice_not_found(),
        ListPaymentsError::Unexpected(u) => ApiError::unexpected(&u),
    };
    WriteRecurringError => |e| match e {
        WriteRecurringError::Forbidden(f) => forbidden(&f),
        WriteRecurringError::NotFound => recurring_not_found(),
        WriteRecurringError::Invalid(errors) => invalid(&errors),
        WriteRecurringError::WrongStatus(_) => ApiError::new(ErrorCode::RecurringInvoiceWrongStatus, e.to_string()),
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
