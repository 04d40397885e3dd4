//! The server killed with SIGKILL after a Stripe event is in the webhook
//! inbox but before it is processed: after a restart the event is applied
//! exactly once. The first process runs with its workers off, so the signed
//! `checkout.session.completed` is stored (`received`) and answered 200 but
//! not applied; it is then killed with `kill -9`. The second process, with
//! workers on, applies it: one card payment, the inbox entry `processed`.
//! A redelivery of the same event and another event of the same payment
//! change nothing.

use std::os::unix::process::ExitStatusExt as _;
use std::time::{Duration, Instant};

use fakturo_billing::StripeWebhooks;
use fakturo_database::Backend;
use fakturo_database::scratch::{ScratchDatabase, ScratchError};
use fakturo_domain::kernel::clock::Clock as _;
use fakturo_domain::kernel::secrets::RevealedSecret;
use fakturo_server::adapters::SystemClock;
use fakturo_tests::stripe_fake::{ENDPOINT_SECRET, StripeFake};
use reqwest::{Method, StatusCode};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};
use serde_json::json;

use crate::server::{Config, Server};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite() {
    killed_between_inbox_and_processing(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres() {
    killed_between_inbox_and_processing(Backend::Postgres).await;
}

/// Signs as Stripe does, at the time the server itself reads (the system clock).
fn signed(body: &str) -> String {
    StripeWebhooks::default().sign(
        &RevealedSecret::new(ENDPOINT_SECRET.to_owned()),
        body.as_bytes(),
        SystemClock.now(),
    )
}

async fn count(db: &DatabaseConnection, sql: &str) -> i64 {
    let row = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), sql.to_owned()))
        .await
        .unwrap()
        .unwrap();
    row.try_get::<i64>("", "n").unwrap()
}

async fn inbox_state(db: &DatabaseConnection, event_id: &str) -> Vec<String> {
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            format!("SELECT state FROM webhook_inbox WHERE event_id = '{event_id}'"),
        ))
        .await
        .unwrap();
    rows.iter()
        .map(|row| row.try_get::<String>("", "state").unwrap())
        .collect()
}

async fn killed_between_inbox_and_processing(backend: Backend) {
    let scratch = match ScratchDatabase::create(backend).await {
        Ok(scratch) => scratch,
        Err(skip @ ScratchError::Skipped(_)) => {
            fakturo_database::scratch::announce_skip(&skip);
            return;
        }
        Err(error) => panic!("{error}"),
    };
    let (stripe, _fake) = StripeFake::start().await;
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config {
        database_url: scratch.url().to_owned(),
        stripe_api_url: stripe.uri(),
        dir: dir.path().to_owned(),
        workers: false,
    };

    // First process, workers off: the event is stored and answered, not applied.
    let first = Server::start(&config).await;
    let (token, tenant) = first.signup("crash@billing.example").await;
    let invoice = first.finalized_invoice(&token).await;
    let connected = first
        .call(
            Method::PUT,
            "/api/v1/integrations/stripe",
            Some(&token),
            Some(json!({"secret_key": "sk_test_E2eConnectedKey0000"})),
        )
        .await;
    assert_eq!(connected.status, StatusCode::OK, "{}", connected.body);
    let event = json!({
        "id": "evt_crash_1", "object": "event", "type": "checkout.session.completed", "created": 1_795_000_000,
        "data": {"object": {
            "id": "cs_test_crash", "object": "checkout.session", "status": "complete", "payment_status": "paid",
            "payment_intent": "pi_crash_1", "amount_total": 20056, "currency": "eur", "created": 1_795_000_000,
            "metadata": {"tenant_id": tenant, "invoice_id": invoice}
        }}
    })
    .to_string();
    assert_eq!(first.deliver(&tenant, &event, &signed(&event)).await, StatusCode::OK);

    let db = fakturo_database::connect(&fakturo_database::DatabaseSettings {
        url: scratch.url().to_owned(),
        max_connections: 2,
        acquire_timeout: Duration::from_secs(30),
    })
    .await
    .unwrap();
    assert_eq!(
        inbox_state(&db, "evt_crash_1").await,
        ["received"],
        "in the inbox, unprocessed"
    );
    assert_eq!(count(&db, "SELECT COUNT(*) AS n FROM payments").await, 0);

    let ended = first.kill_hard();
    assert_eq!(ended.signal(), Some(9), "killed with SIGKILL: {ended}");
    assert_eq!(inbox_state(&db, "evt_crash_1").await, ["received"]);

    // Second process, workers on: the waiting event is applied once.
    config.workers = true;
    let second = Server::start(&config).await;
    let started = Instant::now();
    loop {
        let shown = second
            .call(Method::GET, &format!("/api/v1/invoices/{invoice}"), Some(&token), None)
            .await;
        assert_eq!(shown.status, StatusCode::OK, "{}", shown.body);
        if shown.body["status"] == "paid" {
            assert_eq!(shown.body["amount_paid"], "200.56", "{}", shown.body);
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the payment did not appear: {}\n{}",
            shown.body,
            second.output()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(inbox_state(&db, "evt_crash_1").await, ["processed"]);
    let payments = "SELECT COUNT(*) AS n FROM payments WHERE method = 'card' AND reference = 'pi_crash_1'";
    assert_eq!(count(&db, payments).await, 1, "applied exactly once");

    // Stripe redelivers the same event (a new signature time), then sends
    // the PaymentIntent's own event for the same payment.
    assert_eq!(second.deliver(&tenant, &event, &signed(&event)).await, StatusCode::OK);
    assert_eq!(inbox_state(&db, "evt_crash_1").await, ["processed"], "stored once");
    let intent = json!({
        "id": "evt_crash_2", "object": "event", "type": "payment_intent.succeeded", "created": 1_795_000_010,
        "data": {"object": {
            "id": "pi_crash_1", "object": "payment_intent", "status": "succeeded",
            "amount": 20056, "amount_received": 20056, "currency": "eur",
            "metadata": {"tenant_id": tenant, "invoice_id": invoice}
        }}
    })
    .to_string();
    assert_eq!(second.deliver(&tenant, &intent, &signed(&intent)).await, StatusCode::OK);
    let started = Instant::now();
    while inbox_state(&db, "evt_crash_2").await != ["processed"] {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the second event was not settled: {:?}\n{}",
            inbox_state(&db, "evt_crash_2").await,
            second.output()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(
        count(&db, "SELECT COUNT(*) AS n FROM payments").await,
        1,
        "still one payment"
    );
    assert_eq!(count(&db, "SELECT COUNT(*) AS n FROM webhook_inbox").await, 2);

    drop(second);
    let _ = db.close().await;
    drop(scratch);
}
