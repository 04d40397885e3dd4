//! Webhook intake: the signature is checked on the raw body, then the event
//! is stored once in the inbox and answered; processing happens later.

use std::sync::Arc;

use crate::billing::gateway::{DecodeError, SignatureError};
use crate::billing::ports::{BillingStore, WebhookCodec};
use crate::billing::webhook::{InboxEntry, InboxKey, InboxState, WebhookAccount, WebhookProvider};
use crate::kernel::clock::Clock;
use crate::kernel::errors::{Unexpected, unexpected_from};
use crate::kernel::repository::RepositoryError;
use crate::kernel::secrets::RevealedSecret;

/// One delivery as it arrived.
#[derive(Clone, Copy, Debug)]
pub struct Delivery<'a> {
    /// The provider of the endpoint it was posted to.
    pub provider: WebhookProvider,
    /// Whose account the endpoint is for.
    pub account: WebhookAccount,
    /// The signature header (`Stripe-Signature`, `Paddle-Signature`).
    pub signature_header: Option<&'a str>,
    /// The body, byte for byte.
    pub raw_body: &'a [u8],
}

/// What intake did with a delivery (both answer 2xx).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Received {
    /// Stored for processing.
    Stored(InboxKey),
    /// Stored before: nothing changed.
    Duplicate(InboxKey),
}

/// Why a delivery was refused (400, nothing stored).
#[derive(Debug, thiserror::Error)]
pub enum IntakeError {
    /// No signing secret is configured for the endpoint.
    #[error("no signing secret is configured for this endpoint")]
    NotConfigured,
    /// The signature is missing, malformed, stale or wrong.
    #[error(transparent)]
    Signature(#[from] SignatureError),
    /// A verified body that is not an event.
    #[error(transparent)]
    Malformed(#[from] DecodeError),
    /// Storage failed (answer 5xx so the provider retries).
    #[error(transparent)]
    Unexpected(Unexpected),
}

unexpected_from!(IntakeError);

/// Stores verified webhook events once.
#[derive(Clone)]
pub struct WebhookIntake {
    store: Arc<dyn BillingStore>,
    clock: Arc<dyn Clock>,
}

impl WebhookIntake {
    /// The service on its ports.
    #[must_use]
    pub fn new(store: Arc<dyn BillingStore>, clock: Arc<dyn Clock>) -> Self {
        Self { store, clock }
    }

    /// Verifies `delivery` with `codec` against `secrets` (several during a
    /// rotation) and stores it once.
    ///
    /// # Errors
    /// - [`IntakeError::NotConfigured`] if `secrets` is empty.
    /// - [`IntakeError::Signature`] if the signature does not verify.
    /// - [`IntakeError::Malformed`] if the verified body is not an event.
    /// - [`IntakeError::Unexpected`] if storage failed.
    pub async fn receive(
        &self,
        codec: &dyn WebhookCodec,
        secrets: &[RevealedSecret],
        delivery: Delivery<'_>,
    ) -> Result<Received, IntakeError> {
        if secrets.is_empty() {
            return Err(IntakeError::NotConfigured);
        }
        let now = self.clock.now();
        codec.verify(delivery.signature_header, delivery.raw_body, secrets, now)?;
        let decoded = codec.decode(delivery.raw_body)?;
        let key = InboxKey {
            provider: delivery.provider,
            account: delivery.account,
            event_id: decoded.event_id,
        };
        let entry = InboxEntry {
            key: key.clone(),
            event_type: decoded.event_type,
            raw_body: delivery.raw_body.to_vec(),
            received_at: now,
            state: InboxState::Received,
            settled_at: None,
        };
        let unit = self.store.begin().await?;
        let inserted = unit.inbox().insert(&entry).await?;
        if !inserted {
            return Ok(Received::Duplicate(key));
        }
        match unit.commit().await {
            Ok(()) => Ok(Received::Stored(key)),
            // A concurrent delivery may have won the unique key: then this
            // one is a duplicate; otherwise the failure stands.
            Err(error @ (RepositoryError::Duplicate { .. } | RepositoryError::Conflict)) => {
                match self.store.begin().await?.inbox().get(&key).await? {
                    Some(_) => Ok(Received::Duplicate(key)),
                    None => Err(error.into()),
                }
            }
            Err(error) => Err(error.into()),
        }
    }
}
