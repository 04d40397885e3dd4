//! `Idempotency-Key` on creates.

use fakturo_domain::TenantId;
use fakturo_domain::access::services::idempotency::IdempotencyError;
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::on_both_backends;
use crate::support::TestApp;

on_both_backends!(
    repeated_creates_return_the_first_response,
    a_key_in_flight_is_a_conflict
);

async fn repeated_creates_return_the_first_response(app: TestApp) {
    let owner = app.signup("retry@muster.example").await;
    let (app_ref, token) = (&app, owner.token.clone());
    let create = |body, key: &'static str| {
        let token = token.clone();
        async move {
            app_ref
                .call_with(
                    Method::POST,
                    "/api/v1/clients",
                    Some(&token),
                    Some(body),
                    &[("Idempotency-Key", key)],
                )
                .await
        }
    };
    let first = create(json!({"name": "Client SARL"}), "client-1").await;
    assert_eq!(first.status, StatusCode::CREATED);
    let repeat = create(json!({"name": "Client SARL"}), "client-1").await;
    assert_eq!(repeat.status, StatusCode::CREATED);
    assert_eq!(repeat.body, first.body, "the first response, byte for byte");
    let list = app.get("/api/v1/clients", &owner.token).await;
    assert_eq!(list.body["data"].as_array().unwrap().len(), 1, "created once");

    let other = create(json!({"name": "Another"}), "client-1").await;
    assert_eq!(
        (other.status, other.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "idempotency_key_reused")
    );

    // A failed create releases its key, so the corrected request can use it.
    let invalid = create(json!({"name": " "}), "client-2").await;
    assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fixed = create(json!({"name": "Fixed"}), "client-2").await;
    assert_eq!(fixed.status, StatusCode::CREATED);

    // Keys belong to their organization.
    let stranger = app.signup("stranger@other.example").await;
    let theirs = app
        .call_with(
            Method::POST,
            "/api/v1/clients",
            Some(&stranger.token),
            Some(json!({"name": "Theirs"})),
            &[("Idempotency-Key", "client-1")],
        )
        .await;
    assert_eq!(theirs.status, StatusCode::CREATED);
    assert_ne!(theirs.body["id"], first.body["id"]);

    // Payments too: a retried payment is recorded once.
    let client = app.client(&owner, "Payer").await;
    let invoice = app.worked_example(&owner, &client).await.str("id");
    app.post(&format!("/api/v1/invoices/{invoice}/finalize"), &owner.token, json!({}))
        .await;
    let payments = format!("/api/v1/invoices/{invoice}/payments");
    let pay = || {
        app.call_with(
            Method::POST,
            &payments,
            Some(&owner.token),
            Some(json!({"amount": "50.00", "paid_on": "2026-11-22", "method": "card"})),
            &[("Idempotency-Key", "pay-1")],
        )
    };
    let paid = pay().await;
    let again = pay().await;
    assert_eq!(again.body, paid.body);
    let fetched = app.get(&format!("/api/v1/invoices/{invoice}"), &owner.token).await;
    assert_eq!(fetched.str("amount_paid"), "50.00");

    let blank = app
        .call_with(
            Method::POST,
            "/api/v1/clients",
            Some(&owner.token),
            Some(json!({"name": "X"})),
            &[("Idempotency-Key", "with space")],
        )
        .await;
    assert_eq!(
        (blank.status, blank.code()),
        (StatusCode::BAD_REQUEST, "invalid_idempotency_key")
    );
}

async fn a_key_in_flight_is_a_conflict(app: TestApp) {
    let owner = app.signup("inflight@muster.example").await;
    let tenant: TenantId = owner.organization_id.parse().unwrap();
    let idempotency = &app.state.services.idempotency;
    // The first request has claimed the key and is still running.
    idempotency.claim(tenant, "slow-1", "digest").await.unwrap();
    let second = idempotency.claim(tenant, "slow-1", "digest").await;
    assert!(matches!(second, Err(IdempotencyError::InFlight)));
    let over_http = app
        .call_with(
            Method::POST,
            "/api/v1/clients",
            Some(&owner.token),
            Some(json!({"name": "X"})),
            &[("Idempotency-Key", "slow-1")],
        )
        .await;
    assert_eq!(
        (over_http.status, over_http.code()),
        (StatusCode::CONFLICT, "idempotency_key_in_use")
    );
    // After the lease, an abandoned claim (a crashed server) is taken over.
    app.clock.advance(chrono::TimeDelta::minutes(6));
    let retried = app
        .call_with(
            Method::POST,
            "/api/v1/clients",
            Some(&owner.token),
            Some(json!({"name": "X"})),
            &[("Idempotency-Key", "slow-1")],
        )
        .await;
    assert_eq!(retried.status, StatusCode::CREATED);
}
