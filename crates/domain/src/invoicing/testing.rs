//! An in-memory [`InvoicingStore`] for tests and for embedders who want to
//! try the domain without a database (the `testing` feature). A unit of
//! work copies the state when it begins and writes it back on commit, so a
//! dropped unit changes nothing, as with a database transaction. It is not
//! meant for concurrent writers: the last commit wins.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex, MutexGuard};

use async_trait::async_trait;

use crate::invoicing::client::Client;
use crate::invoicing::credit_note::CreditNote;
use crate::invoicing::invoice::Invoice;
use crate::invoicing::invoice::payment::Payment;
use crate::invoicing::ports::{
    ClientAttachments, ClientRepository, CreditNoteRepository, InvoiceRepository, InvoicingStore, InvoicingUnit,
    NumberingRepository, RecurringInvoiceRepository, ReminderRepository,
};
use crate::invoicing::recurring::RecurringInvoice;
use crate::invoicing::reminders::{InvoiceReminder, ReminderSettings};
use crate::kernel::email::EmailAddress;
use crate::kernel::repository::RepositoryError;
use crate::messaging::outbox::NewJob;
use crate::tenancy::Organization;
use crate::{ClientId, InvoiceId, RecurringInvoiceId, TenantId};

#[cfg(test)]
pub(crate) mod fixtures;
mod repositories;

/// Everything the memory store holds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MemoryState {
    /// Organizations by id.
    pub organizations: BTreeMap<TenantId, Organization>,
    /// Each tenant's first owner's address (where replies go).
    pub owners: BTreeMap<TenantId, EmailAddress>,
    /// Clients.
    pub clients: BTreeMap<(TenantId, ClientId), Client>,
    /// Invoices.
    pub invoices: BTreeMap<(TenantId, InvoiceId), Invoice>,
    /// Payments, in the order recorded.
    pub payments: Vec<Payment>,
    /// Number counters by tenant and series.
    pub counters: BTreeMap<(TenantId, String), u64>,
    /// Recurring invoices.
    pub recurring: BTreeMap<(TenantId, RecurringInvoiceId), RecurringInvoice>,
    /// Recurring runs: schedule and period start.
    pub runs: BTreeSet<(TenantId, RecurringInvoiceId, chrono::NaiveDate)>,
    /// Reminder settings.
    pub reminder_settings: BTreeMap<TenantId, ReminderSettings>,
    /// Reminders.
    pub reminders: Vec<InvoiceReminder>,
    /// Credit notes.
    pub credit_notes: Vec<CreditNote>,
    /// Clients that have jobs (the work area's data, as far as invoicing asks).
    pub clients_with_jobs: BTreeSet<(TenantId, ClientId)>,
    /// The outbox.
    pub jobs: Vec<NewJob>,
    /// How many units were committed.
    pub commits: usize,
}

/// The in-memory store.
#[derive(Clone, Debug, Default)]
pub struct MemoryStore {
    state: Arc<Mutex<MemoryState>>,
}

impl MemoryStore {
    /// An empty store.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// A store holding `organization`, whose owner receives replies at `owner`.
    #[must_use]
    pub fn with_organization(organization: Organization, owner: Option<EmailAddress>) -> Self {
        let store = Self::new();
        store.edit(|state| {
            if let Some(owner) = owner {
                state.owners.insert(organization.id, owner);
            }
            state.organizations.insert(organization.id, organization);
        });
        store
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
}

impl MemoryUnit {
    fn state(&self) -> MutexGuard<'_, MemoryState> {
        lock(&self.working)
    }
}

#[async_trait]
impl InvoicingStore for MemoryStore {
    async fn begin(&self) -> Result<Box<dyn InvoicingUnit>, RepositoryError> {
        Ok(Box::new(MemoryUnit {
            working: Mutex::new(self.snapshot()),
            store: self.state.clone(),
        }))
    }
}

#[async_trait]
impl InvoicingUnit for MemoryUnit {
    fn clients(&self) -> &dyn ClientRepository {
        self
    }

    fn invoices(&self) -> &dyn InvoiceRepository {
        self
    }

    fn numbering(&self) -> &dyn NumberingRepository {
        self
    }

    fn recurring(&self) -> &dyn RecurringInvoiceRepository {
        self
    }

    fn reminders(&self) -> &dyn ReminderRepository {
        self
    }

    fn credit_notes(&self) -> &dyn CreditNoteRepository {
        self
    }

    async fn organization(&self, tenant: TenantId) -> Result<Option<Organization>, RepositoryError> {
        Ok(self.state().organizations.get(&tenant).cloned())
    }

    async fn reply_to(&self, tenant: TenantId) -> Result<Option<EmailAddress>, RepositoryError> {
        Ok(self.state().owners.get(&tenant).cloned())
    }

    async fn enqueue(&self, job: &NewJob) -> Result<bool, RepositoryError> {
        let mut state = self.state();
        if state.jobs.iter().any(|j| j.idempotency_key == job.idempotency_key) {
            return Ok(false);
        }
        state.jobs.push(job.clone());
        Ok(true)
    }

    async fn client_has_jobs(&self, tenant: TenantId, client: ClientId) -> Result<bool, RepositoryError> {
        Ok(self.state().clients_with_jobs.contains(&(tenant, client)))
    }

    async fn remove_client_attachments(
        &self,
        _tenant: TenantId,
        _client: ClientId,
    ) -> Result<ClientAttachments, RepositoryError> {
        Ok(ClientAttachments::default())
    }

    async fn commit(self: Box<Self>) -> Result<(), RepositoryError> {
        let mut working = lock(&self.working).clone();
        let mut committed = lock(&self.store);
        working.commits = committed.commits + 1;
        *committed = working;
        Ok(())
    }
}
