//! Invoices: drafts that can be edited freely, then finalized — numbered and
//! frozen — and paid. Status moves `draft → open → partially_paid → paid`
//! (or to `void` through a credit note); `overdue` is derived from the due
//! date and never stored.

mod content;
mod delivery;
pub mod line;
pub mod payment;
pub mod totals;

use chrono::{DateTime, NaiveDate, Utc};

use crate::kernel::money::{Currency, Money, MoneyError};
use crate::kernel::validation::ValidationErrors;
use crate::{ClientId, InvoiceId, RecurringInvoiceId, TenantId};

pub use delivery::Delivery;
pub use line::{InvoiceLine, LineFields};
pub use totals::{Totals, compute_totals};

/// Where an invoice is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum InvoiceStatus {
    /// Editable, unnumbered, not yet a legal document.
    Draft,
    /// Finalized and unpaid.
    Open,
    /// Finalized, paid in part.
    PartiallyPaid,
    /// Finalized, paid in full.
    Paid,
    /// Cancelled by a credit note.
    Void,
}

impl InvoiceStatus {
    /// The stable name used in the API and in storage.
    #[must_use]
    pub const fn as_str(&self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Open => "open",
            Self::PartiallyPaid => "partially_paid",
            Self::Paid => "paid",
            Self::Void => "void",
        }
    }

    /// Parses the stable name.
    #[must_use]
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "draft" => Some(Self::Draft),
            "open" => Some(Self::Open),
            "partially_paid" => Some(Self::PartiallyPaid),
            "paid" => Some(Self::Paid),
            "void" => Some(Self::Void),
            _ => None,
        }
    }

    /// Whether the invoice still expects money.
    #[must_use]
    pub const fn is_payable(&self) -> bool {
        matches!(self, Self::Open | Self::PartiallyPaid)
    }
}

/// The content of an invoice, validated. Editable while a draft.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvoiceContent {
    /// Who is invoiced.
    pub client_id: ClientId,
    /// The invoice currency.
    pub currency: Currency,
    /// Issue date; set to the finalization date when left empty.
    pub issue_date: Option<NaiveDate>,
    /// Due date; when empty it is the issue date plus the payment terms.
    pub due_date: Option<NaiveDate>,
    /// Days from issue to due date; exclusive with `due_date`.
    pub payment_terms_days: Option<u32>,
    /// Free text printed on the invoice.
    pub notes: Option<String>,
    /// The lines, in order.
    pub lines: Vec<InvoiceLine>,
}

/// Unvalidated invoice fields. For an update, `None` keeps a field and
/// `Some(None)` clears an optional one.
#[derive(Clone, Debug, Default)]
pub struct InvoiceFields {
    /// See [`InvoiceContent::client_id`]; its existence is checked by the service.
    pub client_id: Option<ClientId>,
    /// See [`InvoiceContent::currency`].
    pub currency: Option<String>,
    /// See [`InvoiceContent::issue_date`].
    pub issue_date: Option<Option<NaiveDate>>,
    /// See [`InvoiceContent::due_date`].
    pub due_date: Option<Option<NaiveDate>>,
    /// See [`InvoiceContent::payment_terms_days`].
    pub payment_terms_days: Option<Option<u32>>,
    /// See [`InvoiceContent::notes`].
    pub notes: Option<Option<String>>,
    /// See [`InvoiceContent::lines`]; replaces all lines.
    pub lines: Option<Vec<LineFields>>,
}

/// The most lines one invoice may have.
pub const MAX_LINES: usize = 500;
/// The longest payment terms accepted, in days.
pub const MAX_PAYMENT_TERMS_DAYS: u32 = 365;
const NOTES_MAX: usize = 5000;

/// An invoice as stored, with its computed totals.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invoice {
    /// The invoice's id.
    pub id: InvoiceId,
    /// The owning tenant.
    pub tenant_id: TenantId,
    /// The invoice number; `None` while a draft.
    pub number: Option<String>,
    /// The lifecycle status.
    pub status: InvoiceStatus,
    /// The content (frozen once finalized).
    pub content: InvoiceContent,
    /// The sum of the recorded payments.
    pub amount_paid: Money,
    /// When it was finalized.
    pub finalized_at: Option<DateTime<Utc>>,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it was last changed.
    pub updated_at: DateTime<Utc>,
    /// The public link and the last delivery to the client.
    pub delivery: Delivery,
    /// The recurring invoice that generated it, if any.
    pub recurring_invoice_id: Option<RecurringInvoiceId>,
    /// The client's details as they were when the invoice was finalized
    /// (an issued invoice keeps its buyer, whatever happens to the client).
    pub buyer: Option<Buyer>,
    /// Restriction and legal hold after an erasure request.
    pub hold: LegalHold,
    totals: Totals,
}

/// The buyer as printed on a finalized invoice.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Buyer {
    /// Person or company name.
    pub name: String,
    /// Postal address.
    pub address: Option<String>,
    /// ISO 3166-1 alpha-2 country of the address.
    pub country: Option<String>,
    /// VAT or other tax identifier.
    pub tax_id: Option<String>,
}

impl Buyer {
    /// The snapshot of a client's details.
    #[must_use]
    pub fn of(details: &crate::invoicing::client::ClientDetails) -> Self {
        Self {
            name: details.name.clone(),
            address: details.address.clone(),
            country: details.country.map(|c| c.code().to_owned()),
            tax_id: details.tax_id.clone(),
        }
    }
}

