//! The reconcile task end to end, as `cargo xtask billing reconcile` runs it
//! (`ops::billing_reconcile`, here on the test clock): a checkout session is
//! opened through the public page's Pay form against the wiremock Stripe and
//! no webhook ever arrives. Before the session is an hour old nothing is
//! asked; after, the task retrieves it and applies what Stripe says: paid →
//! one card payment on the invoice (with its receipt), and running the task
//! again adds nothing; expired → nothing recorded, the invoice stays payable.

use chrono::TimeDelta;
use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, Statement};

use crate::billing::{connect, page, pay, sent_invoice, with_stripe_fake};
use crate::billing_fake::{Settled, StripeFake};
use crate::support::{Account, TestApp};

with_stripe_fake!(
    a_paid_session_whose_webhook_never_came_is_recorded_once,
    an_expired_session_records_nothing,
);

/// Runs the reconcile task on the app's database, at the app's clock.
async fn reconcile(app: &TestApp) -> String {
    fakturo_server::ops::billing_reconcile_at(&app.state.settings, app.clock.clone())
        .await
        .unwrap()
}

/// Connects Stripe, sends an invoice and presses Pay: the invoice id, its
/// public token and the id of the session Stripe opened.
async fn open_session(app: &TestApp, fake: &StripeFake, owner: &Account) -> (String, String, String) {
    connect(app, owner).await;
    let (id, token) = sent_invoice(app, owner).await;
    let (status, location, _) = pay(app, &token).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let session = location.rsplit('/').next().unwrap().to_owned();
    assert_eq!(fake.session_ids(), vec![session.clone()], "{location}");
    (id, token, session)
}

/// The invoice's payments as `(amount_minor, method, reference)`.
async fn payments(app: &TestApp, invoice: &str) -> Vec<(i64, String, Option<String>)> {
    let db = app.db().await;
    let backend = db.get_database_backend();
    let placeholder = match backend {
        sea_orm::DbBackend::Postgres => "$1",
        _ => "?",
    };
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(
            backend,
            format!("SELECT amount_minor, method, reference FROM payments WHERE invoice_id = {placeholder}"),
            [sea_orm::Value::from(uuid::Uuid::parse_str(invoice).unwrap())],
        ))
        .await
        .unwrap();
    rows.iter()
        .map(|row| {
            (
                row.try_get::<i64>("", "amount_minor").unwrap(),
                row.try_get::<String>("", "method").unwrap(),
                row.try_get::<Option<String>>("", "reference").unwrap(),
            )
        })
        .collect()
}

async fn a_paid_session_whose_webhook_never_came_is_recorded_once(app: TestApp, fake: StripeFake) {
    let owner = app.signup("reconcile-paid@billing.example").await;
    let (id, token, session) = open_session(&app, &fake, &owner).await;
    fake.settle(&session, Settled::Paid);
    let retrieve = format!("GET /v1/checkout/sessions/{session}");

    app.clock.advance(TimeDelta::minutes(59));
    let early = reconcile(&app).await;
    assert!(early.contains("0 session(s) checked"), "{early}");
    assert_eq!(fake.count(&retrieve), 0, "a session younger than an hour is left alone");
    assert!(payments(&app, &id).await.is_empty());

    app.clock.advance(TimeDelta::minutes(2));
    let run = reconcile(&app).await;
    assert!(
        run.contains("1 session(s) checked, 1 completed, 0 expired, 0 still open, 0 failed"),
        "{run}"
    );
    assert_eq!(fake.count(&retrieve), 1);
    let intent = format!("pi_{}", session.trim_start_matches("cs_"));
    assert_eq!(
        payments(&app, &id).await,
        vec![(20056, "card".to_owned(), Some(intent))],
        "one card payment with the PaymentIntent as reference"
    );
    let paid = app.get(&format!("/api/v1/invoices/{id}"), &owner.token).await.body;
    assert_eq!(paid["status"], "paid", "{paid}");
    assert_eq!(paid["amount_paid"], "200.56");
    assert!(
        !page(&app, &token).await.contains("id=\"pay\""),
        "no Pay button once paid"
    );

    app.clock.advance(TimeDelta::hours(2));
    let again = reconcile(&app).await;
    assert!(again.contains("0 session(s) checked"), "{again}");
    assert_eq!(fake.count(&retrieve), 1, "a settled session is not asked about again");
    assert_eq!(payments(&app, &id).await.len(), 1, "still exactly one payment");

    app.drain_jobs().await;
    let receipts = app
        .emails_to("billing@client.example")
        .into_iter()
        .filter(|email| email.contains("Payment received for invoice"))
        .count();
    assert_eq!(receipts, 1, "the client's receipt, once");
}

async fn an_expired_session_records_nothing(app: TestApp, fake: StripeFake) {
    let owner = app.signup("reconcile-expired@billing.example").await;
    let (id, token, session) = open_session(&app, &fake, &owner).await;
    fake.settle(&session, Settled::Expired);

    app.clock.advance(TimeDelta::minutes(61));
    let run = reconcile(&app).await;
    assert!(
        run.contains("1 session(s) checked, 0 completed, 1 expired, 0 still open, 0 failed"),
        "{run}"
    );
    assert!(payments(&app, &id).await.is_empty(), "nothing recorded");
    let invoice = app.get(&format!("/api/v1/invoices/{id}"), &owner.token).await.body;
    assert_eq!(invoice["status"], "open", "{invoice}");
    assert_eq!(invoice["amount_paid"], "0.00");

    app.clock.advance(TimeDelta::hours(2));
    let again = reconcile(&app).await;
    assert!(
        again.contains("0 session(s) checked"),
        "the expired session is closed: {again}"
    );
    assert!(
        page(&app, &token).await.contains("id=\"pay\""),
        "the balance is still due and can be paid"
    );
}
