//! [`StripeClient`]: the Stripe API calls Fakturo makes, form encoded, with
//! `Stripe-Version` pinned and the caller's idempotency key on every POST.
//! The key is a parameter: a tenant's key for its own account, the
//! operator's for Stripe Billing.

use chrono::{DateTime, Utc};
use fakturo_domain::billing::gateway::{BillingApiError, InvoiceCheckout, SubscriptionCheckout};
use fakturo_domain::kernel::secrets::RevealedSecret;

use crate::form::Form;
use crate::http::{Api, Call, HttpSettings, Payload, path_id};
use crate::stripe::objects::{
    Account, CheckoutSession, Invoice, List, PortalSession, Refund, Subscription, WebhookEndpoint,
};

/// The API version every request and every registered endpoint uses.
pub const STRIPE_API_VERSION: &str = "2024-06-20";

/// Stripe's API.
pub const STRIPE_BASE_URL: &str = "https://api.stripe.com";

/// A Stripe API client.
#[derive(Clone, Debug)]
pub struct StripeClient {
    api: Api,
}

impl StripeClient {
    /// A client on `settings` (its base URL is [`STRIPE_BASE_URL`] in production).
    ///
    /// # Errors
    /// [`BillingApiError::Unexpected`] if the HTTP client cannot be built.
    pub fn new(settings: &HttpSettings) -> Result<Self, BillingApiError> {
        let api = Api::new("stripe", settings, &[("stripe-version", STRIPE_API_VERSION)])?;
        Ok(Self { api })
    }

    /// `GET /v1/account`: checks a key.
    ///
    /// # Errors
    /// `InvalidKey` if refused; `Unavailable` or `Unexpected`.
    pub async fn retrieve_account(&self, key: &RevealedSecret) -> Result<Account, BillingApiError> {
        self.api.send(key, Call::get("/v1/account".to_owned())).await
    }

    /// `POST /v1/webhook_endpoints` for `events`, pinned to [`STRIPE_API_VERSION`].
    ///
    /// # Errors
    /// `InvalidKey`, `Rejected`, `Unavailable` or `Unexpected`.
    pub async fn create_webhook_endpoint(
        &self,
        key: &RevealedSecret,
        url: &str,
        events: &[&str],
        idempotency_key: &str,
    ) -> Result<WebhookEndpoint, BillingApiError> {
        let form = Form::new()
            .set("url", url)
            .set("api_version", STRIPE_API_VERSION)
            .list("enabled_events", events)
            .set("description", "Fakturo invoice payments");
        let call = Call::post(
            "/v1/webhook_endpoints".to_owned(),
            Payload::Form(form.into_pairs()),
            idempotency_key,
        );
        self.api.send(key, call).await
    }

    /// `DELETE /v1/webhook_endpoints/{id}`; an endpoint already gone is fine.
    ///
    /// # Errors
    /// `InvalidKey`, `Rejected`, `Unavailable` or `Unexpected`.
    pub async fn delete_webhook_endpoint(&self, key: &RevealedSecret, id: &str) -> Result<(), BillingApiError> {
        let Ok(id) = path_id(id) else { return Ok(()) };
        match self
            .api
            .send_raw(key, &Call::delete(format!("/v1/webhook_endpoints/{id}")))
            .await
        {
            Ok(_) | Err(BillingApiError::NotFound) => Ok(()),
            Err(error) => Err(error),
        }
    }

    /// `POST /v1/checkout/sessions` in payment mode for an invoice's balance.
    ///
    /// # Errors
    /// `InvalidKey`, `Rejected`, `Unavailable` or `Unexpected`.
    pub async fn create_payment_checkout(
        &self,
        key: &RevealedSecret,
        checkout: &InvoiceCheckout,
    ) -> Result<CheckoutSession, BillingApiError> {
        let ids = [
            ("tenant_id", checkout.tenant.to_string()),
            ("invoice_id", checkout.invoice.to_string()),
        ];
        let item = "line_items[0]";
        let form = Form::new()
            .set("mode", "payment")
            .set(format!("{item}[quantity]"), 1)
            .set(
                format!("{item}[price_data][currency]"),
                checkout.currency.to_ascii_lowercase(),
            )
            .set(format!("{item}[price_data][unit_amount]"), checkout.amount_minor)
            .set(format!("{item}[price_data][product_data][name]"), &checkout.description)
            .set("client_reference_id", checkout.invoice)
            .set("success_url", &checkout.success_url)
            .set("cancel_url", &checkout.cancel_url)
            .nested("metadata", &ids)
            .nested("payment_intent_data[metadata]", &ids);
        let call = Call::post(
            "/v1/checkout/sessions".to_owned(),
            Payload::Form(form.into_pairs()),
            &checkout.idempotency_key,
        );
        self.api.send(key, call).await
    }

