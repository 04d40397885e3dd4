//! A tenant's integrations (their own Stripe account): credentials are
//! sealed before they are stored and never shown again; only owners and
//! admins manage them. Also the operator's key rotation, which re-seals
//! every stored secret under the key ring's current primary key.

use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::audit::record;
use crate::TenantId;
use crate::access::audit::{AuditAction, RequestOrigin};
use crate::access::integrations::{Provider, StoredCredentials, StripeKeyError, StripeKeys, seal_context};
use crate::access::ports::AccessStore;
use crate::access::session::Authenticated;
use crate::access::user::{Forbidden, Principal};
use crate::kernel::clock::Clock;
use crate::kernel::errors::{Unexpected, unexpected_from};
use crate::kernel::ids::IdGenerator;
use crate::kernel::secrets::SecretBox;
use crate::kernel::secrets::{RevealedSecret, SecretError};
use crate::kernel::validation::ValidationErrors;

/// What the API may say about stored credentials.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IntegrationStatus {
    /// The provider.
    pub provider: Provider,
    /// Whether credentials are stored.
    pub connected: bool,
    /// Live or test mode.
    pub live: Option<bool>,
    /// `sk_live_…1234`.
    pub hint: Option<String>,
    /// Whether a webhook signing secret is stored.
    pub has_webhook_secret: bool,
    /// When they were last stored.
    pub updated_at: Option<DateTime<Utc>>,
}

/// Why an integration could not be changed or read.
#[derive(Debug, thiserror::Error)]
pub enum IntegrationError {
    /// Only owners and admins manage integrations.
    #[error(transparent)]
    Forbidden(#[from] Forbidden),
    /// Malformed keys.
    #[error("invalid credentials: {0}")]
    Invalid(ValidationErrors),
    /// Nothing is stored.
    #[error("the integration is not connected")]
    NotConnected,
    /// Sealing failed.
    #[error(transparent)]
    Unexpected(Unexpected),
}

/// Why key rotation stopped.
#[derive(Debug, thiserror::Error)]
pub enum RotateKeysError {
    /// A stored value did not open (a key is missing from the ring, or data was tampered with).
    #[error("cannot open the {provider} credentials of tenant {tenant}: {source}")]
    Unreadable {
        /// The tenant.
        tenant: TenantId,
        /// The provider.
        provider: &'static str,
        /// Why.
        source: SecretError,
    },
    /// Storage or sealing failed.
    #[error(transparent)]
    Unexpected(Unexpected),
}

unexpected_from!(IntegrationError, RotateKeysError);

/// What a rotation did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RotationReport {
    /// Stored credentials looked at.
    pub examined: u64,
    /// Re-sealed under the primary key.
    pub resealed: u64,
}

/// Integration use cases.
#[derive(Clone)]
pub struct IntegrationService {
    store: Arc<dyn AccessStore>,
    clock: Arc<dyn Clock>,
    ids: Arc<dyn IdGenerator>,
    secrets: Arc<dyn SecretBox>,
}

impl IntegrationService {
    /// The service on the access store, sealing with `secrets`.
    #[must_use]
    pub fn new(
        store: Arc<dyn AccessStore>,
        clock: Arc<dyn Clock>,
        ids: Arc<dyn IdGenerator>,
        secrets: Arc<dyn SecretBox>,
    ) -> Self {
        Self {
            store,
            clock,
            ids,
            secrets,
        }
    }

    /// Stores (or replaces) the tenant's Stripe keys, sealed.
    ///
    /// # Errors
    /// See [`IntegrationError`].
    pub async fn set_stripe(
        &self,
        who: &Authenticated,
        secret_key: &str,
        webhook_secret: Option<&str>,
        origin: &RequestOrigin,
    ) -> Result<IntegrationStatus, IntegrationError> {
        let manager = who.principal.manager("manage integrations")?;
        let keys = StripeKeys::parse(secret_key, webhook_secret).map_err(|error| {
            let field = match error {
                StripeKeyError::SecretKey => "secret_key",
                StripeKeyError::WebhookSecret => "webhook_secret",
            };
            let mut errors = ValidationErrors::new();
            errors.add(
                field,
                crate::kernel::validation::HasCode::code(&error),
                error.to_string(),
            );
            IntegrationError::Invalid(errors)
        })?;
        let tenant = manager.tenant();
        let provider = Provider::Stripe;
        let secrets = &self.secrets;
        let credentials = StoredCredentials {
            tenant_id: tenant,
            provider,
            secret_key: secrets
                .seal(keys.secret_key(), &seal_context(tenant, provider, "secret_key"))
                .map_err(Unexpected::from)?,
            webhook_secret: keys
                .webhook_secret()
                .map(|secret| secrets.seal(secret, &seal_context(tenant, provider, "webhook_secret")))
                .transpose()
                .map_err(Unexpected::from)?,
            hint: keys.hint(),
            live: keys.is_live(),
            updated_by: manager.user(),
            updated_at: self.clock.now(),
        };
        let uow = self.store.begin().await?;
        uow.integrations().save(&credentials).await?;
        record(
            uow.as_ref(),
            self.clock.as_ref(),
            self.ids.as_ref(),
            tenant,
            who.actor(),
            AuditAction::IntegrationUpdated,
            origin,
            |e| {
                e.with("provider", provider.as_str())
                    .with("mode", if credentials.live { "live" } else { "test" })
            },
        )
        .await?;
        uow.commit().await?;
        Ok(status(provider, Some(&credentials)))
    }

