//! The invoicing repositories on the memory store's unit of work, with the
//! semantics of the SQL adapter: tenant-scoped keys, newest-first pages,
//! `Conflict` when a draft was finalized meanwhile, `Duplicate` for a taken
//! number.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};

use super::MemoryUnit;
use crate::invoicing::client::Client;
use crate::invoicing::credit_note::CreditNote;
use crate::invoicing::invoice::payment::Payment;
use crate::invoicing::invoice::{Delivery, Invoice, InvoiceStatus};
use crate::invoicing::ports::{
    ClientRepository, CreditNoteRepository, InvoiceFilter, InvoiceRepository, NumberingRepository,
    RecurringInvoiceRepository, ReminderRepository,
};
use crate::invoicing::recurring::{RecurringInvoice, RecurringStatus};
use crate::invoicing::reminders::{InvoiceReminder, ReminderSettings, ReminderStatus};
use crate::kernel::pagination::{Page, PageRequest};
use crate::kernel::repository::RepositoryError;
use crate::{ClientId, InvoiceId, PaymentId, RecurringInvoiceId, TenantId};

/// Newest first by id, after the cursor, one more than the page to tell whether more follow.
fn page_of<T: Clone>(mut items: Vec<T>, page: PageRequest, id_of: impl Fn(&T) -> uuid::Uuid) -> Page<T> {
    items.sort_by_key(|item| std::cmp::Reverse(id_of(item)));
    let items = items
        .into_iter()
        .filter(|item| page.after.is_none_or(|after| id_of(item) < after))
        .take(usize::try_from(page.limit).unwrap_or(usize::MAX).saturating_add(1))
        .collect();
    Page::from_overfetch(items, page.limit, id_of)
}

#[async_trait]
impl ClientRepository for MemoryUnit {
    async fn insert(&self, client: &Client) -> Result<(), RepositoryError> {
        let mut state = self.state();
        let key = (client.tenant_id, client.id);
        if state.clients.contains_key(&key) {
            return Err(RepositoryError::Duplicate {
                constraint: "clients_pkey".into(),
            });
        }
        state.clients.insert(key, client.clone());
        Ok(())
    }

    async fn get(&self, tenant: TenantId, id: ClientId) -> Result<Option<Client>, RepositoryError> {
        Ok(self.state().clients.get(&(tenant, id)).cloned())
    }

    async fn list(&self, tenant: TenantId, page: PageRequest) -> Result<Page<Client>, RepositoryError> {
        let all = self
            .state()
            .clients
            .values()
            .filter(|c| c.tenant_id == tenant)
            .cloned()
            .collect();
        Ok(page_of(all, page, |c| c.id.as_uuid()))
    }

    async fn update(&self, client: &Client) -> Result<bool, RepositoryError> {
        let mut state = self.state();
        match state.clients.get_mut(&(client.tenant_id, client.id)) {
            Some(stored) => {
                *stored = client.clone();
                Ok(true)
            }
            None => Ok(false),
        }
    }

    async fn delete(&self, tenant: TenantId, id: ClientId) -> Result<bool, RepositoryError> {
        Ok(self.state().clients.remove(&(tenant, id)).is_some())
    }

    async fn has_invoices(&self, tenant: TenantId, id: ClientId) -> Result<bool, RepositoryError> {
        let state = self.state();
        Ok(state
            .invoices
            .values()
            .any(|i| i.tenant_id == tenant && i.content.client_id == id)
            || state
                .recurring
                .values()
                .any(|r| r.tenant_id == tenant && r.client_id == id))
    }
}

#[async_trait]
impl InvoiceRepository for MemoryUnit {
    async fn insert(&self, invoice: &Invoice) -> Result<(), RepositoryError> {
        let mut state = self.state();
        let key = (invoice.tenant_id, invoice.id);
        if state.invoices.contains_key(&key) {
            return Err(RepositoryError::Duplicate {
                constraint: "invoices_pkey".into(),
            });
        }
        state.invoices.insert(key, invoice.clone());
        Ok(())
    }

    async fn get(&self, tenant: TenantId, id: InvoiceId) -> Result<Option<Invoice>, RepositoryError> {
        Ok(self.state().invoices.get(&(tenant, id)).cloned())
    }

    async fn get_for_update(&self, tenant: TenantId, id: InvoiceId) -> Result<Option<Invoice>, RepositoryError> {
        InvoiceRepository::get(self, tenant, id).await
    }