    /// `POST /v1/checkout/sessions` in subscription mode for a plan's price.
    ///
    /// # Errors
    /// `InvalidKey`, `Rejected`, `Unavailable` or `Unexpected`.
    pub async fn create_subscription_checkout(
        &self,
        key: &RevealedSecret,
        checkout: &SubscriptionCheckout,
    ) -> Result<CheckoutSession, BillingApiError> {
        let tenant = [("tenant_id", checkout.tenant.to_string())];
        let form = Form::new()
            .set("mode", "subscription")
            .set("line_items[0][price]", &checkout.price_id)
            .set("line_items[0][quantity]", 1)
            .set("client_reference_id", checkout.tenant)
            .set("success_url", &checkout.success_url)
            .set("cancel_url", &checkout.cancel_url)
            .set_some("customer", checkout.customer_id.as_deref())
            .set_some(
                "subscription_data[trial_period_days]",
                (checkout.trial_days > 0).then_some(checkout.trial_days),
            )
            .nested("metadata", &tenant)
            .nested("subscription_data[metadata]", &tenant);
        let call = Call::post(
            "/v1/checkout/sessions".to_owned(),
            Payload::Form(form.into_pairs()),
            &checkout.idempotency_key,
        );
        self.api.send(key, call).await
    }

    /// `GET /v1/checkout/sessions/{id}`.
    ///
    /// # Errors
    /// `NotFound`, `InvalidKey`, `Unavailable` or `Unexpected`.
    pub async fn retrieve_checkout_session(
        &self,
        key: &RevealedSecret,
        id: &str,
    ) -> Result<CheckoutSession, BillingApiError> {
        let id = path_id(id)?;
        self.api
            .send(key, Call::get(format!("/v1/checkout/sessions/{id}")))
            .await
    }

    /// `GET /v1/checkout/sessions` with `status` created before `created_before`,
    /// one page of up to 100 after `starting_after`.
    ///
    /// # Errors
    /// `InvalidKey`, `Unavailable` or `Unexpected`.
    pub async fn list_checkout_sessions(
        &self,
        key: &RevealedSecret,
        status: &str,
        created_before: DateTime<Utc>,
        starting_after: Option<&str>,
    ) -> Result<List<CheckoutSession>, BillingApiError> {
        let query = Form::new()
            .set("status", status)
            .set("created[lt]", created_before.timestamp())
            .set("limit", 100)
            .set_some("starting_after", starting_after);
        let call = Call::get("/v1/checkout/sessions".to_owned()).query(query.into_pairs());
        self.api.send(key, call).await
    }

    /// `GET /v1/subscriptions/{id}`.
    ///
    /// # Errors
    /// `NotFound`, `InvalidKey`, `Unavailable` or `Unexpected`.
    pub async fn retrieve_subscription(&self, key: &RevealedSecret, id: &str) -> Result<Subscription, BillingApiError> {
        let id = path_id(id)?;
        self.api.send(key, Call::get(format!("/v1/subscriptions/{id}"))).await
    }

    /// `POST /v1/billing_portal/sessions`.
    ///
    /// # Errors
    /// `NotFound`, `Rejected`, `Unavailable` or `Unexpected`.
    pub async fn create_portal_session(
        &self,
        key: &RevealedSecret,
        customer: &str,
        return_url: &str,
        idempotency_key: &str,
    ) -> Result<PortalSession, BillingApiError> {
        let form = Form::new().set("customer", customer).set("return_url", return_url);
        let call = Call::post(
            "/v1/billing_portal/sessions".to_owned(),
            Payload::Form(form.into_pairs()),
            idempotency_key,
        );
        self.api.send(key, call).await
    }

    /// `POST /v1/refunds` of a PaymentIntent, in full or of `amount_minor`.
    ///
    /// # Errors
    /// `Rejected` (already refunded), `Unavailable` or `Unexpected`.
    pub async fn create_refund(
        &self,
        key: &RevealedSecret,
        payment_intent: &str,
        amount_minor: Option<i64>,
        idempotency_key: &str,
    ) -> Result<Refund, BillingApiError> {
        let form = Form::new()
            .set("payment_intent", payment_intent)
            .set_some("amount", amount_minor);
        let call = Call::post(
            "/v1/refunds".to_owned(),
            Payload::Form(form.into_pairs()),
            idempotency_key,
        );
        self.api.send(key, call).await
    }

    /// `GET /v1/invoices?customer=…`: the operator's invoices of a customer.
    ///
    /// # Errors
    /// `InvalidKey`, `Unavailable` or `Unexpected`.
    pub async fn list_invoices(
        &self,
        key: &RevealedSecret,
        customer: &str,
        limit: u32,
    ) -> Result<List<Invoice>, BillingApiError> {
        let query = Form::new().set("customer", customer).set("limit", limit.clamp(1, 100));
        let call = Call::get("/v1/invoices".to_owned()).query(query.into_pairs());
        self.api.send(key, call).await
    }
}
