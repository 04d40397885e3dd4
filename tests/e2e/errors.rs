//! Malformed requests get clear problem responses, never a 500.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::on_both_backends;
use crate::support::TestApp;

on_both_backends!(bad_input_gets_clear_problems);

async fn bad_input_gets_clear_problems(app: TestApp) {
    let owner = app.signup("errors@muster.example").await;
    let client = app.client(&owner, "Client").await;

    let reply = app
        .post(
            "/api/v1/invoices",
            &owner.token,
            json!({"client_id": client, "currency": "EURO", "lines": [{"description": "", "quantity": "1,5", "unit_price": "1e3", "tax_rate": "19", "discount_percent": "120"}]}),
        )
        .await;
    assert_eq!(
        (reply.status, reply.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed")
    );
    assert_eq!(reply.content_type, "application/problem+json");
    let fields: Vec<&str> = reply.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        [
            "currency",
            "lines[0].description",
            "lines[0].quantity",
            "lines[0].unit_price",
            "lines[0].discount_percent"
        ]
    );
    for field in ["type", "title", "status", "detail", "code"] {
        assert!(reply.body.get(field).is_some(), "problem field {field}");
    }

    let numbers = app
        .post("/api/v1/invoices", &owner.token, json!({"client_id": client, "lines": [{"description": "x", "quantity": 1, "unit_price": "1", "tax_rate": "0"}]}))
        .await;
    assert_eq!(
        (numbers.status, numbers.code()),
        (StatusCode::BAD_REQUEST, "invalid_request"),
        "amounts are strings"
    );

    let status_field = app
        .post(
            "/api/v1/invoices",
            &owner.token,
            json!({"client_id": client, "lines": [], "status": "paid", "total": "0"}),
        )
        .await;
    assert_eq!(status_field.status, StatusCode::BAD_REQUEST, "no mass assignment");

    let malformed = app
        .http
        .post(format!("{}/api/v1/clients", app.base))
        .bearer_auth(&owner.token)
        .header("content-type", "application/json")
        .body("{\"name\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(malformed.status(), StatusCode::BAD_REQUEST);

    // A client of its own: the server answers before reading the body and
    // drops the connection, which must not be reused by the next request.
    let huge = reqwest::Client::new()
        .post(format!("{}/api/v1/clients", app.base))
        .bearer_auth(&owner.token)
        .header("content-type", "application/json")
        .body(format!("{{\"name\": \"{}\"}}", "x".repeat(2 * 1024 * 1024)))
        .send()
        .await
        .unwrap();
    assert_eq!(huge.status(), StatusCode::PAYLOAD_TOO_LARGE);

    let not_uuid = app.get("/api/v1/invoices/not-a-uuid", &owner.token).await;
    assert_eq!(not_uuid.status, StatusCode::BAD_REQUEST);
    let missing = app
        .get(&format!("/api/v1/invoices/{}", uuid::Uuid::now_v7()), &owner.token)
        .await;
    assert_eq!(
        (missing.status, missing.code()),
        (StatusCode::NOT_FOUND, "invoice_not_found")
    );
    let nowhere = app.call(Method::GET, "/api/v1/nowhere", None, None).await;
    assert_eq!((nowhere.status, nowhere.code()), (StatusCode::NOT_FOUND, "not_found"));
    let future = app
        .post(
            &format!("/api/v1/invoices/{}/payments", uuid::Uuid::now_v7()),
            &owner.token,
            json!({"amount": "1", "paid_on": "2026-11-22", "method": "barter"}),
        )
        .await;
    assert_eq!(future.status, StatusCode::BAD_REQUEST, "unknown payment method");
}
