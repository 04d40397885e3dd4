//! The invoice lifecycle over HTTP: the worked example, finalization with
//! gap-free numbers, payments, and the immutability of finalized invoices.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::on_both_backends;
use crate::support::TestApp;

on_both_backends!(
    worked_example_finalize_and_pay,
    drafts_can_be_changed_and_deleted,
    finalization_needs_a_complete_draft,
    invoices_filter_by_status_client_and_overdue,
);

async fn worked_example_finalize_and_pay(app: TestApp) {
    let owner = app.signup("owner@muster.example").await;
    let client = app.client(&owner, "Client SARL").await;
    let draft = app.worked_example(&owner, &client).await;
    assert_eq!(draft.str("status"), "draft");
    assert!(draft.body["number"].is_null());
    assert_eq!(draft.str("subtotal"), "180.64");
    assert_eq!(draft.str("tax_total"), "19.92");
    assert_eq!(draft.str("total"), "200.56");
    assert_eq!(
        draft.body["tax_breakdown"],
        json!([
            {"tax_rate": "19", "taxable_amount": "60.64", "tax_amount": "11.52"},
            {"tax_rate": "7", "taxable_amount": "120.00", "tax_amount": "8.40"},
        ])
    );
    let nets: Vec<&str> = draft.body["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["net_amount"].as_str().unwrap())
        .collect();
    assert_eq!(nets, ["59.97", "120.00", "0.67"]);
    let id = draft.str("id");

    let finalized = app
        .post(&format!("/api/v1/invoices/{id}/finalize"), &owner.token, json!({}))
        .await;
    assert_eq!(finalized.status, StatusCode::OK, "{:?}", finalized.body);
    assert_eq!(finalized.str("number"), "INV-2026-0001");
    assert_eq!(finalized.str("status"), "open");
    assert_eq!(finalized.str("issue_date"), "2026-11-22");
    assert_eq!(finalized.str("due_date"), "2026-12-06", "14 days of default terms");

    let second = app.worked_example(&owner, &client).await.str("id");
    let second = app
        .post(&format!("/api/v1/invoices/{second}/finalize"), &owner.token, json!({}))
        .await;
    assert_eq!(second.str("number"), "INV-2026-0002");

    let again = app
        .post(&format!("/api/v1/invoices/{id}/finalize"), &owner.token, json!({}))
        .await;
    assert_eq!(
        (again.status, again.code()),
        (StatusCode::CONFLICT, "invoice_not_draft")
    );

    let patch = app
        .call(
            Method::PATCH,
            &format!("/api/v1/invoices/{id}"),
            Some(&owner.token),
            Some(json!({"notes": "late edit"})),
        )
        .await;
    assert_eq!(
        (patch.status, patch.code()),
        (StatusCode::CONFLICT, "invoice_not_draft")
    );
    assert_eq!(patch.content_type, "application/problem+json");
    let delete = app
        .call(
            Method::DELETE,
            &format!("/api/v1/invoices/{id}"),
            Some(&owner.token),
            None,
        )
        .await;
    assert_eq!(
        (delete.status, delete.code()),
        (StatusCode::CONFLICT, "legal_hold"),
        "a finalized invoice is kept for its statutory period"
    );
    assert_eq!(
        delete.body["retained_until"], "2034-12-31",
        "DE: 8 years from the end of 2026"
    );

    let payments = format!("/api/v1/invoices/{id}/payments");
    let part = app
        .post(
            &payments,
            &owner.token,
            json!({"amount": "100.00", "paid_on": "2026-11-22", "method": "bank_transfer", "reference": "RF18"}),
        )
        .await;
    assert_eq!(part.status, StatusCode::CREATED, "{:?}", part.body);
    assert_eq!(part.body["payment"]["amount"], "100.00");
    assert_eq!(part.body["invoice"]["status"], "partially_paid");
    assert_eq!(part.body["invoice"]["balance_due"], "100.56");

    let over = app
        .post(
            &payments,
            &owner.token,
            json!({"amount": "100.57", "paid_on": "2026-11-22", "method": "card"}),
        )
        .await;
    assert_eq!(
        (over.status, over.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "overpayment")
    );

    let rest = app
        .post(
            &payments,
            &owner.token,
            json!({"amount": "100.56", "paid_on": "2026-11-22", "method": "cash"}),
        )
        .await;
    assert_eq!(rest.body["invoice"]["status"], "paid");
    assert_eq!(rest.body["invoice"]["balance_due"], "0.00");
    assert_eq!(rest.body["invoice"]["amount_paid"], "200.56");

    let more = app
        .post(
            &payments,
            &owner.token,
            json!({"amount": "1", "paid_on": "2026-11-22", "method": "cash"}),
        )
        .await;
    assert_eq!(
        (more.status, more.code()),
        (StatusCode::CONFLICT, "invoice_not_payable")
    );
    let fetched = app.get(&format!("/api/v1/invoices/{id}"), &owner.token).await;
    assert_eq!(fetched.str("status"), "paid");
    assert_eq!(fetched.str("number"), "INV-2026-0001");

    // Listed newest first, a page at a time; another organization sees no such invoice.
    let first = app.get(&format!("{payments}?limit=1"), &owner.token).await;
    assert_eq!(first.status, StatusCode::OK, "{:?}", first.body);
    assert_eq!(first.body["data"][0]["amount"], "100.56");
    assert_eq!(first.body["data"][0]["method"], "cash");
    let cursor = first.str("next_cursor");
    let second = app
        .get(&format!("{payments}?limit=1&cursor={cursor}"), &owner.token)
        .await;
    assert_eq!(second.body["data"][0]["amount"], "100.00");
    assert_eq!(second.body["data"][0]["reference"], "RF18");
    assert!(second.body["next_cursor"].is_null());
    let all = app.get(&payments, &owner.token).await;
    assert_eq!(all.body["data"].as_array().map(Vec::len), Some(2));
    let stranger = app.signup("stranger@other.example").await;
    let foreign = app.get(&payments, &stranger.token).await;
    assert_eq!(
        (foreign.status, foreign.code()),
        (StatusCode::NOT_FOUND, "invoice_not_found")
    );
}

async fn drafts_can_be_changed_and_deleted(app: TestApp) {
    let owner = app.signup("drafts@muster.example").await;
    let client = app.client(&owner, "Client SARL").await;
    let id = app.worked_example(&owner, &client).await.str("id");
    let path = format!("/api/v1/invoices/{id}");
    let changed = app
        .call(
            Method::PATCH,
            &path,
            Some(&owner.token),
            Some(json!({
                "lines": [{"description": "Consulting", "quantity": "2", "unit_price": "100", "tax_rate": "19", "discount_percent": "10"}],
                "payment_terms_days": 30,
                "notes": "Thank you",
            })),
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{:?}", changed.body);
    assert_eq!(changed.str("subtotal"), "180.00");
    assert_eq!(changed.str("total"), "214.20");
    assert_eq!(changed.body["payment_terms_days"], 30);
    let cleared = app
        .call(Method::PATCH, &path, Some(&owner.token), Some(json!({"notes": null})))
        .await;
    assert!(cleared.body["notes"].is_null());
    assert_eq!(
        cleared.body["lines"].as_array().unwrap().len(),
        1,
        "absent fields are kept"
    );

    let payment = app
        .post(
            &format!("{path}/payments"),
            &owner.token,
            json!({"amount": "1", "paid_on": "2026-11-22", "method": "cash"}),
        )
        .await;
    assert_eq!(
        (payment.status, payment.code()),
        (StatusCode::CONFLICT, "invoice_not_finalized")
    );

    let deleted = app.call(Method::DELETE, &path, Some(&owner.token), None).await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    let gone = app.get(&path, &owner.token).await;
    assert_eq!((gone.status, gone.code()), (StatusCode::NOT_FOUND, "invoice_not_found"));

    // A deleted draft uses up no number.
    let next = app.worked_example(&owner, &client).await.str("id");
    let next = app
        .post(&format!("/api/v1/invoices/{next}/finalize"), &owner.token, json!({}))
        .await;
    assert_eq!(next.str("number"), "INV-2026-0001");
}

async fn finalization_needs_a_complete_draft(app: TestApp) {
    let owner = app.signup("empty@muster.example").await;
    let client = app.client(&owner, "Client SARL").await;
    let empty = app
        .post(
            "/api/v1/invoices",
            &owner.token,
            json!({"client_id": client, "lines": []}),
        )
        .await;
    assert_eq!(empty.status, StatusCode::CREATED);
    assert_eq!(empty.str("currency"), "EUR", "the organization's currency by default");
    let refused = app
        .post(
            &format!("/api/v1/invoices/{}/finalize", empty.str("id")),
            &owner.token,
            json!({}),
        )
        .await;
    assert_eq!(
        (refused.status, refused.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "invoice_not_ready")
    );
    assert_eq!(refused.body["errors"][0]["field"], "lines");
}

async fn invoices_filter_by_status_client_and_overdue(app: TestApp) {
    let owner = app.signup("filters@muster.example").await;
    let first = app.client(&owner, "First").await;
    let second = app.client(&owner, "Second").await;
    let dated = |client: &str, due: &str| {
        let mut body = crate::support::worked_example_body(client);
        body["issue_date"] = json!("2026-11-01");
        body["due_date"] = json!(due);
        body
    };
    // Today is 2026-11-22 in Europe/Berlin: due yesterday is overdue, due today is not.
    let late = app
        .post("/api/v1/invoices", &owner.token, dated(&first, "2026-11-21"))
        .await
        .str("id");
    let on_time = app
        .post("/api/v1/invoices", &owner.token, dated(&first, "2026-11-22"))
        .await
        .str("id");
    for id in [&late, &on_time] {
        let reply = app
            .post(&format!("/api/v1/invoices/{id}/finalize"), &owner.token, json!({}))
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    }
    let draft = app.worked_example(&owner, &second).await.str("id");

    let (app_ref, token) = (&app, owner.token.clone());
    let ids = |query: &str| {
        let (path, token) = (format!("/api/v1/invoices?{query}"), token.clone());
        async move {
            let reply = app_ref.get(&path, &token).await;
            assert_eq!(reply.status, StatusCode::OK, "{path}: {:?}", reply.body);
            reply.body["data"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i["id"].as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(ids("").await, [draft.clone(), on_time.clone(), late.clone()]);
    assert_eq!(ids("status=draft").await, std::slice::from_ref(&draft));
    assert_eq!(ids("status=open").await, [on_time.clone(), late.clone()]);
    assert_eq!(ids(&format!("client_id={second}")).await, std::slice::from_ref(&draft));
    assert_eq!(ids("overdue=true").await, std::slice::from_ref(&late));
    assert_eq!(ids("overdue=false").await, [draft, on_time]);
    let fetched = app.get(&format!("/api/v1/invoices/{late}"), &owner.token).await;
    assert_eq!(fetched.body["overdue"], true);
    assert_eq!(fetched.str("status"), "open", "overdue is derived, not a status");
    let bad = app.get("/api/v1/invoices?status=late", &owner.token).await;
    assert_eq!((bad.status, bad.code()), (StatusCode::BAD_REQUEST, "invalid_request"));
}
