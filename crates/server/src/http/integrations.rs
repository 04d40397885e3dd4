//! A tenant's integrations: their own Stripe account. Keys go in sealed and
//! never come out.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use fakturo_domain::access::services::integrations::IntegrationStatus;
use fakturo_domain::billing::gateway::StripeConnection;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, Object, OpenApi};

use super::auth::{Auth, ClientAddress};
use super::problem::ApiError;
use super::{ApiTags, AppState};

pub struct IntegrationsApi {
    state: Arc<AppState>,
}

impl IntegrationsApi {
    pub fn new(state: Arc<AppState>) -> Self {
        Self { state }
    }
}

/// Stripe keys of the organization's own Stripe account.
#[derive(Object)]
#[oai(deny_unknown_fields)]
struct StripeKeysBody {
    /// `sk_live_…`, `sk_test_…` or a restricted `rk_…` key. Stored encrypted, never shown again.
    #[oai(write_only)]
    secret_key: String,
    /// Leave out to let Fakturo check the key with Stripe and register its
    /// webhook endpoint (`{public_url}/api/v1/webhooks/stripe-connect/{tenant_id}`)
    /// on the account, keeping the returned signing secret sealed. Given, the
    /// key and this signing secret `whsec_…` of an endpoint registered by hand
    /// are stored as they are. Stored encrypted.
    #[oai(write_only)]
    webhook_secret: Option<String>,
}

/// Whether Stripe is connected; never the keys themselves.
#[derive(Object)]
struct StripeStatus {
    connected: bool,
    /// `live` or `test`.
    mode: Option<String>,
    /// The key's mode prefix and last four characters, such as `sk_live_…4242`.
    secret_key_hint: Option<String>,
    has_webhook_secret: bool,
    updated_at: Option<DateTime<Utc>>,
    /// The connected account (`acct_…`), once Fakturo registered its endpoint.
    account_id: Option<String>,
    /// Fakturo's webhook endpoint on the account: `enabled`, `disabled`, or
    /// `not_registered` when none was registered by Fakturo.
    webhook_status: String,
}

#[derive(ApiResponse)]
enum Disconnected {
    /// The keys are deleted.
    #[oai(status = 204)]
    Disconnected,
}

fn view(status: IntegrationStatus, connection: Option<&StripeConnection>) -> StripeStatus {
    StripeStatus {
        account_id: connection.map(|c| c.account_id.clone()),
        webhook_status: connection.map_or_else(|| "not_registered".to_owned(), |c| c.endpoint_status.clone()),
        connected: status.connected,
        mode: status.live.map(|live| if live { "live" } else { "test" }.to_owned()),
        secret_key_hint: status.hint,
        has_webhook_secret: status.has_webhook_secret,
        updated_at: status.updated_at,
    }
}

#[OpenApi(prefix_path = "/api/v1", tag = "ApiTags::Team")]
impl IntegrationsApi {
    /// Connect (or reconnect) the organization's Stripe account (owners and admins).
    #[oai(
        path = "/integrations/stripe",
        method = "put",
        operation_id = "set_stripe_integration"
    )]
    async fn set(
        &self,
        auth: Auth,
        address: ClientAddress,
        body: Json<StripeKeysBody>,
    ) -> Result<Json<StripeStatus>, ApiError> {
        let who = self.state.authenticate(auth).await?;
        let request = body.0;
        if request.webhook_secret.is_none() {
            let connected = self
                .state
                .services
                .billing
                .connect
                .connect(&who, &request.secret_key, &address.origin())
                .await?;
            return Ok(Json(view(connected.status, connected.connection.as_ref())));
        }
        let status = self
            .state
            .services
            .integrations
            .set_stripe(
                &who,
                &request.secret_key,
                request.webhook_secret.as_deref(),
                &address.origin(),
            )
            .await?;
        Ok(Json(view(status, None)))
    }

    /// Whether Stripe is connected (owners and admins). The keys are never returned.
    #[oai(
        path = "/integrations/stripe",
        method = "get",
        operation_id = "get_stripe_integration"
    )]
    async fn get(&self, auth: Auth) -> Result<Json<StripeStatus>, ApiError> {
        let who = self.state.authenticate(auth).await?;
        let found = self.state.services.billing.connect.status(&who).await?;
        Ok(Json(view(found.status, found.connection.as_ref())))
    }

    /// Disconnect Stripe: Fakturo's webhook endpoint is removed from the
    /// account and the stored keys are deleted (owners and admins).
    #[oai(
        path = "/integrations/stripe",
        method = "delete",
        operation_id = "delete_stripe_integration"
    )]
    async fn delete(&self, auth: Auth, address: ClientAddress) -> Result<Disconnected, ApiError> {
        let who = self.state.authenticate(auth).await?;
        self.state
            .services
            .billing
            .connect
            .disconnect(&who, &address.origin())
            .await?;
        Ok(Disconnected::Disconnected)
    }
}
