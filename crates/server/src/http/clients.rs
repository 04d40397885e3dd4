//! Clients: create, list, read, change, delete.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use fakturo_domain::ClientId;
use fakturo_domain::invoicing::client::{Client, ClientFields};
use poem_openapi::param::{Header, Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::types::MaybeUndefined;
use poem_openapi::{ApiResponse, Object, OpenApi};
use uuid::Uuid;

use super::auth::Auth;
use super::pagination::page_request;
use super::problem::ApiError;
use super::{ApiTags, AppState};

pub struct ClientsApi {
    state: Arc<AppState>,
}

impl ClientsApi {
    pub fn new(state: Arc<AppState>) -> Self {
        Self { state }
    }
}

/// A new client.
#[derive(Object)]
#[oai(deny_unknown_fields)]
struct ClientCreate {
    /// Person or company name.
    name: String,
    /// Where invoices and reminders go.
    email: Option<String>,
    phone: Option<String>,
    /// Postal address, several lines.
    address: Option<String>,
    /// ISO 3166-1 alpha-2.
    country: Option<String>,
    /// VAT or other tax identifier.
    tax_id: Option<String>,
    /// ISO 4217; proposed for this client's invoices.
    currency: Option<String>,
    /// BCP 47 language tag for documents, such as `de-DE`.
    locale: Option<String>,
    /// Whether payment reminders go to this client (default `true`).
    reminders_enabled: Option<bool>,
}

/// Changes to a client: absent fields are kept, `null` clears an optional field.
#[derive(Object)]
#[oai(deny_unknown_fields)]
struct ClientPatch {
    name: Option<String>,
    email: MaybeUndefined<String>,
    phone: MaybeUndefined<String>,
    address: MaybeUndefined<String>,
    country: MaybeUndefined<String>,
    tax_id: MaybeUndefined<String>,
    currency: MaybeUndefined<String>,
    locale: MaybeUndefined<String>,
    reminders_enabled: Option<bool>,
}

/// A client.
#[derive(Object)]
pub(super) struct ClientView {
    id: Uuid,
    name: String,
    email: Option<String>,
    phone: Option<String>,
    address: Option<String>,
    country: Option<String>,
    tax_id: Option<String>,
    currency: Option<String>,
    locale: Option<String>,
    /// Whether payment reminders go to this client.
    reminders_enabled: bool,
    /// Processing of the client's data is restricted (only storage and what the law requires).
    processing_restricted: bool,
    /// When the client's personal data was erased (what remains is under legal hold).
    erased_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

/// A page of clients, newest first.
#[derive(Object)]
struct ClientList {
    data: Vec<ClientView>,
    /// Pass as `cursor` for the next page; `null` on the last page.
    next_cursor: Option<String>,
}

#[derive(ApiResponse)]
enum ClientCreated {
    /// The new client.
    #[oai(status = 201)]
    Created(Json<ClientView>),
}

#[derive(ApiResponse)]
enum ClientDeleted {
    /// The client is gone.
    #[oai(status = 204)]
    Deleted,
}

fn view(client: Client) -> ClientView {
    let d = client.details;
    ClientView {
        id: client.id.as_uuid(),
        name: d.name,
        email: d.email.map(|e| e.to_string()),
        phone: d.phone,
        address: d.address,
        country: d.country.map(|c| c.code().to_owned()),
        tax_id: d.tax_id,
        currency: d.currency.map(|c| c.code().to_owned()),
        locale: d.locale,
        reminders_enabled: d.reminders_enabled,
        processing_restricted: client.privacy.restricted,
        erased_at: client.privacy.erased_at,
        created_at: client.created_at,
        updated_at: client.updated_at,
    }
}

/// `null` clears (empty string), absent keeps (`None`).
pub(super) fn patch_field(value: MaybeUndefined<String>) -> Option<String> {
    match value {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => Some(String::new()),
        MaybeUndefined::Value(text) => Some(text),
    }
}

#[OpenApi(prefix_path = "/api/v1", tag = "ApiTags::Clients")]
impl ClientsApi {
    /// Create a client.
    #[oai(path = "/clients", method = "post", operation_id = "create_client")]
    async fn create(
        &self,
        auth: Auth,
        /// Makes retries safe: a repeat with the same key and body returns the first response.
        #[oai(name = "Idempotency-Key")]
        idempotency_key: Header<Option<String>>,
        body: Json<ClientCreate>,
    ) -> Result<ClientCreated, ApiError> {
        let who = self.state.authenticate(auth).await?;
        let request = body.0;
        let created = self
            .state
            .idempotent(
                who.principal.tenant_id,
                idempotency_key.0,
                "POST /clients",
                &request,
                || async {
                    let fields = ClientFields {
                        name: Some(request.name.clone()),
                        email: request.email.clone(),
                        phone: request.phone.clone(),
                        address: request.address.clone(),
                        country: request.country.clone(),
                        tax_id: request.tax_id.clone(),
                        currency: request.currency.clone(),
                        locale: request.locale.clone(),
                        reminders_enabled: request.reminders_enabled,
                    };
                    let client = self.state.services.clients.create(&who.principal, fields).await?;
                    Ok(view(client))
                },
            )
            .await?;
        Ok(ClientCreated::Created(Json(created)))
    }

    /// List clients, newest first.
    #[oai(path = "/clients", method = "get", operation_id = "list_clients")]
    async fn list(
        &self,
        auth: Auth,
        /// Page size, 1 to 100 (default 50).
        #[oai(validator(minimum(value = "1"), maximum(value = "100")))]
        limit: Query<Option<u32>>,
        /// The `next_cursor` of the previous page.
        cursor: Query<Option<String>>,
    ) -> Result<Json<ClientList>, ApiError> {
        let who = self.state.authenticate(auth).await?;
        let page = page_request(limit.0, cursor.0.as_deref())?;
        let found = self.state.services.clients.list(&who.principal, page).await?;
        Ok(Json(ClientList {
            data: found.items.into_iter().map(view).collect(),
            next_cursor: found.next_cursor,
        }))
    }

    /// Get a client.
    #[oai(path = "/clients/:id", method = "get", operation_id = "get_client")]
    async fn get(&self, auth: Auth, id: Path<Uuid>) -> Result<Json<ClientView>, ApiError> {
        let who = self.state.authenticate(auth).await?;
        let client = self
            .state
            .services
            .clients
            .get(&who.principal, ClientId::from_uuid(id.0))
            .await?;
        Ok(Json(view(client)))
    }

    /// Change a client.
    #[oai(path = "/clients/:id", method = "patch", operation_id = "update_client")]
    async fn update(&self, auth: Auth, id: Path<Uuid>, body: Json<ClientPatch>) -> Result<Json<ClientView>, ApiError> {
        let who = self.state.authenticate(auth).await?;
        let patch = body.0;
        let fields = ClientFields {
            name: patch.name,
            email: patch_field(patch.email),
            phone: patch_field(patch.phone),
            address: patch_field(patch.address),
            country: patch_field(patch.country),
            tax_id: patch_field(patch.tax_id),
            currency: patch_field(patch.currency),
            locale: patch_field(patch.locale),
            reminders_enabled: patch.reminders_enabled,
        };
        let client = self
            .state
            .services
            .clients
            .update(&who.principal, ClientId::from_uuid(id.0), fields)
            .await?;
        Ok(Json(view(client)))
    }

    /// Delete a client that has no invoices.
    #[oai(path = "/clients/:id", method = "delete", operation_id = "delete_client")]
    async fn delete(&self, auth: Auth, id: Path<Uuid>) -> Result<ClientDeleted, ApiError> {
        let who = self.state.authenticate(auth).await?;
        self.state
            .services
            .clients
            .delete(&who.principal, ClientId::from_uuid(id.0))
            .await?;
        Ok(ClientDeleted::Deleted)
    }
}
