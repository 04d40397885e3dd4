//! `cargo xtask bench run-due`: how fast the scheduler issues recurring
//! invoices, and how many SQL statements each costs. A benchmark prints
//! figures; it asserts nothing about time.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use chrono::{TimeZone, Utc};
use fakturo_database::scratch::ScratchDatabase;
use fakturo_database::{Backend, DatabaseSettings, SqlStore, connect, migrate};
use fakturo_domain::client::ClientFields;
use fakturo_domain::invoice::LineFields;
use fakturo_domain::ports::{Clock, ManualClock, Password};
use fakturo_domain::services::accounts::SignupFields;
use fakturo_domain::services::recurring::RecurringFields;
use fakturo_domain::user::Principal;
use fakturo_server::{Settings, Wiring, wire_on};

/// A freshly seeded tenant with `schedules` due monthly schedules.
pub struct Seeded {
    pub wiring: Wiring,
    pub statements: Arc<AtomicU64>,
    pub principal: Principal,
    _scratch: Option<ScratchDatabase>,
}

/// Opens a scratch database on `backend` (or `url`), wires Fakturo on it
/// with a statement counter, and seeds `schedules` recurring invoices due
/// on 2026-11-22.
pub async fn seed(
    backend: Backend,
    url: Option<&str>,
    schedules: usize,
    auto_send: bool,
    outbox: &str,
) -> Result<Seeded, String> {
    let scratch = match url {
        Some(_) => None,
        None => Some(ScratchDatabase::create(backend).await.map_err(|e| e.to_string())?),
    };
    let url = url.map_or_else(
        || scratch.as_ref().map(|s| s.url().to_owned()).unwrap_or_default(),
        str::to_owned,
    );
    let mut settings = Settings::load().map_err(|e| e.to_string())?;
    settings.database.url = url.clone();
    settings.email.outbox_dir = outbox.to_owned();
    settings.email.transport = fakturo_server::settings::EmailTransport::File;
    let mut db = connect(&DatabaseSettings {
        url,
        max_connections: 10,
        acquire_timeout: std::time::Duration::from_secs(30),
    })
    .await
    .map_err(|e| e.to_string())?;
    migrate(&db).await.map_err(|e| e.to_string())?;
    let statements = Arc::new(AtomicU64::new(0));
    let counter = statements.clone();
    db.set_metric_callback(move |_| {
        counter.fetch_add(1, Ordering::Relaxed);
    });
    let clock: Arc<dyn Clock> = Arc::new(ManualClock::new(
        Utc.with_ymd_and_hms(2026, 11, 22, 12, 0, 0).single().ok_or("date")?,
    ));
    let wiring = wire_on(settings, clock, Arc::new(SqlStore::new(db))).map_err(|e| e.to_string())?;
    let services = &wiring.state.services;
    let signed_up = services
        .accounts
        .signup(SignupFields {
            email: format!("bench-{}@fakturo.test", uuid::Uuid::new_v4().simple()),
            password: Password::new_secret("benchmark password".into()).map_err(|e| e.to_string())?,
            name: "Bench".into(),
            organization_name: "Bench GmbH".into(),
            country: "DE".into(),
            accept_policy_version: wiring.state.settings.policies.privacy_version.clone(),
            confirm_minimum_age: true,
        })
        .await
        .map_err(|e| e.to_string())?;
    let principal = Principal {
        user_id: signed_up.user.id,
        tenant_id: signed_up.organization.id,
        role: signed_up.user.role,
    };
    let client = services
        .clients
        .create(
            &principal,
            ClientFields {
                name: Some("Client".into()),
                email: Some("client@fakturo.test".into()),
                ..ClientFields::default()
            },
        )
        .await
        .map_err(|e| e.to_string())?;
    for _ in 0..schedules {
        services
            .recurring
            .create(
                &principal,
                RecurringFields {
                    client_id: Some(client.id),
                    lines: Some(vec![
                        LineFields {
                            description: "Retainer".into(),
                            quantity: "1".into(),
                            unit_price: "1000".into(),
                            tax_rate: "19".into(),
                            discount_percent: None,
                            product_id: None,
                        },
                        LineFields {
                            description: "Hosting".into(),
                            quantity: "3".into(),
                            unit_price: "9.99".into(),
                            tax_rate: "19".into(),
                            discount_percent: None,
                            product_id: None,
                        },
                    ]),
                    frequency: Some("monthly".into()),
                    start_date: chrono::NaiveDate::from_ymd_opt(2026, 11, 22),
                    auto_send: Some(auto_send),
                    ..RecurringFields::default()
                },
            )
            .await
            .map_err(|e| e.to_string())?;
    }
    Ok(Seeded {
        wiring,
        statements,
        principal,
        _scratch: scratch,
    })
}

/// Seeds `schedules` schedules and times one scheduler run.
pub async fn run_due(backend: Backend, schedules: usize) -> Result<String, String> {
    let outbox = std::env::temp_dir().join(format!("fakturo-bench-{}", uuid::Uuid::new_v4().simple()));
    let seeded = seed(backend, None, schedules, false, &outbox.display().to_string()).await?;
    seeded.statements.store(0, Ordering::Relaxed);
    let started = Instant::now();
    let report = seeded
        .wiring
        .state
        .services
        .scheduler
        .run_due()
        .await
        .map_err(|e| e.to_string())?;
    let elapsed = started.elapsed();
    let statements = seeded.statements.load(Ordering::Relaxed);
    let issued = report.issued.len();
    let _ = seeded.principal;
    Ok(format!(
        "backend: {backend:?}\nschedules due: {schedules}\ninvoices issued: {issued}\nelapsed: {:.2} s\nthroughput: {:.0} invoices/s\nSQL statements: {statements} ({:.1} per invoice, BEGIN/COMMIT not counted)\n",
        elapsed.as_secs_f64(),
        issued as f64 / elapsed.as_secs_f64().max(f64::EPSILON),
        statements as f64 / issued.max(1) as f64,
    ))
}
