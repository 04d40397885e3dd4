//! No personal data or secrets in logs: seed known values, run the whole
//! invoicing flow, scan everything this test binary logged.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::support::{TestApp, captured_logs, signup_body};

#[tokio::test]
async fn logs_hold_no_personal_data_or_secrets() {
    let app = TestApp::spawn(fakturo_database::Backend::Sqlite).await.unwrap();
    let email = "ludmila.privat@secret-mail.example";
    let password = "Tr0ub4dor&3-unique-pass";
    let signup = app
        .call(Method::POST, "/api/v1/signup", None, Some(signup_body(email, password)))
        .await;
    assert_eq!(signup.status, StatusCode::CREATED);
    let token = signup.str("token");
    let client = app
        .post(
            "/api/v1/clients",
            &token,
            json!({"name": "Zacharias Geheimname", "email": "zacharias@hidden-client.example", "phone": "+49 171 5550123", "address": "Verborgene Gasse 7"}),
        )
        .await
        .str("id");
    let invoice = app
        .worked_example(
            &crate::support::Account {
                token: token.clone(),
                organization_id: String::new(),
            },
            &client,
        )
        .await
        .str("id");
    app.post(&format!("/api/v1/invoices/{invoice}/finalize"), &token, json!({}))
        .await;
    app.post(&format!("/api/v1/invoices/{invoice}/payments"), &token, json!({"amount": "200.56", "paid_on": "2026-11-22", "method": "cash", "reference": "IBAN-DE89370400440532013000"})).await;
    let wrong = app
        .call(
            Method::POST,
            "/api/v1/sessions",
            None,
            Some(json!({"email": email, "password": "a wrong guess!"})),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    app.call(Method::DELETE, "/api/v1/sessions/current", Some(&token), None)
        .await;

    let logs = captured_logs();
    assert!(logs.contains("request"), "the capture works: {} bytes", logs.len());
    for secret in [
        email,
        "secret-mail",
        password,
        "a wrong guess!",
        &token,
        token.trim_start_matches("fks_"),
        "Zacharias",
        "hidden-client",
        "5550123",
        "Verborgene",
        "DE89370400440532013000",
    ] {
        assert!(!logs.contains(secret), "the logs contain {secret:?}");
    }
}
