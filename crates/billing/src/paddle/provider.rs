//! [`PaddleProvider`]: the `SubscriptionProvider` port on the operator's
//! Paddle Billing account.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use fakturo_domain::TenantId;
use fakturo_domain::billing::gateway::{BillingApiError, SubscriptionCheckout};
use fakturo_domain::billing::ports::SubscriptionProvider;
use fakturo_domain::billing::records::BillingTransaction;
use fakturo_domain::billing::subscription::SubscriptionSnapshot;
use fakturo_domain::billing::webhook::WebhookProvider;

use crate::paddle::client::PaddleClient;
use crate::paddle::convert::{snapshot, transaction_facts};

/// The events to enable on the notification destination (`/api/v1/webhooks/paddle`).
pub const PADDLE_EVENTS: &[&str] = &[
    "subscription.created",
    "subscription.updated",
    "subscription.activated",
    "subscription.trialing",
    "subscription.past_due",
    "subscription.paused",
    "subscription.resumed",
    "subscription.canceled",
    "transaction.completed",
    "transaction.past_due",
    "adjustment.created",
    "adjustment.updated",
];

/// The operator's Paddle account.
#[derive(Clone, Debug)]
pub struct PaddleProvider {
    client: PaddleClient,
}

impl PaddleProvider {
    /// The provider on `client`.
    #[must_use]
    pub fn new(client: PaddleClient) -> Self {
        Self { client }
    }
}

#[async_trait]
impl SubscriptionProvider for PaddleProvider {
    fn provider(&self) -> WebhookProvider {
        WebhookProvider::Paddle
    }

    async fn checkout(&self, checkout: &SubscriptionCheckout) -> Result<String, BillingApiError> {
        let transaction = self.client.create_transaction(checkout).await?;
        transaction
            .checkout
            .and_then(|checkout| checkout.url)
            .ok_or_else(|| BillingApiError::Unexpected("the transaction has no checkout URL".into()))
    }

    async fn portal(
        &self,
        customer_id: &str,
        _return_url: &str,
        idempotency_key: &str,
    ) -> Result<String, BillingApiError> {
        let session = self
            .client
            .create_portal_session(customer_id, &[], idempotency_key)
            .await?;
        Ok(session.urls.general.overview)
    }

    async fn fetch_subscription(
        &self,
        subscription_id: &str,
        fetched_at: DateTime<Utc>,
    ) -> Result<SubscriptionSnapshot, BillingApiError> {
        let subscription = self.client.get_subscription(subscription_id).await?;
        let ordering_key = subscription.updated_at.unwrap_or(fetched_at);
        Ok(snapshot(subscription, ordering_key))
    }

    async fn transactions(
        &self,
        tenant: TenantId,
        customer_id: &str,
        limit: u32,
    ) -> Result<Vec<BillingTransaction>, BillingApiError> {
        let transactions = self.client.list_transactions(customer_id, limit).await?;
        Ok(transactions
            .into_iter()
            .map(|transaction| {
                let occurred_at = transaction.billed_at.unwrap_or(transaction.created_at);
                let facts = transaction_facts(transaction);
                BillingTransaction {
                    tenant,
                    provider: WebhookProvider::Paddle,
                    provider_reference: facts.reference,
                    amount_minor: facts.amount_minor,
                    currency: facts.currency.to_ascii_uppercase(),
                    status: facts.status,
                    occurred_at,
                    invoice_url: facts.invoice_url,
                }
            })
            .collect())
    }
}
