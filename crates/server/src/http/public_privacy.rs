//! Privacy requests from people without an account: submit (always 202 for
//! a well-formed request, so nobody learns whose address is known), then
//! confirm with the emailed link's token. Both routes are rate limited per
//! address (see `rate_limit.rs`).

use std::sync::Arc;

use chrono::{DateTime, Utc};
use fakturo_domain::privacy::services::privacy_requests::PublicRequestFields;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, Object, OpenApi};

use super::auth::ClientAddress;
use super::problem::ApiError;
use super::{ApiTags, AppState};

pub struct PublicPrivacyApi {
    state: Arc<AppState>,
}

impl PublicPrivacyApi {
    pub fn new(state: Arc<AppState>) -> Self {
        Self { state }
    }
}

/// A privacy request from someone without an account.
#[derive(Object)]
#[oai(deny_unknown_fields)]
struct PublicPrivacyRequest {
    /// `access`, `rectification`, `erasure`, `restriction`, `objection`,
    /// `portability` or `consent_withdrawal`.
    #[oai(rename = "type")]
    request_type: String,
    /// Your email address: the confirmation link goes there, and it decides
    /// which organizations receive the request.
    email: String,
    /// The business you believe holds your data, if you know.
    organization_hint: Option<String>,
    /// A reference such as an invoice number, if you have one.
    client_reference: Option<String>,
    /// What you ask for.
    details: String,
}

/// The token of a confirmation link.
#[derive(Object)]
#[oai(deny_unknown_fields)]
struct ConfirmationToken {
    /// The `token` of the emailed link.
    #[oai(write_only)]
    token: String,
}

/// A confirmed request.
#[derive(Object)]
struct ConfirmedView {
    /// Always `confirmed`.
    status: String,
    /// When the request counts as received; the answer is due one calendar month later.
    received_at: DateTime<Utc>,
}

#[derive(ApiResponse)]
enum Submitted {
    /// A confirmation link is on its way to the address; the request counts
    /// once it is confirmed (within 48 hours).
    #[oai(status = 202)]
    Accepted,
}

#[OpenApi(prefix_path = "/api/v1", tag = "ApiTags::Privacy")]
impl PublicPrivacyApi {
    /// Make a privacy request without an account. Always 202 for a
    /// well-formed request; it counts only once confirmed from the mailbox.
    #[oai(
        path = "/public/privacy-requests",
        method = "post",
        operation_id = "submit_public_privacy_request"
    )]
    async fn submit(&self, body: Json<PublicPrivacyRequest>) -> Result<Submitted, ApiError> {
        let request = body.0;
        self.state
            .services
            .privacy_requests
            .submit_public(PublicRequestFields {
                request_type: request.request_type,
                email: request.email,
                organization_hint: request.organization_hint,
                client_reference: request.client_reference,
                details: request.details,
            })
            .await?;
        Ok(Submitted::Accepted)
    }

    /// Confirm a privacy request with the emailed link's token: it is then
    /// received by every business whose client uses the address (or by the
    /// operator of this service). A used or expired link answers 410.
    #[oai(
        path = "/public/privacy-requests/confirm",
        method = "post",
        operation_id = "confirm_public_privacy_request"
    )]
    async fn confirm(
        &self,
        address: ClientAddress,
        body: Json<ConfirmationToken>,
    ) -> Result<Json<ConfirmedView>, ApiError> {
        let confirmed = self
            .state
            .services
            .privacy_requests
            .confirm_public(&body.0.token, &address.origin())
            .await?;
        Ok(Json(ConfirmedView {
            status: "confirmed".into(),
            received_at: confirmed.received_at,
        }))
    }
}
