//! Connecting a tenant's own Stripe account: the key is checked against
//! Stripe, Fakturo's webhook endpoint is registered on the account, and the
//! key and the endpoint's signing secret are kept sealed by the
//! integrations side. Disconnecting removes the endpoint and the keys.

use std::sync::Arc;

use crate::access::audit::RequestOrigin;
use crate::access::integrations::StripeKeys;
use crate::access::services::integrations::{IntegrationError, IntegrationService, IntegrationStatus};
use crate::access::session::Authenticated;
use crate::billing::gateway::{BillingApiError, StripeConnection};
use crate::billing::ports::{BillingStore, GatewayKeys, PaymentGateway};
use crate::kernel::clock::Clock;
use crate::kernel::errors::{Unexpected, unexpected_from};
use crate::kernel::secrets::RevealedSecret;
use crate::kernel::validation::{HasCode, ValidationErrors};

/// Whether Stripe is connected, with the account and its endpoint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConnectionView {
    /// What the integrations side says of the stored keys.
    pub status: IntegrationStatus,
    /// The account and endpoint, once connected through Fakturo.
    pub connection: Option<StripeConnection>,
}

/// Why Stripe could not be connected, read or disconnected.
#[derive(Debug, thiserror::Error)]
pub enum StripeConnectError {
    /// Not allowed, malformed, not connected, or storage failed.
    #[error(transparent)]
    Integration(#[from] IntegrationError),
    /// Stripe refused the key.
    #[error("Stripe refused the secret key")]
    KeyRefused,
    /// Stripe refused or could not be reached.
    #[error(transparent)]
    Provider(BillingApiError),
    /// Storage failed.
    #[error(transparent)]
    Unexpected(Unexpected),
}

unexpected_from!(StripeConnectError);

impl From<BillingApiError> for StripeConnectError {
    fn from(error: BillingApiError) -> Self {
        match error {
            BillingApiError::InvalidKey => Self::KeyRefused,
            other => Self::Provider(other),
        }
    }
}

/// Connects and disconnects tenants' Stripe accounts.
#[derive(Clone)]
pub struct StripeConnect {
    store: Arc<dyn BillingStore>,
    gateway: Arc<dyn PaymentGateway>,
    keys: Arc<dyn GatewayKeys>,
    integrations: IntegrationService,
    clock: Arc<dyn Clock>,
    /// `{public_url}/api/v1/webhooks/stripe-connect/`, the tenant id follows.
    endpoint_base: String,
}

impl StripeConnect {
    /// The service on its ports; `public_base` is this server's public URL.
    #[must_use]
    pub fn new(
        store: Arc<dyn BillingStore>,
        gateway: Arc<dyn PaymentGateway>,
        keys: Arc<dyn GatewayKeys>,
        integrations: IntegrationService,
        clock: Arc<dyn Clock>,
        public_base: &str,
    ) -> Self {
        Self {
            store,
            gateway,
            keys,
            integrations,
            clock,
            endpoint_base: format!("{}/api/v1/webhooks/stripe-connect/", public_base.trim_end_matches('/')),
        }
    }

    /// Checks the key with Stripe, registers the webhook endpoint (replacing
    /// an earlier one) and stores the key and signing secret sealed.
    ///
    /// # Errors
    /// - [`StripeConnectError::Integration`] for a caller who may not manage
    ///   integrations or a malformed key (refused before Stripe is asked).
    /// - [`StripeConnectError::KeyRefused`] if Stripe refuses the key.
    /// - [`StripeConnectError::Provider`] if Stripe refused the endpoint or is unavailable.
    /// - [`StripeConnectError::Unexpected`] if storage failed.
    pub async fn connect(
        &self,
        who: &Authenticated,
        secret_key: &str,
        origin: &RequestOrigin,
    ) -> Result<ConnectionView, StripeConnectError> {
        let tenant = who
            .principal
            .manager("manage integrations")
            .map_err(IntegrationError::from)?
            .tenant();
        // A malformed key is refused before Stripe is asked.
        if let Err(error) = StripeKeys::parse(secret_key, None) {
            let mut errors = ValidationErrors::new();
            errors.add("secret_key", HasCode::code(&error), error.to_string());
            return Err(IntegrationError::Invalid(errors).into());
        }
        let key = RevealedSecret::new(secret_key.trim().to_owned());
        let account = self.gateway.verify_key(&key).await?;
        self.remove_endpoint(tenant).await?;
        let now = self.clock.now();
        let url = format!("{}{tenant}", self.endpoint_base);
        let idempotency_key = format!("fakturo-webhook-{tenant}-{}", now.timestamp_millis());
        let endpoint = self.gateway.register_webhook(&key, &url, &idempotency_key).await?;
        let status = self
            .integrations
            .set_stripe(who, key.expose(), Some(endpoint.secret.expose()), origin)
            .await?;
        let connection = StripeConnection {
            tenant,
            account_id: account.account_id,
            endpoint_id: endpoint.endpoint_id,
            endpoint_status: endpoint.status,
            connected_at: now,
        };
        let unit = self.store.begin().await?;
        unit.connections().save(&connection).await?;
        unit.commit().await?;
        Ok(ConnectionView {
            status,
            connection: Some(connection),
        })
    }

    /// The stored connection (owners and admins).
    ///
    /// # Errors
    /// [`StripeConnectError::Integration`] or `Unexpected`.
    pub async fn status(&self, who: &Authenticated) -> Result<ConnectionView, StripeConnectError> {
        let status = self.integrations.stripe(&who.principal).await?;
        let connection = self
            .store
            .begin()
            .await?
            .connections()
            .get(who.principal.tenant_id)
            .await?;
        Ok(ConnectionView { status, connection })
    }

    /// Removes the endpoint from the account (best effort: the account may
    /// be gone) and the sealed keys.
    ///
    /// # Errors
    /// [`StripeConnectError::Integration`] (forbidden, not connected) or `Unexpected`.
    pub async fn disconnect(&self, who: &Authenticated, origin: &RequestOrigin) -> Result<(), StripeConnectError> {
        let tenant = who
            .principal
            .manager("manage integrations")
            .map_err(IntegrationError::from)?
            .tenant();
        self.remove_endpoint(tenant).await?;
        self.integrations.remove_stripe(who, origin).await?;
        let unit = self.store.begin().await?;
        unit.connections().remove(tenant).await?;
        unit.commit().await?;
        Ok(())
    }

    /// Whether the tenant's Stripe account takes online payments.
    ///
    /// # Errors
    /// [`Unexpected`] if storage failed.
    pub async fn is_connected(&self, tenant: crate::TenantId) -> Result<bool, Unexpected> {
        Ok(self.store.begin().await?.connections().get(tenant).await?.is_some())
    }

    /// Removes the earlier endpoint from the account. Stripe's answer does
    /// not stop a reconnect or a disconnect (the key may be revoked, the
    /// account closed); storage errors do.
    async fn remove_endpoint(&self, tenant: crate::TenantId) -> Result<(), StripeConnectError> {
        let Some(connection) = self.store.begin().await?.connections().get(tenant).await? else {
            return Ok(());
        };
        if let Some(key) = self.keys.stripe_key(tenant).await? {
            // An endpoint left behind only sends events that fail their signature check.
            let _ignored = self.gateway.remove_webhook(&key, &connection.endpoint_id).await;
        }
        Ok(())
    }
}
