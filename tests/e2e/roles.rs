//! Roles: an accountant reads everything and changes nothing.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::on_both_backends;
use crate::support::TestApp;

on_both_backends!(accountants_are_read_only);

async fn accountants_are_read_only(app: TestApp) {
    let owner = app.signup("boss@muster.example").await;
    let client = app.client(&owner, "Client").await;
    let invoice = app.worked_example(&owner, &client).await.str("id");
    let accountant = app.join(&owner, "books@muster.example", "accountant").await;
    let token = accountant.token;

    assert_eq!(app.get("/api/v1/me", &token).await.str("role"), "accountant");
    assert_eq!(
        app.get(&format!("/api/v1/invoices/{invoice}"), &token).await.status,
        StatusCode::OK
    );
    assert_eq!(app.get("/api/v1/clients", &token).await.status, StatusCode::OK);
    let writes = [
        (Method::POST, "/api/v1/clients".to_owned(), Some(json!({"name": "X"}))),
        (
            Method::PATCH,
            format!("/api/v1/clients/{client}"),
            Some(json!({"name": "X"})),
        ),
        (Method::DELETE, format!("/api/v1/clients/{client}"), None),
        (
            Method::POST,
            "/api/v1/invoices".to_owned(),
            Some(crate::support::worked_example_body(&client)),
        ),
        (
            Method::PATCH,
            format!("/api/v1/invoices/{invoice}"),
            Some(json!({"notes": "x"})),
        ),
        (Method::DELETE, format!("/api/v1/invoices/{invoice}"), None),
        (
            Method::POST,
            format!("/api/v1/invoices/{invoice}/finalize"),
            Some(json!({})),
        ),
        (
            Method::POST,
            format!("/api/v1/invoices/{invoice}/payments"),
            Some(json!({"amount": "1", "paid_on": "2026-11-22", "method": "cash"})),
        ),
    ];
    for (method, path, body) in writes {
        let reply = app.call(method.clone(), &path, Some(&token), body).await;
        assert_eq!(
            (reply.status, reply.code()),
            (StatusCode::FORBIDDEN, "forbidden"),
            "{method} {path}"
        );
    }
    assert_eq!(
        app.get(&format!("/api/v1/invoices/{invoice}"), &token)
            .await
            .str("status"),
        "draft"
    );
}
