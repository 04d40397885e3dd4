//! Provider webhooks: `POST /api/v1/webhooks/stripe-connect/{tenant_id}`
//! (a tenant's own Stripe account), `/webhooks/stripe` (the operator's
//! Stripe Billing) and `/webhooks/paddle`. The signature is checked on the
//! raw body before anything is parsed or stored; a bad, stale or missing
//! signature answers 400 and stores nothing; a verified event is stored
//! once in the inbox and answered 200; the workers apply it afterwards.

use crate::http::problem::ErrorCode;
use std::sync::Arc;

use fakturo_domain::TenantId;
use fakturo_domain::billing::services::{Delivery, Received};
use fakturo_domain::billing::{WebhookAccount, WebhookProvider};
use fakturo_domain::kernel::secrets::RevealedSecret;
use poem::Body;
use poem_openapi::param::{Header, Path};
use poem_openapi::payload::Json;
use poem_openapi::{Object, OpenApi};
use uuid::Uuid;

use super::problem::ApiError;
use super::{ApiTags, AppState};

pub struct WebhooksApi {
    state: Arc<AppState>,
}

impl WebhooksApi {
    pub fn new(state: Arc<AppState>) -> Self {
        Self { state }
    }
}

/// The event was stored (or had been before).
#[derive(Object)]
struct WebhookReceived {
    /// `true` when this event had been received before (nothing changed).
    duplicate: bool,
}

async fn raw(body: Body) -> Result<Vec<u8>, ApiError> {
    body.into_vec()
        .await
        .map_err(|_| ApiError::new(ErrorCode::InvalidRequest, "The body could not be read."))
}

impl WebhooksApi {
    async fn receive(
        &self,
        provider: WebhookProvider,
        account: WebhookAccount,
        secrets: &[RevealedSecret],
        signature: Option<&str>,
        body: Body,
    ) -> Result<Json<WebhookReceived>, ApiError> {
        let raw_body = raw(body).await?;
        let billing = &self.state.services.billing;
        let codec = match provider {
            WebhookProvider::Stripe => billing.codecs.stripe.clone(),
            WebhookProvider::Paddle => billing.codecs.paddle.clone(),
        };
        let delivery = Delivery {
            provider,
            account,
            signature_header: signature,
            raw_body: &raw_body,
        };
        let received = billing.intake.receive(codec.as_ref(), secrets, delivery).await?;
        Ok(Json(WebhookReceived {
            duplicate: matches!(received, Received::Duplicate(_)),
        }))
    }
}

#[OpenApi(prefix_path = "/api/v1", tag = "ApiTags::Billing")]
impl WebhooksApi {
    /// Stripe events of an organization's own Stripe account (the endpoint
    /// Fakturo registered when Stripe was connected). The body is Stripe's
    /// event JSON exactly as sent; `Stripe-Signature` is checked on it.
    #[oai(
        path = "/webhooks/stripe-connect/:tenant_id",
        method = "post",
        operation_id = "receive_stripe_connect_webhook"
    )]
    async fn stripe_connect(
        &self,
        tenant_id: Path<Uuid>,
        #[oai(name = "Stripe-Signature")] signature: Header<Option<String>>,
        body: Body,
    ) -> Result<Json<WebhookReceived>, ApiError> {
        let tenant = TenantId::from_uuid(tenant_id.0);
        let secret = self
            .state
            .services
            .billing
            .keys
            .stripe_webhook_secret(tenant)
            .await
            .map_err(|e| ApiError::unexpected(&e.into()))?;
        let secrets: Vec<RevealedSecret> = secret.into_iter().collect();
        self.receive(
            WebhookProvider::Stripe,
            WebhookAccount::Tenant(tenant),
            &secrets,
            signature.0.as_deref(),
            body,
        )
        .await
    }

    /// Stripe Billing events of the operator's account (`billing.provider = "stripe"`).
    #[oai(path = "/webhooks/stripe", method = "post", operation_id = "receive_stripe_webhook")]
    async fn stripe(
        &self,
        #[oai(name = "Stripe-Signature")] signature: Header<Option<String>>,
        body: Body,
    ) -> Result<Json<WebhookReceived>, ApiError> {
        let secrets = self.state.services.billing.stripe_secrets.clone();
        self.receive(
            WebhookProvider::Stripe,
            WebhookAccount::Operator,
            &secrets,
            signature.0.as_deref(),
            body,
        )
        .await
    }

    /// Paddle Billing events (`Paddle-Signature: ts=…;h1=…`, any `h1` during a secret rotation).
    #[oai(path = "/webhooks/paddle", method = "post", operation_id = "receive_paddle_webhook")]
    async fn paddle(
        &self,
        #[oai(name = "Paddle-Signature")] signature: Header<Option<String>>,
        body: Body,
    ) -> Result<Json<WebhookReceived>, ApiError> {
        let secrets = self.state.services.billing.paddle_secrets.clone();
        self.receive(
            WebhookProvider::Paddle,
            WebhookAccount::Operator,
            &secrets,
            signature.0.as_deref(),
            body,
        )
        .await
    }
}
