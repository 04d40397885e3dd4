//! Policies: the public sub-processor register (from configuration) and a
//! signed-in user's acceptance of a policy version. The versions in force
//! are served by `health.rs` (`GET /api/v1/public/policies/current`).

use std::sync::Arc;

use chrono::{DateTime, Utc};
use fakturo_domain::privacy::policies::PolicyAcceptance;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, Object, OpenApi};

use super::auth::Auth;
use super::problem::ApiError;
use super::{ApiTags, AppState};

pub struct PoliciesApi {
    state: Arc<AppState>,
}

impl PoliciesApi {
    pub fn new(state: Arc<AppState>) -> Self {
        Self { state }
    }
}

/// A provider that processes personal data on this service's behalf.
#[derive(Object)]
struct SubprocessorView {
    name: String,
    /// What it does for the service.
    purpose: String,
    /// Which categories of personal data it processes.
    data_categories: Vec<String>,
    /// Where.
    location: String,
    /// The safeguard of a transfer outside the EEA, or why none is needed.
    transfer_safeguard: String,
    website: String,
}

/// The sub-processor register.
#[derive(Object)]
struct SubprocessorList {
    data: Vec<SubprocessorView>,
}

/// Accepting a policy version.
#[derive(Object)]
#[oai(deny_unknown_fields)]
struct AcceptanceRequest {
    /// `privacy` or `terms`.
    kind: String,
    /// The version in force, or a published one that is not in force yet.
    version: String,
    /// `api` (default), `web` or `mobile`.
    channel: Option<String>,
}

/// A recorded acceptance.
#[derive(Object)]
struct AcceptanceView {
    kind: String,
    version: String,
    accepted_at: DateTime<Utc>,
    /// `signup`, `invitation`, `api`, `web` or `mobile`.
    channel: String,
}

#[derive(ApiResponse)]
enum AcceptanceRecorded {
    /// Recorded now.
    #[oai(status = 201)]
    Created(Json<AcceptanceView>),
    /// Accepted before; the first acceptance stands.
    #[oai(status = 200)]
    AlreadyAccepted(Json<AcceptanceView>),
}

fn acceptance_view(acceptance: PolicyAcceptance) -> AcceptanceView {
    AcceptanceView {
        kind: acceptance.kind.as_str().to_owned(),
        version: acceptance.version,
        accepted_at: acceptance.accepted_at,
        channel: acceptance.channel.as_str().to_owned(),
    }
}

#[OpenApi(prefix_path = "/api/v1", tag = "ApiTags::Privacy")]
impl PoliciesApi {
    /// The sub-processor register: which provider processes what, why and where.
    #[oai(path = "/public/subprocessors", method = "get", operation_id = "list_subprocessors")]
    async fn subprocessors(&self) -> Json<SubprocessorList> {
        Json(SubprocessorList {
            data: self
                .state
                .settings
                .subprocessors
                .iter()
                .map(|s| SubprocessorView {
                    name: s.name.clone(),
                    purpose: s.purpose.clone(),
                    data_categories: s.data_categories.clone(),
                    location: s.location.clone(),
                    transfer_safeguard: s.transfer_safeguard.clone(),
                    website: s.website.clone(),
                })
                .collect(),
        })
    }

    /// Accept a version of the privacy policy or the terms (the one in
    /// force, or an upcoming published one).
    #[oai(path = "/me/policy-acceptances", method = "post", operation_id = "accept_policy")]
    async fn accept(&self, auth: Auth, body: Json<AcceptanceRequest>) -> Result<AcceptanceRecorded, ApiError> {
        let who = self.state.authenticate(auth).await?;
        let request = body.0;
        let (acceptance, new) = self
            .state
            .services
            .policies
            .accept(&who, &request.kind, &request.version, request.channel.as_deref())
            .await?;
        let view = Json(acceptance_view(acceptance));
        Ok(if new {
            AcceptanceRecorded::Created(view)
        } else {
            AcceptanceRecorded::AlreadyAccepted(view)
        })
    }
}