/// An invoice kept only because the law requires it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LegalHold {
    /// Processing is restricted: stored and shown to the tenant, used for nothing else.
    pub restricted: bool,
    /// The end of the statutory retention period; deleted after it.
    pub until: Option<NaiveDate>,
}

/// Why an invoice could not be finalized.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FinalizeRuleError {
    /// Only drafts can be finalized.
    #[error("only a draft can be finalized")]
    NotDraft,
    /// The content is not complete or not consistent.
    #[error("the invoice is not ready to be finalized: {0}")]
    Incomplete(ValidationErrors),
}

/// What finalization decides besides the number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FinalDates {
    /// The issue date, kept or set to today.
    pub issue_date: NaiveDate,
    /// The due date, kept or computed from the payment terms.
    pub due_date: NaiveDate,
}

impl Invoice {
    /// Assembles an invoice and computes its totals.
    ///
    /// # Errors
    /// [`MoneyError::TooLarge`] if an amount overflows, or
    /// [`MoneyError::CurrencyMismatch`] if `amount_paid` is in another currency.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        id: InvoiceId,
        tenant_id: TenantId,
        number: Option<String>,
        status: InvoiceStatus,
        content: InvoiceContent,
        amount_paid: Money,
        finalized_at: Option<DateTime<Utc>>,
        created_at: DateTime<Utc>,
        updated_at: DateTime<Utc>,
    ) -> Result<Self, MoneyError> {
        if amount_paid.currency() != content.currency {
            return Err(MoneyError::CurrencyMismatch);
        }
        let totals = content.totals()?;
        Ok(Self {
            id,
            tenant_id,
            number,
            status,
            content,
            amount_paid,
            finalized_at,
            created_at,
            updated_at,
            delivery: Delivery::default(),
            recurring_invoice_id: None,
            buyer: None,
            hold: LegalHold::default(),
            totals,
        })
    }

    /// A new draft.
    ///
    /// # Errors
    /// [`MoneyError::TooLarge`] if an amount overflows.
    pub fn draft(
        id: InvoiceId,
        tenant_id: TenantId,
        content: InvoiceContent,
        now: DateTime<Utc>,
    ) -> Result<Self, MoneyError> {
        let zero = Money::zero(content.currency);
        Self::new(id, tenant_id, None, InvoiceStatus::Draft, content, zero, None, now, now)
    }

    /// The computed totals.
    #[must_use]
    pub fn totals(&self) -> &Totals {
        &self.totals
    }

    /// What is still to be paid.
    #[must_use]
    pub fn balance_due(&self) -> Money {
        Money::from_minor(
            self.totals.total.minor().saturating_sub(self.amount_paid.minor()),
            self.content.currency,
        )
    }

    /// Whether the invoice is unpaid after its due date, as of `today`.
    #[must_use]
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.status.is_payable() && self.content.due_date.is_some_and(|due| due < today)
    }

    /// Replaces a draft's content.
    ///
    /// # Errors
    /// [`FinalizeRuleError::NotDraft`] once finalized; [`MoneyError`] wrapped in
    /// `Incomplete` when an amount overflows.
    pub fn replace_content(&mut self, content: InvoiceContent, now: DateTime<Utc>) -> Result<(), FinalizeRuleError> {
        if self.status != InvoiceStatus::Draft {
            return Err(FinalizeRuleError::NotDraft);
        }
        self.totals = content.totals().map_err(|e| {
            FinalizeRuleError::Incomplete(ValidationErrors::single("lines", "out_of_range", e.to_string()))
        })?;
        self.amount_paid = Money::zero(content.currency);
        self.content = content;
        self.updated_at = now;
        Ok(())
    }

    /// Checks a draft can be finalized on `today` and decides its dates.
    ///
    /// # Errors
    /// [`FinalizeRuleError::NotDraft`] unless a draft;
    /// [`FinalizeRuleError::Incomplete`] without lines, with a negative total,
    /// or with a due date before the issue date.
    pub fn finalization_dates(
        &self,
        today: NaiveDate,
        default_terms_days: u32,
    ) -> Result<FinalDates, FinalizeRuleError> {
        if self.status != InvoiceStatus::Draft {
            return Err(FinalizeRuleError::NotDraft);
        }
        let mut errors = ValidationErrors::new();
        if self.content.lines.is_empty() {
            errors.add("lines", "required", "an invoice needs at least one line");
        }
        if self.totals.total.is_negative() {
            errors.add(
                "lines",
                "negative_total",
                "the total must not be negative; issue a credit note instead",
            );
        }
        let issue_date = self.content.issue_date.unwrap_or(today);
        let due_date = self.content.due_date_for(issue_date, default_terms_days);
        if due_date < issue_date {
            errors.add("due_date", "before_issue_date", "must not be before the issue date");
        }
        if !errors.is_empty() {
            return Err(FinalizeRuleError::Incomplete(errors));
        }
        Ok(FinalDates { issue_date, due_date })
    }

    /// Freezes the draft with its number and dates.
    pub fn mark_finalized(&mut self, number: String, dates: FinalDates, now: DateTime<Utc>) {
        self.number = Some(number);
        // Nothing to collect on a zero invoice: it is settled on issue.
        self.status = if self.totals.total.minor() == 0 {
            InvoiceStatus::Paid
        } else {
            InvoiceStatus::Open
        };
        self.content.issue_date = Some(dates.issue_date);
        self.content.due_date = Some(dates.due_date);
        self.finalized_at = Some(now);
        self.updated_at = now;
    }
}

#[cfg(test)]
mod tests;
