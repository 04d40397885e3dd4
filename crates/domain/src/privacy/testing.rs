//! An in-memory [`PrivacyStore`] for tests and for embedders who want to
//! try the privacy services without a database (the `testing` feature),
//! with a memory [`FileStore`](crate::kernel::files::FileStore) that records
//! what it deletes ([`MemoryFiles`]). A unit of work copies the state when
//! it begins and writes it back on commit, so a dropped unit changes
//! nothing, as with a database transaction. It is not meant for concurrent
//! writers: the last commit wins.
//!
//! What privacy reads and changes of the other areas' records (users,
//! clients, invoices, schedules, jobs, notes, files) is kept here as far
//! as privacy sees it: payments, reminders, notes and a client's jobs as
//! counts, file records as the keys of their stored objects.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use crate::access::audit::{AuditAction, AuditEvent};
use crate::access::user::User;
use crate::invoicing::client::Client;
use crate::invoicing::invoice::Invoice;
use crate::kernel::files::ObjectKey;
use crate::kernel::pagination::{Page, PageRequest};
use crate::kernel::repository::RepositoryError;
use crate::messaging::outbox::NewJob;
use crate::privacy::consent::{AnalyticsEvent, ConsentEvent};
use crate::privacy::exports::Export;
use crate::privacy::policies::{PolicyAcceptance, PolicyVersion};
use crate::privacy::ports::{ErasureRecord, Expiry, PrivacyStore, PrivacyUnit};
use crate::privacy::requests::{OperatorPrivacyRequest, PrivacyRequest, PrivacyRequestEvent, PrivacySubmission};
use crate::tenancy::Organization;
use crate::{ClientId, InvoiceId, PrivacyRequestId, PrivacySubmissionId, RecurringInvoiceId, TenantId, UserId};

mod data_rights;
mod files;
mod incidents;
mod records;
mod unit;
mod user_erasure;

pub use files::MemoryFiles;

/// A row the sweeper expires by age (a security event, a finished job, a
/// spent token…), of one tenant, dated by what its rule reckons from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AgedRow {
    /// What kind of row.
    pub kind: Expiry,
    /// Its tenant.
    pub tenant_id: TenantId,
    /// The instant its rule counts from (created, finished, expired…).
    pub at: DateTime<Utc>,
}

/// One stored row of an export table (the rows a worker streams).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportRow {
    /// The tenant.
    pub tenant_id: TenantId,
    /// The table.
    pub table: String,
    /// The person the row is about (a user's or client's id), if any.
    pub subject: Option<Uuid>,
    /// The row as a JSON object.
    pub json: String,
}

/// Everything the memory store holds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MemoryState {
    /// Organizations by id.
    pub organizations: BTreeMap<TenantId, Organization>,
    /// Users.
    pub users: BTreeMap<(TenantId, UserId), User>,
    /// Clients.
    pub clients: BTreeMap<(TenantId, ClientId), Client>,
    /// Invoices, drafts included.
    pub invoices: BTreeMap<(TenantId, InvoiceId), Invoice>,
    /// How many payments each invoice has.
    pub payments: BTreeMap<(TenantId, InvoiceId), u64>,
    /// How many reminders (sent or planned) each invoice has.
    pub reminders: BTreeMap<(TenantId, InvoiceId), u64>,
    /// The issue date of the credit note that voided an invoice.
    pub credit_notes: BTreeMap<(TenantId, InvoiceId), NaiveDate>,
    /// Recurring invoices and the client each bills.
    pub schedules: BTreeMap<(TenantId, RecurringInvoiceId), ClientId>,
    /// How many jobs (the work area's) each client has.
    pub client_jobs: BTreeMap<(TenantId, ClientId), u64>,
    /// How many notes each client has.
    pub notes: BTreeMap<(TenantId, ClientId), u64>,
    /// The file records attached to each client, as their stored objects.
    pub files: BTreeMap<(TenantId, ClientId), Vec<ObjectKey>>,
    /// The security log, in the order appended.
    pub audit: Vec<AuditEvent>,
    /// The outbox.
    pub jobs: Vec<NewJob>,
    /// Exports.
    pub exports: BTreeMap<(TenantId, Uuid), Export>,
    /// The rows export tables stream.
    pub export_rows: Vec<ExportRow>,
    /// Erasure records, in the order stored.
    pub erasures: Vec<ErasureRecord>,
    /// The consent ledger, in the order appended.
    pub consents: Vec<ConsentEvent>,
    /// Analytics events.
    pub analytics: Vec<AnalyticsEvent>,
    /// Published policy versions.
    pub policies: Vec<PolicyVersion>,
    /// Policy acceptances, in the order recorded.
    pub acceptances: Vec<PolicyAcceptance>,
    /// Tenants' privacy requests.
    pub requests: BTreeMap<(TenantId, PrivacyRequestId), PrivacyRequest>,
    /// Their history, in the order appended.
    pub request_events: Vec<PrivacyRequestEvent>,
    /// Public submissions.
    pub submissions: BTreeMap<PrivacySubmissionId, PrivacySubmission>,
    /// The operator's cases, in the order stored.
    pub operator_cases: Vec<OperatorPrivacyRequest>,
    /// The incident register.
    pub incidents: BTreeMap<crate::IncidentId, crate::privacy::incidents::Incident>,
    /// Its history, in the order appended.
    pub incident_updates: Vec<crate::privacy::incidents::IncidentUpdate>,
    /// Notices to the people affected, in the order recorded.
    pub incident_notices: Vec<crate::privacy::incidents::IncidentNotice>,
    /// Rows that expire by age.
    pub aged: Vec<AgedRow>,
    /// Claimed sweeps by day, with the report once finished.
    pub sweeps: BTreeMap<NaiveDate, Option<String>>,
    /// How many units were committed.
    pub commits: usize,
}

