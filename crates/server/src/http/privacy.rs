//! Privacy: the data map, data exports, a client's restriction, objection
//! and erasure, a user's erasure of their own account, and closing (or
//! reopening) the organization's account.

mod types;

use std::collections::BTreeSet;
use std::sync::Arc;

use fakturo_domain::ClientId;
use fakturo_domain::access::ports::Password;
use fakturo_domain::invoicing::client::Client;
use fakturo_domain::kernel::files::ChunkSource;
use fakturo_domain::kernel::validation::ValidationErrors;
use fakturo_domain::privacy::ConsentPurpose;
use fakturo_domain::privacy::exports::Export;
use fakturo_domain::privacy::services::client_privacy::{ErasedItem, ErasureReport};
use poem::Body;
use poem::http::StatusCode;
use poem::web::cookie::CookieJar;
use poem_openapi::OpenApi;
use poem_openapi::param::Path;
use poem_openapi::payload::{Binary, Json};
use uuid::Uuid;

use super::auth::{Auth, ClientAddress};
use super::problem::ApiError;
use super::{ApiTags, AppState};
use types::{
    Archive, ClientPrivacyView, CloseRequest, Closed, ClosureAccepted, DataMap, DataMapColumn, DataMapTable,
    EraseMeRequest, EraseRequest, ErasedItemView, ErasureView, ExportAccepted, ExportRequest, ExportView,
    ObjectionsBody, Reopened, RetainedItemView, UserErasureView,
};

pub struct PrivacyApi {
    state: Arc<AppState>,
}

impl PrivacyApi {
    pub fn new(state: Arc<AppState>) -> Self {
        Self { state }
    }
}

fn export_view(export: Export, base: &str) -> ExportView {
    let ready = export.status == fakturo_domain::privacy::exports::ExportStatus::Ready;
    ExportView {
        id: export.id,
        scope: export.scope.as_str().to_owned(),
        subject_id: export.scope.subject(),
        status: export.status.as_str().to_owned(),
        requested_at: export.requested_at,
        completed_at: export.completed_at,
        size_bytes: export.size_bytes,
        expires_at: export.expires_at,
        manifest: export.manifest.as_deref().and_then(|m| serde_json::from_str(m).ok()),
        download_url: ready.then(|| format!("{base}/api/v1/privacy/exports/{}/download", export.id)),
    }
}

fn items(items: Vec<ErasedItem>) -> Vec<ErasedItemView> {
    items
        .into_iter()
        .map(|i| ErasedItemView {
            what: i.what,
            count: i.count,
        })
        .collect()
}

fn erasure_view(report: ErasureReport) -> ErasureView {
    ErasureView {
        id: report.erasure_id,
        deleted: items(report.deleted),
        anonymized: items(report.anonymized),
        retained: report
            .retained
            .into_iter()
            .map(|r| RetainedItemView {
                what: r.what,
                count: r.count,
                legal_basis: r.legal_basis,
                until: r.until,
            })
            .collect(),
    }
}

fn privacy_view(client: &Client) -> ClientPrivacyView {
    ClientPrivacyView {
        client_id: client.id.as_uuid(),
        restricted: client.privacy.restricted,
        objections: client
            .privacy
            .objections
            .iter()
            .map(|p| p.as_str().to_owned())
            .collect(),
        objects_to_contact: client.privacy.objects_to_contact,
        erased_at: client.privacy.erased_at,
    }
}

/// The archive as a byte stream, chunk by chunk.
pub(super) fn stream(chunks: Box<dyn ChunkSource>) -> Body {
    let stream = futures::stream::unfold(Some(chunks), |state| async move {
        let mut source = state?;
        match source.next_chunk().await {
            Ok(Some(chunk)) => Some((Ok(bytes::Bytes::from(chunk)), Some(source))),
            Ok(None) => None,
            Err(error) => Some((Err(std::io::Error::other(error.to_string())), None)),
        }
    });
    Body::from_bytes_stream(stream)
}

