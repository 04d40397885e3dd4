//! Online payment of invoices through the organization's own Stripe
//! account, end to end over HTTP against a wiremock Stripe: connecting
//! registers the webhook endpoint; the Pay button and `POST /i/{token}/checkout`
//! (303 to the session, 409 when nothing can be paid); webhooks verified on
//! the raw body (forged, stale and unsigned → 400, nothing stored); the same
//! paid event ten times at once → one payment and one receipt; a refund
//! before its payment converges; an event naming another tenant's invoice
//! changes nothing.

use chrono::TimeDelta;
use fakturo_billing::StripeWebhooks;
use fakturo_domain::kernel::secrets::RevealedSecret;
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::billing_fake::{ENDPOINT_SECRET, StripeFake};
use crate::support::{Account, TestApp};

macro_rules! with_stripe_fake {
    ($($case:ident),+ $(,)?) => {
        mod sqlite {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $case() {
                let (server, fake) = crate::billing_fake::StripeFake::start().await;
                let uri = server.uri();
                let spawned = crate::support::TestApp::spawn_with(fakturo_database::Backend::Sqlite, |s| {
                    s.billing.stripe.api_url = uri;
                })
                .await;
                if let Some(app) = spawned {
                    super::$case(app, fake).await;
                }
            })+
        }
        mod postgres {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $case() {
                let (server, fake) = crate::billing_fake::StripeFake::start().await;
                let uri = server.uri();
                let spawned = crate::support::TestApp::spawn_with(fakturo_database::Backend::Postgres, |s| {
                    s.billing.stripe.api_url = uri;
                })
                .await;
                if let Some(app) = spawned {
                    super::$case(app, fake).await;
                }
            })+
        }
    };
}

pub(crate) use with_stripe_fake;

with_stripe_fake!(
    connecting_registers_the_endpoint_and_checkout_redirects_to_the_session,
    webhooks_with_bad_signatures_are_refused_and_nothing_is_stored,
    the_same_paid_event_ten_times_at_once_records_one_payment,
    a_refund_before_its_payment_converges,
    an_event_naming_another_tenants_invoice_changes_nothing,
);

