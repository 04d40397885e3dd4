//! The request and response bodies of the invoice operations.

use super::super::decimal::DecimalString;
use chrono::{DateTime, NaiveDate, Utc};
use fakturo_domain::invoicing::invoice::InvoiceStatus;
use poem_openapi::payload::Json;
use poem_openapi::types::MaybeUndefined;
use poem_openapi::{ApiResponse, Enum, Object};
use uuid::Uuid;

/// An invoice's status; `overdue` is reported separately.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[oai(rename_all = "snake_case")]
pub(super) enum Status {
    Draft,
    Open,
    PartiallyPaid,
    Paid,
    Void,
}

impl From<InvoiceStatus> for Status {
    fn from(status: InvoiceStatus) -> Self {
        match status {
            InvoiceStatus::Draft => Self::Draft,
            InvoiceStatus::Open => Self::Open,
            InvoiceStatus::PartiallyPaid => Self::PartiallyPaid,
            InvoiceStatus::Paid => Self::Paid,
            InvoiceStatus::Void => Self::Void,
        }
    }
}

impl From<Status> for InvoiceStatus {
    fn from(status: Status) -> Self {
        match status {
            Status::Draft => Self::Draft,
            Status::Open => Self::Open,
            Status::PartiallyPaid => Self::PartiallyPaid,
            Status::Paid => Self::Paid,
            Status::Void => Self::Void,
        }
    }
}

/// How a payment arrived.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[oai(rename_all = "snake_case")]
pub(super) enum Method {
    BankTransfer,
    Card,
    Cash,
    Cheque,
    Other,
}

impl Method {
    pub(super) fn as_str(self) -> &'static str {
        match self {
            Self::BankTransfer => "bank_transfer",
            Self::Card => "card",
            Self::Cash => "cash",
            Self::Cheque => "cheque",
            Self::Other => "other",
        }
    }
}

/// One line of a new or changed invoice. Numbers are decimal strings.
#[derive(Object, Clone)]
#[oai(deny_unknown_fields)]
pub(crate) struct LineInput {
    /// What is invoiced.
    pub(crate) description: String,
    /// Above 0, up to 6 decimals: `"1.5"`.
    pub(crate) quantity: DecimalString,
    /// Price per unit, up to 6 decimals: `"19.99"`.
    pub(crate) unit_price: DecimalString,
    /// Percent, 0 to 100: `"19"`.
    pub(crate) tax_rate: DecimalString,
    /// Percent, 0 to 100; default `"0"`.
    pub(crate) discount_percent: Option<DecimalString>,
    /// The catalogue product the line came from.
    pub(crate) product_id: Option<Uuid>,
}

/// A new draft invoice.
#[derive(Object, Clone)]
#[oai(deny_unknown_fields)]
pub(super) struct InvoiceCreate {
    /// The client invoiced.
    pub(super) client_id: Uuid,
    /// ISO 4217; default: the client's currency, else the organization's.
    pub(super) currency: Option<String>,
    /// Default: the day of finalization.
    pub(super) issue_date: Option<NaiveDate>,
    /// Give either this or `payment_terms_days`.
    pub(super) due_date: Option<NaiveDate>,
    /// Days from issue to due date; default: the organization's terms.
    pub(super) payment_terms_days: Option<u32>,
    /// The lines, in order.
    pub(super) lines: Vec<LineInput>,
    /// Free text printed on the invoice.
    pub(super) notes: Option<String>,
}

/// Changes to a draft: absent fields are kept, `null` clears, `lines` replaces all lines.
#[derive(Object, Clone)]
#[oai(deny_unknown_fields)]
pub(super) struct InvoicePatch {
    pub(super) client_id: Option<Uuid>,
    pub(super) currency: Option<String>,
    pub(super) issue_date: MaybeUndefined<NaiveDate>,
    pub(super) due_date: MaybeUndefined<NaiveDate>,
    pub(super) payment_terms_days: MaybeUndefined<u32>,
    pub(super) lines: Option<Vec<LineInput>>,
    pub(super) notes: MaybeUndefined<String>,
}

/// A line with its computed amounts.
#[derive(Object)]
pub(super) struct LineView {
    pub(super) description: String,
    pub(super) quantity: DecimalString,
    pub(super) unit_price: DecimalString,
    pub(super) tax_rate: DecimalString,
    pub(super) discount_percent: DecimalString,
    pub(super) product_id: Option<Uuid>,
    /// `round(quantity × unit_price × (1 − discount/100))`.
    pub(super) net_amount: DecimalString,
    /// This line's share of tax, for display; the invoice's tax is computed per rate.
    pub(super) tax_amount: DecimalString,
}

/// The tax of one rate.
#[derive(Object)]
pub(super) struct TaxBreakdownView {
    pub(super) tax_rate: DecimalString,
    /// The sum of the net amounts at this rate.
    pub(super) taxable_amount: DecimalString,
    pub(super) tax_amount: DecimalString,
}