#[OpenApi(prefix_path = "/api/v1", tag = "ApiTags::Privacy")]
impl PrivacyApi {
    /// Every stored field: its data category, role, whether it is personal data, and its retention.
    #[oai(path = "/privacy/data-map", method = "get", operation_id = "get_data_map")]
    async fn data_map(&self, auth: Auth) -> Result<Json<DataMap>, ApiError> {
        self.state.authenticate_even_if_closed(auth).await?;
        let tables = self
            .state
            .services
            .data_map
            .tables()
            .into_iter()
            .map(|table| DataMapTable {
                table: table.table.to_owned(),
                tenant_data: table.tenant_data,
                columns: table
                    .columns
                    .into_iter()
                    .map(|c| DataMapColumn {
                        name: c.name.to_owned(),
                        category: c.category.as_str().to_owned(),
                        role: c.role.as_str().to_owned(),
                        personal: c.personal,
                        exported: c.exported,
                        retention: c.retention,
                    })
                    .collect(),
            })
            .collect();
        Ok(Json(DataMap { tables }))
    }

    /// Ask for an export (JSON + CSV + files, as a ZIP), also while the account is closed.
    #[oai(path = "/privacy/exports", method = "post", operation_id = "create_export")]
    async fn create_export(
        &self,
        auth: Auth,
        address: ClientAddress,
        body: Json<ExportRequest>,
    ) -> Result<ExportAccepted, ApiError> {
        let who = self.state.authenticate_even_if_closed(auth).await?;
        let request = body.0;
        let export = self
            .state
            .services
            .exports
            .request(
                &who,
                &request.scope,
                request.client_id.map(ClientId::from_uuid),
                &address.origin(),
            )
            .await?;
        Ok(ExportAccepted::Accepted(Json(export_view(
            export,
            self.state.settings.http.public_base(),
        ))))
    }

    /// An export's status.
    #[oai(path = "/privacy/exports/:id", method = "get", operation_id = "get_export")]
    async fn get_export(&self, auth: Auth, id: Path<Uuid>) -> Result<Json<ExportView>, ApiError> {
        let who = self.state.authenticate_even_if_closed(auth).await?;
        let export = self.state.services.exports.get(&who.principal, id.0).await?;
        Ok(Json(export_view(export, self.state.settings.http.public_base())))
    }

