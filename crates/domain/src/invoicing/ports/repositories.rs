//! Repository ports of invoicing. Every method that touches a tenant's data
//! takes its [`TenantId`]; a foreign id behaves exactly like a missing one.
//! The only deployment-wide look-ups are the client's public page (by token)
//! and the scheduler's scans, and they return the row's own tenant.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};

use crate::invoicing::client::Client;
use crate::invoicing::credit_note::CreditNote;
use crate::invoicing::invoice::payment::Payment;
use crate::invoicing::invoice::{Delivery, Invoice, InvoiceStatus};
use crate::invoicing::recurring::RecurringInvoice;
use crate::invoicing::reminders::{InvoiceReminder, ReminderSettings, ReminderStatus};
use crate::kernel::pagination::{Page, PageRequest};
use crate::kernel::repository::RepositoryError;
use crate::{ClientId, InvoiceId, PaymentId, RecurringInvoiceId, TenantId};

/// A tenant's clients.
#[async_trait]
pub trait ClientRepository: Send + Sync {
    /// Stores a new client.
    ///
    /// # Errors
    /// [`RepositoryError::Duplicate`] if the id exists; `Unexpected` otherwise.
    async fn insert(&self, client: &Client) -> Result<(), RepositoryError>;

    /// One client of the tenant.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`; never for a missing row.
    async fn get(&self, tenant: TenantId, id: ClientId) -> Result<Option<Client>, RepositoryError>;

    /// A page of the tenant's clients, newest first.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`.
    async fn list(&self, tenant: TenantId, page: PageRequest) -> Result<Page<Client>, RepositoryError>;

    /// Saves changed details; `false` if the client does not exist.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn update(&self, client: &Client) -> Result<bool, RepositoryError>;

    /// Deletes a client; `false` if it did not exist.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn delete(&self, tenant: TenantId, id: ClientId) -> Result<bool, RepositoryError>;

    /// Whether any invoice (draft or not) or recurring invoice refers to the client.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn has_invoices(&self, tenant: TenantId, id: ClientId) -> Result<bool, RepositoryError>;
}

/// Filters for listing invoices.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct InvoiceFilter {
    /// Only this status.
    pub status: Option<InvoiceStatus>,
    /// Only this client's invoices.
    pub client_id: Option<ClientId>,
    /// Only invoices unpaid after their due date as of this day.
    pub overdue_on: Option<NaiveDate>,
}

/// A tenant's invoices, their lines and payments.
#[async_trait]
pub trait InvoiceRepository: Send + Sync {
    /// Stores a new draft with its lines.
    ///
    /// # Errors
    /// [`RepositoryError::Duplicate`] if the id exists; `Unexpected` otherwise.
    async fn insert(&self, invoice: &Invoice) -> Result<(), RepositoryError>;

    /// One invoice of the tenant with its lines.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`; never for a missing row.
    async fn get(&self, tenant: TenantId, id: InvoiceId) -> Result<Option<Invoice>, RepositoryError>;

    /// Like [`InvoiceRepository::get`], and holds a write lock on the invoice
    /// until the unit of work ends (so concurrent payments serialize).
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`; never for a missing row.
    async fn get_for_update(&self, tenant: TenantId, id: InvoiceId) -> Result<Option<Invoice>, RepositoryError>;

    /// A page of the tenant's invoices, newest first.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`.
    async fn list(
        &self,
        tenant: TenantId,
        filter: InvoiceFilter,
        page: PageRequest,
    ) -> Result<Page<Invoice>, RepositoryError>;

    /// Every invoice of a client (drafts included), oldest first.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`.
    async fn for_client(&self, tenant: TenantId, client: ClientId) -> Result<Vec<Invoice>, RepositoryError>;

    /// Saves a draft's new content and lines.
    ///
    /// # Errors
    /// [`RepositoryError::Conflict`] if the invoice is no longer a draft
    /// (finalized concurrently); `Unexpected` otherwise.
    async fn update_draft(&self, invoice: &Invoice) -> Result<(), RepositoryError>;

