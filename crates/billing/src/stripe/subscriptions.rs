//! [`StripeSubscriptions`]: the `SubscriptionProvider` port on the
//! operator's Stripe Billing account.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use fakturo_domain::TenantId;
use fakturo_domain::billing::gateway::{BillingApiError, SubscriptionCheckout};
use fakturo_domain::billing::ports::SubscriptionProvider;
use fakturo_domain::billing::records::BillingTransaction;
use fakturo_domain::billing::subscription::{SubscriptionSnapshot, SubscriptionStatus};
use fakturo_domain::billing::webhook::WebhookProvider;
use fakturo_domain::kernel::secrets::RevealedSecret;

use crate::stripe::client::StripeClient;
use crate::stripe::objects::id_of;

/// The events to enable on the operator's endpoint (`/api/v1/webhooks/stripe`).
pub const OPERATOR_EVENTS: &[&str] = &[
    "customer.subscription.created",
    "customer.subscription.updated",
    "customer.subscription.deleted",
    "customer.subscription.paused",
    "customer.subscription.resumed",
    "invoice.paid",
    "invoice.payment_failed",
];

/// The operator's Stripe Billing account.
pub struct StripeSubscriptions {
    client: StripeClient,
    key: RevealedSecret,
}

impl std::fmt::Debug for StripeSubscriptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StripeSubscriptions")
            .field("client", &self.client)
            .finish_non_exhaustive()
    }
}

impl StripeSubscriptions {
    /// The provider on `client` with the operator's secret key.
    #[must_use]
    pub fn new(client: StripeClient, key: RevealedSecret) -> Self {
        Self { client, key }
    }
}

/// The domain's status for Stripe's.
fn status(stripe: &str) -> SubscriptionStatus {
    match stripe {
        "trialing" => SubscriptionStatus::Trialing,
        "active" => SubscriptionStatus::Active,
        "past_due" | "unpaid" | "incomplete" => SubscriptionStatus::PastDue,
        "paused" => SubscriptionStatus::Paused,
        _ => SubscriptionStatus::Canceled,
    }
}

#[async_trait]
impl SubscriptionProvider for StripeSubscriptions {
    fn provider(&self) -> WebhookProvider {
        WebhookProvider::Stripe
    }

    async fn checkout(&self, checkout: &SubscriptionCheckout) -> Result<String, BillingApiError> {
        let session = self.client.create_subscription_checkout(&self.key, checkout).await?;
        session
            .url
            .ok_or_else(|| BillingApiError::Unexpected("the checkout session has no URL".into()))
    }

    async fn portal(
        &self,
        customer_id: &str,
        return_url: &str,
        idempotency_key: &str,
    ) -> Result<String, BillingApiError> {
        let portal = self
            .client
            .create_portal_session(&self.key, customer_id, return_url, idempotency_key)
            .await?;
        Ok(portal.url)
    }

    async fn fetch_subscription(
        &self,
        subscription_id: &str,
        fetched_at: DateTime<Utc>,
    ) -> Result<SubscriptionSnapshot, BillingApiError> {
        let subscription = self.client.retrieve_subscription(&self.key, subscription_id).await?;
        let price_ids = subscription
            .items
            .map(|items| {
                items
                    .data
                    .into_iter()
                    .filter_map(|item| item.price.map(|p| p.id))
                    .collect()
            })
            .unwrap_or_default();
        Ok(SubscriptionSnapshot {
            provider: WebhookProvider::Stripe,
            customer_id: id_of(subscription.customer.as_ref()),
            tenant: subscription.metadata.get("tenant_id").and_then(|id| id.parse().ok()),
            price_ids,
            status: status(&subscription.status),
            current_period_end: subscription
                .current_period_end
                .and_then(|t| DateTime::from_timestamp(t, 0)),
            cancel_at: subscription.cancel_at.and_then(|t| DateTime::from_timestamp(t, 0)),
            ordering_key: fetched_at,
            subscription_id: subscription.id,
        })
    }

    async fn transactions(
        &self,
        tenant: TenantId,
        customer_id: &str,
        limit: u32,
    ) -> Result<Vec<BillingTransaction>, BillingApiError> {
        let invoices = self.client.list_invoices(&self.key, customer_id, limit).await?;
        Ok(invoices
            .data
            .into_iter()
            .map(|invoice| BillingTransaction {
                tenant,
                provider: WebhookProvider::Stripe,
                provider_reference: invoice.id,
                amount_minor: invoice.amount_paid,
                currency: invoice.currency.to_ascii_uppercase(),
                status: invoice.status.unwrap_or_default(),
                occurred_at: DateTime::from_timestamp(invoice.created, 0).unwrap_or_default(),
                invoice_url: invoice.hosted_invoice_url,
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use fakturo_domain::billing::subscription::SubscriptionStatus;

    #[test]
    fn stripe_statuses_map_onto_the_domains() {
        let cases = [
            ("trialing", SubscriptionStatus::Trialing),
            ("active", SubscriptionStatus::Active),
            ("past_due", SubscriptionStatus::PastDue),
            ("unpaid", SubscriptionStatus::PastDue),
            ("paused", SubscriptionStatus::Paused),
            ("canceled", SubscriptionStatus::Canceled),
            ("incomplete_expired", SubscriptionStatus::Canceled),
        ];
        for (stripe, domain) in cases {
            assert_eq!(super::status(stripe), domain, "{stripe}");
        }
    }
}
