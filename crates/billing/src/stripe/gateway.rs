//! [`StripeGateway`]: the `PaymentGateway` port on a tenant's own Stripe
//! account, reached with the tenant's key.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use fakturo_domain::billing::gateway::{
    BillingApiError, CheckoutSession, GatewayAccount, InvoiceCheckout, RegisteredWebhook, SessionStatus,
};
use fakturo_domain::billing::ports::PaymentGateway;
use fakturo_domain::kernel::secrets::RevealedSecret;

use crate::stripe::client::StripeClient;
use crate::stripe::objects::{self, id_of};

/// The events Fakturo's endpoint on a tenant's account receives.
pub const CONNECT_EVENTS: &[&str] = &[
    "checkout.session.completed",
    "checkout.session.async_payment_succeeded",
    "checkout.session.async_payment_failed",
    "payment_intent.succeeded",
    "charge.refunded",
];

/// Pages of open sessions asked for at most (100 each).
const MAX_PAGES: usize = 10;

/// A tenant's Stripe account.
#[derive(Clone, Debug)]
pub struct StripeGateway {
    client: StripeClient,
}

impl StripeGateway {
    /// The gateway on `client`.
    #[must_use]
    pub fn new(client: StripeClient) -> Self {
        Self { client }
    }
}

/// The domain's view of a Stripe session.
pub(crate) fn session(session: objects::CheckoutSession) -> CheckoutSession {
    let status = match session.status.as_deref() {
        Some("complete") => SessionStatus::Complete,
        Some("expired") => SessionStatus::Expired,
        _ => SessionStatus::Open,
    };
    CheckoutSession {
        status,
        paid: session.payment_status == "paid",
        payment_intent: id_of(session.payment_intent.as_ref()),
        tenant: session.metadata.get("tenant_id").and_then(|id| id.parse().ok()),
        invoice: session.metadata.get("invoice_id").and_then(|id| id.parse().ok()),
        amount_minor: session.amount_total.unwrap_or_default(),
        currency: session.currency.unwrap_or_default(),
        created_at: DateTime::from_timestamp(session.created, 0).unwrap_or_default(),
        url: session.url,
        id: session.id,
    }
}

#[async_trait]
impl PaymentGateway for StripeGateway {
    async fn verify_key(&self, key: &RevealedSecret) -> Result<GatewayAccount, BillingApiError> {
        let account = self.client.retrieve_account(key).await?;
        Ok(GatewayAccount {
            account_id: account.id,
            charges_enabled: account.charges_enabled,
        })
    }

    async fn register_webhook(
        &self,
        key: &RevealedSecret,
        url: &str,
        idempotency_key: &str,
    ) -> Result<RegisteredWebhook, BillingApiError> {
        let endpoint = self
            .client
            .create_webhook_endpoint(key, url, CONNECT_EVENTS, idempotency_key)
            .await?;
        let secret = endpoint.secret.ok_or_else(|| {
            BillingApiError::Unexpected("the webhook endpoint was created without a signing secret".into())
        })?;
        Ok(RegisteredWebhook {
            endpoint_id: endpoint.id,
            secret: RevealedSecret::new(secret),
            status: endpoint.status,
        })
    }

    async fn remove_webhook(&self, key: &RevealedSecret, endpoint_id: &str) -> Result<(), BillingApiError> {
        self.client.delete_webhook_endpoint(key, endpoint_id).await
    }

    async fn create_checkout(
        &self,
        key: &RevealedSecret,
        checkout: &InvoiceCheckout,
    ) -> Result<CheckoutSession, BillingApiError> {
        Ok(session(self.client.create_payment_checkout(key, checkout).await?))
    }

    async fn retrieve_session(
        &self,
        key: &RevealedSecret,
        session_id: &str,
    ) -> Result<CheckoutSession, BillingApiError> {
        Ok(session(self.client.retrieve_checkout_session(key, session_id).await?))
    }

    async fn list_open_sessions(
        &self,
        key: &RevealedSecret,
        created_before: DateTime<Utc>,
    ) -> Result<Vec<CheckoutSession>, BillingApiError> {
        let mut sessions = Vec::new();
        let mut after: Option<String> = None;
        for _ in 0..MAX_PAGES {
            let page = self
                .client
                .list_checkout_sessions(key, "open", created_before, after.as_deref())
                .await?;
            after = page.data.last().map(|s| s.id.clone());
            sessions.extend(page.data.into_iter().map(session));
            if !page.has_more || after.is_none() {
                break;
            }
        }
        Ok(sessions)
    }
}
