//! The HTTP interface: poem + poem-openapi. Each resource has its own API
//! module; request and response types are separate `Object`s converted to
//! and from the domain at the handler, and every error leaves as
//! `application/problem+json` with a stable `code`.

mod accounts;
mod api_tokens;
mod audit;
pub mod auth;
mod checkout;
mod clients;
mod consents;
mod credit_notes;
mod decimal;
mod documents;
mod files;
mod google;
mod health;
mod idempotency;
mod incidents;
mod integrations;
mod invoices;
mod jobs;
mod links;
mod middleware;
mod notes;
mod organization;
mod pages;
mod pagination;
mod policies;
mod privacy;
mod privacy_requests;
pub mod problem;
mod processing_record;
mod public;
mod public_privacy;
mod rate_limit;
mod recurring;
mod reminder_settings;
mod subscription;
mod team;
mod webhooks;

use std::sync::Arc;

use crate::application::services::Services;
use fakturo_domain::kernel::clock::Clock;
use fakturo_domain::kernel::files::FileStore;
use fakturo_domain::kernel::secrets::SecretBox;
use poem::middleware::CookieJarManager;
use poem::{Endpoint, EndpointExt, Route};
use poem_openapi::{OpenApi, OpenApiService, Tags};

use crate::adapters::GoogleSignIn;
use crate::settings::Settings;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    /// The use cases.
    pub services: Services,
    /// The store, for readiness checks.
    pub store: Arc<fakturo_database::SqlStore>,
    /// The loaded settings.
    pub settings: Arc<Settings>,
    /// The current time.
    pub clock: Arc<dyn Clock>,
    /// The key ring, for state the HTTP layer keeps sealed.
    pub secrets: Arc<dyn SecretBox>,
    /// Sign-in with Google, when enabled.
    pub google: Option<Arc<GoogleSignIn>>,
    /// Stored files and export archives.
    pub files: Arc<dyn FileStore>,
}

/// Groups of operations in the OpenAPI document.
#[derive(Tags)]
pub(crate) enum ApiTags {
    /// Liveness, readiness and public information.
    Health,
    /// Sign-up, sign-in, sessions, emailed links and API tokens.
    Accounts,
    /// The team, the security log and integrations.
    Team,
    /// A business's clients.
    Clients,
    /// Invoices, their lifecycle, payments and reminders.
    Invoices,
    /// Recurring invoices.
    Recurring,
    /// Jobs, notes and files.
    Content,
    /// Online payments of invoices, the operator's plans, the subscription
    /// and provider webhooks.
    Billing,
    /// The data map, exports, erasure, restriction, objection, account closure,
    /// consent, policy versions, sub-processors and privacy requests.
    Privacy,
}

/// The OpenAPI service with every operation.
pub fn openapi_service(state: &AppState) -> OpenApiService<impl OpenApi + use<>, ()> {
    let shared = Arc::new(state.clone());
    let access = (
        health::HealthApi::new(shared.clone()),
        accounts::AccountsApi::new(shared.clone()),
        links::LinksApi::new(shared.clone()),
        google::GoogleApi::new(shared.clone()),
        api_tokens::ApiTokensApi::new(shared.clone()),
        team::TeamApi::new(shared.clone()),
        audit::AuditApi::new(shared.clone()),
        integrations::IntegrationsApi::new(shared.clone()),
        organization::OrganizationApi::new(shared.clone()),
    );
    let business = (
        clients::ClientsApi::new(shared.clone()),
        invoices::InvoicesApi::new(shared.clone()),
        recurring::RecurringApi::new(shared.clone()),
        reminder_settings::ReminderSettingsApi::new(shared.clone()),
        credit_notes::CreditNotesApi::new(shared.clone()),
        documents::DocumentsApi::new(shared.clone()),
    );
    let content = (
        jobs::JobsApi::new(shared.clone()),
        notes::NotesApi::new(shared.clone()),
        files::FilesApi::new(shared.clone()),
    );
    let privacy = (
        privacy::PrivacyApi::new(shared.clone()),
        consents::ConsentsApi::new(shared.clone()),
        policies::PoliciesApi::new(shared.clone()),
        privacy_requests::PrivacyRequestsApi::new(shared.clone()),
        processing_record::ProcessingRecordApi::new(shared.clone()),
        incidents::IncidentsApi::new(shared.clone()),
        public_privacy::PublicPrivacyApi::new(shared.clone()),
    );
    let billing = (
        subscription::SubscriptionApi::new(shared.clone()),
        webhooks::WebhooksApi::new(shared),
    );
    OpenApiService::new(
        (access, business, content, privacy, billing),
        "Fakturo",
        env!("CARGO_PKG_VERSION"),
    )
    .description(
        "Invoicing and business management with privacy built in. Amounts, quantities and rates are \
             decimal strings; errors are application/problem+json with a stable `code`. Authenticate with \
             `Authorization: Bearer <token>` (a session or API token) or, in a browser, the \
             `fakturo_session` cookie plus the `X-CSRF-Token` header on requests that change data.",
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
    let guard = Arc::new(middleware::Guard {
        max_body: state.settings.http.max_body_bytes,
        // The file's own limit is checked exactly once the upload is read;
        // this lets through the multipart framing around a file at the limit.
        max_upload: usize::try_from(state.settings.files.max_upload_bytes)
            .unwrap_or(usize::MAX)
            .saturating_add(64 * 1024)
            .max(state.settings.http.max_body_bytes),
        trusted_proxy_hops: state.settings.http.trusted_proxy_hops,
        rate_limit: rate_limit::AuthRateLimit::new(state.settings.auth.ip_rate_limit_per_minute),
    });
    let shared = Arc::new(state);
    Route::new()
        .at("/api/openapi.json", spec)
        .nest("/api/docs", docs)
        .at("/i/:token", poem::get(public::invoice_page).data(shared.clone()))
        .at("/i/:token/pdf", poem::get(public::invoice_pdf).data(shared.clone()))
        .at(
            "/i/:token/checkout",
            poem::post(checkout::invoice_checkout).data(shared),
        )
        .nest("/", api)
        .with(CookieJarManager::new())
        .around(move |next, req| middleware::problems_and_tracing(next, req, guard.clone()))
}