    /// Download a ready export's archive.
    #[oai(
        path = "/privacy/exports/:id/download",
        method = "get",
        operation_id = "download_export"
    )]
    async fn download_export(&self, auth: Auth, id: Path<Uuid>) -> Result<Archive, ApiError> {
        let who = self.state.authenticate_even_if_closed(auth).await?;
        let (export, key) = self.state.services.exports.archive(&who.principal, id.0).await?;
        let reader = self
            .state
            .files
            .open(&key)
            .await
            .map_err(|e| ApiError::unexpected(&fakturo_domain::kernel::errors::Unexpected(Box::new(e))))?;
        let name = format!(
            "attachment; filename=\"fakturo-export-{}-{}.zip\"",
            export.scope.as_str(),
            export.requested_at.format("%Y%m%d")
        );
        Ok(Archive::Zip(Binary(stream(reader.chunks)), name, reader.size))
    }

    /// Erase a client's personal data as far as the law allows (owners and admins).
    #[oai(path = "/clients/:id/erase", method = "post", operation_id = "erase_client")]
    async fn erase(
        &self,
        auth: Auth,
        address: ClientAddress,
        id: Path<Uuid>,
        body: Json<EraseRequest>,
    ) -> Result<Json<ErasureView>, ApiError> {
        let who = self.state.authenticate(auth).await?;
        let report = self
            .state
            .services
            .client_privacy
            .erase(
                &who,
                ClientId::from_uuid(id.0),
                body.0.privacy_request_id,
                &address.origin(),
            )
            .await?;
        Ok(Json(erasure_view(report)))
    }

    /// Restrict processing of a client's data (owners and admins).
    #[oai(path = "/clients/:id/restrict", method = "post", operation_id = "restrict_client")]
    async fn restrict(
        &self,
        auth: Auth,
        address: ClientAddress,
        id: Path<Uuid>,
    ) -> Result<Json<ClientPrivacyView>, ApiError> {
        let who = self.state.authenticate(auth).await?;
        let client = self
            .state
            .services
            .client_privacy
            .set_restriction(&who, ClientId::from_uuid(id.0), true, &address.origin())
            .await?;
        Ok(Json(privacy_view(&client)))
    }

    /// Lift a restriction (owners and admins).
    #[oai(
        path = "/clients/:id/unrestrict",
        method = "post",
        operation_id = "unrestrict_client"
    )]
    async fn unrestrict(
        &self,
        auth: Auth,
        address: ClientAddress,
        id: Path<Uuid>,
    ) -> Result<Json<ClientPrivacyView>, ApiError> {
        let who = self.state.authenticate(auth).await?;
        let client = self
            .state
            .services
            .client_privacy
            .set_restriction(&who, ClientId::from_uuid(id.0), false, &address.origin())
            .await?;
        Ok(Json(privacy_view(&client)))
    }

    /// Record a client's objections (replacing earlier ones; owners and admins).
    #[oai(
        path = "/clients/:id/objections",
        method = "put",
        operation_id = "set_client_objections"
    )]
    async fn objections(
        &self,
        auth: Auth,
        address: ClientAddress,
        id: Path<Uuid>,
        body: Json<ObjectionsBody>,
    ) -> Result<Json<ClientPrivacyView>, ApiError> {
        let who = self.state.authenticate(auth).await?;
        let request = body.0;
        let mut errors = ValidationErrors::new();
        let mut purposes = BTreeSet::new();
        for (i, name) in request.purposes.iter().enumerate() {
            match ConsentPurpose::parse(name) {
                Some(purpose) => {
                    purposes.insert(purpose);
                }
                None => errors.add(
                    format!("purposes[{i}]"),
                    "invalid_purpose",
                    "must be analytics, marketing_email or ai_processing",
                ),
            }
        }
        if !errors.is_empty() {
            return Err(ApiError::validation(StatusCode::UNPROCESSABLE_ENTITY, &errors));
        }
        let client = self
            .state
            .services
            .client_privacy
            .set_objections(
                &who,
                ClientId::from_uuid(id.0),
                purposes,
                request.contact,
                &address.origin(),
            )
            .await?;
        Ok(Json(privacy_view(&client)))
    }

    /// Erase the signed-in user's own account (with the password): the
    /// account, its sessions, tokens and links, the invitation that brought
    /// the user in and their own exports are deleted; the organization's
    /// records they made stay, naming only a pseudonym. Owners make another
    /// user owner and step down first (409 `owner_must_transfer`).
    #[oai(path = "/me/erase", method = "post", operation_id = "erase_me")]
    async fn erase_me(
        &self,
        auth: Auth,
        jar: &CookieJar,
        body: Json<EraseMeRequest>,
    ) -> Result<Json<UserErasureView>, ApiError> {
        let who = self.state.authenticate(auth).await?;
        let report = self
            .state
            .services
            .user_erasure
            .erase_self(&who, Password::presented(body.0.password))
            .await?;
        self.state.clear_session_cookies(jar);
        Ok(Json(UserErasureView {
            user_id: report.user_id.as_uuid(),
            deleted: items(report.deleted),
            pseudonymized: items(report.pseudonymized),
            retained: report.retained,
        }))
    }

    /// Close the account (owner only, with the password): export and reopening
    /// stay possible for the grace period, then everything is purged.
    #[oai(path = "/account/close", method = "post", operation_id = "close_account")]
    async fn close(
        &self,
        auth: Auth,
        address: ClientAddress,
        body: Json<CloseRequest>,
    ) -> Result<ClosureAccepted, ApiError> {
        let who = self.state.authenticate(auth).await?;
        let closure = self
            .state
            .services
            .closure
            .close(&who, Password::presented(body.0.password), &address.origin())
            .await?;
        Ok(ClosureAccepted::Accepted(Json(Closed {
            closed_at: closure.closed_at,
            purge_after: closure.purge_after,
        })))
    }

    /// Reopen a closed account within its grace period (owner only).
    #[oai(path = "/account/reopen", method = "post", operation_id = "reopen_account")]
    async fn reopen(&self, auth: Auth, address: ClientAddress) -> Result<Reopened, ApiError> {
        let who = self.state.authenticate_even_if_closed(auth).await?;
        self.state.services.closure.reopen(&who, &address.origin()).await?;
        Ok(Reopened::Reopened)
    }
}
