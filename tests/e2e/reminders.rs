//! Payment reminders: the expected reminders on the expected dates (the
//! clock moved day by day, never slept), none after payment, none for an
//! excluded client.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::on_both_backends;
use crate::support::{Account, TestApp};

on_both_backends!(
    reminders_follow_the_rules_and_stop_when_paid,
    excluded_clients_get_no_reminders
);

async fn due_invoice(app: &TestApp, owner: &Account, client: &str) -> String {
    let mut body = crate::support::worked_example_body(client);
    body["issue_date"] = json!("2027-01-01");
    body["due_date"] = json!("2027-01-15");
    let id = app.post("/api/v1/invoices", &owner.token, body).await.str("id");
    let finalized = app
        .post(&format!("/api/v1/invoices/{id}/finalize"), &owner.token, json!({}))
        .await;
    assert_eq!(finalized.status, StatusCode::OK, "{:?}", finalized.body);
    id
}

async fn set_rules(app: &TestApp, owner: &Account) {
    let reply = app
        .call(
            Method::PUT,
            "/api/v1/settings/reminders",
            Some(&owner.token),
            Some(json!({"enabled": true, "rules": [
                {"days_from_due": -3},
                {"days_from_due": 0},
                {"days_from_due": 7, "repeat_every_days": 7, "max_repeats": 3},
            ]})),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
}

fn day(n: i64) -> String {
    (chrono::NaiveDate::from_ymd_opt(2027, 1, 15).unwrap() + chrono::TimeDelta::days(n)).to_string()
}

async fn reminders_follow_the_rules_and_stop_when_paid(app: TestApp) {
    let owner = app.signup("dunning@muster.example").await;
    let client = app.client(&owner, "Late Payer").await;
    let defaults = app.get("/api/v1/settings/reminders", &owner.token).await;
    assert_eq!(defaults.body, json!({"enabled": false, "rules": []}));
    set_rules(&app, &owner).await;
    let invoice = due_invoice(&app, &owner, &client).await;

    // Day by day from ten days before the due date to a day after the +14 reminder.
    let mut sent_on = Vec::new();
    for offset in -10..=15 {
        let before = app.emails_to("billing@client.example").len();
        app.run_due(&day(offset)).await;
        app.run_due(&day(offset)).await; // a second run the same day changes nothing
        let after = app.emails_to("billing@client.example").len();
        for _ in before..after {
            sent_on.push(offset);
        }
    }
    assert_eq!(sent_on, [-3, 0, 7, 14]);
    let reminders = app
        .get(&format!("/api/v1/invoices/{invoice}/reminders"), &owner.token)
        .await;
    let rows: Vec<(i64, String, String)> = reminders.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["days_from_due"].as_i64().unwrap(),
                r["status"].as_str().unwrap().to_owned(),
                r["recipient"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            (-3, "sent".into(), "billing@client.example".into()),
            (0, "sent".into(), "billing@client.example".into()),
            (7, "sent".into(), "billing@client.example".into()),
            (14, "sent".into(), "billing@client.example".into()),
        ]
    );
    let reminder = app
        .emails_to("billing@client.example")
        .into_iter()
        .find(|m| m.contains("overdue") || m.contains("was due"))
        .unwrap_or_default();
    assert!(reminder.contains("200.56"), "the amount outstanding is in the reminder");

    // Paid in full: the +21 reminder never goes out.
    let paid = app
        .post(
            &format!("/api/v1/invoices/{invoice}/payments"),
            &owner.token,
            json!({"amount": "200.56", "paid_on": "2026-11-22", "method": "bank_transfer"}),
        )
        .await;
    assert_eq!(paid.status, StatusCode::CREATED, "{:?}", paid.body);
    let before = app.emails_to("billing@client.example").len();
    for offset in 16..=30 {
        app.run_due(&day(offset)).await;
    }
    assert_eq!(
        app.emails_to("billing@client.example").len(),
        before,
        "no reminder after payment"
    );
}

async fn excluded_clients_get_no_reminders(app: TestApp) {
    let owner = app.signup("excluded@muster.example").await;
    let client = app.client(&owner, "Friend").await;
    let excluded = app
        .call(
            Method::PATCH,
            &format!("/api/v1/clients/{client}"),
            Some(&owner.token),
            Some(json!({"reminders_enabled": false})),
        )
        .await;
    assert_eq!(excluded.body["reminders_enabled"], false);
    set_rules(&app, &owner).await;
    due_invoice(&app, &owner, &client).await;
    for offset in [-3, 0, 7, 14, 21] {
        app.run_due(&day(offset)).await;
    }
    assert!(app.emails_to("billing@client.example").is_empty());

    let invalid = app
        .call(
            Method::PUT,
            "/api/v1/settings/reminders",
            Some(&owner.token),
            Some(json!({"enabled": true, "rules": [{"days_from_due": 7, "repeat_every_days": 7}]})),
        )
        .await;
    assert_eq!(
        (invalid.status, invalid.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed")
    );
    assert_eq!(invalid.body["errors"][0]["field"], "rules[0].max_repeats");
}