    /// Saves a just-finalized invoice (number, status, dates).
    ///
    /// # Errors
    /// [`RepositoryError::Conflict`] if it was not a draft any more;
    /// [`RepositoryError::Duplicate`] if the number is taken; `Unexpected` otherwise.
    async fn save_finalized(&self, invoice: &Invoice) -> Result<(), RepositoryError>;

    /// Deletes a finalized invoice whose retention period is over, with its
    /// payments, reminders and credit note.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn delete_finalized(&self, tenant: TenantId, id: InvoiceId) -> Result<(), RepositoryError>;

    /// Deletes a draft; `false` if there is no such draft.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn delete_draft(&self, tenant: TenantId, id: InvoiceId) -> Result<bool, RepositoryError>;

    /// Saves the invoice's public link and last delivery.
    ///
    /// # Errors
    /// [`RepositoryError::Duplicate`] on a public token collision; `Unexpected` otherwise.
    async fn set_delivery(&self, tenant: TenantId, id: InvoiceId, delivery: &Delivery) -> Result<(), RepositoryError>;

    /// The invoice behind a public token, across the deployment (the client's
    /// page knows no tenant).
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`; never for a missing row.
    async fn find_by_public_token(&self, token: &str) -> Result<Option<Invoice>, RepositoryError>;

    /// One payment of an invoice.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`; never for a missing row.
    async fn payment(&self, tenant: TenantId, id: PaymentId) -> Result<Option<Payment>, RepositoryError>;

    /// How many of the tenant's invoices were finalized at or after `since`.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn finalized_since(&self, tenant: TenantId, since: DateTime<Utc>) -> Result<u64, RepositoryError>;

    /// A page of an invoice's payments and refunds (refunds are negative),
    /// newest first.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`.
    async fn payments(
        &self,
        tenant: TenantId,
        invoice: InvoiceId,
        page: PageRequest,
    ) -> Result<Page<Payment>, RepositoryError>;

    /// Stores a payment and the invoice's new paid amount and status.
    ///
    /// # Errors
    /// [`RepositoryError::Conflict`] if the invoice changed since it was read;
    /// `Unexpected` otherwise.
    async fn record_payment(&self, invoice: &Invoice, payment: &Payment) -> Result<(), RepositoryError>;
}

/// Gap-free document number counters.
#[async_trait]
pub trait NumberingRepository: Send + Sync {
    /// Advances the counter of `series` and returns the new value (1 for the
    /// first document). The increment belongs to the unit of work: if it
    /// rolls back, the number is not used up.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn next_in_series(&self, tenant: TenantId, series: &str) -> Result<u64, RepositoryError>;
}

/// A tenant's recurring invoices and their runs.
#[async_trait]
pub trait RecurringInvoiceRepository: Send + Sync {
    /// Stores a new schedule.
    ///
    /// # Errors
    /// [`RepositoryError::Duplicate`] if the id exists; `Unexpected` otherwise.
    async fn insert(&self, recurring: &RecurringInvoice) -> Result<(), RepositoryError>;

    /// One schedule of the tenant; with `lock`, held until the unit of work ends.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`; never for a missing row.
    async fn get(
        &self,
        tenant: TenantId,
        id: RecurringInvoiceId,
        lock: bool,
    ) -> Result<Option<RecurringInvoice>, RepositoryError>;

    /// A page of the tenant's schedules, newest first.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`.
    async fn list(&self, tenant: TenantId, page: PageRequest) -> Result<Page<RecurringInvoice>, RepositoryError>;

    /// Saves a changed schedule; `false` if it does not exist.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn update(&self, recurring: &RecurringInvoice) -> Result<bool, RepositoryError>;

