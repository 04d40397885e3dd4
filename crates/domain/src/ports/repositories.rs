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
use crate::invoice::{Invoice, InvoiceStatus};
use crate::pagination::{Page, PageRequest};
use crate::session::{Session, TokenDigest};
use crate::tenant::Organization;
use crate::user::User;
use crate::{ClientId, InvoiceId, SessionId, TenantId, UserId};

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
}

/// Server-side sessions.
#[async_trait]
pub trait SessionRepository: Send + Sync {
    /// Stores a new session.
    ///
    /// # Errors
    /// [`RepositoryError::Duplicate`] on a digest collision; `Unexpected` otherwise.
    async fn insert(&self, session: &Session) -> Result<(), RepositoryError>;

    /// The session with this token digest, if it has not expired at `now`.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`; never for a missing row.
    async fn find_active(&self, digest: &TokenDigest, now: DateTime<Utc>) -> Result<Option<Session>, RepositoryError>;

    /// Ends a session; `false` if there was none.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn delete(&self, tenant: TenantId, session: SessionId) -> Result<bool, RepositoryError>;
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

    /// Whether any invoice, draft or not, refers to the client.
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
