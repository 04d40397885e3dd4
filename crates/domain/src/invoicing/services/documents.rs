//! The facts behind a rendered document: the invoice PDF and e-invoices,
//! the credit note PDF and the final payment reminder letter. This module
//! gathers what a document shows (issuer, buyer as invoiced, lines, totals,
//! the credit note or the reminder's figures) and checks who may see it;
//! the documents adapter lays it out. Reading a document changes nothing.

use chrono::{Days, NaiveDate};

use std::sync::Arc;

use super::{issuer, today};
use crate::InvoiceId;
use crate::TenantId;
use crate::access::user::Principal;
use crate::invoicing::client::Client;
use crate::invoicing::credit_note::CreditNote;
use crate::invoicing::invoice::{Buyer, Invoice, InvoiceStatus};
use crate::invoicing::ports::{InvoicingStore, InvoicingUnit};
use crate::invoicing::reminders::ReminderStatus;
use crate::kernel::clock::Clock;
use crate::kernel::errors::{Unexpected, unexpected_from};
use crate::tenancy::Organization;

/// Days a final reminder letter gives the client to pay.
pub const FINAL_REMINDER_DAYS: u64 = 7;

/// What a document is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DocumentSubject {
    /// The invoice itself (a draft renders as a marked preview).
    Invoice,
    /// The credit note that voided the invoice.
    CreditNote(CreditNote),
    /// The final payment reminder about the unpaid invoice.
    ReminderLetter(ReminderLetter),
}

/// The figures of a final payment reminder letter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReminderLetter {
    /// The letter's date: today in the organization's time zone.
    pub date: NaiveDate,
    /// 1 + the overdue reminders already sent by email.
    pub level: u32,
    /// The missed due date.
    pub original_due_date: NaiveDate,
    /// Days from the missed due date to the letter.
    pub days_overdue: u32,
    /// The new deadline: [`FINAL_REMINDER_DAYS`] after the letter.
    pub pay_by: NaiveDate,
}

/// Everything a document shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocumentData {
    /// Invoice, credit note or reminder letter.
    pub subject: DocumentSubject,
    /// The issuer.
    pub organization: Organization,
    /// The invoice (for a credit note, the voided one).
    pub invoice: Invoice,
    /// The buyer as invoiced: the finalized invoice's snapshot, else the
    /// client's current details.
    pub buyer: Buyer,
    /// The buyer's email address, while the client record keeps one.
    pub buyer_email: Option<String>,
    /// The client's preferred locale, if known.
    pub buyer_locale: Option<String>,
}

impl DocumentData {
    /// A draft's preview: it has no number and is not an invoice yet.
    #[must_use]
    pub fn is_draft(&self) -> bool {
        self.invoice.status == InvoiceStatus::Draft
    }

    /// The file name to offer, such as `INV-2026-0001.pdf`, from the
    /// document's number (never from personal data).
    #[must_use]
    pub fn file_stem(&self) -> String {
        let number = match &self.subject {
            DocumentSubject::CreditNote(note) => note.number.clone(),
            DocumentSubject::ReminderLetter(_) => {
                format!("reminder-{}", self.invoice.number.as_deref().unwrap_or("draft"))
            }
            DocumentSubject::Invoice => self.invoice.number.clone().unwrap_or_else(|| "draft".to_owned()),
        };
        number
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                    c
                } else {
                    '_'
                }
            })
            .collect()
    }
}

