//! Tenant isolation: another organization's ids answer exactly like missing ids.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::on_both_backends;
use crate::support::TestApp;

on_both_backends!(foreign_ids_are_not_found);

async fn foreign_ids_are_not_found(app: TestApp) {
    let first = app.signup("first@one.example").await;
    let second = app.signup("second@two.example").await;
    let client = app.client(&first, "Client of the first").await;
    let invoice = app.worked_example(&first, &client).await.str("id");
    let missing_invoice = uuid::Uuid::now_v7().to_string();

    let cases = [
        (Method::GET, format!("/api/v1/clients/{client}"), None),
        (
            Method::PATCH,
            format!("/api/v1/clients/{client}"),
            Some(json!({"name": "Mine now"})),
        ),
        (Method::DELETE, format!("/api/v1/clients/{client}"), None),
        (Method::GET, format!("/api/v1/invoices/{invoice}"), None),
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
    for (method, path, body) in cases {
        let foreign = app.call(method.clone(), &path, Some(&second.token), body.clone()).await;
        assert_eq!(
            foreign.status,
            StatusCode::NOT_FOUND,
            "{method} {path}: {:?}",
            foreign.body
        );
        let missing_path = path
            .replace(&client, &missing_invoice)
            .replace(&invoice, &missing_invoice);
        let missing = app.call(method.clone(), &missing_path, Some(&second.token), body).await;
        assert_eq!(
            foreign.body, missing.body,
            "{method} {path}: a foreign id must look like a missing one"
        );
    }

    let lists = [
        "/api/v1/clients".to_owned(),
        "/api/v1/invoices".to_owned(),
        format!("/api/v1/invoices?client_id={client}"),
    ];
    for path in lists {
        let page = app.get(&path, &second.token).await;
        assert_eq!(page.body["data"], json!([]), "{path}");
    }
    let foreign_client = app
        .post(
            "/api/v1/invoices",
            &second.token,
            crate::support::worked_example_body(&client),
        )
        .await;
    assert_eq!(foreign_client.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(foreign_client.body["errors"][0]["field"], "client_id");

    // Nothing of the first organization changed.
    let still = app.get(&format!("/api/v1/invoices/{invoice}"), &first.token).await;
    assert_eq!(still.str("status"), "draft");
    assert!(still.body["notes"].is_null());
    assert_eq!(
        app.get(&format!("/api/v1/clients/{client}"), &first.token)
            .await
            .str("name"),
        "Client of the first"
    );
}