    async fn list(
        &self,
        tenant: TenantId,
        filter: InvoiceFilter,
        page: PageRequest,
    ) -> Result<Page<Invoice>, RepositoryError> {
        let all = self
            .state()
            .invoices
            .values()
            .filter(|i| i.tenant_id == tenant)
            .filter(|i| filter.status.is_none_or(|s| i.status == s))
            .filter(|i| filter.client_id.is_none_or(|c| i.content.client_id == c))
            .filter(|i| filter.overdue_on.is_none_or(|day| i.is_overdue(day)))
            .cloned()
            .collect();
        Ok(page_of(all, page, |i| i.id.as_uuid()))
    }

    async fn for_client(&self, tenant: TenantId, client: ClientId) -> Result<Vec<Invoice>, RepositoryError> {
        let state = self.state();
        let mut found: Vec<Invoice> = state
            .invoices
            .values()
            .filter(|i| i.tenant_id == tenant && i.content.client_id == client)
            .cloned()
            .collect();
        found.sort_by_key(|i| i.id.as_uuid());
        Ok(found)
    }

    async fn update_draft(&self, invoice: &Invoice) -> Result<(), RepositoryError> {
        let mut state = self.state();
        match state.invoices.get_mut(&(invoice.tenant_id, invoice.id)) {
            Some(stored) if stored.status == InvoiceStatus::Draft => {
                *stored = invoice.clone();
                Ok(())
            }
            _ => Err(RepositoryError::Conflict),
        }
    }

    async fn save_finalized(&self, invoice: &Invoice) -> Result<(), RepositoryError> {
        let mut state = self.state();
        let taken = state.invoices.values().any(|other| {
            other.tenant_id == invoice.tenant_id && other.id != invoice.id && other.number == invoice.number
        });
        if taken && invoice.number.is_some() {
            return Err(RepositoryError::Duplicate {
                constraint: "invoices_tenant_number_key".into(),
            });
        }
        match state.invoices.get_mut(&(invoice.tenant_id, invoice.id)) {
            Some(stored) if stored.status == InvoiceStatus::Draft => {
                *stored = invoice.clone();
                Ok(())
            }
            _ => Err(RepositoryError::Conflict),
        }
    }

    async fn delete_finalized(&self, tenant: TenantId, id: InvoiceId) -> Result<(), RepositoryError> {
        let mut state = self.state();
        state.invoices.remove(&(tenant, id));
        state
            .payments
            .retain(|p| !(p.tenant_id == tenant && p.invoice_id == id));
        state
            .reminders
            .retain(|r| !(r.tenant_id == tenant && r.invoice_id == id));
        state
            .credit_notes
            .retain(|c| !(c.tenant_id == tenant && c.invoice_id == id));
        Ok(())
    }

    async fn delete_draft(&self, tenant: TenantId, id: InvoiceId) -> Result<bool, RepositoryError> {
        let mut state = self.state();
        let is_draft = state
            .invoices
            .get(&(tenant, id))
            .is_some_and(|i| i.status == InvoiceStatus::Draft);
        if is_draft {
            state.invoices.remove(&(tenant, id));
        }
        Ok(is_draft)
    }

    async fn set_delivery(&self, tenant: TenantId, id: InvoiceId, delivery: &Delivery) -> Result<(), RepositoryError> {
        if let Some(stored) = self.state().invoices.get_mut(&(tenant, id)) {
            stored.delivery = delivery.clone();
        }
        Ok(())
    }

    async fn find_by_public_token(&self, token: &str) -> Result<Option<Invoice>, RepositoryError> {
        let state = self.state();
        Ok(state
            .invoices
            .values()
            .find(|i| i.delivery.public_token.as_deref() == Some(token))
            .cloned())
    }

    async fn payment(&self, tenant: TenantId, id: PaymentId) -> Result<Option<Payment>, RepositoryError> {
        Ok(self
            .state()
            .payments
            .iter()
            .find(|p| p.tenant_id == tenant && p.id == id)
            .cloned())
    }

    async fn record_payment(&self, invoice: &Invoice, payment: &Payment) -> Result<(), RepositoryError> {
        let mut state = self.state();
        let Some(stored) = state.invoices.get_mut(&(invoice.tenant_id, invoice.id)) else {
            return Err(RepositoryError::Conflict);
        };
        if stored.amount_paid.minor() + payment.amount.minor() != invoice.amount_paid.minor() {
            return Err(RepositoryError::Conflict);
        }
        stored.amount_paid = invoice.amount_paid;
        stored.status = invoice.status;
        stored.updated_at = invoice.updated_at;
        state.payments.push(payment.clone());
        Ok(())
    }
}