pub(crate) async fn connect(app: &TestApp, owner: &Account) {
    let reply = app
        .put(
            "/api/v1/integrations/stripe",
            &owner.token,
            json!({"secret_key": "sk_test_E2eConnectedKey0000"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
}

/// A finalized, sent invoice: its id and public token.
pub(crate) async fn sent_invoice(app: &TestApp, owner: &Account) -> (String, String) {
    let client = app.client(owner, "Client GmbH").await;
    let id = app.worked_example(owner, &client).await.str("id");
    let finalized = app
        .post(&format!("/api/v1/invoices/{id}/finalize"), &owner.token, json!({}))
        .await;
    assert_eq!(finalized.status, StatusCode::OK, "{:?}", finalized.body);
    let sent = app
        .post(&format!("/api/v1/invoices/{id}/send"), &owner.token, json!({}))
        .await;
    let token = sent.str("public_url").rsplit('/').next().unwrap().to_owned();
    (id, token)
}

fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

pub(crate) async fn page(app: &TestApp, token: &str) -> String {
    app.http
        .get(format!("{}/i/{token}", app.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

pub(crate) async fn pay(app: &TestApp, token: &str) -> (StatusCode, String, String) {
    let reply = no_redirects()
        .post(format!("{}/i/{token}/checkout", app.base))
        .send()
        .await
        .unwrap();
    let location = reply
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (reply.status(), location, reply.text().await.unwrap())
}

fn session_event(event_id: &str, kind: &str, tenant: &str, invoice: &str, amount: i64) -> String {
    json!({
        "id": event_id, "object": "event", "type": kind, "created": 1_795_000_000,
        "data": {"object": {
            "id": "cs_test_paid", "object": "checkout.session", "payment_status": "paid",
            "payment_intent": "pi_e2e_1", "amount_total": amount, "currency": "eur", "created": 1_795_000_000,
            "metadata": {"tenant_id": tenant, "invoice_id": invoice}
        }}
    })
    .to_string()
}

fn refund_event(event_id: &str, amount_refunded: i64) -> String {
    json!({
        "id": event_id, "object": "event", "type": "charge.refunded", "created": 1_795_000_100,
        "data": {"object": {"id": "ch_e2e_1", "object": "charge", "payment_intent": "pi_e2e_1",
            "amount_refunded": amount_refunded, "currency": "eur"}}
    })
    .to_string()
}

async fn deliver(app: &TestApp, tenant: &str, body: &str, signature: Option<String>) -> StatusCode {
    let mut request = app
        .http
        .post(format!("{}/api/v1/webhooks/stripe-connect/{tenant}", app.base))
        .header("Content-Type", "application/json; charset=utf-8")
        .body(body.to_owned());
    if let Some(signature) = signature {
        request = request.header("Stripe-Signature", signature);
    }
    request.send().await.unwrap().status()
}

fn signed(app: &TestApp, body: &str) -> Option<String> {
    let now = fakturo_domain::kernel::clock::Clock::now(app.clock.as_ref());
    Some(StripeWebhooks::default().sign(&RevealedSecret::new(ENDPOINT_SECRET.to_owned()), body.as_bytes(), now))
}

async fn invoice(app: &TestApp, owner: &Account, id: &str) -> serde_json::Value {
    app.get(&format!("/api/v1/invoices/{id}"), &owner.token).await.body
}

async fn connecting_registers_the_endpoint_and_checkout_redirects_to_the_session(app: TestApp, fake: StripeFake) {
    let owner = app.signup("pay@billing.example").await;
    let (id, token) = sent_invoice(&app, &owner).await;
    assert!(
        !page(&app, &token).await.contains("id=\"pay\""),
        "no Pay button before Stripe is connected"
    );
    let (status, _, text) = pay(&app, &token).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(text.contains("does not take online payments"), "{text}");

    connect(&app, &owner).await;
    let registered = fake.last("POST /v1/webhook_endpoints");
    let url = registered.iter().find(|(k, _)| k == "url").unwrap().1.clone();
    assert_eq!(
        url,
        format!(
            "{}/api/v1/webhooks/stripe-connect/{}",
            app.state.settings.http.public_base(),
            owner.organization_id
        )
    );
    let shown = app.get("/api/v1/integrations/stripe", &owner.token).await;
    assert_eq!(shown.body["connected"], true);
    assert_eq!(shown.body["account_id"], "acct_1E2e");
    assert_eq!(shown.body["webhook_status"], "enabled");
    assert!(!shown.body.to_string().contains(ENDPOINT_SECRET));

    assert!(
        page(&app, &token).await.contains("id=\"pay\""),
        "the Pay button while a balance is due"
    );
    let (status, location, _) = pay(&app, &token).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let hosted = format!("{}/c/pay/cs_test_e2e", app.state.settings.billing.stripe.api_url);
    assert!(location.starts_with(&hosted), "{location}");
    let asked = fake.last("POST /v1/checkout/sessions");
    let field = |k: &str| asked.iter().find(|(key, _)| key == k).unwrap().1.clone();
    assert_eq!(field("line_items[0][price_data][unit_amount]"), "20056");
    assert_eq!(field("line_items[0][price_data][currency]"), "eur");
    assert_eq!(field("metadata[invoice_id]"), id);
    assert_eq!(field("metadata[tenant_id]"), owner.organization_id);

    let paid = app
        .post(
            &format!("/api/v1/invoices/{id}/payments"),
            &owner.token,
            json!({"amount": "200.56", "paid_on": "2026-11-22", "method": "bank_transfer"}),
        )
        .await;
    assert_eq!(paid.status, StatusCode::CREATED, "{:?}", paid.body);
    assert!(
        !page(&app, &token).await.contains("id=\"pay\""),
        "no Pay button once paid"
    );
    let (status, _, text) = pay(&app, &token).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(text.contains("paid in full"), "{text}");

    let gone = app
        .call(Method::DELETE, "/api/v1/integrations/stripe", Some(&owner.token), None)
        .await;
    assert_eq!(gone.status, StatusCode::NO_CONTENT);
    assert_eq!(
        fake.count("DELETE /v1/webhook_endpoints/we_1E2e"),
        1,
        "the endpoint is removed"
    );
}

async fn webhooks_with_bad_signatures_are_refused_and_nothing_is_stored(app: TestApp, _fake: StripeFake) {
    let owner = app.signup("sig@billing.example").await;
    let (id, _) = sent_invoice(&app, &owner).await;
    let tenant = owner.organization_id.clone();
    let body = session_event("evt_sig_1", "checkout.session.completed", &tenant, &id, 20056);
    assert_eq!(
        deliver(&app, &tenant, &body, signed(&app, &body)).await,
        StatusCode::BAD_REQUEST,
        "not connected"
    );
    connect(&app, &owner).await;
    let now = fakturo_domain::kernel::clock::Clock::now(app.clock.as_ref());
    let forged = StripeWebhooks::default().sign(&RevealedSecret::new("whsec_forged".to_owned()), body.as_bytes(), now);
    let stale = StripeWebhooks::default().sign(
        &RevealedSecret::new(ENDPOINT_SECRET.to_owned()),
        body.as_bytes(),
        now - TimeDelta::seconds(301),
    );
    let tampered = body.replace("20056", "1");
    for (what, body, signature) in [
        ("forged", body.as_str(), Some(forged)),
        ("stale", body.as_str(), Some(stale)),
        ("unsigned", body.as_str(), None),
        ("tampered", tampered.as_str(), signed(&app, &body)),
        ("malformed", body.as_str(), Some("t=abc,v1=zz".to_owned())),
    ] {
        assert_eq!(
            deliver(&app, &tenant, body, signature).await,
            StatusCode::BAD_REQUEST,
            "{what}"
        );
    }
    let operator = app
        .http
        .post(format!("{}/api/v1/webhooks/paddle", app.base))
        .body(body.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(operator.status(), StatusCode::BAD_REQUEST);
    app.drain_jobs().await;
    assert_eq!(
        app.tenant_rows(&tenant)
            .await
            .get("webhook_inbox")
            .copied()
            .unwrap_or(0),
        0
    );
    assert_eq!(invoice(&app, &owner, &id).await["status"], "open", "nothing applied");
}

async fn the_same_paid_event_ten_times_at_once_records_one_payment(app: TestApp, _fake: StripeFake) {
    let owner = app.signup("ten@billing.example").await;
    connect(&app, &owner).await;
    let (id, _) = sent_invoice(&app, &owner).await;
    app.drain_jobs().await;
    let tenant = owner.organization_id.clone();
    let body = session_event("evt_ten_1", "checkout.session.completed", &tenant, &id, 20056);
    let signature = signed(&app, &body);
    let deliveries = (0..10).map(|_| deliver(&app, &tenant, &body, signature.clone()));
    for status in futures::future::join_all(deliveries).await {
        assert_eq!(status, StatusCode::OK);
    }
    let billing = &app.state.services.billing;
    let workers = (0..3).map(|_| billing.process_webhooks(10));
    futures::future::join_all(workers).await;
    app.drain_jobs().await;
    let paid = invoice(&app, &owner, &id).await;
    assert_eq!(paid["status"], "paid", "{paid}");
    assert_eq!(paid["amount_paid"], "200.56");
    let rows = app.tenant_rows(&tenant).await;
    assert_eq!(rows["payments"], 1, "exactly one payment");
    assert_eq!(rows["webhook_inbox"], 1, "stored once");
    let receipts: Vec<String> = app
        .emails_to("billing@client.example")
        .into_iter()
        .filter(|email| email.contains("Payment received for invoice"))
        .collect();
    assert_eq!(receipts.len(), 1, "one receipt through the receipt path");
}

async fn a_refund_before_its_payment_converges(app: TestApp, _fake: StripeFake) {
    let owner = app.signup("refund@billing.example").await;
    connect(&app, &owner).await;
    let (id, _) = sent_invoice(&app, &owner).await;
    let tenant = owner.organization_id.clone();
    let refund = refund_event("evt_refund_1", 5000);
    assert_eq!(
        deliver(&app, &tenant, &refund, signed(&app, &refund)).await,
        StatusCode::OK
    );
    app.drain_jobs().await;
    assert_eq!(
        invoice(&app, &owner, &id).await["status"],
        "open",
        "a refund alone records nothing"
    );
    let paid = session_event("evt_paid_1", "checkout.session.completed", &tenant, &id, 20056);
    assert_eq!(deliver(&app, &tenant, &paid, signed(&app, &paid)).await, StatusCode::OK);
    app.drain_jobs().await;
    let after = invoice(&app, &owner, &id).await;
    assert_eq!(after["status"], "partially_paid", "{after}");
    assert_eq!(after["amount_paid"], "150.56");
    let full = refund_event("evt_refund_2", 20056);
    assert_eq!(deliver(&app, &tenant, &full, signed(&app, &full)).await, StatusCode::OK);
    app.drain_jobs().await;
    let refunded = invoice(&app, &owner, &id).await;
    assert_eq!(refunded["status"], "open", "{refunded}");
    assert_eq!(refunded["amount_paid"], "0.00");
    let listed = app.get(&format!("/api/v1/invoices/{id}/payments"), &owner.token).await;
    let amounts: Vec<&str> = listed.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["amount"].as_str().unwrap())
        .collect();
    assert_eq!(
        amounts,
        ["-150.56", "-50.00", "200.56"],
        "newest first, refunds negative"
    );
    assert!(
        listed.body["data"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["method"] == "card")
    );
}

async fn an_event_naming_another_tenants_invoice_changes_nothing(app: TestApp, _fake: StripeFake) {
    let a = app.signup("a@billing.example").await;
    let b = app.signup("b@billing.example").await;
    connect(&app, &a).await;
    connect(&app, &b).await;
    let (b_invoice, _) = sent_invoice(&app, &b).await;
    let body = session_event(
        "evt_cross_1",
        "checkout.session.completed",
        &b.organization_id,
        &b_invoice,
        20056,
    );
    assert_eq!(
        deliver(&app, &a.organization_id, &body, signed(&app, &body)).await,
        StatusCode::OK
    );
    // A's metadata naming its own tenant but B's invoice is as foreign.
    let sly = session_event(
        "evt_cross_2",
        "checkout.session.completed",
        &a.organization_id,
        &b_invoice,
        20056,
    );
    assert_eq!(
        deliver(&app, &a.organization_id, &sly, signed(&app, &sly)).await,
        StatusCode::OK
    );
    app.drain_jobs().await;
    assert_eq!(invoice(&app, &b, &b_invoice).await["status"], "open");
    assert_eq!(app.tenant_rows(&b.organization_id).await["payments"], 0);
    assert_eq!(app.tenant_rows(&a.organization_id).await["payments"], 0);
    let db = app.db().await;
    let parked = sea_orm::ConnectionTrait::query_all_raw(
        &db,
        sea_orm::Statement::from_string(
            db.get_database_backend(),
            "SELECT park_reason FROM webhook_inbox WHERE state = 'parked'".to_owned(),
        ),
    )
    .await
    .unwrap();
    assert_eq!(parked.len(), 2, "both parked with a reason");
}
