//! The document model: everything a rendered invoice, credit note or payment
//! reminder shows, with the amounts already computed. The server maps its
//! domain data into a [`Document`]; this crate renders it and never computes
//! an amount itself (it only checks that the given amounts agree, see
//! [`Document::check`]).
//!
//! Sign convention: every amount of a credit note is given as a positive
//! value (the amount credited). The document type says that it is a credit:
//! UBL writes a `CreditNote` document, CII the type code 381, both with
//! positive amounts, as EN 16931 and Peppol expect.

mod line;
mod party;

use chrono::NaiveDate;
use fakturo_domain::kernel::money::{Currency, Money};

pub use line::{DocumentLine, TaxCategory, TaxLine};
pub use party::{ElectronicAddress, Party};

/// What kind of document this is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DocumentKind {
    /// A commercial invoice (UNCL1001 type code 380).
    Invoice,
    /// A credit note (UNCL1001 type code 381); its amounts are positive and
    /// it should name the invoice it corrects in
    /// [`Document::preceding_invoice`].
    CreditNote,
    /// A payment reminder (dunning letter) about an unpaid invoice. The
    /// document's `number` is the reminded invoice's number, `issue_date` is
    /// the date of the letter, `due_date` the new payment deadline and
    /// `amount_due` the amount outstanding.
    PaymentReminder(ReminderDetails),
}

impl DocumentKind {
    /// The UNCL1001 document type code of an e-invoice, `None` for a reminder.
    #[must_use]
    pub fn type_code(&self) -> Option<&'static str> {
        match self {
            Self::Invoice => Some("380"),
            Self::CreditNote => Some("381"),
            Self::PaymentReminder(_) => None,
        }
    }

    /// A short stable name (`invoice`, `credit-note`, `reminder`).
    #[must_use]
    pub fn slug(&self) -> &'static str {
        match self {
            Self::Invoice => "invoice",
            Self::CreditNote => "credit-note",
            Self::PaymentReminder(_) => "reminder",
        }
    }
}

/// What a payment reminder says about the overdue invoice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReminderDetails {
    /// 1 for the first reminder, 2 for the second, and so on.
    pub level: u32,
    /// True for the last reminder before further steps (the letter says so).
    pub is_final: bool,
    /// The issue date of the reminded invoice.
    pub invoice_issue_date: NaiveDate,
    /// The due date the invoice missed.
    pub original_due_date: NaiveDate,
    /// Days between the original due date and the letter's issue date.
    pub days_overdue: u32,
}

/// The language of the labels and of number and date formats.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Language {
    /// English: `1,234.56`, `15 January 2026`.
    #[default]
    En,
    /// German: `1.234,56`, `15.01.2026`.
    De,
}

impl Language {
    /// The ISO 639-1 code (`en`, `de`).
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::De => "de",
        }
    }
}

/// How the buyer is asked to pay.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PaymentDetails {
    /// The payee's IBAN (BT-84); with it the e-invoices say SEPA credit
    /// transfer (payment means code 58).
    pub iban: Option<String>,
    /// The payee's BIC (BT-86).
    pub bic: Option<String>,
    /// The account holder's name (BT-85).
    pub account_holder: Option<String>,
    /// The remittance information the buyer should quote (BT-83).
    pub reference: Option<String>,
    /// Free-text payment terms (BT-20), such as "Payable within 14 days".
    pub terms_text: Option<String>,
}

/// The invoice a credit note corrects (BT-25, BT-26).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrecedingInvoice {
    /// The preceding invoice's number (BT-25).
    pub number: String,
    /// The preceding invoice's issue date (BT-26).
    pub issue_date: NaiveDate,
}

/// A finished invoice, credit note or payment reminder, ready to render.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Document {
    /// Invoice, credit note or reminder.
    pub kind: DocumentKind,
    /// The document number (BT-1), such as `INV-2026-0001`.
    pub number: String,
    /// The issue date (BT-2); also the PDF's creation date.
    pub issue_date: NaiveDate,
    /// The payment due date (BT-9), if any.
    pub due_date: Option<NaiveDate>,
    /// The date of supply (BT-72), if any; German invoices must state it.
    pub delivery_date: Option<NaiveDate>,
    /// The document currency (BT-5); every amount is in it.
    pub currency: Currency,
    /// The seller (BG-4).
    pub seller: Party,
    /// The buyer (BG-7).
    pub buyer: Party,
    /// The lines (BG-25), in order.
    pub lines: Vec<DocumentLine>,
    /// The VAT breakdown (BG-23), one entry per category and rate.
    pub tax_breakdown: Vec<TaxLine>,
    /// The sum of the line net amounts (BT-106); with no document-level
    /// allowances or charges also the tax exclusive amount (BT-109).
    pub subtotal: Money,
    /// The total VAT (BT-110).
    pub tax_total: Money,
    /// `subtotal + tax_total` (BT-112).
    pub total: Money,
    /// What was already paid (BT-113).
    pub amount_paid: Money,
    /// `total − amount_paid` (BT-115).
    pub amount_due: Money,
    /// Payment instructions, if any.
    pub payment: Option<PaymentDetails>,
    /// For a credit note: the invoice it corrects.
    pub preceding_invoice: Option<PrecedingInvoice>,
    /// A free-text note (BT-22).
    pub notes: Option<String>,
    /// The buyer's reference (BT-10); the e-invoices use the document
    /// number when it is absent, since Peppol needs one.
    pub buyer_reference: Option<String>,
    /// The language of the PDF.
    pub language: Language,
}

impl Document {
    /// The buyer reference to put in an e-invoice: the given one, else the
    /// document number.
    #[must_use]
    pub fn effective_buyer_reference(&self) -> &str {
        match &self.buyer_reference {
            Some(reference) if !reference.trim().is_empty() => reference,
            _ => &self.number,
        }
    }
}
