//! Operator tasks. `cargo xtask …` and `fakturo admin …` are thin
//! command-line layers over these functions, which tests call directly.

use std::sync::Arc;

use fakturo_database::{ConnectError, connect, migrate as apply_migrations};
use fakturo_domain::ports::ManualClock;
use fakturo_domain::services::{AccountPolicy, Ports, Services};

use crate::adapters::{Argon2PasswordHasher, OsTokenGenerator, UuidV7Generator};
use crate::application::{StartError, database_settings};
use crate::http::{AppState, openapi_json};
use crate::settings::Settings;

/// Applies pending migrations to the configured database.
///
/// # Errors
/// [`ConnectError`] if the database is unreachable, newer than this build,
/// or a migration fails.
pub async fn migrate(settings: &Settings) -> Result<(), ConnectError> {
    let db = connect(&database_settings(settings)).await?;
    apply_migrations(&db).await?;
    db.close().await?;
    Ok(())
}

/// The OpenAPI document of this build. Needs no database: the operations
/// are described, not called.
///
/// # Errors
/// [`StartError`] only if the in-memory scratch database or the hasher cannot be set up.
pub async fn openapi(settings: &Settings) -> Result<String, StartError> {
    let mut scratch = database_settings(settings);
    scratch.url = "sqlite::memory:".into();
    let store = Arc::new(fakturo_database::SqlStore::new(connect(&scratch).await?));
    let passwords = Argon2PasswordHasher::new()?;
    let ports = Ports {
        store: store.clone(),
        clock: Arc::new(ManualClock::new(settings.policies.privacy_effective_at)),
        ids: Arc::new(UuidV7Generator),
        tokens: Arc::new(OsTokenGenerator),
        passwords: Arc::new(passwords),
    };
    let policy = AccountPolicy {
        session_lifetime: chrono::TimeDelta::hours(1),
        privacy_policy_version: settings.policies.privacy_version.clone(),
        minimum_age: settings.auth.minimum_age,
        default_payment_terms_days: settings.invoicing.default_payment_terms_days,
    };
    let state = AppState {
        services: Services::new(ports, policy),
        store,
        settings: Arc::new(settings.clone()),
    };
    Ok(openapi_json(&state))
}
