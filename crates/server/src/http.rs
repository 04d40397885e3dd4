//! The HTTP interface: poem + poem-openapi. Each resource has its own API
//! module; request and response types are separate `Object`s converted to
//! and from the domain at the handler, and every error leaves as
//! `application/problem+json` with a stable `code`.

mod accounts;
mod auth;
mod clients;
mod decimal;
mod health;
mod idempotency;
mod invoices;
mod middleware;
mod pagination;
pub mod problem;
mod public;
mod recurring;
mod reminder_settings;

use std::sync::Arc;

use fakturo_domain::ports::Store;
use fakturo_domain::services::Services;
use poem::{Endpoint, EndpointExt, Route};
use poem_openapi::{OpenApiService, Tags};

use crate::settings::Settings;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    /// The use cases.
    pub services: Services,
    /// The store, for readiness checks.
    pub store: Arc<dyn Store>,
    /// The loaded settings.
    pub settings: Arc<Settings>,
}

/// Groups of operations in the OpenAPI document.
#[derive(Tags)]
pub(crate) enum ApiTags {
    /// Liveness, readiness and public information.
    Health,
    /// Sign-up, sign-in and sessions.
    Accounts,
    /// A business's clients.
    Clients,
    /// Invoices, their lifecycle, payments and reminders.
    Invoices,
    /// Recurring invoices.
    Recurring,
}

/// The OpenAPI service with every operation.
pub fn openapi_service(
    state: &AppState,
) -> OpenApiService<
    (
        health::HealthApi,
        accounts::AccountsApi,
        clients::ClientsApi,
        invoices::InvoicesApi,
        recurring::RecurringApi,
        reminder_settings::ReminderSettingsApi,
    ),
    (),
> {
    let shared = Arc::new(state.clone());
    OpenApiService::new(
        (
            health::HealthApi::new(shared.clone()),
            accounts::AccountsApi::new(shared.clone()),
            clients::ClientsApi::new(shared.clone()),
            invoices::InvoicesApi::new(shared.clone()),
            recurring::RecurringApi::new(shared.clone()),
            reminder_settings::ReminderSettingsApi::new(shared),
        ),
        "Fakturo",
        env!("CARGO_PKG_VERSION"),
    )
    .description(
        "Invoicing and business management with privacy built in. Amounts, quantities and rates are \
         decimal strings; errors are application/problem+json with a stable `code`.",
    )
    .server(state.settings.http.public_url.clone())
}

/// The OpenAPI document as JSON.
#[must_use]
pub fn openapi_json(state: &AppState) -> String {
    openapi_service(state).spec()
}

/// Every route of the server, with its middleware.
pub fn routes(state: AppState) -> impl Endpoint {
    let api = openapi_service(&state);
    let spec = api.spec_endpoint();
    let docs = api.swagger_ui();
    let max_body = state.settings.http.max_body_bytes;
    let shared = Arc::new(state);
    Route::new()
        .at("/api/openapi.json", spec)
        .nest("/api/docs", docs)
        .at("/i/:token", poem::get(public::invoice_page).data(shared))
        .nest("/", api)
        .around(move |next, req| middleware::problems_and_tracing(next, req, max_body))
}
