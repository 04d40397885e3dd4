//! Recurring invoices: schedule maths from the anchor, exactly one invoice
//! per period, catch-up after downtime, pause and resume.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::on_both_backends;
use crate::support::{Account, TestApp};

on_both_backends!(
    month_ends_issue_once_per_period,
    downtime_is_caught_up,
    pause_resume_and_end
);

async fn schedule(app: &TestApp, owner: &Account, client: &str, extra: Value) -> Value {
    let mut body = json!({
        "client_id": client,
        "template": {
            "currency": "EUR",
            "lines": [{"description": "Monthly retainer", "quantity": "1", "unit_price": "1000.00", "tax_rate": "19"}],
            "payment_terms_days": 14,
        },
        "frequency": "monthly",
        "interval": 1,
        "start_date": "2027-01-31",
        "auto_send": false,
    });
    for (key, value) in extra.as_object().unwrap() {
        body[key] = value.clone();
    }
    let reply = app.post("/api/v1/recurring-invoices", &owner.token, body).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
    reply.body
}

async fn invoices(app: &TestApp, token: &str) -> Vec<(String, String, String)> {
    let reply = app.get("/api/v1/invoices?limit=100", token).await;
    assert_eq!(reply.status, reqwest::StatusCode::OK, "{:?}", reply.body);
    let mut found: Vec<(String, String, String)> = reply.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["issue_date"].as_str().unwrap_or_default().to_owned(),
                i["number"].as_str().unwrap_or_default().to_owned(),
                i["status"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    found.sort();
    found
}

async fn month_ends_issue_once_per_period(app: TestApp) {
    let owner = app.signup("retainer@muster.example").await;
    let client = app.client(&owner, "Client").await;
    let created = schedule(&app, &owner, &client, json!({})).await;
    assert_eq!(created["status"], "active");
    assert_eq!(created["next_issue_date"], "2027-01-31");

    for date in [
        "2027-01-30",
        "2027-01-31",
        "2027-01-31",
        "2027-02-28",
        "2027-02-28",
        "2027-03-31",
        "2027-04-30",
        "2027-04-30",
    ] {
        app.run_due(date).await;
    }
    assert_eq!(
        invoices(&app, &owner.token).await,
        [
            ("2027-01-31".into(), "INV-2027-0001".into(), "open".into()),
            ("2027-02-28".into(), "INV-2027-0002".into(), "open".into()),
            ("2027-03-31".into(), "INV-2027-0003".into(), "open".into()),
            ("2027-04-30".into(), "INV-2027-0004".into(), "open".into()),
        ]
    );
    let fetched = app
        .get(
            &format!("/api/v1/recurring-invoices/{}", created["id"].as_str().unwrap()),
            &owner.token,
        )
        .await;
    assert_eq!(fetched.str("next_issue_date"), "2027-05-31", "back to the 31st");
    let first = app.get("/api/v1/invoices?limit=100", &owner.token).await;
    let any = &first.body["data"][0];
    assert_eq!(any["total"], "1190.00");
    assert_eq!(any["lines"][0]["description"], "Monthly retainer");
}

async fn downtime_is_caught_up(app: TestApp) {
    let owner = app.signup("catchup@muster.example").await;
    let client = app.client(&owner, "Client").await;
    schedule(&app, &owner, &client, json!({})).await;
    let report = app.run_due("2027-04-30").await;
    assert!(report.contains("recurring invoices issued: 4"), "{report}");
    let dates: Vec<String> = invoices(&app, &owner.token)
        .await
        .into_iter()
        .map(|(date, _, _)| date)
        .collect();
    assert_eq!(dates, ["2027-01-31", "2027-02-28", "2027-03-31", "2027-04-30"]);
    let again = app.run_due("2027-04-30").await;
    assert!(again.contains("recurring invoices issued: 0"), "{again}");
}

async fn pause_resume_and_end(app: TestApp) {
    let owner = app.signup("pause@muster.example").await;
    let client = app.client(&owner, "Client").await;
    let created = schedule(
        &app,
        &owner,
        &client,
        json!({"start_date": "2026-11-22", "end_after_count": 3}),
    )
    .await;
    let id = created["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/recurring-invoices/{id}");
    app.run_due("2026-11-22").await;
    assert_eq!(invoices(&app, &owner.token).await.len(), 1);

    let paused = app.post(&format!("{path}/pause"), &owner.token, json!({})).await;
    assert_eq!(paused.str("status"), "paused");
    assert!(paused.body["next_issue_date"].is_null());
    let again = app.post(&format!("{path}/pause"), &owner.token, json!({})).await;
    assert_eq!(
        (again.status, again.code()),
        (StatusCode::CONFLICT, "recurring_invoice_wrong_status")
    );
    app.run_due("2026-12-22").await;
    assert_eq!(
        invoices(&app, &owner.token).await.len(),
        1,
        "paused schedules issue nothing"
    );

    let resumed = app.post(&format!("{path}/resume"), &owner.token, json!({})).await;
    assert_eq!(resumed.str("status"), "active");
    assert_eq!(
        resumed.str("next_issue_date"),
        "2026-12-22",
        "resumes from today's period on"
    );
    app.run_due("2027-01-22").await;
    let issued = invoices(&app, &owner.token).await;
    assert_eq!(issued.len(), 3);
    let done = app.get(&path, &owner.token).await;
    assert_eq!(done.str("status"), "completed", "end_after_count reached");
    assert!(done.body["next_issue_date"].is_null());

    let invalid = app
        .post(
            "/api/v1/recurring-invoices",
            &owner.token,
            json!({"client_id": client, "template": {"lines": []}, "frequency": "daily", "start_date": "2027-01-01", "auto_send": false}),
        )
        .await;
    assert_eq!(
        invalid.status,
        StatusCode::BAD_REQUEST,
        "unknown frequency: {:?}",
        invalid.body
    );
    let deleted = app.call(Method::DELETE, &path, Some(&owner.token), None).await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    assert_eq!(invoices(&app, &owner.token).await.len(), 3, "issued invoices stay");

    // A client with only a schedule is still in use.
    let lone = app.client(&owner, "Lone").await;
    schedule(&app, &owner, &lone, json!({})).await;
    let refused = app
        .call(
            Method::DELETE,
            &format!("/api/v1/clients/{lone}"),
            Some(&owner.token),
            None,
        )
        .await;
    assert_eq!(
        (refused.status, refused.code()),
        (StatusCode::CONFLICT, "client_has_invoices")
    );
}
