//! What invoice use cases return: the tenant's view of an invoice, list
//! filters, and one error enum per operation.

use chrono::NaiveDate;

use crate::ClientId;
use crate::access::user::Forbidden;
use crate::invoicing::client::Client;
use crate::invoicing::invoice::payment::PaymentRuleError;
use crate::invoicing::invoice::{Invoice, InvoiceStatus};
use crate::kernel::errors::{Unexpected, unexpected_from};
use crate::kernel::validation::ValidationErrors;
use crate::tenancy::Organization;

/// An invoice as the tenant sees it today.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvoiceView {
    /// The invoice.
    pub invoice: Invoice,
    /// Unpaid after its due date, reckoned in the tenant's time zone.
    pub overdue: bool,
}

/// List filters as the caller gives them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct InvoiceQuery {
    /// Only this status.
    pub status: Option<InvoiceStatus>,
    /// Only this client.
    pub client_id: Option<ClientId>,
    /// `Some(true)`: only overdue invoices; `Some(false)`: only those not overdue.
    pub overdue: Option<bool>,
}

/// Why an invoice could not be created.
#[derive(Debug, thiserror::Error)]
pub enum CreateInvoiceError {
    /// The role may not write.
    #[error(transparent)]
    Forbidden(#[from] Forbidden),
    /// Invalid fields (including an unknown client).
    #[error("invalid invoice: {0}")]
    Invalid(ValidationErrors),
    /// Storage failed.
    #[error(transparent)]
    Unexpected(Unexpected),
}

/// Why an invoice could not be read.
#[derive(Debug, thiserror::Error)]
pub enum GetInvoiceError {
    /// No such invoice in the tenant.
    #[error("no such invoice")]
    NotFound,
    /// Storage failed.
    #[error(transparent)]
    Unexpected(Unexpected),
}

/// Why invoices could not be listed.
#[derive(Debug, thiserror::Error)]
pub enum ListInvoicesError {
    /// Storage failed.
    #[error(transparent)]
    Unexpected(Unexpected),
}

/// Why a draft could not be changed.
#[derive(Debug, thiserror::Error)]
pub enum UpdateInvoiceError {
    /// The role may not write.
    #[error(transparent)]
    Forbidden(#[from] Forbidden),
    /// No such invoice in the tenant.
    #[error("no such invoice")]
    NotFound,
    /// Finalized invoices are immutable.
    #[error("the invoice is finalized and can no longer be changed")]
    NotDraft,
    /// Invalid fields.
    #[error("invalid invoice: {0}")]
    Invalid(ValidationErrors),
    /// Storage failed.
    #[error(transparent)]
    Unexpected(Unexpected),
}

/// Why a draft could not be deleted.
#[derive(Debug, thiserror::Error)]
pub enum DeleteInvoiceError {
    /// The role may not write.
    #[error(transparent)]
    Forbidden(#[from] Forbidden),
    /// No such invoice in the tenant.
    #[error("no such invoice")]
    NotFound,
    /// Finalized invoices are kept; void them with a credit note.
    #[error("the invoice is finalized and cannot be deleted")]
    NotDraft,
    /// A finalized invoice inside its statutory retention period.
    #[error(
        "finalized invoices must be kept until {until} ({years} years from the end of the year of issue in {country}); \
         void it with a credit note instead"
    )]
    LegalHold {
        /// The last day it must be kept.
        until: NaiveDate,
        /// The statutory years.
        years: u32,
        /// The organization's country.
        country: &'static str,
    },
    /// Storage failed.
    #[error(transparent)]
    Unexpected(Unexpected),
}

/// Why a draft could not be finalized.
#[derive(Debug, thiserror::Error)]
pub enum FinalizeInvoiceError {
    /// The role may not write.
    #[error(transparent)]
    Forbidden(#[from] Forbidden),
    /// No such invoice in the tenant.
    #[error("no such invoice")]
    NotFound,
    /// Already finalized.
    #[error("the invoice is already finalized")]
    NotDraft,
    /// Missing lines, negative total or inconsistent dates.
    #[error("the invoice is not ready to be finalized: {0}")]
    Incomplete(ValidationErrors),
    /// The series' next number is already used (the pattern was changed so
    /// that two series render the same numbers). Nothing was written.
    #[error("the number {0} is already used")]
    NumberTaken(String),
    /// The month's cap of finalized invoices is reached (counted inside the
    /// finalizing transaction, so concurrent finalizations cannot pass it).
    #[error("{limit} invoices were finalized this month already")]
    MonthlyCapReached {
        /// The cap.
        limit: u64,
    },
    /// Storage failed.
    #[error(transparent)]
    Unexpected(Unexpected),
}

/// At most `limit` invoices finalized since `month_start` (a plan's limit).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MonthlyCap {
    /// The cap.
    pub limit: u64,
    /// Where the month starts.
    pub month_start: chrono::DateTime<chrono::Utc>,
}

/// Why a payment could not be recorded.
#[derive(Debug, thiserror::Error)]
pub enum RecordPaymentError {
    /// The role may not write.
    #[error(transparent)]
    Forbidden(#[from] Forbidden),
    /// No such invoice in the tenant.
    #[error("no such invoice")]
    NotFound,
    /// Invalid fields.
    #[error("invalid payment: {0}")]
    Invalid(ValidationErrors),
    /// The invoice cannot take this payment.
    #[error(transparent)]
    Rule(#[from] PaymentRuleError),
    /// Storage failed.
    #[error(transparent)]
    Unexpected(Unexpected),
}

/// Why an invoice could not be sent.
#[derive(Debug, thiserror::Error)]
pub enum SendInvoiceError {
    /// The role may not write.
    #[error(transparent)]
    Forbidden(#[from] Forbidden),
    /// No such invoice in the tenant.
    #[error("no such invoice")]
    NotFound,
    /// Drafts are not legal documents yet; void invoices are cancelled.
    #[error("only finalized invoices that are not void can be sent")]
    NotSendable,
    /// The client has no email address.
    #[error("the client has no email address; add one to send the invoice")]
    NoRecipient,
    /// Storage failed.
    #[error(transparent)]
    Unexpected(Unexpected),
}

/// Why the reminders of an invoice could not be listed.
#[derive(Debug, thiserror::Error)]
pub enum ListRemindersError {
    /// No such invoice in the tenant.
    #[error("no such invoice")]
    NotFound,
    /// Storage failed.
    #[error(transparent)]
    Unexpected(Unexpected),
}

/// Why the payments of an invoice could not be listed.
#[derive(Debug, thiserror::Error)]
pub enum ListPaymentsError {
    /// No such invoice in the tenant.
    #[error("no such invoice")]
    NotFound,
    /// Storage failed.
    #[error(transparent)]
    Unexpected(Unexpected),
}

/// Why a public invoice page could not be shown.
#[derive(Debug, thiserror::Error)]
pub enum PublicInvoiceError {
    /// No finalized invoice has this token.
    #[error("no such invoice")]
    NotFound,
    /// Storage failed.
    #[error(transparent)]
    Unexpected(Unexpected),
}

/// What the client's public page shows.
#[derive(Clone, Debug)]
pub struct PublicInvoice {
    /// The invoice.
    pub invoice: InvoiceView,
    /// The issuer.
    pub organization: Organization,
    /// The client invoiced.
    pub client: Client,
}

unexpected_from!(
    SendInvoiceError,
    ListRemindersError,
    ListPaymentsError,
    PublicInvoiceError
);

unexpected_from!(
    CreateInvoiceError,
    GetInvoiceError,
    ListInvoicesError,
    UpdateInvoiceError,
    DeleteInvoiceError,
    FinalizeInvoiceError,
    RecordPaymentError,
);
