//! Invoicing use cases. Each takes the acting [`crate::access::Principal`]
//! (which fixes the tenant), checks its role through a capability handle,
//! runs in one [`InvoicingUnit`] and returns a result or its own error enum.

mod clients;
mod credit_notes;
mod delivery;
mod documents;
mod invoices;
mod issuing;
mod recurring;
mod reminders;
mod scheduling;

use chrono::NaiveDate;

pub use clients::{
    ClientService, CreateClientError, DeleteClientError, GetClientError, ListClientsError, UpdateClientError,
};
pub use credit_notes::{
    CREDIT_NOTE_PATTERN, CreditNoteError, CreditNoteService, VoidInvoiceError, credit_note_pattern,
};
pub use delivery::InvoiceDelivery;
pub use documents::{
    DocumentData, DocumentError, DocumentService, DocumentSubject, FINAL_REMINDER_DAYS, ReminderLetter,
};
pub use invoices::{
    CreateInvoiceError, DeleteInvoiceError, FinalizeInvoiceError, GetInvoiceError, InvoiceQuery, InvoiceService,
    InvoiceView, ListInvoicesError, ListPaymentsError, ListRemindersError, MonthlyCap, PublicInvoice,
    PublicInvoiceError, RecordPaymentError, SendInvoiceError, UpdateInvoiceError,
};
pub use recurring::{ReadRecurringError, RecurringFields, RecurringService, WriteRecurringError};
pub use reminders::{ReadReminderSettingsError, ReminderService, SaveReminderSettingsError};
pub use scheduling::{InvoicingRun, InvoicingScheduler, IssuedInvoice};

use crate::TenantId;
use crate::invoicing::invoice::Invoice;
use crate::invoicing::ports::InvoicingUnit;
use crate::kernel::clock::Clock;
use crate::kernel::repository::RepositoryError;
use crate::privacy::retention::StatutoryPeriods;
use crate::tenancy::Organization;

/// The tenant's organization, which issues its documents.
///
/// # Errors
/// [`RepositoryError::Corrupt`] when the tenant has no organization.
pub(crate) async fn issuer(uow: &dyn InvoicingUnit, tenant: TenantId) -> Result<Organization, RepositoryError> {
    uow.organization(tenant)
        .await?
        .ok_or_else(|| RepositoryError::Corrupt(format!("organization {tenant} is missing")))
}

/// Today's date in the tenant's time zone.
pub(crate) fn today(clock: &dyn Clock, organization: &Organization) -> NaiveDate {
    organization.time_zone.date_at(clock.now())
}

/// The end of a finalized invoice's statutory retention: counted from its
/// issue date (`today` while it has none) or, when a credit note was issued
/// later, from the credit note's, which is kept for its own full period.
pub(crate) async fn statutory_hold_end(
    uow: &dyn InvoicingUnit,
    statutory: &StatutoryPeriods,
    organization: &Organization,
    invoice: &Invoice,
    today: NaiveDate,
) -> Result<NaiveDate, RepositoryError> {
    let credited = uow
        .credit_notes()
        .for_invoice(organization.id, invoice.id)
        .await?
        .map(|c| c.issue_date);
    Ok(statutory.invoice_hold_until(organization.country, invoice.content.issue_date, credited, today))
}
