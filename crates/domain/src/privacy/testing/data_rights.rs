//! Exports, erasure records and the retention sweeper's work on the memory
//! store, with the semantics of the SQL adapter: the sweeper's scans cross
//! tenants, everything else is keyed by tenant; a purge deletes children
//! first and, when asked, keeps the finalized invoices under a legal hold.

use std::collections::{BTreeMap, BTreeSet};

use async_trait::async_trait;
use chrono::{DateTime, Datelike, NaiveDate, Utc};

use super::{MemoryState, MemoryUnit, duplicate, take};
use crate::invoicing::client::ClientDetails;
use crate::invoicing::invoice::{InvoiceStatus, LegalHold};
use crate::kernel::repository::RepositoryError;
use crate::privacy::exports::{Export, ExportScope, ExportStatus};
use crate::privacy::ports::{
    ErasureRecord, ErasureRepository, Expiry, ExportRepository, ExportTable, RetentionRepository, RowSink,
};
use crate::privacy::retention::DataCategory;
use crate::{ClientId, InvoiceId, TenantId};

#[async_trait]
impl ExportRepository for MemoryUnit {
    async fn insert(&self, export: &Export) -> Result<(), RepositoryError> {
        let mut state = self.state();
        if state.exports.contains_key(&(export.tenant_id, export.id)) {
            return Err(duplicate("exports_pkey"));
        }
        state.exports.insert((export.tenant_id, export.id), export.clone());
        Ok(())
    }

    async fn get(&self, tenant: TenantId, id: uuid::Uuid) -> Result<Option<Export>, RepositoryError> {
        Ok(self.state().exports.get(&(tenant, id)).cloned())
    }

    async fn update(&self, export: &Export) -> Result<(), RepositoryError> {
        if let Some(stored) = self.state().exports.get_mut(&(export.tenant_id, export.id)) {
            *stored = export.clone();
        }
        Ok(())
    }

    fn tables(&self, scope: ExportScope) -> Vec<ExportTable> {
        let table = |name: &str, category: DataCategory, columns: &[&str]| ExportTable {
            table: name.to_owned(),
            category,
            columns: columns.iter().map(|c| (*c).to_owned()).collect(),
        };
        let clients = table("clients", DataCategory::CustomerContent, &["id", "name", "email"]);
        let invoices = table("invoices", DataCategory::AccountingRecords, &["id", "number", "status"]);
        let users = table("users", DataCategory::AccountProfile, &["id", "email", "name", "role"]);
        match scope {
            ExportScope::Tenant => vec![users, clients, invoices],
            ExportScope::User(_) => vec![users],
            ExportScope::Client(_) => vec![clients, invoices],
        }
    }

    async fn stream_rows(
        &self,
        tenant: TenantId,
        scope: ExportScope,
        table: &str,
        sink: &mut dyn RowSink,
    ) -> Result<u64, RepositoryError> {
        let rows: Vec<String> = self
            .state()
            .export_rows
            .iter()
            .filter(|r| r.tenant_id == tenant && r.table == table)
            .filter(|r| scope.subject().is_none_or(|subject| r.subject == Some(subject)))
            .map(|r| r.json.clone())
            .collect();
        for row in &rows {
            sink.row(row).map_err(|e| RepositoryError::Unexpected(e.into()))?;
        }
        Ok(u64::try_from(rows.len()).unwrap_or(u64::MAX))
    }

    async fn expired(&self, cutoff: DateTime<Utc>, limit: u32) -> Result<Vec<Export>, RepositoryError> {
        Ok(self
            .state()
            .exports
            .values()
            .filter(|e| e.status != ExportStatus::Pending && e.expires_at < cutoff)
            .take(take(limit))
            .cloned()
            .collect())
    }

    async fn delete(&self, tenant: TenantId, id: uuid::Uuid) -> Result<(), RepositoryError> {
        self.state().exports.remove(&(tenant, id));
        Ok(())
    }
}

