//! `cargo xtask bench run-due`: how fast the scheduler issues recurring
//! invoices, and how many SQL statements each costs. A benchmark prints
//! figures; it asserts nothing about time.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use chrono::{TimeZone, Utc};
use fakturo_database::scratch::ScratchDatabase;
use fakturo_database::{Backend, DatabaseSettings, SqlStore, connect, migrate};
use fakturo_domain::access::ports::Password;
use fakturo_domain::access::services::accounts::SignupFields;
use fakturo_domain::access::user::Principal;
use fakturo_domain::invoicing::client::ClientFields;
use fakturo_domain::invoicing::invoice::LineFields;
use fakturo_domain::invoicing::services::RecurringFields;
use fakturo_domain::kernel::clock::{Clock, ManualClock};
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
    settings.storage.local_dir = std::path::Path::new(outbox).join("files");
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

/// Resident and peak memory of this process, in KiB (`/proc/self/status`).
fn memory_kib() -> Result<(u64, u64), String> {
    let status = std::fs::read_to_string("/proc/self/status").map_err(|e| format!("/proc/self/status: {e}"))?;
    let field = |name: &str| {
        status
            .lines()
            .find_map(|line| line.strip_prefix(name))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|kib| kib.parse::<u64>().ok())
            .ok_or_else(|| format!("no {name} in /proc/self/status"))
    };
    Ok((field("VmRSS:")?, field("VmHWM:")?))
}

/// Seeds `invoices` finalized invoices (one line each) for one tenant with
/// set-based SQL, then builds a whole-organization export and reports the
/// process's resident memory before it and its peak during it.
pub async fn export(backend: Backend, invoices: usize) -> Result<String, String> {
    use sea_orm::{ConnectionTrait, Statement};

    let work = std::env::temp_dir().join(format!("fakturo-bench-{}", uuid::Uuid::new_v4().simple()));
    let seeded = seed(backend, None, 0, false, &work.display().to_string()).await?;
    let wiring = &seeded.wiring;
    let tenant = seeded.principal.tenant_id.as_uuid();
    let client: uuid::Uuid = {
        let uow = wiring.state.store.begin().await.map_err(|e| e.to_string())?;
        let page = uow
            .clients()
            .list(
                seeded.principal.tenant_id,
                fakturo_domain::kernel::pagination::PageRequest::first(),
            )
            .await
            .map_err(|e| e.to_string())?;
        page.items.first().ok_or("no client")?.id.as_uuid()
    };
    let db = wiring.sql.connection();
    let db_backend = db.get_database_backend();
    let started = Instant::now();
    let (uuid, series) = match backend {
        Backend::Postgres => ("gen_random_uuid()", "generate_series(1, $3) AS n"),
        Backend::Sqlite => (
            "lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-a' || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))",
            "(WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < $3) SELECT n FROM s)",
        ),
    };
    let insert_invoices = format!(
        "INSERT INTO invoices (tenant_id, id, client_id, series, number, status, currency, issue_date, due_date, \
         payment_terms_days, notes, subtotal_minor, tax_total_minor, total_minor, amount_paid_minor, finalized_at, \
         created_at, updated_at, restricted) \
         SELECT $1, {uuid}, $2, 'INV', 'INV-2026-' || n, 'open', 'EUR', '2026-11-01', '2026-11-15', 14, \
         'Thank you for your business.', 10000, 1900, 11900, 0, '2026-11-01T10:00:00Z', '2026-11-01T10:00:00Z', \
         '2026-11-01T10:00:00Z', false FROM {series}"
    );
    // SQLite numbers its parameters ?1, ?2…; PostgreSQL $1, $2…
    let placeholders = |sql: String| match backend {
        Backend::Sqlite => sql.replace('$', "?"),
        Backend::Postgres => sql,
    };
    let count = i64::try_from(invoices).map_err(|e| e.to_string())?;
    db.execute_raw(Statement::from_sql_and_values(
        db_backend,
        placeholders(insert_invoices),
        [tenant.into(), client.into(), count.into()],
    ))
    .await
    .map_err(|e| e.to_string())?;
    db.execute_raw(Statement::from_sql_and_values(
        db_backend,
        placeholders(
            "INSERT INTO invoice_lines (tenant_id, invoice_id, position, description, quantity, unit_price, \
             tax_rate, discount_percent) SELECT tenant_id, id, 0, 'Consulting, one day', '1', '100.00', '19', '0' \
             FROM invoices WHERE tenant_id = $1"
                .to_owned(),
        ),
        [tenant.into()],
    ))
    .await
    .map_err(|e| e.to_string())?;
    let seeding = started.elapsed();

    let who = fakturo_domain::access::services::accounts::Authenticated {
        principal: seeded.principal,
        credential: fakturo_domain::access::services::accounts::Credential::Session(
            fakturo_domain::SessionId::from_uuid(uuid::Uuid::nil()),
        ),
        account_closed: false,
    };
    let (idle_rss, _) = memory_kib()?;
    // Reset the peak to the current resident size (Linux: clear_refs 5).
    std::fs::write("/proc/self/clear_refs", "5").map_err(|e| format!("/proc/self/clear_refs: {e}"))?;
    let started = Instant::now();
    let export = wiring
        .state
        .services
        .exports
        .request(
            &who,
            "tenant",
            None,
            &fakturo_domain::access::audit::RequestOrigin::default(),
        )
        .await
        .map_err(|e| e.to_string())?;
    let jobs = wiring.workers.drain().await.map_err(|e| e.to_string())?;
    let elapsed = started.elapsed();
    let (_, peak) = memory_kib()?;
    let built = wiring
        .state
        .services
        .exports
        .get(&seeded.principal, export.id)
        .await
        .map_err(|e| e.to_string())?;
    let _ = std::fs::remove_dir_all(&work);
    if built.status != fakturo_domain::privacy::exports::ExportStatus::Ready {
        return Err(format!(
            "the export ended {} ({} jobs failed)",
            built.status.as_str(),
            jobs.dead
        ));
    }
    Ok(format!(
        "backend: {backend:?}\ninvoices: {invoices} (seeded in {:.1} s)\nexport built in {:.1} s, archive {:.1} MiB\n\
         resident memory before the export: {:.1} MiB\npeak resident memory during it: {:.1} MiB (+{:.1} MiB)\n",
        seeding.as_secs_f64(),
        elapsed.as_secs_f64(),
        built.size_bytes.unwrap_or(0) as f64 / 1_048_576.0,
        idle_rss as f64 / 1024.0,
        peak as f64 / 1024.0,
        peak.saturating_sub(idle_rss) as f64 / 1024.0,
    ))
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
