//! The memory store's recurring invoices, reminders and credit notes.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};

use super::super::MemoryUnit;
use super::page_of;
use crate::invoicing::credit_note::CreditNote;
use crate::invoicing::invoice::{Invoice, InvoiceStatus};
use crate::invoicing::ports::{CreditNoteRepository, RecurringInvoiceRepository, ReminderRepository};
use crate::invoicing::recurring::{RecurringInvoice, RecurringStatus};
use crate::invoicing::reminders::{InvoiceReminder, ReminderSettings, ReminderStatus};
use crate::kernel::pagination::{Page, PageRequest};
use crate::kernel::repository::RepositoryError;
use crate::{ClientId, InvoiceId, RecurringInvoiceId, TenantId};

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
