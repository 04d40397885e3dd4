//! Repository ports of data rights: data exports and the rows they stream,
//! erasure records, and the retention sweeper's expiry and purge work.
//!
//! The sweeper's methods act across tenants by nature (a daily scan of
//! what has expired); each says so. Everything else takes a `TenantId`.

use std::collections::BTreeMap;

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};

use crate::access::user::User;
use crate::invoicing::invoice::LegalHold;
use crate::kernel::email::EmailAddress;
use crate::kernel::files::ObjectKey;
use crate::kernel::repository::RepositoryError;
use crate::privacy::exports::{Export, ExportScope};
use crate::privacy::retention::DataCategory;
use crate::{ClientId, InvoiceId, TenantId};

/// Receives exported rows one at a time (each a JSON object as text).
pub trait RowSink: Send {
    /// Takes one row.
    ///
    /// # Errors
    /// A message when the row cannot be written (the export fails).
    fn row(&mut self, json: &str) -> Result<(), String>;
}

/// A table an export includes, with the columns it carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportTable {
    /// The table's name.
    pub table: String,
    /// Its data category.
    pub category: DataCategory,
    /// The exported columns, in order (secrets and digests are left out).
    pub columns: Vec<String>,
}

/// Exports and the data they read.
#[async_trait]
pub trait ExportRepository: Send + Sync {
    /// Stores a new export request.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn insert(&self, export: &Export) -> Result<(), RepositoryError>;

    /// One export of the tenant.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`; never for a missing row.
    async fn get(&self, tenant: TenantId, id: uuid::Uuid) -> Result<Option<Export>, RepositoryError>;

    /// Saves a changed export (status, archive, manifest).
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn update(&self, export: &Export) -> Result<(), RepositoryError>;

    /// The tables an export of `scope` includes, in a stable order.
    fn tables(&self, scope: ExportScope) -> Vec<ExportTable>;

    /// Streams every row of `table` that belongs to the tenant and `scope`
    /// into `sink`, without holding them in memory; returns how many.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] (a sink failure included).
    async fn stream_rows(
        &self,
        tenant: TenantId,
        scope: ExportScope,
        table: &str,
        sink: &mut dyn RowSink,
    ) -> Result<u64, RepositoryError>;

    /// Finished exports that expired before `cutoff`, across tenants (the sweeper's scan).
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`.
    async fn expired(&self, cutoff: DateTime<Utc>, limit: u32) -> Result<Vec<Export>, RepositoryError>;

    /// Deletes an export record.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn delete(&self, tenant: TenantId, id: uuid::Uuid) -> Result<(), RepositoryError>;
}

/// An erasure's record: what happened, never the erased data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ErasureRecord {
    /// The record's id.
    pub id: uuid::Uuid,
    /// The organization.
    pub tenant_id: TenantId,
    /// The erased client.
    pub client_id: ClientId,
    /// The privacy request it answers, if any.
    pub privacy_request_id: Option<uuid::Uuid>,
    /// Who performed it.
    pub performed_by: crate::UserId,
    /// When.
    pub performed_at: DateTime<Utc>,
    /// The report as JSON (what was deleted, anonymized and retained).
    pub report: String,
}

/// What erasing one user removed from the records.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UserErasureOutcome {
    /// Rows deleted, by what they held.
    pub deleted: BTreeMap<String, u64>,
    /// Rows kept with the person's details stripped; the user's random id
    /// stays in them as a pseudonym that nothing leads back from.
    pub pseudonymized: BTreeMap<String, u64>,
    /// The stored archives of the user's own exports, whose records went.
    pub archives: Vec<ObjectKey>,
}

/// Erasing one person's account: their own request, or the operator's.
#[async_trait]
pub trait UserErasureRepository: Send + Sync {
    /// The user signing in with `email`, in whichever organization (the
    /// address is unique across the deployment).
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`.
    async fn find_user_by_email(&self, email: &EmailAddress) -> Result<Option<User>, RepositoryError>;

    /// Erases `user`: the account with its sessions, API tokens, single-use
    /// links and linked sign-ins, the invitation that brought them in, their
    /// own exports, the queued work addressed to them and the stored
    /// responses that show their address are deleted; the security log's
    /// entries they caused lose their network; the business records they
    /// made (invoices, notes, files) stay, naming only the pseudonym.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn erase_user(&self, user: &User) -> Result<UserErasureOutcome, RepositoryError>;
}

/// What can expire by age, counted or deleted by the sweeper across tenants.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Expiry {
    /// Security events older than the cutoff.
    SecurityEvents,
    /// Done or dead jobs last changed before the cutoff.
    FinishedJobs,
    /// Single-use tokens that expired before the cutoff.
    SpentTokens,
    /// Sessions that expired before the cutoff.
    ExpiredSessions,
    /// Sign-in throttle counters untouched since the cutoff.
    StaleThrottles,
    /// Idempotency records started before the cutoff.
    IdempotencyRecords,
    /// Webhook inbox entries received before the cutoff and settled.
    WebhookEvents,
    /// The operator's billing records (transactions, subscriptions) from
    /// before the cutoff, past their retention even after a tenant is gone.
    BillingRecords,
    /// Anonymous analytics events from hours before the cutoff.
    AnalyticsEvents,
}

