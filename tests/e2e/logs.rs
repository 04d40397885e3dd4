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
                session: token.clone(),
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
    // Account flows with secrets of their own.
    let owner = crate::support::Account {
        token: token.clone(),
        session: token.clone(),
        organization_id: String::new(),
    };
    let member = app.join(&owner, "invited.person@covert-team.example", "member").await;
    let api_token = app
        .post("/api/v1/api-tokens", &token, json!({"name": "script"}))
        .await
        .str("token");
    app.call(Method::POST, "/api/v1/login-links", None, Some(json!({"email": email})))
        .await;
    let magic = app.link_token(email, "sign-in link").await;
    app.call(
        Method::POST,
        "/api/v1/login-links/redeem",
        None,
        Some(json!({"token": magic})),
    )
    .await;
    app.call(
        Method::POST,
        "/api/v1/password-resets",
        None,
        Some(json!({"email": email})),
    )
    .await;
    let reset = app.link_token(email, "Reset your password").await;
    let stripe_key = "sk_live_LoggedNowhereAtAll0000";
    app.call(
        Method::PUT,
        "/api/v1/integrations/stripe",
        Some(&token),
        Some(json!({"secret_key": stripe_key, "webhook_secret": "whsec_AlsoLoggedNowhere00"})),
    )
    .await;
    app.call(Method::DELETE, "/api/v1/sessions/current", Some(&token), None)
        .await;
    app.call(
        Method::POST,
        "/api/v1/password-resets/complete",
        None,
        Some(json!({"token": reset, "new_password": "NewSecret-never-logged"})),
    )
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
        "invited.person",
        "covert-team",
        &member.token,
        &api_token,
        api_token.trim_start_matches("fkt_"),
        &magic,
        &reset,
        stripe_key,
        "LoggedNowhere",
        "NewSecret-never-logged",
    ] {
        assert!(!logs.contains(secret), "the logs contain {secret:?}");
    }
}
