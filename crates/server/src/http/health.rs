//! Liveness, readiness and the public policy versions.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, Object, OpenApi};

use super::{ApiTags, AppState};

pub struct HealthApi {
    state: Arc<AppState>,
}

impl HealthApi {
    pub fn new(state: Arc<AppState>) -> Self {
        Self { state }
    }
}

/// A health status.
#[derive(Object)]
struct HealthStatus {
    /// `ok`, or `unavailable` when a dependency does not answer.
    status: String,
}

#[derive(ApiResponse)]
enum ReadyResponse {
    /// The database answers.
    #[oai(status = 200)]
    Ready(Json<HealthStatus>),
    /// The database does not answer.
    #[oai(status = 503)]
    NotReady(Json<HealthStatus>),
}

/// A published policy version.
#[derive(Object)]
struct PolicyVersion {
    /// The version identifier.
    version: String,
    /// When it took effect.
    effective_at: DateTime<Utc>,
}

/// The policies currently in force.
#[derive(Object)]
struct CurrentPolicies {
    /// The privacy policy; its version must be accepted at sign-up.
    privacy: PolicyVersion,
    /// The terms of service.
    terms: PolicyVersion,
}

#[OpenApi(tag = "ApiTags::Health")]
impl HealthApi {
    /// Liveness: the process is up.
    #[oai(path = "/health", method = "get", operation_id = "health")]
    async fn health(&self) -> Json<HealthStatus> {
        Json(HealthStatus { status: "ok".into() })
    }

    /// Readiness: the database answers.
    #[oai(path = "/ready", method = "get", operation_id = "ready")]
    async fn ready(&self) -> ReadyResponse {
        match self.state.store.ping().await {
            Ok(()) => ReadyResponse::Ready(Json(HealthStatus { status: "ok".into() })),
            Err(error) => {
                tracing::warn!(%error, "readiness check failed");
                ReadyResponse::NotReady(Json(HealthStatus {
                    status: "unavailable".into(),
                }))
            }
        }
    }

    /// The current privacy policy and terms versions.
    #[oai(
        path = "/api/v1/public/policies/current",
        method = "get",
        operation_id = "current_policies"
    )]
    async fn current_policies(&self) -> Json<CurrentPolicies> {
        let policies = &self.state.settings.policies;
        Json(CurrentPolicies {
            privacy: PolicyVersion {
                version: policies.privacy_version.clone(),
                effective_at: policies.privacy_effective_at,
            },
            terms: PolicyVersion {
                version: policies.terms_version.clone(),
                effective_at: policies.terms_effective_at,
            },
        })
    }
}