#[async_trait]
impl ErasureRepository for MemoryUnit {
    async fn insert_erasure(&self, record: &ErasureRecord) -> Result<(), RepositoryError> {
        let mut state = self.state();
        if state.erasures.iter().any(|e| e.id == record.id) {
            return Err(duplicate("erasures_pkey"));
        }
        state.erasures.push(record.clone());
        Ok(())
    }

    async fn erasures(&self, tenant: TenantId, client: ClientId) -> Result<Vec<ErasureRecord>, RepositoryError> {
        let mut found: Vec<ErasureRecord> = self
            .state()
            .erasures
            .iter()
            .filter(|e| e.tenant_id == tenant && e.client_id == client)
            .cloned()
            .collect();
        found.sort_by_key(|e| std::cmp::Reverse((e.performed_at, e.id)));
        Ok(found)
    }

    async fn set_hold(&self, tenant: TenantId, invoice: InvoiceId, hold: LegalHold) -> Result<(), RepositoryError> {
        if let Some(stored) = self.state().invoices.get_mut(&(tenant, invoice)) {
            stored.hold = hold;
        }
        Ok(())
    }

    async fn count_payments(&self, tenant: TenantId, invoice: InvoiceId) -> Result<u64, RepositoryError> {
        Ok(self.state().payments.get(&(tenant, invoice)).copied().unwrap_or(0))
    }

    async fn delete_reminders(&self, tenant: TenantId, invoice: InvoiceId) -> Result<u64, RepositoryError> {
        Ok(self.state().reminders.remove(&(tenant, invoice)).unwrap_or(0))
    }
}

