//! `Idempotency-Key` on creates: the first response for a key is stored and
//! replayed for repeats with the same body; a different body is 422; a
//! repeat while the first still runs is 409. This module owns the replay
//! format; the domain stores it without knowing what it holds.

use std::future::Future;

use fakturo_domain::TenantId;
use fakturo_domain::access::services::idempotency::{Claim, request_digest};
use poem_openapi::types::{ParseFromJSON, ToJSON};

use super::AppState;
use super::problem::ApiError;

impl AppState {
    /// Runs `create` at most once per key. `operation` names the route and
    /// `request` is the parsed body (so formatting differences do not matter).
    ///
    /// # Errors
    /// The error of `create`, or an idempotency problem.
    pub async fn idempotent<T, R, F, Fut>(
        &self,
        tenant: TenantId,
        key: Option<String>,
        operation: &str,
        request: &R,
        create: F,
    ) -> Result<T, ApiError>
    where
        T: ToJSON + ParseFromJSON,
        R: ToJSON,
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, ApiError>>,
    {
        let Some(key) = key else {
            return create().await;
        };
        let digest = request_digest(operation, &request.to_json_string());
        let idempotency = &self.services.idempotency;
        match idempotency.claim(tenant, &key, &digest).await? {
            Claim::Replay { response } => decode_replay(&response),
            Claim::Proceed => match create().await {
                Ok(created) => {
                    if let Err(error) = idempotency.complete(tenant, &key, &encode_replay(&created)).await {
                        tracing::error!(%error, "could not store an idempotent response");
                    }
                    Ok(created)
                }
                Err(failure) => {
                    if let Err(error) = idempotency.release(tenant, &key).await {
                        tracing::error!(%error, "could not release an idempotency key");
                    }
                    Err(failure)
                }
            },
        }
    }
}

/// The replay format: the created resource's JSON body. Every idempotent
/// operation answers 201 with that body, so the status is the route's and is
/// not stored.
fn encode_replay<T: ToJSON>(created: &T) -> String {
    created.to_json_string()
}

/// The first response again, from what [`encode_replay`] stored.
fn decode_replay<T: ParseFromJSON>(stored: &str) -> Result<T, ApiError> {
    let value = serde_json::from_str(stored).ok();
    T::parse_from_json(value).map_err(|_| {
        ApiError::unexpected(&fakturo_domain::kernel::errors::Unexpected(
            "a stored idempotent response no longer parses".into(),
        ))
    })
}