#[async_trait]
impl NumberingRepository for MemoryUnit {
    async fn next_in_series(&self, tenant: TenantId, series: &str) -> Result<u64, RepositoryError> {
        let mut state = self.state();
        let counter = state.counters.entry((tenant, series.to_owned())).or_insert(0);
        *counter += 1;
        Ok(*counter)
    }
}

#[async_trait]
impl RecurringInvoiceRepository for MemoryUnit {
    async fn insert(&self, recurring: &RecurringInvoice) -> Result<(), RepositoryError> {
        self.state()
            .recurring
            .insert((recurring.tenant_id, recurring.id), recurring.clone());
        Ok(())
    }

    async fn get(
        &self,
        tenant: TenantId,
        id: RecurringInvoiceId,
        _lock: bool,
    ) -> Result<Option<RecurringInvoice>, RepositoryError> {
        Ok(self.state().recurring.get(&(tenant, id)).cloned())
    }

    async fn list(&self, tenant: TenantId, page: PageRequest) -> Result<Page<RecurringInvoice>, RepositoryError> {
        let all = self
            .state()
            .recurring
            .values()
            .filter(|r| r.tenant_id == tenant)
            .cloned()
            .collect();
        Ok(page_of(all, page, |r| r.id.as_uuid()))
    }

    async fn update(&self, recurring: &RecurringInvoice) -> Result<bool, RepositoryError> {
        let mut state = self.state();
        match state.recurring.get_mut(&(recurring.tenant_id, recurring.id)) {
            Some(stored) => {
                *stored = recurring.clone();
                Ok(true)
            }
            None => Ok(false),
        }
    }

    async fn delete(&self, tenant: TenantId, id: RecurringInvoiceId) -> Result<bool, RepositoryError> {
        Ok(self.state().recurring.remove(&(tenant, id)).is_some())
    }

    async fn for_client(&self, tenant: TenantId, client: ClientId) -> Result<Vec<RecurringInvoiceId>, RepositoryError> {
        let state = self.state();
        Ok(state
            .recurring
            .values()
            .filter(|r| r.tenant_id == tenant && r.client_id == client)
            .map(|r| r.id)
            .collect())
    }

    async fn due(&self, date: NaiveDate, limit: u32) -> Result<Vec<(TenantId, RecurringInvoiceId)>, RepositoryError> {
        let state = self.state();
        let mut due: Vec<_> = state
            .recurring
            .values()
            .filter(|r| r.status == RecurringStatus::Active)
            .filter_map(|r| {
                r.next_issue_date()
                    .filter(|d| *d <= date)
                    .map(|d| (d, r.tenant_id, r.id))
            })
            .collect();
        due.sort();
        Ok(due
            .into_iter()
            .take(usize::try_from(limit).unwrap_or(usize::MAX))
            .map(|(_, tenant, id)| (tenant, id))
            .collect())
    }

    async fn insert_run(
        &self,
        tenant: TenantId,
        schedule: RecurringInvoiceId,
        _period_index: u32,
        period_start: NaiveDate,
        _invoice: InvoiceId,
        _now: DateTime<Utc>,
    ) -> Result<(), RepositoryError> {
        if self.state().runs.insert((tenant, schedule, period_start)) {
            Ok(())
        } else {
            Err(RepositoryError::Duplicate {
                constraint: "recurring_runs_pkey".into(),
            })
        }
    }
}

#[async_trait]
impl ReminderRepository for MemoryUnit {
    async fn settings(&self, tenant: TenantId) -> Result<Option<ReminderSettings>, RepositoryError> {
        Ok(self.state().reminder_settings.get(&tenant).cloned())
    }

    async fn save_settings(
        &self,
        tenant: TenantId,
        settings: &ReminderSettings,
        _now: DateTime<Utc>,
    ) -> Result<(), RepositoryError> {
        self.state().reminder_settings.insert(tenant, settings.clone());
        Ok(())
    }

    async fn tenants_with_reminders(&self) -> Result<Vec<TenantId>, RepositoryError> {
        let state = self.state();
        Ok(state
            .reminder_settings
            .iter()
            .filter(|(_, s)| s.enabled && !s.rules.is_empty())
            .map(|(t, _)| *t)
            .collect())
    }