impl Expiry {
    /// Every kind.
    pub const ALL: [Self; 9] = [
        Self::SecurityEvents,
        Self::FinishedJobs,
        Self::SpentTokens,
        Self::ExpiredSessions,
        Self::StaleThrottles,
        Self::IdempotencyRecords,
        Self::WebhookEvents,
        Self::BillingRecords,
        Self::AnalyticsEvents,
    ];

    /// The category of what expires.
    #[must_use]
    pub const fn category(&self) -> DataCategory {
        match self {
            Self::SecurityEvents | Self::StaleThrottles => DataCategory::SecurityEvents,
            Self::ExpiredSessions => DataCategory::Credentials,
            Self::FinishedJobs | Self::SpentTokens | Self::IdempotencyRecords | Self::WebhookEvents => {
                DataCategory::TechnicalLogs
            }
            Self::BillingRecords => DataCategory::OperatorBilling,
            Self::AnalyticsEvents => DataCategory::AnonymousAnalytics,
        }
    }

    /// A stable name for reports.
    #[must_use]
    pub const fn as_str(&self) -> &'static str {
        match self {
            Self::SecurityEvents => "security_events",
            Self::FinishedJobs => "finished_jobs",
            Self::SpentTokens => "spent_single_use_tokens",
            Self::ExpiredSessions => "expired_sessions",
            Self::StaleThrottles => "stale_sign_in_throttles",
            Self::IdempotencyRecords => "idempotency_records",
            Self::WebhookEvents => "webhook_events",
            Self::BillingRecords => "operator_billing_records",
            Self::AnalyticsEvents => "analytics_events",
        }
    }
}

/// Erasure records, and the legal holds an erasure puts on what it keeps.
#[async_trait]
pub trait ErasureRepository: Send + Sync {
    /// Stores an erasure record.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn insert_erasure(&self, record: &ErasureRecord) -> Result<(), RepositoryError>;

    /// The erasure records of a client, newest first.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn erasures(&self, tenant: TenantId, client: ClientId) -> Result<Vec<ErasureRecord>, RepositoryError>;

    /// Puts an invoice under (or releases it from) legal hold.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn set_hold(&self, tenant: TenantId, invoice: InvoiceId, hold: LegalHold) -> Result<(), RepositoryError>;

    /// How many payments an invoice has.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn count_payments(&self, tenant: TenantId, invoice: InvoiceId) -> Result<u64, RepositoryError>;

    /// Deletes the reminders history of an invoice; returns how many.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn delete_reminders(&self, tenant: TenantId, invoice: InvoiceId) -> Result<u64, RepositoryError>;
}

/// The retention sweeper's work: expired rows, ended holds, closed
/// tenants' purges, and the once-a-day claim.
#[async_trait]
pub trait RetentionRepository: Send + Sync {
    /// How many rows of `kind` are older than `cutoff` (all tenants).
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn count_expired(&self, kind: Expiry, cutoff: DateTime<Utc>) -> Result<u64, RepositoryError>;

    /// Deletes the rows of `kind` older than `cutoff` (all tenants); returns how many.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn delete_expired(&self, kind: Expiry, cutoff: DateTime<Utc>) -> Result<u64, RepositoryError>;

    /// Invoices whose legal hold ended before `as_of`, across tenants (the sweeper's scan).
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn holds_ended(&self, as_of: NaiveDate, limit: u32) -> Result<Vec<(TenantId, InvoiceId)>, RepositoryError>;

    /// Deletes a finalized invoice with its lines, payments, reminders and
    /// schedule runs; then its client too, if the client was erased and has
    /// no invoice left. Returns the rows deleted per table.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn delete_held_invoice(
        &self,
        tenant: TenantId,
        invoice: InvoiceId,
    ) -> Result<BTreeMap<String, u64>, RepositoryError>;

    /// How many rows the tenant has in each of its tables.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn count_tenant_rows(&self, tenant: TenantId) -> Result<BTreeMap<String, u64>, RepositoryError>;

    /// Deletes every row of the tenant in every table, children first.
    /// With `keep_accounting_years`, finalized invoices (with their lines and
    /// payments), the number counters, the clients they name (anonymized and
    /// restricted) and the organization stay, each invoice restricted under a
    /// legal hold of that many years from the end of its year of issue; once
    /// no invoice is left, everything goes. Returns the rows deleted per table.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn purge_tenant(
        &self,
        tenant: TenantId,
        keep_accounting_years: Option<u32>,
        now: DateTime<Utc>,
    ) -> Result<BTreeMap<String, u64>, RepositoryError>;

    /// Claims the sweep of `day` (one per day across instances); `false` if it ran already.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn claim_sweep(&self, day: NaiveDate, now: DateTime<Utc>) -> Result<bool, RepositoryError>;

    /// Records the finished sweep of `day` with its report (counts only).
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn finish_sweep(&self, day: NaiveDate, report: &str, now: DateTime<Utc>) -> Result<(), RepositoryError>;
}