    /// Whether Stripe is connected, and in which mode; never the keys.
    ///
    /// # Errors
    /// See [`IntegrationError`].
    pub async fn stripe(&self, who: &Principal) -> Result<IntegrationStatus, IntegrationError> {
        let manager = who.manager("see integrations")?;
        let uow = self.store.begin().await?;
        let stored = uow.integrations().get(manager.tenant(), Provider::Stripe).await?;
        Ok(status(Provider::Stripe, stored.as_ref()))
    }

    /// Disconnects Stripe: the sealed keys are deleted.
    ///
    /// # Errors
    /// See [`IntegrationError`].
    pub async fn remove_stripe(&self, who: &Authenticated, origin: &RequestOrigin) -> Result<(), IntegrationError> {
        let manager = who.principal.manager("manage integrations")?;
        let uow = self.store.begin().await?;
        if !uow.integrations().delete(manager.tenant(), Provider::Stripe).await? {
            return Err(IntegrationError::NotConnected);
        }
        record(
            uow.as_ref(),
            self.clock.as_ref(),
            self.ids.as_ref(),
            manager.tenant(),
            who.actor(),
            AuditAction::IntegrationRemoved,
            origin,
            |e| e.with("provider", Provider::Stripe.as_str()),
        )
        .await?;
        uow.commit().await?;
        Ok(())
    }

    /// The tenant's Stripe secret key in clear, for the one adapter that calls Stripe.
    ///
    /// # Errors
    /// [`IntegrationError::NotConnected`], or `Unexpected` if it does not open.
    pub async fn stripe_secret_key(&self, tenant: TenantId) -> Result<RevealedSecret, IntegrationError> {
        let uow = self.store.begin().await?;
        let stored = uow
            .integrations()
            .get(tenant, Provider::Stripe)
            .await?
            .ok_or(IntegrationError::NotConnected)?;
        Ok(self
            .secrets
            .open(
                &stored.secret_key,
                &seal_context(tenant, Provider::Stripe, "secret_key"),
            )
            .map_err(Unexpected::from)?)
    }

    /// Re-seals every stored secret that is not under the primary key yet.
    /// Each batch is its own transaction; running it again after an
    /// interruption continues where it stopped.
    ///
    /// # Errors
    /// [`RotateKeysError::Unreadable`] names the first value that does not open.
    pub async fn rotate_keys(&self) -> Result<RotationReport, RotateKeysError> {
        let mut report = RotationReport::default();
        let mut after = None;
        loop {
            let uow = self.store.begin().await?;
            let batch = uow.integrations().scan(after, 100).await?;
            let Some(last) = batch.last() else {
                return Ok(report);
            };
            after = Some((last.tenant_id, last.provider));
            for mut stored in batch {
                report.examined += 1;
                let secret_key = self.reseal(&stored, "secret_key", &stored.secret_key)?;
                let webhook_secret = match &stored.webhook_secret {
                    Some(sealed) => self.reseal(&stored, "webhook_secret", sealed)?,
                    None => None,
                };
                if secret_key.is_some() || webhook_secret.is_some() {
                    if let Some(sealed) = secret_key {
                        stored.secret_key = sealed;
                    }
                    if let Some(sealed) = webhook_secret {
                        stored.webhook_secret = Some(sealed);
                    }
                    uow.integrations().save(&stored).await?;
                    report.resealed += 1;
                }
            }
            uow.commit().await?;
        }
    }

    fn reseal(
        &self,
        stored: &StoredCredentials,
        field: &str,
        sealed: &crate::kernel::secrets::SealedSecret,
    ) -> Result<Option<crate::kernel::secrets::SealedSecret>, RotateKeysError> {
        let secrets = &self.secrets;
        if secrets.is_current(sealed) {
            return Ok(None);
        }
        let context = seal_context(stored.tenant_id, stored.provider, field);
        let clear = secrets
            .open(sealed, &context)
            .map_err(|source| RotateKeysError::Unreadable {
                tenant: stored.tenant_id,
                provider: stored.provider.as_str(),
                source,
            })?;
        Ok(Some(secrets.seal(clear.expose(), &context).map_err(Unexpected::from)?))
    }
}

fn status(provider: Provider, stored: Option<&StoredCredentials>) -> IntegrationStatus {
    IntegrationStatus {
        provider,
        connected: stored.is_some(),
        live: stored.map(|s| s.live),
        hint: stored.map(|s| s.hint.clone()),
        has_webhook_secret: stored.is_some_and(|s| s.webhook_secret.is_some()),
        updated_at: stored.map(|s| s.updated_at),
    }
}