    async fn payable_due_between(
        &self,
        tenant: TenantId,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<Invoice>, RepositoryError> {
        let state = self.state();
        let mut found: Vec<Invoice> = state
            .invoices
            .values()
            .filter(|i| i.tenant_id == tenant && i.status.is_payable())
            .filter(|i| i.content.due_date.is_some_and(|d| from <= d && d <= to))
            .filter(|i| {
                state
                    .clients
                    .get(&(tenant, i.content.client_id))
                    .is_none_or(|c| c.details.reminders_enabled)
            })
            .cloned()
            .collect();
        found.sort_by_key(|i| i.content.due_date);
        Ok(found)
    }

    async fn for_invoice(&self, tenant: TenantId, invoice: InvoiceId) -> Result<Vec<InvoiceReminder>, RepositoryError> {
        let state = self.state();
        let mut found: Vec<_> = state
            .reminders
            .iter()
            .filter(|r| r.tenant_id == tenant && r.invoice_id == invoice)
            .cloned()
            .collect();
        found.sort_by_key(|r| r.days_from_due);
        Ok(found)
    }

    async fn insert(&self, reminder: &InvoiceReminder) -> Result<bool, RepositoryError> {
        let mut state = self.state();
        let exists = state.reminders.iter().any(|r| {
            r.tenant_id == reminder.tenant_id
                && r.invoice_id == reminder.invoice_id
                && r.days_from_due == reminder.days_from_due
        });
        if !exists {
            state.reminders.push(reminder.clone());
        }
        Ok(!exists)
    }

    async fn set_status(
        &self,
        tenant: TenantId,
        invoice: InvoiceId,
        days_from_due: i32,
        status: ReminderStatus,
        recipient: Option<&str>,
        at: Option<DateTime<Utc>>,
    ) -> Result<(), RepositoryError> {
        let mut state = self.state();
        for r in state.reminders.iter_mut() {
            if r.tenant_id == tenant && r.invoice_id == invoice && r.days_from_due == days_from_due {
                r.status = status;
                r.recipient = recipient.map(str::to_owned);
                r.sent_at = at;
            }
        }
        Ok(())
    }
}

#[async_trait]
impl CreditNoteRepository for MemoryUnit {
    async fn insert(&self, note: &CreditNote) -> Result<(), RepositoryError> {
        let mut state = self.state();
        if state
            .credit_notes
            .iter()
            .any(|c| c.tenant_id == note.tenant_id && c.invoice_id == note.invoice_id)
        {
            return Err(RepositoryError::Duplicate {
                constraint: "credit_notes_invoice_key".into(),
            });
        }
        state.credit_notes.push(note.clone());
        Ok(())
    }

    async fn get(&self, tenant: TenantId, id: uuid::Uuid) -> Result<Option<CreditNote>, RepositoryError> {
        Ok(self
            .state()
            .credit_notes
            .iter()
            .find(|c| c.tenant_id == tenant && c.id == id)
            .cloned())
    }

    async fn for_invoice(&self, tenant: TenantId, invoice: InvoiceId) -> Result<Option<CreditNote>, RepositoryError> {
        let state = self.state();
        Ok(state
            .credit_notes
            .iter()
            .find(|c| c.tenant_id == tenant && c.invoice_id == invoice)
            .cloned())
    }

    async fn list(&self, tenant: TenantId, page: PageRequest) -> Result<Page<CreditNote>, RepositoryError> {
        let all = self
            .state()
            .credit_notes
            .iter()
            .filter(|c| c.tenant_id == tenant)
            .cloned()
            .collect();
        Ok(page_of(all, page, |c| c.id))
    }

    async fn void_invoice(
        &self,
        tenant: TenantId,
        invoice: InvoiceId,
        at: DateTime<Utc>,
    ) -> Result<bool, RepositoryError> {
        let mut state = self.state();
        match state.invoices.get_mut(&(tenant, invoice)) {
            Some(stored)
                if matches!(
                    stored.status,
                    InvoiceStatus::Open | InvoiceStatus::PartiallyPaid | InvoiceStatus::Paid
                ) =>
            {
                stored.status = InvoiceStatus::Void;
                stored.updated_at = at;
                Ok(true)
            }
            _ => Ok(false),
        }
    }
}