    /// Deletes a schedule (its generated invoices stay); `false` if it did not exist.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn delete(&self, tenant: TenantId, id: RecurringInvoiceId) -> Result<bool, RepositoryError>;

    /// The ids of a client's schedules.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn for_client(&self, tenant: TenantId, client: ClientId) -> Result<Vec<RecurringInvoiceId>, RepositoryError>;

    /// Active schedules of every tenant whose next issue date is on or before
    /// `date`, at most `limit`, oldest date first (the scheduler's scan).
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn due(&self, date: NaiveDate, limit: u32) -> Result<Vec<(TenantId, RecurringInvoiceId)>, RepositoryError>;

    /// Records that period `period_start` of a schedule produced `invoice`.
    ///
    /// # Errors
    /// [`RepositoryError::Duplicate`] if the period already has its invoice
    /// (another run got there first); `Unexpected` otherwise.
    async fn insert_run(
        &self,
        tenant: TenantId,
        schedule: RecurringInvoiceId,
        period_index: u32,
        period_start: NaiveDate,
        invoice: InvoiceId,
        now: DateTime<Utc>,
    ) -> Result<(), RepositoryError>;
}

/// Payment reminder settings and the reminders of each invoice.
#[async_trait]
pub trait ReminderRepository: Send + Sync {
    /// The tenant's settings, if it saved any.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`.
    async fn settings(&self, tenant: TenantId) -> Result<Option<ReminderSettings>, RepositoryError>;

    /// Saves the tenant's settings.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn save_settings(
        &self,
        tenant: TenantId,
        settings: &ReminderSettings,
        now: DateTime<Utc>,
    ) -> Result<(), RepositoryError>;

    /// Tenants with reminders switched on (the scheduler's scan).
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn tenants_with_reminders(&self) -> Result<Vec<TenantId>, RepositoryError>;

    /// The tenant's unpaid finalized invoices due between `from` and `to`
    /// (inclusive) whose client takes reminders.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`.
    async fn payable_due_between(
        &self,
        tenant: TenantId,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<Invoice>, RepositoryError>;

    /// The reminders of an invoice, oldest first.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`.
    async fn for_invoice(&self, tenant: TenantId, invoice: InvoiceId) -> Result<Vec<InvoiceReminder>, RepositoryError>;

    /// Records a reminder; `false` (nothing written) if the invoice already
    /// has one for that offset.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn insert(&self, reminder: &InvoiceReminder) -> Result<bool, RepositoryError>;

    /// Sets a reminder's status, recipient and time.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn set_status(
        &self,
        tenant: TenantId,
        invoice: InvoiceId,
        days_from_due: i32,
        status: ReminderStatus,
        recipient: Option<&str>,
        at: Option<DateTime<Utc>>,
    ) -> Result<(), RepositoryError>;
}

/// Credit notes.
#[async_trait]
pub trait CreditNoteRepository: Send + Sync {
    /// Stores a credit note.
    ///
    /// # Errors
    /// [`RepositoryError::Duplicate`] if the invoice has one already or the number is taken.
    async fn insert(&self, note: &CreditNote) -> Result<(), RepositoryError>;

    /// One credit note of the tenant.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`; never for a missing row.
    async fn get(&self, tenant: TenantId, id: uuid::Uuid) -> Result<Option<CreditNote>, RepositoryError>;

    /// The credit note of an invoice, if it was voided.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`.
    async fn for_invoice(&self, tenant: TenantId, invoice: InvoiceId) -> Result<Option<CreditNote>, RepositoryError>;

    /// A page of the tenant's credit notes, newest first.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`.
    async fn list(&self, tenant: TenantId, page: PageRequest) -> Result<Page<CreditNote>, RepositoryError>;

    /// Marks an invoice void (it must be finalized and not void yet); `false` otherwise.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn void_invoice(
        &self,
        tenant: TenantId,
        invoice: InvoiceId,
        at: DateTime<Utc>,
    ) -> Result<bool, RepositoryError>;
}