fn count(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

fn keyed<K: Copy, V>(map: &BTreeMap<(TenantId, K), V>, tenant: TenantId) -> u64 {
    count(map.keys().filter(|(t, _)| *t == tenant).count())
}

fn summed<K: Copy>(map: &BTreeMap<(TenantId, K), u64>, tenant: TenantId) -> u64 {
    map.iter().filter(|((t, _), _)| *t == tenant).map(|(_, n)| *n).sum()
}

/// How many rows the tenant has per table.
fn tenant_rows(state: &MemoryState, tenant: TenantId) -> BTreeMap<String, u64> {
    let mut rows = BTreeMap::from([
        (
            "organizations".to_owned(),
            u64::from(state.organizations.contains_key(&tenant)),
        ),
        ("users".to_owned(), keyed(&state.users, tenant)),
        ("clients".to_owned(), keyed(&state.clients, tenant)),
        ("invoices".to_owned(), keyed(&state.invoices, tenant)),
        ("payments".to_owned(), summed(&state.payments, tenant)),
        ("payment_reminders".to_owned(), summed(&state.reminders, tenant)),
        ("credit_notes".to_owned(), keyed(&state.credit_notes, tenant)),
        ("recurring_invoices".to_owned(), keyed(&state.schedules, tenant)),
        ("client_jobs".to_owned(), summed(&state.client_jobs, tenant)),
        ("notes".to_owned(), summed(&state.notes, tenant)),
        (
            "files".to_owned(),
            count(
                state
                    .files
                    .iter()
                    .filter(|((t, _), _)| *t == tenant)
                    .map(|(_, f)| f.len())
                    .sum(),
            ),
        ),
        ("exports".to_owned(), keyed(&state.exports, tenant)),
        ("privacy_requests".to_owned(), keyed(&state.requests, tenant)),
    ]);
    let mut add = |table: &str, n: usize| {
        rows.insert(table.to_owned(), count(n));
    };
    add(
        "audit_events",
        state.audit.iter().filter(|e| e.tenant_id == tenant).count(),
    );
    add(
        "jobs",
        state.jobs.iter().filter(|j| j.tenant_id == Some(tenant)).count(),
    );
    add(
        "erasures",
        state.erasures.iter().filter(|e| e.tenant_id == tenant).count(),
    );
    add(
        "consent_events",
        state.consents.iter().filter(|e| e.tenant_id == tenant).count(),
    );
    add(
        "policy_acceptances",
        state.acceptances.iter().filter(|a| a.tenant_id == tenant).count(),
    );
    add(
        "privacy_request_events",
        state.request_events.iter().filter(|e| e.tenant_id == tenant).count(),
    );
    for kind in Expiry::ALL {
        add(
            kind.as_str(),
            state
                .aged
                .iter()
                .filter(|r| r.kind == kind && r.tenant_id == tenant)
                .count(),
        );
    }
    rows
}

/// Deletes every row of the tenant except the invoices in `keep`, their
/// payments and the clients they name.
fn purge(state: &mut MemoryState, tenant: TenantId, keep: &BTreeSet<InvoiceId>) {
    let kept_clients: BTreeSet<ClientId> = keep
        .iter()
        .filter_map(|id| state.invoices.get(&(tenant, *id)))
        .map(|i| i.content.client_id)
        .collect();
    let ours = |t: &TenantId| *t == tenant;
    state.users.retain(|(t, _), _| !ours(t));
    state.clients.retain(|(t, c), _| !ours(t) || kept_clients.contains(c));
    state.invoices.retain(|(t, i), _| !ours(t) || keep.contains(i));
    state.payments.retain(|(t, i), _| !ours(t) || keep.contains(i));
    state.reminders.retain(|(t, _), _| !ours(t));
    state.credit_notes.retain(|(t, _), _| !ours(t));
    state.schedules.retain(|(t, _), _| !ours(t));
    state.client_jobs.retain(|(t, _), _| !ours(t));
    state.notes.retain(|(t, _), _| !ours(t));
    state.files.retain(|(t, _), _| !ours(t));
    state.exports.retain(|(t, _), _| !ours(t));
    state.requests.retain(|(t, _), _| !ours(t));
    state.audit.retain(|e| !ours(&e.tenant_id));
    state.jobs.retain(|j| j.tenant_id != Some(tenant));
    state.erasures.retain(|e| !ours(&e.tenant_id));
    state.consents.retain(|e| !ours(&e.tenant_id));
    state.acceptances.retain(|a| !ours(&a.tenant_id));
    state.request_events.retain(|e| !ours(&e.tenant_id));
    state.aged.retain(|r| !ours(&r.tenant_id));
    if keep.is_empty() {
        state.organizations.remove(&tenant);
    }
}

fn erased(details: &ClientDetails) -> ClientDetails {
    ClientDetails {
        name: "Erased client".to_owned(),
        email: None,
        phone: None,
        address: None,
        country: details.country,
        tax_id: None,
        currency: details.currency,
        locale: None,
        reminders_enabled: false,
    }
}

fn year_end(year: i32, years: u32) -> NaiveDate {
    let year = year.saturating_add(i32::try_from(years).unwrap_or(i32::MAX));
    NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(NaiveDate::MAX)
}

#[async_trait]
impl RetentionRepository for MemoryUnit {
    async fn count_expired(&self, kind: Expiry, cutoff: DateTime<Utc>) -> Result<u64, RepositoryError> {
        if kind == Expiry::AnalyticsEvents {
            return Ok(count(self.state().analytics.iter().filter(|e| e.hour < cutoff).count()));
        }
        Ok(count(
            self.state()
                .aged
                .iter()
                .filter(|r| r.kind == kind && r.at < cutoff)
                .count(),
        ))
    }

    async fn delete_expired(&self, kind: Expiry, cutoff: DateTime<Utc>) -> Result<u64, RepositoryError> {
        let mut state = self.state();
        if kind == Expiry::AnalyticsEvents {
            let before = state.analytics.len();
            state.analytics.retain(|e| e.hour >= cutoff);
            return Ok(count(before - state.analytics.len()));
        }
        let before = state.aged.len();
        state.aged.retain(|r| !(r.kind == kind && r.at < cutoff));
        Ok(count(before - state.aged.len()))
    }

    async fn holds_ended(&self, as_of: NaiveDate, limit: u32) -> Result<Vec<(TenantId, InvoiceId)>, RepositoryError> {
        Ok(self
            .state()
            .invoices
            .iter()
            .filter(|(_, i)| i.hold.until.is_some_and(|until| until < as_of))
            .map(|(key, _)| *key)
            .take(take(limit))
            .collect())
    }

    async fn delete_held_invoice(
        &self,
        tenant: TenantId,
        invoice: InvoiceId,
    ) -> Result<BTreeMap<String, u64>, RepositoryError> {
        let mut state = self.state();
        let mut deleted = BTreeMap::new();
        let Some(removed) = state.invoices.remove(&(tenant, invoice)) else {
            return Ok(deleted);
        };
        deleted.insert("invoices".to_owned(), 1);
        deleted.insert("invoice_lines".to_owned(), count(removed.content.lines.len()));
        deleted.insert(
            "payments".to_owned(),
            state.payments.remove(&(tenant, invoice)).unwrap_or(0),
        );
        deleted.insert(
            "payment_reminders".to_owned(),
            state.reminders.remove(&(tenant, invoice)).unwrap_or(0),
        );
        state.credit_notes.remove(&(tenant, invoice));
        let client = removed.content.client_id;
        let erased_client = state
            .clients
            .get(&(tenant, client))
            .is_some_and(|c| c.privacy.erased_at.is_some());
        let invoices_left = state
            .invoices
            .values()
            .any(|i| i.tenant_id == tenant && i.content.client_id == client);
        let client_gone = erased_client && !invoices_left && state.clients.remove(&(tenant, client)).is_some();
        deleted.insert("clients".to_owned(), u64::from(client_gone));
        Ok(deleted)
    }

    async fn count_tenant_rows(&self, tenant: TenantId) -> Result<BTreeMap<String, u64>, RepositoryError> {
        Ok(tenant_rows(&self.state(), tenant))
    }

    async fn purge_tenant(
        &self,
        tenant: TenantId,
        keep_accounting_years: Option<u32>,
        now: DateTime<Utc>,
    ) -> Result<BTreeMap<String, u64>, RepositoryError> {
        let mut state = self.state();
        let before = tenant_rows(&state, tenant);
        let keep: BTreeSet<InvoiceId> = match keep_accounting_years {
            Some(_) => state
                .invoices
                .values()
                .filter(|i| i.tenant_id == tenant && i.status != InvoiceStatus::Draft)
                .map(|i| i.id)
                .collect(),
            None => BTreeSet::new(),
        };
        purge(&mut state, tenant, &keep);
        if let Some(years) = keep_accounting_years {
            for invoice in state.invoices.values_mut().filter(|i| keep.contains(&i.id)) {
                let issued = invoice
                    .content
                    .issue_date
                    .or(invoice.finalized_at.map(|at| at.date_naive()))
                    .unwrap_or(now.date_naive());
                invoice.hold = LegalHold {
                    restricted: true,
                    until: Some(year_end(issued.year(), years)),
                };
            }
            for client in state.clients.values_mut().filter(|c| c.tenant_id == tenant) {
                client.details = erased(&client.details);
                client.privacy.restricted = true;
                client.privacy.erased_at = client.privacy.erased_at.or(Some(now));
                client.updated_at = now;
            }
        }
        let after = tenant_rows(&state, tenant);
        Ok(before
            .into_iter()
            .map(|(table, n)| {
                let left = after.get(&table).copied().unwrap_or(0);
                (table, n.saturating_sub(left))
            })
            .collect())
    }

    async fn claim_sweep(&self, day: NaiveDate, _now: DateTime<Utc>) -> Result<bool, RepositoryError> {
        let mut state = self.state();
        if state.sweeps.contains_key(&day) {
            return Ok(false);
        }
        state.sweeps.insert(day, None);
        Ok(true)
    }

    async fn finish_sweep(&self, day: NaiveDate, report: &str, _now: DateTime<Utc>) -> Result<(), RepositoryError> {
        self.state().sweeps.insert(day, Some(report.to_owned()));
        Ok(())
    }
}
