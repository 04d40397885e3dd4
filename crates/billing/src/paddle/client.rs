//! [`PaddleClient`]: the Paddle Billing API calls Fakturo makes, JSON with
//! the `Paddle-Version` pinned and an idempotency key on every POST.

use fakturo_domain::billing::gateway::{BillingApiError, SubscriptionCheckout};
use fakturo_domain::kernel::secrets::RevealedSecret;
use serde_json::json;

use crate::http::{Api, Call, HttpSettings, Payload, path_id};
use crate::paddle::objects::{Envelope, PortalSession, Subscription, Transaction};

/// The API version every request uses.
pub const PADDLE_API_VERSION: &str = "1";

/// Paddle's live API.
pub const PADDLE_BASE_URL: &str = "https://api.paddle.com";

/// Paddle's sandbox API.
pub const PADDLE_SANDBOX_URL: &str = "https://sandbox-api.paddle.com";

/// A Paddle Billing API client with the operator's key.
#[derive(Clone)]
pub struct PaddleClient {
    api: Api,
    key: RevealedSecret,
}

impl std::fmt::Debug for PaddleClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PaddleClient")
            .field("api", &self.api)
            .finish_non_exhaustive()
    }
}

impl PaddleClient {
    /// A client on `settings` with the operator's API key.
    ///
    /// # Errors
    /// [`BillingApiError::Unexpected`] if the HTTP client cannot be built.
    pub fn new(settings: &HttpSettings, key: RevealedSecret) -> Result<Self, BillingApiError> {
        let api = Api::new("paddle", settings, &[("paddle-version", PADDLE_API_VERSION)])?;
        Ok(Self { api, key })
    }

    /// `POST /transactions` for a plan's price; its `checkout.url` is where the owner pays.
    ///
    /// # Errors
    /// `Rejected` (an unknown price), `Unavailable` or `Unexpected`.
    pub async fn create_transaction(&self, checkout: &SubscriptionCheckout) -> Result<Transaction, BillingApiError> {
        let mut body = json!({
            "items": [{"price_id": checkout.price_id, "quantity": 1}],
            "custom_data": {"tenant_id": checkout.tenant.to_string()},
            "collection_mode": "automatic",
        });
        if let (Some(customer), Some(object)) = (&checkout.customer_id, body.as_object_mut()) {
            object.insert("customer_id".to_owned(), json!(customer));
        }
        let call = Call::post(
            "/transactions".to_owned(),
            Payload::Json(body),
            &checkout.idempotency_key,
        );
        Ok(self.api.send::<Envelope<Transaction>>(&self.key, call).await?.data)
    }

    /// `GET /subscriptions/{id}`.
    ///
    /// # Errors
    /// `NotFound`, `Unavailable` or `Unexpected`.
    pub async fn get_subscription(&self, id: &str) -> Result<Subscription, BillingApiError> {
        let id = path_id(id)?;
        let call = Call::get(format!("/subscriptions/{id}"));
        Ok(self.api.send::<Envelope<Subscription>>(&self.key, call).await?.data)
    }

    /// `POST /customers/{id}/portal-sessions`.
    ///
    /// # Errors
    /// `NotFound`, `Unavailable` or `Unexpected`.
    pub async fn create_portal_session(
        &self,
        customer_id: &str,
        subscription_ids: &[&str],
        idempotency_key: &str,
    ) -> Result<PortalSession, BillingApiError> {
        let customer_id = path_id(customer_id)?;
        let body = json!({ "subscription_ids": subscription_ids });
        let call = Call::post(
            format!("/customers/{customer_id}/portal-sessions"),
            Payload::Json(body),
            idempotency_key,
        );
        Ok(self.api.send::<Envelope<PortalSession>>(&self.key, call).await?.data)
    }

    /// `GET /transactions?customer_id=…`, newest first.
    ///
    /// # Errors
    /// `Unavailable` or `Unexpected`.
    pub async fn list_transactions(&self, customer_id: &str, limit: u32) -> Result<Vec<Transaction>, BillingApiError> {
        let query = vec![
            ("customer_id".to_owned(), customer_id.to_owned()),
            ("order_by".to_owned(), "created_at[DESC]".to_owned()),
            ("per_page".to_owned(), limit.clamp(1, 200).to_string()),
        ];
        let call = Call::get("/transactions".to_owned()).query(query);
        Ok(self.api.send::<Envelope<Vec<Transaction>>>(&self.key, call).await?.data)
    }
}
