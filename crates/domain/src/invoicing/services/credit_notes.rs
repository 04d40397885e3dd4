//! Credit notes: voiding a finalized invoice issues a credit note of its
//! own gap-free series (`CN-{YYYY}-{SEQ:4}`) that references the invoice
//! and exactly negates its totals, and marks the invoice `void` — one
//! transaction, so a failure uses up no number and leaves the invoice as it
//! was.

use std::sync::Arc;

use super::{issuer, today};
use crate::InvoiceId;
use crate::access::user::{Forbidden, Principal};
use crate::invoicing::credit_note::CreditNote;
use crate::invoicing::invoice::InvoiceStatus;
use crate::invoicing::ports::InvoicingStore;
use crate::kernel::clock::Clock;
use crate::kernel::errors::{Unexpected, unexpected_from};
use crate::kernel::ids::IdGenerator;
use crate::kernel::money::Money;
use crate::kernel::numbering::NumberPattern;
use crate::kernel::pagination::{Page, PageRequest};
use crate::kernel::repository::RepositoryError;
use crate::kernel::validation::{ValidationErrors, optional_text};

/// The numbering pattern of credit notes: `CN-2026-0001`.
pub const CREDIT_NOTE_PATTERN: &str = "CN-{YYYY}-{SEQ:4}";

/// Why an invoice could not be voided.
#[derive(Debug, thiserror::Error)]
pub enum VoidInvoiceError {
    /// The role may not write.
    #[error(transparent)]
    Forbidden(#[from] Forbidden),
    /// No such invoice in the organization.
    #[error("no such invoice")]
    NotFound,
    /// A draft is deleted, not voided.
    #[error("only a finalized invoice can be voided; delete a draft instead")]
    NotFinalized,
    /// It was voided before.
    #[error("the invoice is already void (credit note {0})")]
    AlreadyVoid(String),
    /// An over-long reason.
    #[error("invalid reason: {0}")]
    Invalid(ValidationErrors),
    /// Storage failed.
    #[error(transparent)]
    Unexpected(Unexpected),
}

unexpected_from!(VoidInvoiceError);

/// Why a credit note could not be read.
#[derive(Debug, thiserror::Error)]
pub enum CreditNoteError {
    /// No such credit note in the organization.
    #[error("no such credit note")]
    NotFound,
    /// Storage failed.
    #[error(transparent)]
    Unexpected(Unexpected),
}

unexpected_from!(CreditNoteError);

/// Credit note use cases.
#[derive(Clone)]
pub struct CreditNoteService {
    store: Arc<dyn InvoicingStore>,
    clock: Arc<dyn Clock>,
    ids: Arc<dyn IdGenerator>,
}

impl CreditNoteService {
    /// The service on `ports`.
    #[must_use]
    pub fn new(store: Arc<dyn InvoicingStore>, clock: Arc<dyn Clock>, ids: Arc<dyn IdGenerator>) -> Self {
        Self { store, clock, ids }
    }

    /// Voids a finalized invoice by issuing its credit note, dated today in
    /// the organization's time zone.
    ///
    /// # Errors
    /// See [`VoidInvoiceError`].
    pub async fn void(
        &self,
        who: &Principal,
        invoice_id: InvoiceId,
        reason: Option<&str>,
    ) -> Result<CreditNote, VoidInvoiceError> {
        let tenant = who.writer("void invoices")?.tenant();
        let reason = optional_text(reason.unwrap_or_default(), 1_000).map_err(|e| {
            let mut errors = ValidationErrors::new();
            errors.add("reason", crate::kernel::validation::HasCode::code(&e), e.to_string());
            VoidInvoiceError::Invalid(errors)
        })?;
        let uow = self.store.begin().await?;
        let invoice = uow
            .invoices()
            .get_for_update(tenant, invoice_id)
            .await?
            .ok_or(VoidInvoiceError::NotFound)?;
        match invoice.status {
            InvoiceStatus::Draft => return Err(VoidInvoiceError::NotFinalized),
            InvoiceStatus::Void => {
                let number = uow
                    .credit_notes()
                    .for_invoice(tenant, invoice_id)
                    .await?
                    .map(|c| c.number)
                    .unwrap_or_default();
                return Err(VoidInvoiceError::AlreadyVoid(number));
            }
            InvoiceStatus::Open | InvoiceStatus::PartiallyPaid | InvoiceStatus::Paid => {}
        }
        let organization = issuer(uow.as_ref(), tenant).await?;
        let issue_date = today(self.clock.as_ref(), &organization);
        let now = self.clock.now();
        let pattern = credit_note_pattern();
        let sequence = uow
            .numbering()
            .next_in_series(tenant, &format!("credit-note:{}", pattern.series_key(issue_date)))
            .await?;
        let totals = invoice.totals();
        let negate = |money: Money| Money::from_minor(-money.minor(), money.currency());
        let note = CreditNote {
            id: self.ids.new_uuid(),
            tenant_id: tenant,
            invoice_id,
            number: pattern.render(issue_date, sequence),
            issue_date,
            reason,
            subtotal: negate(totals.subtotal),
            tax_total: negate(totals.tax_total),
            total: negate(totals.total),
            created_at: now,
        };
        if !uow.credit_notes().void_invoice(tenant, invoice_id, now).await? {
            return Err(VoidInvoiceError::NotFinalized);
        }
        match uow.credit_notes().insert(&note).await {
            Err(RepositoryError::Duplicate { .. }) => return Err(VoidInvoiceError::AlreadyVoid(String::new())),
            other => other?,
        }
        uow.commit().await?;
        Ok(note)
    }

    /// One credit note.
    ///
    /// # Errors
    /// [`CreditNoteError::NotFound`].
    pub async fn get(&self, who: &Principal, id: uuid::Uuid) -> Result<CreditNote, CreditNoteError> {
        let uow = self.store.begin().await?;
        uow.credit_notes()
            .get(who.reader().tenant(), id)
            .await?
            .ok_or(CreditNoteError::NotFound)
    }

    /// A page of credit notes, newest first.
    ///
    /// # Errors
    /// [`CreditNoteError::Unexpected`].
    pub async fn list(&self, who: &Principal, page: PageRequest) -> Result<Page<CreditNote>, CreditNoteError> {
        let uow = self.store.begin().await?;
        Ok(uow.credit_notes().list(who.reader().tenant(), page).await?)
    }
}

/// The credit note numbering pattern.
#[must_use]
pub fn credit_note_pattern() -> NumberPattern {
    NumberPattern::parse(CREDIT_NOTE_PATTERN).unwrap_or_else(|_| NumberPattern::default_invoice())
}

#[cfg(test)]
mod tests;