/// Why a document could not be produced.
#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    /// No such invoice or credit note (the kind named) in the organization.
    #[error("no such {0}")]
    NotFound(&'static str),
    /// An e-invoice or a reminder needs a finalized invoice.
    #[error("the invoice is a draft; finalize it first")]
    NotFinalized,
    /// A reminder letter is only for an unpaid invoice past its due date.
    #[error("the invoice is not overdue: {0}")]
    NotOverdue(&'static str),
    /// The invoice is kept under legal hold after an erasure request:
    /// its client is not dunned any more.
    #[error("the invoice is restricted after an erasure request; it is kept, not collected")]
    Restricted,
    /// Storage failed.
    #[error(transparent)]
    Unexpected(Unexpected),
}

unexpected_from!(DocumentError);

const INVOICE_NOT_FOUND: DocumentError = DocumentError::NotFound("invoice");

/// Document use cases.
#[derive(Clone)]
pub struct DocumentService {
    store: Arc<dyn InvoicingStore>,
    clock: Arc<dyn Clock>,
}

impl DocumentService {
    /// The service on `ports`.
    #[must_use]
    pub fn new(store: Arc<dyn InvoicingStore>, clock: Arc<dyn Clock>) -> Self {
        Self { store, clock }
    }

    /// The invoice as a document; every role may read it. A draft gives a
    /// preview ([`DocumentData::is_draft`]).
    ///
    /// # Errors
    /// [`DocumentError::NotFound`] for an unknown or foreign invoice.
    pub async fn invoice(&self, who: &Principal, id: InvoiceId) -> Result<DocumentData, DocumentError> {
        let tenant = who.reader().tenant();
        let uow = self.store.begin().await?;
        let invoice = uow.invoices().get(tenant, id).await?.ok_or(INVOICE_NOT_FOUND)?;
        gather(uow.as_ref(), tenant, invoice, DocumentSubject::Invoice, None).await
    }

    /// The credit note as a document.
    ///
    /// # Errors
    /// [`DocumentError::NotFound`] for an unknown or foreign credit note.
    pub async fn credit_note(&self, who: &Principal, id: uuid::Uuid) -> Result<DocumentData, DocumentError> {
        let tenant = who.reader().tenant();
        let uow = self.store.begin().await?;
        let note = uow
            .credit_notes()
            .get(tenant, id)
            .await?
            .ok_or(DocumentError::NotFound("credit note"))?;
        let invoice = uow
            .invoices()
            .get(tenant, note.invoice_id)
            .await?
            .ok_or(DocumentError::NotFound("credit note"))?;
        gather(uow.as_ref(), tenant, invoice, DocumentSubject::CreditNote(note), None).await
    }

    /// The final payment reminder letter of an unpaid invoice past its due
    /// date, dated today with a new deadline a week later.
    ///
    /// # Errors
    /// - [`DocumentError::NotFound`] for an unknown or foreign invoice.
    /// - [`DocumentError::NotFinalized`] for a draft.
    /// - [`DocumentError::NotOverdue`] when nothing is overdue.
    /// - [`DocumentError::Restricted`] under legal hold after an erasure.
    pub async fn reminder_letter(&self, who: &Principal, id: InvoiceId) -> Result<DocumentData, DocumentError> {
        let tenant = who.reader().tenant();
        let uow = self.store.begin().await?;
        let invoice = uow.invoices().get(tenant, id).await?.ok_or(INVOICE_NOT_FOUND)?;
        match invoice.status {
            InvoiceStatus::Draft => return Err(DocumentError::NotFinalized),
            InvoiceStatus::Paid => return Err(DocumentError::NotOverdue("it is paid")),
            InvoiceStatus::Void => return Err(DocumentError::NotOverdue("it is void")),
            InvoiceStatus::Open | InvoiceStatus::PartiallyPaid => {}
        }
        if invoice.hold.restricted {
            return Err(DocumentError::Restricted);
        }
        let org = issuer(uow.as_ref(), tenant).await?;
        let date = today(self.clock.as_ref(), &org);
        let Some(original_due_date) = invoice.content.due_date.filter(|due| *due < date) else {
            return Err(DocumentError::NotOverdue("its due date has not passed"));
        };
        let sent_overdue = uow
            .reminders()
            .for_invoice(tenant, id)
            .await?
            .iter()
            .filter(|r| r.status == ReminderStatus::Sent && r.days_from_due > 0)
            .count();
        let letter = ReminderLetter {
            date,
            level: u32::try_from(sent_overdue).unwrap_or(u32::MAX).saturating_add(1),
            original_due_date,
            days_overdue: u32::try_from((date - original_due_date).num_days()).unwrap_or(0),
            pay_by: date.checked_add_days(Days::new(FINAL_REMINDER_DAYS)).unwrap_or(date),
        };
        gather(
            uow.as_ref(),
            tenant,
            invoice,
            DocumentSubject::ReminderLetter(letter),
            Some(org),
        )
        .await
    }

    /// The invoice behind a public link, for the client's PDF; `None`
    /// exactly where the public page is not found (the caller answers 404).
    ///
    /// # Errors
    /// [`DocumentError::Unexpected`] when storage fails.
    pub async fn public_invoice(&self, token: &str) -> Result<Option<DocumentData>, DocumentError> {
        let uow = self.store.begin().await?;
        let Some(invoice) = super::invoices::public_invoice(uow.as_ref(), token).await? else {
            return Ok(None);
        };
        let tenant = invoice.tenant_id;
        gather(uow.as_ref(), tenant, invoice, DocumentSubject::Invoice, None)
            .await
            .map(Some)
    }

    /// The finalized invoice an email job delivers, for its attachment;
    /// `None` when it is gone or a draft.
    ///
    /// # Errors
    /// [`DocumentError::Unexpected`] when storage fails.
    pub async fn for_delivery(&self, tenant: TenantId, id: InvoiceId) -> Result<Option<DocumentData>, DocumentError> {
        let uow = self.store.begin().await?;
        let Some(invoice) = uow
            .invoices()
            .get(tenant, id)
            .await?
            .filter(|invoice| invoice.status != InvoiceStatus::Draft)
        else {
            return Ok(None);
        };
        gather(uow.as_ref(), tenant, invoice, DocumentSubject::Invoice, None)
            .await
            .map(Some)
    }
}

/// The document's data; `organization` when the caller has read it already.
async fn gather(
    uow: &dyn InvoicingUnit,
    tenant: TenantId,
    invoice: Invoice,
    subject: DocumentSubject,
    organization: Option<Organization>,
) -> Result<DocumentData, DocumentError> {
    let organization = match organization {
        Some(known) => known,
        None => issuer(uow, tenant).await?,
    };
    let client: Option<Client> = uow.clients().get(tenant, invoice.content.client_id).await?;
    let buyer = match (&invoice.buyer, &client) {
        (Some(snapshot), _) => snapshot.clone(),
        (None, Some(client)) => Buyer::of(&client.details),
        (None, None) => return Err(INVOICE_NOT_FOUND),
    };
    let buyer_email = client
        .as_ref()
        .and_then(|c| c.details.email.as_ref())
        .map(|email| email.as_str().to_owned());
    let buyer_locale = client.and_then(|c| c.details.locale);
    Ok(DocumentData {
        subject,
        organization,
        invoice,
        buyer,
        buyer_email,
        buyer_locale,
    })
}

#[cfg(test)]
mod tests;
