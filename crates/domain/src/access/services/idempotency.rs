//! Idempotent creates. The first request with a key claims it (committed
//! at once, so a second request sees it); when the first finishes, its
//! response is stored and replayed for repeats with the same body. A claim
//! abandoned by a crashed server is taken over after a lease; records expire
//! after a day.

use std::sync::Arc;

use chrono::TimeDelta;
use sha2::{Digest, Sha256};

use crate::TenantId;
use crate::access::ports::AccessStore;
use crate::access::ports::IdempotencyRecord;
use crate::kernel::clock::Clock;
use crate::kernel::errors::{Unexpected, unexpected_from};

/// How long an in-flight claim blocks repeats before it counts as abandoned.
pub const IN_FLIGHT_LEASE: TimeDelta = TimeDelta::minutes(5);
/// How long a stored response is replayed.
pub const RETENTION: TimeDelta = TimeDelta::hours(24);
/// The longest key accepted.
pub const MAX_KEY_CHARS: usize = 255;

/// What the caller should do with a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Claim {
    /// Run it, then [`IdempotencyService::complete`] or [`IdempotencyService::release`].
    Proceed,
    /// Answer with the first response instead, decoded by the caller.
    Replay {
        /// The first response, as the caller encoded it in [`IdempotencyService::complete`].
        response: String,
    },
}

/// Why a keyed request cannot run.
#[derive(Debug, thiserror::Error)]
pub enum IdempotencyError {
    /// Empty, too long, or not printable ASCII.
    #[error("the Idempotency-Key must be 1 to {MAX_KEY_CHARS} printable ASCII characters")]
    InvalidKey,
    /// The first request with this key is still running.
    #[error("a request with this Idempotency-Key is still in progress")]
    InFlight,
    /// The key was used with a different request.
    #[error("this Idempotency-Key was used with a different request")]
    KeyReused,
    /// Storage failed.
    #[error(transparent)]
    Unexpected(Unexpected),
}

unexpected_from!(IdempotencyError);

/// The digest identifying a request: the operation and its canonical body.
#[must_use]
pub fn request_digest(operation: &str, canonical_body: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(operation.as_bytes());
    hasher.update([0]);
    hasher.update(canonical_body.as_bytes());
    hasher.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Idempotency keys for create requests.
#[derive(Clone)]
pub struct IdempotencyService {
    store: Arc<dyn AccessStore>,
    clock: Arc<dyn Clock>,
}

impl IdempotencyService {
    /// The service on the access store.
    #[must_use]
    pub fn new(store: Arc<dyn AccessStore>, clock: Arc<dyn Clock>) -> Self {
        Self { store, clock }
    }

    /// Claims `key` for a request with `digest`, or says how to answer.
    ///
    /// # Errors
    /// See [`IdempotencyError`].
    pub async fn claim(&self, tenant: TenantId, key: &str, digest: &str) -> Result<Claim, IdempotencyError> {
        if key.is_empty() || key.len() > MAX_KEY_CHARS || !key.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(IdempotencyError::InvalidKey);
        }
        let now = self.clock.now();
        let record = IdempotencyRecord {
            tenant_id: tenant,
            key: key.to_owned(),
            request_digest: digest.to_owned(),
            started_at: now,
            response: None,
        };
        let uow = self.store.begin().await?;
        if uow.idempotency().try_insert(&record).await? {
            uow.commit().await?;
            return Ok(Claim::Proceed);
        }
        let Some(existing) = uow.idempotency().get(tenant, key).await? else {
            // Released between our insert and read: the caller may retry.
            return Err(IdempotencyError::InFlight);
        };
        let expired = existing.started_at + RETENTION < now;
        let abandoned = existing.response.is_none() && existing.started_at + IN_FLIGHT_LEASE < now;
        if expired || abandoned {
            if uow.idempotency().take_over(existing.started_at, &record).await? {
                uow.commit().await?;
                return Ok(Claim::Proceed);
            }
            return Err(IdempotencyError::InFlight);
        }
        match existing.response {
            None => Err(IdempotencyError::InFlight),
            Some(_) if existing.request_digest != digest => Err(IdempotencyError::KeyReused),
            Some(response) => Ok(Claim::Replay { response }),
        }
    }

    /// Stores the response of a request that claimed `key`, encoded by the
    /// caller however it will replay it.
    ///
    /// # Errors
    /// [`Unexpected`] if storage fails.
    pub async fn complete(&self, tenant: TenantId, key: &str, response: &str) -> Result<(), Unexpected> {
        let uow = self.store.begin().await?;
        uow.idempotency().complete(tenant, key, response).await?;
        uow.commit().await?;
        Ok(())
    }

    /// Forgets the claim of a request that failed, so it can be retried.
    ///
    /// # Errors
    /// [`Unexpected`] if storage fails.
    pub async fn release(&self, tenant: TenantId, key: &str) -> Result<(), Unexpected> {
        let uow = self.store.begin().await?;
        uow.idempotency().release(tenant, key).await?;
        uow.commit().await?;
        Ok(())
    }
}
