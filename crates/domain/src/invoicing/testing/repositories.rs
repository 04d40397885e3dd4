//! The invoicing repositories on the memory store's unit of work, with the
//! semantics of the SQL adapter: tenant-scoped keys, newest-first pages,
//! `Conflict` when a draft was finalized meanwhile, `Duplicate` for a taken
//! number.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::MemoryUnit;
use crate::invoicing::client::Client;
use crate::invoicing::invoice::payment::Payment;
use crate::invoicing::invoice::{Delivery, Invoice, InvoiceStatus};
use crate::invoicing::ports::{ClientRepository, InvoiceFilter, InvoiceRepository, NumberingRepository};
use crate::kernel::pagination::{Page, PageRequest};
use crate::kernel::repository::RepositoryError;
use crate::{ClientId, InvoiceId, PaymentId, TenantId};

mod schedules;

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

    async fn finalized_since(&self, tenant: TenantId, since: DateTime<Utc>) -> Result<u64, RepositoryError> {
        let state = self.state();
        let count = state
            .invoices
            .values()
            .filter(|i| i.tenant_id == tenant && i.finalized_at.is_some_and(|at| at >= since))
            .count();
        Ok(u64::try_from(count).unwrap_or(u64::MAX))
    }

    async fn payments(
        &self,
        tenant: TenantId,
        invoice: InvoiceId,
        page: PageRequest,
    ) -> Result<Page<Payment>, RepositoryError> {
        let mut found: Vec<Payment> = self
            .state()
            .payments
            .iter()
            .filter(|p| p.tenant_id == tenant && p.invoice_id == invoice)
            .filter(|p| page.after.is_none_or(|after| p.id.as_uuid() < after))
            .cloned()
            .collect();
        found.sort_by_key(|p| std::cmp::Reverse(p.id.as_uuid()));
        found.truncate(usize::try_from(page.limit).unwrap_or(usize::MAX).saturating_add(1));
        Ok(Page::from_overfetch(found, page.limit, |p| p.id.as_uuid()))
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
