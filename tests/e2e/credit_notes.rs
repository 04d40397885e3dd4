//! Voiding invoices: a credit note of its own gap-free series that exactly
//! negates the invoice, which becomes `void` and takes no more payments or
//! reminders.

use reqwest::StatusCode;
use serde_json::json;

use crate::on_both_backends;
use crate::support::{Account, TestApp};

on_both_backends!(voiding_issues_a_negating_credit_note, credit_notes_are_the_tenants_own);

async fn finalized(app: &TestApp, owner: &Account, client: &str) -> String {
    let id = app.worked_example(owner, client).await.str("id");
    let done = app
        .post(&format!("/api/v1/invoices/{id}/finalize"), &owner.token, json!({}))
        .await;
    assert_eq!(done.status, StatusCode::OK, "{:?}", done.body);
    id
}

async fn voiding_issues_a_negating_credit_note(app: TestApp) {
    let owner = app.signup("void@content.example").await;
    let client = app.client(&owner, "Cancelled Client").await;
    let invoice = finalized(&app, &owner, &client).await;

    let draft = app.worked_example(&owner, &client).await.str("id");
    let not_yet = app
        .post(&format!("/api/v1/invoices/{draft}/void"), &owner.token, json!({}))
        .await;
    assert_eq!(
        (not_yet.status, not_yet.code()),
        (StatusCode::CONFLICT, "invoice_not_finalized")
    );

    let voided = app
        .post(
            &format!("/api/v1/invoices/{invoice}/void"),
            &owner.token,
            json!({"reason": "Ordered twice."}),
        )
        .await;
    assert_eq!(voided.status, StatusCode::CREATED, "{:?}", voided.body);
    assert_eq!(voided.str("number"), "CN-2026-0001");
    assert_eq!(voided.str("invoice_id"), invoice);
    assert_eq!(voided.str("issue_date"), "2026-11-22");
    assert_eq!(voided.str("reason"), "Ordered twice.");
    let shown = app.get(&format!("/api/v1/invoices/{invoice}"), &owner.token).await;
    assert_eq!(shown.str("status"), "void");
    for field in ["subtotal", "tax_total", "total"] {
        assert_eq!(
            voided.str(field),
            format!("-{}", shown.str(field)),
            "{field} is the exact negative"
        );
    }
    assert_eq!(
        (voided.str("subtotal"), voided.str("tax_total"), voided.str("total")),
        ("-180.64".to_owned(), "-19.92".to_owned(), "-200.56".to_owned())
    );

    let again = app
        .post(&format!("/api/v1/invoices/{invoice}/void"), &owner.token, json!({}))
        .await;
    assert_eq!((again.status, again.code()), (StatusCode::CONFLICT, "invoice_void"));
    let payment = app
        .post(
            &format!("/api/v1/invoices/{invoice}/payments"),
            &owner.token,
            json!({"amount": "10.00", "paid_on": "2026-11-22", "method": "cash"}),
        )
        .await;
    assert_eq!(
        payment.status,
        StatusCode::CONFLICT,
        "a void invoice takes no payment: {:?}",
        payment.body
    );

    // A paid invoice can be voided too; the series goes on without gaps.
    let paid = finalized(&app, &owner, &client).await;
    app.post(
        &format!("/api/v1/invoices/{paid}/payments"),
        &owner.token,
        json!({"amount": "200.56", "paid_on": "2026-11-22", "method": "bank_transfer"}),
    )
    .await;
    let second = app
        .post(&format!("/api/v1/invoices/{paid}/void"), &owner.token, json!({}))
        .await;
    assert_eq!(second.str("number"), "CN-2026-0002");
    assert!(second.body["reason"].is_null());
    let listed = app.get("/api/v1/credit-notes", &owner.token).await;
    let numbers: Vec<&str> = listed.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["number"].as_str().unwrap())
        .collect();
    assert_eq!(numbers, ["CN-2026-0002", "CN-2026-0001"], "newest first");
    let next_invoice = finalized(&app, &owner, &client).await;
    let number = app
        .get(&format!("/api/v1/invoices/{next_invoice}"), &owner.token)
        .await
        .str("number");
    assert_eq!(number, "INV-2026-0003", "credit notes leave the invoice series alone");
}

async fn credit_notes_are_the_tenants_own(app: TestApp) {
    let owner = app.signup("cn-owner@content.example").await;
    let stranger = app.signup("cn-stranger@content.example").await;
    let client = app.client(&owner, "Client").await;
    let invoice = finalized(&app, &owner, &client).await;
    let foreign = app
        .post(&format!("/api/v1/invoices/{invoice}/void"), &stranger.token, json!({}))
        .await;
    assert_eq!(
        (foreign.status, foreign.code()),
        (StatusCode::NOT_FOUND, "invoice_not_found")
    );
    let note = app
        .post(&format!("/api/v1/invoices/{invoice}/void"), &owner.token, json!({}))
        .await
        .str("id");
    let theirs = app.get(&format!("/api/v1/credit-notes/{note}"), &stranger.token).await;
    assert_eq!(
        (theirs.status, theirs.code()),
        (StatusCode::NOT_FOUND, "credit_note_not_found")
    );
    assert!(
        app.get("/api/v1/credit-notes", &stranger.token).await.body["data"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    let mine = app.get(&format!("/api/v1/credit-notes/{note}"), &owner.token).await;
    assert_eq!(mine.str("number"), "CN-2026-0001");
    // The stranger's own series starts at one.
    let theirs_client = app.client(&stranger, "Their Client").await;
    let their_invoice = finalized(&app, &stranger, &theirs_client).await;
    let their_note = app
        .post(
            &format!("/api/v1/invoices/{their_invoice}/void"),
            &stranger.token,
            json!({}),
        )
        .await;
    assert_eq!(their_note.str("number"), "CN-2026-0001");
}
