//! [`GatewayKeys`] on the integrations' sealed credentials: a tenant's
//! Stripe secret key and webhook signing secret, opened with the key ring
//! just before they are used, never logged.

use std::sync::Arc;

use async_trait::async_trait;
use fakturo_domain::TenantId;
use fakturo_domain::access::integrations::{Provider, seal_context};
use fakturo_domain::access::ports::AccessStore;
use fakturo_domain::billing::ports::GatewayKeys;
use fakturo_domain::kernel::repository::RepositoryError;
use fakturo_domain::kernel::secrets::{RevealedSecret, SealedSecret, SecretBox};

/// Opens tenants' Stripe credentials.
#[derive(Clone)]
pub struct SealedGatewayKeys {
    store: Arc<dyn AccessStore>,
    secrets: Arc<dyn SecretBox>,
}

impl SealedGatewayKeys {
    /// The keys on the access store, opened with `secrets`.
    #[must_use]
    pub fn new(store: Arc<dyn AccessStore>, secrets: Arc<dyn SecretBox>) -> Self {
        Self { store, secrets }
    }

    fn open(&self, tenant: TenantId, sealed: &SealedSecret, field: &str) -> Result<RevealedSecret, RepositoryError> {
        self.secrets
            .open(sealed, &seal_context(tenant, Provider::Stripe, field))
            .map_err(|error| RepositoryError::Unexpected(Box::new(error)))
    }
}

#[async_trait]
impl GatewayKeys for SealedGatewayKeys {
    async fn stripe_key(&self, tenant: TenantId) -> Result<Option<RevealedSecret>, RepositoryError> {
        let stored = self
            .store
            .begin()
            .await?
            .integrations()
            .get(tenant, Provider::Stripe)
            .await?;
        stored
            .map(|credentials| self.open(tenant, &credentials.secret_key, "secret_key"))
            .transpose()
    }

    async fn stripe_webhook_secret(&self, tenant: TenantId) -> Result<Option<RevealedSecret>, RepositoryError> {
        let stored = self
            .store
            .begin()
            .await?
            .integrations()
            .get(tenant, Provider::Stripe)
            .await?;
        stored
            .and_then(|credentials| credentials.webhook_secret)
            .map(|sealed| self.open(tenant, &sealed, "webhook_secret"))
            .transpose()
    }
}
