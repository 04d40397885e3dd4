//! Repository ports. Every method that touches a tenant's data takes its
//! [`TenantId`]; a foreign id behaves exactly like a missing one. The only
//! deployment-wide look-ups are the ones sign-in needs (by email, by token
//! digest), and they return the row's own tenant.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};

use super::security::PasswordHash;
use super::store::RepositoryError;
use crate::client::Client;
use crate::invoice::payment::Payment;
use crate::invoice::{Delivery, Invoice, InvoiceStatus};
use crate::pagination::{Page, PageRequest};
use crate::recurring::RecurringInvoice;
use crate::reminders::{InvoiceReminder, ReminderSettings, ReminderStatus};
use crate::session::{Session, TokenDigest};
use crate::tenant::{Closure, Organization};
use crate::user::{Role, User};
use crate::{ClientId, InvoiceId, PaymentId, RecurringInvoiceId, SessionId, TenantId, UserId};

/// Organizations (tenants).
#[async_trait]
pub trait OrganizationRepository: Send + Sync {
    /// Stores a new organization.
    ///
    /// # Errors
    /// [`RepositoryError::Duplicate`] if the id exists; `Unexpected` otherwise.
    async fn insert(&self, organization: &Organization) -> Result<(), RepositoryError>;

    /// The organization, if it exists.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`; never for a missing row.
    async fn get(&self, tenant: TenantId) -> Result<Option<Organization>, RepositoryError>;

    /// Saves the organization's settings (all but its country, creation and
    /// closure) and profile; `false` if it does not exist.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn update(&self, organization: &Organization) -> Result<bool, RepositoryError>;

    /// Closes (or, with `None`, reopens) the account; `false` if there is no such organization.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn set_closure(&self, tenant: TenantId, closure: Option<Closure>) -> Result<bool, RepositoryError>;

    /// Closed organizations whose purge is due at `now`, oldest first (the scheduler's scan).
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn due_for_purge(&self, now: DateTime<Utc>, limit: u32) -> Result<Vec<TenantId>, RepositoryError>;
}

/// Users and their credentials.
#[async_trait]
pub trait UserRepository: Send + Sync {
    /// Stores a new user with their password hash.
    ///
    /// # Errors
    /// [`RepositoryError::Duplicate`] if the email is taken; `Unexpected` otherwise.
    async fn insert(&self, user: &User, password_hash: &PasswordHash) -> Result<(), RepositoryError>;

    /// The user with this normalized email and their password hash, across
    /// the deployment (sign-in does not know the tenant yet).
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`; never for a missing row.
    async fn find_credentials(&self, normalized_email: &str) -> Result<Option<(User, PasswordHash)>, RepositoryError>;

    /// One user of the tenant.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`; never for a missing row.
    async fn get(&self, tenant: TenantId, user: UserId) -> Result<Option<User>, RepositoryError>;

    /// The tenant's first owner: where replies to the tenant's emails go.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`.
    async fn first_owner(&self, tenant: TenantId) -> Result<Option<User>, RepositoryError>;

    /// A page of the tenant's users, oldest first.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`.
    async fn list(&self, tenant: TenantId, page: PageRequest) -> Result<Page<User>, RepositoryError>;

    /// How many owners the tenant has.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn count_owners(&self, tenant: TenantId) -> Result<u64, RepositoryError>;

    /// Changes a user's role; `false` if there is no such user.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn set_role(&self, tenant: TenantId, user: UserId, role: Role) -> Result<bool, RepositoryError>;

    /// Replaces a user's password hash; `false` if there is no such user.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn set_password(&self, tenant: TenantId, user: UserId, hash: &PasswordHash) -> Result<bool, RepositoryError>;

    /// Records that the user proved their email address.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn mark_email_verified(
        &self,
        tenant: TenantId,
        user: UserId,
        at: DateTime<Utc>,
    ) -> Result<(), RepositoryError>;

    /// Up to `limit` users of every tenant after `after` (tenant, user), in
    /// key order: the scan of deployment-wide notices (policy changes,
    /// product updates).
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`.
    async fn scan(&self, after: Option<(TenantId, UserId)>, limit: u32) -> Result<Vec<User>, RepositoryError>;

    /// Removes a user with their sessions, API tokens and external
    /// identities; `false` if there is no such user.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn delete(&self, tenant: TenantId, user: UserId) -> Result<bool, RepositoryError>;
}

/// Server-side sessions.
#[async_trait]
pub trait SessionRepository: Send + Sync {
    /// Stores a new session.
    ///
    /// # Errors
    /// [`RepositoryError::Duplicate`] on a digest collision; `Unexpected` otherwise.
    async fn insert(&self, session: &Session) -> Result<(), RepositoryError>;

    /// The session with this token digest, if it has not expired at `now`
    /// (absolute expiry) and was last used after `idle_cutoff` (idle expiry).
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`; never for a missing row.
    async fn find_active(
        &self,
        digest: &TokenDigest,
        now: DateTime<Utc>,
        idle_cutoff: DateTime<Utc>,
    ) -> Result<Option<Session>, RepositoryError>;

    /// Records that the session was used at `now`.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn touch(&self, tenant: TenantId, session: SessionId, now: DateTime<Utc>) -> Result<(), RepositoryError>;

    /// Ends a session; `false` if there was none.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn delete(&self, tenant: TenantId, session: SessionId) -> Result<bool, RepositoryError>;

    /// Ends every session of a user but `keep`; returns how many ended.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn delete_for_user(
        &self,
        tenant: TenantId,
        user: UserId,
        keep: Option<SessionId>,
    ) -> Result<u64, RepositoryError>;
}

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
