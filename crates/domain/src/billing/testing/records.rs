//! The memory billing unit's webhook inbox and checkout records.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::*;

#[async_trait]
impl WebhookInboxRepository for MemoryBillingUnit {
    async fn insert(&self, entry: &InboxEntry) -> Result<bool, RepositoryError> {
        let mut state = self.state();
        if state.inbox.contains_key(&entry.key) {
            return Ok(false);
        }
        state.inbox.insert(entry.key.clone(), entry.clone());
        Ok(true)
    }

    async fn get(&self, key: &InboxKey) -> Result<Option<InboxEntry>, RepositoryError> {
        Ok(self.state().inbox.get(key).cloned())
    }

    async fn received(&self, limit: u32) -> Result<Vec<InboxKey>, RepositoryError> {
        let state = self.state();
        let mut entries: Vec<&InboxEntry> = state
            .inbox
            .values()
            .filter(|entry| entry.state == InboxState::Received)
            .collect();
        entries.sort_by_key(|entry| entry.received_at);
        Ok(entries
            .into_iter()
            .take(limit as usize)
            .map(|e| e.key.clone())
            .collect())
    }

    async fn settle(&self, key: &InboxKey, state: &InboxState, at: DateTime<Utc>) -> Result<(), RepositoryError> {
        if let Some(entry) = self.state().inbox.get_mut(key) {
            entry.state = state.clone();
            entry.settled_at = Some(at);
        }
        Ok(())
    }
}

#[async_trait]
impl CheckoutRepository for MemoryBillingUnit {
    async fn save(&self, record: &CheckoutRecord) -> Result<(), RepositoryError> {
        let key = (record.tenant, record.session_id.clone());
        self.state().checkouts.insert(key, record.clone());
        Ok(())
    }

    async fn by_session(&self, tenant: TenantId, session_id: &str) -> Result<Option<CheckoutRecord>, RepositoryError> {
        Ok(self.state().checkouts.get(&(tenant, session_id.to_owned())).cloned())
    }

    async fn by_payment_intent(
        &self,
        tenant: TenantId,
        payment_intent: &str,
    ) -> Result<Option<CheckoutRecord>, RepositoryError> {
        let state = self.state();
        let found = state
            .checkouts
            .values()
            .find(|r| r.tenant == tenant && r.payment_intent.as_deref() == Some(payment_intent));
        Ok(found.cloned())
    }

    async fn open_before(&self, cutoff: DateTime<Utc>, limit: u32) -> Result<Vec<CheckoutRecord>, RepositoryError> {
        let state = self.state();
        let mut open: Vec<CheckoutRecord> = state
            .checkouts
            .values()
            .filter(|r| r.status == CheckoutStatus::Open && r.created_at < cutoff)
            .cloned()
            .collect();
        open.sort_by_key(|r| r.created_at);
        open.truncate(limit as usize);
        Ok(open)
    }

    async fn pending_refund(
        &self,
        tenant: TenantId,
        payment_intent: &str,
    ) -> Result<Option<PendingRefund>, RepositoryError> {
        Ok(self
            .state()
            .pending_refunds
            .get(&(tenant, payment_intent.to_owned()))
            .cloned())
    }

    async fn save_pending_refund(&self, refund: &PendingRefund) -> Result<(), RepositoryError> {
        let key = (refund.tenant, refund.payment_intent.clone());
        self.state().pending_refunds.insert(key, refund.clone());
        Ok(())
    }

    async fn remove_pending_refund(&self, tenant: TenantId, payment_intent: &str) -> Result<(), RepositoryError> {
        self.state()
            .pending_refunds
            .remove(&(tenant, payment_intent.to_owned()));
        Ok(())
    }
}