impl MemoryState {
    /// The audit events with this action, oldest first.
    #[must_use]
    pub fn events(&self, action: AuditAction) -> Vec<&AuditEvent> {
        self.audit.iter().filter(|e| e.action == action).collect()
    }

    /// The idempotency keys of the queued jobs, in the order queued.
    #[must_use]
    pub fn job_keys(&self) -> Vec<&str> {
        self.jobs.iter().map(|j| j.idempotency_key.as_str()).collect()
    }

    /// The tenants that have any row, organization included.
    #[must_use]
    pub fn tenants(&self) -> BTreeSet<TenantId> {
        let mut tenants: BTreeSet<TenantId> = self.organizations.keys().copied().collect();
        tenants.extend(self.users.keys().map(|(t, _)| *t));
        tenants.extend(self.clients.keys().map(|(t, _)| *t));
        tenants.extend(self.invoices.keys().map(|(t, _)| *t));
        tenants
    }
}

/// The in-memory store.
#[derive(Clone, Debug, Default)]
pub struct MemoryStore {
    state: Arc<Mutex<MemoryState>>,
    fail_commits: Arc<AtomicBool>,
}

impl MemoryStore {
    /// An empty store.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// A copy of the committed state.
    #[must_use]
    pub fn snapshot(&self) -> MemoryState {
        lock(&self.state).clone()
    }

    /// Changes the committed state directly (to arrange a test).
    pub fn edit(&self, change: impl FnOnce(&mut MemoryState)) {
        change(&mut lock(&self.state));
    }

    /// Makes every commit fail with [`RepositoryError::Conflict`] (writing
    /// nothing) until called again with `false`.
    pub fn fail_commits(&self, fail: bool) {
        self.fail_commits.store(fail, Ordering::SeqCst);
    }
}

fn lock(state: &Mutex<MemoryState>) -> MutexGuard<'_, MemoryState> {
    match state.lock() {
        Ok(guard) => guard,
        Err(poisoned) => poisoned.into_inner(),
    }
}

/// One unit of work on the memory store.
#[derive(Debug)]
pub struct MemoryUnit {
    working: Mutex<MemoryState>,
    store: Arc<Mutex<MemoryState>>,
    fail_commit: bool,
}

impl MemoryUnit {
    fn state(&self) -> MutexGuard<'_, MemoryState> {
        lock(&self.working)
    }
}

#[async_trait]
impl PrivacyStore for MemoryStore {
    async fn begin(&self) -> Result<Box<dyn PrivacyUnit>, RepositoryError> {
        Ok(Box::new(MemoryUnit {
            working: Mutex::new(self.snapshot()),
            store: self.state.clone(),
            fail_commit: self.fail_commits.load(Ordering::SeqCst),
        }))
    }
}

fn duplicate(constraint: &str) -> RepositoryError {
    RepositoryError::Duplicate {
        constraint: constraint.into(),
    }
}

fn limit_plus_one(page: PageRequest) -> usize {
    usize::try_from(page.limit).unwrap_or(usize::MAX).saturating_add(1)
}

/// Newest first by id, strictly older than the cursor, one more than the
/// page to tell whether more follow.
fn newest_first<T>(mut items: Vec<T>, page: PageRequest, id_of: impl Fn(&T) -> Uuid) -> Page<T> {
    items.sort_by_key(|item| std::cmp::Reverse(id_of(item)));
    let items = items
        .into_iter()
        .filter(|item| page.after.is_none_or(|after| id_of(item) < after))
        .take(limit_plus_one(page))
        .collect();
    Page::from_overfetch(items, page.limit, id_of)
}

/// Oldest first by id, strictly after the cursor (in list order).
fn oldest_first<T>(mut items: Vec<T>, page: PageRequest, id_of: impl Fn(&T) -> Uuid) -> Page<T> {
    items.sort_by_key(&id_of);
    let items = items
        .into_iter()
        .filter(|item| page.after.is_none_or(|after| id_of(item) > after))
        .take(limit_plus_one(page))
        .collect();
    Page::from_overfetch(items, page.limit, id_of)
}

fn take(limit: u32) -> usize {
    usize::try_from(limit).unwrap_or(usize::MAX)
}
