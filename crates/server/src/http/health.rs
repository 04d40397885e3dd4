//! Liveness, readiness and the public policy versions in force.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use fakturo_domain::privacy::services::policies::PolicyStatus;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, Object, OpenApi};

use super::problem::ApiError;
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

/// A policy version.
#[derive(Object)]
struct PolicyVersion {
    /// The version identifier.
    version: String,
    /// When it took effect.
    effective_at: DateTime<Utc>,
    /// A published version that takes effect later, if any.
    #[oai(skip_serializing_if_is_none)]
    upcoming: Option<UpcomingVersion>,
}

/// A published version not in force yet.
#[derive(Object)]
struct UpcomingVersion {
    /// The version identifier.
    version: String,
    /// When it takes effect.
    effective_at: DateTime<Utc>,
    /// Whether the change is material (announced at least the notice period before).
    material: bool,
    /// What changes.
    summary: String,
}

/// The policies currently in force.
#[derive(Object)]
struct CurrentPolicies {
    /// The privacy policy; its version must be accepted at sign-up.
    privacy: PolicyVersion,
    /// The terms of service.
    terms: PolicyVersion,
}

fn policy_view(status: PolicyStatus) -> PolicyVersion {
    PolicyVersion {
        version: status.current.version,
        effective_at: status.current.effective_at,
        upcoming: status.upcoming.map(|next| UpcomingVersion {
            version: next.version,
            effective_at: next.effective_at,
            material: next.material,
            summary: next.summary,
        }),
    }
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

    /// The privacy policy and terms versions in force: the newest published
    /// version whose date has come (else the configured one), and any
    /// upcoming published version.
    #[oai(
        path = "/api/v1/public/policies/current",
        method = "get",
        operation_id = "current_policies"
    )]
    async fn current_policies(&self) -> Result<Json<CurrentPolicies>, ApiError> {
        let current = self
            .state
            .services
            .policies
            .current()
            .await
            .map_err(|error| ApiError::unexpected(&error))?;
        Ok(Json(CurrentPolicies {
            privacy: policy_view(current.privacy),
            terms: policy_view(current.terms),
        }))
    }
}
