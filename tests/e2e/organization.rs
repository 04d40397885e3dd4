//! The organization's settings and the seller's details invoices print.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::on_both_backends;
use crate::support::TestApp;

on_both_backends!(settings_are_checked_and_kept);

async fn settings_are_checked_and_kept(app: TestApp) {
    let owner = app.signup("settings@content.example").await;
    let patch = |token: String, body| {
        let app = &app;
        async move {
            app.call(Method::PATCH, "/api/v1/organization", Some(&token), Some(body))
                .await
        }
    };
    let invalid = patch(
        owner.token.clone(),
        json!({"iban": "DE89 3704 0044 0532 0130 01", "bic": "COBA", "vat_id": "123",
               "email": "not an address", "default_payment_terms_days": 400, "invoice_number_pattern": "INV"}),
    )
    .await;
    assert_eq!(invalid.code(), "validation_failed", "{:?}", invalid.body);
    let codes: Vec<&str> = invalid.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        [
            "invalid_number_pattern",
            "out_of_range",
            "invalid_email",
            "invalid_vat_id",
            "invalid_iban",
            "invalid_bic"
        ]
    );
    let saved = patch(
        owner.token.clone(),
        json!({"name": "Ada Design GmbH", "address": "Hauptstraße 1", "postcode": "10115", "city": "Berlin",
               "vat_id": "de 123456789", "email": "billing@ada.example", "iban": "DE89 3704 0044 0532 0130 00",
               "bic": "cobadeffxxx", "invoice_number_pattern": "AD-{YY}{MM}-{SEQ:3}", "default_payment_terms_days": 30}),
    )
    .await;
    assert_eq!(saved.status, StatusCode::OK, "{:?}", saved.body);
    assert_eq!(saved.body["profile"]["iban"], "DE89370400440532013000");
    assert_eq!(saved.body["profile"]["vat_id"], "DE123456789");
    assert_eq!(saved.body["profile"]["bic"], "COBADEFFXXX");
    assert_eq!(saved.str("name"), "Ada Design GmbH");
    let read = app.get("/api/v1/organization", &owner.token).await;
    assert_eq!(read.body["profile"]["city"], "Berlin");
    assert_eq!(read.body["default_payment_terms_days"], 30);
    let cleared = patch(owner.token.clone(), json!({"phone": null, "bic": null})).await;
    assert!(cleared.body["profile"]["bic"].is_null());
    assert_eq!(
        cleared.body["profile"]["iban"], "DE89370400440532013000",
        "absent fields are kept"
    );

    let client = app.client(&owner, "Numbered Client").await;
    let id = app.worked_example(&owner, &client).await.str("id");
    let finalized = app
        .post(&format!("/api/v1/invoices/{id}/finalize"), &owner.token, json!({}))
        .await;
    assert_eq!(
        finalized.str("number"),
        "AD-2611-001",
        "the new pattern numbers new invoices"
    );

    let member = app.join(&owner, "member@settings.example", "member").await;
    let refused = patch(member.token.clone(), json!({"name": "Mine now"})).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.get("/api/v1/organization", &member.token).await.status,
        StatusCode::OK
    );
}