/// An invoice with its computed totals.
#[derive(Object)]
pub(super) struct InvoiceView {
    pub(super) id: Uuid,
    /// Assigned at finalization; `null` for drafts.
    pub(super) number: Option<String>,
    pub(super) status: Status,
    pub(super) client_id: Uuid,
    pub(super) currency: String,
    pub(super) issue_date: Option<NaiveDate>,
    pub(super) due_date: Option<NaiveDate>,
    pub(super) payment_terms_days: Option<u32>,
    pub(super) notes: Option<String>,
    pub(super) lines: Vec<LineView>,
    pub(super) tax_breakdown: Vec<TaxBreakdownView>,
    pub(super) subtotal: DecimalString,
    pub(super) tax_total: DecimalString,
    pub(super) total: DecimalString,
    pub(super) amount_paid: DecimalString,
    pub(super) balance_due: DecimalString,
    /// Unpaid after the due date, in the organization's time zone.
    pub(super) overdue: bool,
    /// The client's view of the invoice, once it has been sent.
    pub(super) public_url: Option<String>,
    /// When the invoice was last emailed to the client.
    pub(super) sent_at: Option<DateTime<Utc>>,
    /// To whom it was last emailed.
    pub(super) sent_to: Option<String>,
    /// The buyer as printed on the invoice, frozen at finalization.
    pub(super) buyer: Option<BuyerView>,
    /// Kept only because the law requires it (after the client's erasure): processing is restricted.
    pub(super) restricted: bool,
    /// The end of the statutory retention period of a restricted invoice; deleted after it.
    pub(super) legal_hold_until: Option<NaiveDate>,
    pub(super) finalized_at: Option<DateTime<Utc>>,
    pub(super) created_at: DateTime<Utc>,
    pub(super) updated_at: DateTime<Utc>,
}

/// The buyer as printed on a finalized invoice.
#[derive(Object)]
pub(super) struct BuyerView {
    pub(super) name: String,
    pub(super) address: Option<String>,
    pub(super) country: Option<String>,
    pub(super) tax_id: Option<String>,
}

/// A page of invoices, newest first.
#[derive(Object)]
pub(super) struct InvoiceList {
    pub(super) data: Vec<InvoiceView>,
    /// Pass as `cursor` for the next page; `null` on the last page.
    pub(super) next_cursor: Option<String>,
}

/// A payment to record.
#[derive(Object, Clone)]
#[oai(deny_unknown_fields)]
pub(super) struct PaymentCreate {
    /// Decimal string in the invoice currency, above zero, at most the balance due.
    pub(super) amount: DecimalString,
    /// The day the money arrived.
    pub(super) paid_on: NaiveDate,
    pub(super) method: Method,
    /// Bank reference or note.
    pub(super) reference: Option<String>,
}

/// A recorded payment.
#[derive(Object)]
pub(super) struct PaymentView {
    pub(super) id: Uuid,
    pub(super) invoice_id: Uuid,
    /// Decimal string; negative for a refund.
    pub(super) amount: DecimalString,
    pub(super) currency: String,
    pub(super) paid_on: NaiveDate,
    pub(super) method: Method,
    pub(super) reference: Option<String>,
    pub(super) created_at: DateTime<Utc>,
}

/// A page of an invoice's payments, newest first; refunds have negative amounts.
#[derive(Object)]
pub(super) struct PaymentList {
    pub(super) data: Vec<PaymentView>,
    /// Pass as `cursor` for the next page; `null` on the last page.
    pub(super) next_cursor: Option<String>,
}

/// The payment and the invoice after it.
#[derive(Object)]
pub(super) struct PaymentRecorded {
    pub(super) payment: PaymentView,
    pub(super) invoice: InvoiceView,
}

/// One payment reminder of an invoice.
#[derive(Object)]
pub(super) struct ReminderView {
    /// Days from the due date of the rule it belongs to (negative: before).
    pub(super) days_from_due: i32,
    /// The day it was due to go out.
    pub(super) due_on: NaiveDate,
    /// `queued`, `sent`, `skipped` (superseded or excluded) or `cancelled` (settled meanwhile).
    pub(super) status: String,
    /// To whom it went.
    pub(super) recipient: Option<String>,
    /// When it went.
    pub(super) sent_at: Option<DateTime<Utc>>,
}

/// The reminders of an invoice.
#[derive(Object)]
pub(super) struct ReminderList {
    pub(super) data: Vec<ReminderView>,
}

#[derive(ApiResponse)]
pub(super) enum InvoiceSending {
    /// The email is queued; `public_url` is the client's link.
    #[oai(status = 202)]
    Accepted(Json<InvoiceView>),
}

#[derive(ApiResponse)]
pub(super) enum InvoiceCreated {
    /// The new draft.
    #[oai(status = 201)]
    Created(Json<InvoiceView>),
}

#[derive(ApiResponse)]
pub(super) enum InvoiceDeleted {
    /// The draft is gone.
    #[oai(status = 204)]
    Deleted,
}

#[derive(ApiResponse)]
pub(super) enum PaymentCreated {
    /// The payment was recorded.
    #[oai(status = 201)]
    Created(Json<PaymentRecorded>),
}
