//! Privacy requests as tracked cases: deadlines of 30 days or the calendar
//! month when sooner (31 January → 28 February, extended by two months →
//! 28 April; the requester is emailed the new date and the reason),
//! extensions only with a reason and at most two months, status changes
//! with their history and audit trail, roles and foreign ids, the overdue
//! flag and the owners' daily notice. Requests without an account are in
//! `public_privacy_requests.rs`.

use chrono::{TimeZone, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::on_both_backends;
use crate::support::{Account, Reply, TestApp};

on_both_backends!(
    a_case_is_due_in_one_calendar_month_and_extends_to_three,
    roles_foreign_ids_and_filters,
    overdue_cases_are_flagged_and_owners_told_once_a_day,
);

const REQUESTS: &str = "/api/v1/privacy/requests";

fn access_request(email: &str) -> Value {
    json!({"type": "access", "subject_email": email, "details": "Please send me everything you hold about me."})
}

async fn create(app: &TestApp, who: &Account, body: Value) -> Reply {
    app.post(REQUESTS, &who.token, body).await
}

async fn act(app: &TestApp, who: &Account, id: &str, action: &str, body: Value) -> Reply {
    app.post(&format!("{REQUESTS}/{id}/{action}"), &who.token, body).await
}

async fn a_case_is_due_in_one_calendar_month_and_extends_to_three(app: TestApp) {
    // 09:00 in Berlin on 31 January 2027.
    app.clock.set(Utc.with_ymd_and_hms(2027, 1, 31, 8, 0, 0).unwrap());
    let owner = app.signup("dsr-owner@muster.example").await;
    let created = create(&app, &owner, access_request("Requester@Example.com")).await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    assert_eq!(created.str("status"), "received");
    assert_eq!(created.str("type"), "access");
    assert_eq!(created.str("received_at"), "2027-01-31T08:00:00+00:00");
    assert_eq!(created.str("due_on"), "2027-02-28");
    assert_eq!(created.str("source"), "recorded");
    assert_eq!(created.body["overdue"], false);
    assert!(created.body["identity_verified_at"].is_null());
    assert_eq!(created.body["history"][0]["kind"], "received");
    let id = created.str("id");

    let no_reason = act(&app, &owner, &id, "extend", json!({"reason": "  ", "months": 1})).await;
    assert_eq!(
        (no_reason.status, no_reason.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed")
    );
    let three = act(&app, &owner, &id, "extend", json!({"reason": "Archives", "months": 3})).await;
    assert_eq!(three.code(), "validation_failed");
    let extended = act(
        &app,
        &owner,
        &id,
        "extend",
        json!({"reason": "Records in three systems to search.", "months": 2}),
    )
    .await;
    assert_eq!(extended.status, StatusCode::OK, "{:?}", extended.body);
    assert_eq!(extended.str("due_on"), "2027-04-28");
    app.drain_jobs().await;
    let told = app.emails_to("requester@example.com");
    assert_eq!(told.len(), 1, "the requester is told once");
    assert!(told[0].contains("2027-04-28"), "{}", told[0]);
    assert!(told[0].contains("Records in three systems to search."), "{}", told[0]);
    assert_eq!(extended.body["extension_months"], 2);
    let beyond = act(&app, &owner, &id, "extend", json!({"reason": "More", "months": 1})).await;
    assert_eq!(
        (beyond.status, beyond.code()),
        (StatusCode::CONFLICT, "extension_limit_reached")
    );

    let unexplained = act(&app, &owner, &id, "status", json!({"status": "rejected"})).await;
    assert_eq!(unexplained.code(), "validation_failed", "a rejection needs a note");
    let unknown = act(&app, &owner, &id, "status", json!({"status": "archived"})).await;
    assert_eq!(unknown.code(), "validation_failed");
    let working = act(&app, &owner, &id, "status", json!({"status": "in_progress"})).await;
    assert_eq!(working.str("status"), "in_progress");
    let same = act(&app, &owner, &id, "status", json!({"status": "in_progress"})).await;
    assert_eq!(
        (same.status, same.code()),
        (StatusCode::CONFLICT, "invalid_status_transition")
    );
    let verified = act(&app, &owner, &id, "identity", json!({"method": "document"})).await;
    assert_eq!(verified.str("identity_method"), "document");
    assert_eq!(verified.str("identity_verified_at"), "2027-01-31T08:00:00+00:00");
    let twice = act(&app, &owner, &id, "identity", json!({"method": "other"})).await;
    assert_eq!(twice.code(), "identity_already_verified");
    let done = act(
        &app,
        &owner,
        &id,
        "status",
        json!({"status": "completed", "note": "Sent the export."}),
    )
    .await;
    assert_eq!(done.str("status"), "completed");
    let reopened = act(&app, &owner, &id, "status", json!({"status": "in_progress"})).await;
    assert_eq!(
        (reopened.status, reopened.code()),
        (StatusCode::CONFLICT, "privacy_request_closed")
    );

    let found = app.get(&format!("{REQUESTS}/{id}"), &owner.token).await;
    let history: Vec<(String, String, String)> = found.body["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["kind"].as_str().unwrap().to_owned(),
                e["from"].as_str().unwrap_or("-").to_owned(),
                e["to"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let expected = [
        ("received", "-", "received"),
        ("extended", "received", "received"),
        ("status_changed", "received", "in_progress"),
        ("identity_verified", "in_progress", "in_progress"),
        ("status_changed", "in_progress", "completed"),
    ];
    let expected: Vec<(String, String, String)> = expected
        .iter()
        .map(|(k, f, t)| ((*k).to_owned(), (*f).to_owned(), (*t).to_owned()))
        .collect();
    assert_eq!(history, expected);
    assert_eq!(found.body["history"][1]["note"], "Records in three systems to search.");
    assert_eq!(found.body["history"][1]["due_on"], "2027-04-28");
    assert_eq!(found.body["history"][4]["note"], "Sent the export.");
    assert!(found.body["history"][4]["by"].is_string());

    let audit = app
        .get("/api/v1/audit-events?action=privacy.request_updated", &owner.token)
        .await;
    let audited = audit.body["data"].as_array().unwrap();
    assert_eq!(audited.len(), 5, "every change is in the audit trail");
    assert!(
        !audit.body.to_string().contains("Requester@"),
        "no personal data in the audit log"
    );
}

async fn roles_foreign_ids_and_filters(app: TestApp) {
    let owner = app.signup("dsr-roles@muster.example").await;
    let client = app.client(&owner, "Client SARL").await;
    let admin = app.join(&owner, "dsr-admin@muster.example", "admin").await;
    let member = app.join(&owner, "dsr-member@muster.example", "member").await;
    let accountant = app.join(&owner, "dsr-books@muster.example", "accountant").await;
    let mut about_client = access_request("billing@client.example");
    about_client["client_id"] = json!(client);
    about_client["type"] = json!("erasure");
    let first = create(&app, &admin, about_client).await;
    assert_eq!(first.status, StatusCode::CREATED, "admins manage privacy requests");
    assert_eq!(first.str("client_id"), client);
    let second = create(&app, &owner, access_request("someone@else.example")).await;
    for who in [&member, &accountant] {
        let write = create(&app, who, access_request("x@example.com")).await;
        assert_eq!((write.status, write.code()), (StatusCode::FORBIDDEN, "forbidden"));
        let read = app.get(REQUESTS, &who.token).await;
        assert_eq!(read.status, StatusCode::FORBIDDEN);
        let change = act(&app, who, &second.str("id"), "status", json!({"status": "in_progress"})).await;
        assert_eq!(change.status, StatusCode::FORBIDDEN);
    }

    let stranger = app.signup("dsr-stranger@other.example").await;
    let foreign = app
        .get(&format!("{REQUESTS}/{}", first.str("id")), &stranger.token)
        .await;
    assert_eq!(
        (foreign.status, foreign.code()),
        (StatusCode::NOT_FOUND, "privacy_request_not_found")
    );
    let foreign_change = act(
        &app,
        &stranger,
        &first.str("id"),
        "extend",
        json!({"reason": "x", "months": 1}),
    )
    .await;
    assert_eq!(foreign_change.code(), "privacy_request_not_found");
    let mut foreign_client = access_request("a@b.example");
    foreign_client["client_id"] = json!(client);
    let refused = create(&app, &stranger, foreign_client).await;
    assert_eq!(
        (refused.status, refused.code()),
        (StatusCode::NOT_FOUND, "client_not_found")
    );
    let bad = create(
        &app,
        &owner,
        json!({"type": "gossip", "subject_email": "nope", "details": ""}),
    )
    .await;
    let fields: Vec<&str> = bad.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["type", "subject_email", "details"]);
    let keyed = |body: Value| {
        app.call_with(
            reqwest::Method::POST,
            REQUESTS,
            Some(&owner.token),
            Some(body),
            &[("Idempotency-Key", "dsr-phone-call-1")],
        )
    };
    let once = keyed(access_request("caller@example.com")).await;
    let repeat = keyed(access_request("caller@example.com")).await;
    assert_eq!((once.status, repeat.str("id")), (StatusCode::CREATED, once.str("id")));
    let reused = keyed(access_request("other@example.com")).await;
    assert_eq!(reused.code(), "idempotency_key_reused");
    let mut smuggled = access_request("a@b.example");
    smuggled["status"] = json!("completed");
    assert_eq!(create(&app, &owner, smuggled).await.status, StatusCode::BAD_REQUEST);

    act(
        &app,
        &owner,
        &second.str("id"),
        "status",
        json!({"status": "in_progress"}),
    )
    .await;
    let page = app.get(&format!("{REQUESTS}?limit=2"), &owner.token).await;
    let ids: Vec<&str> = page.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [once.str("id"), second.str("id")], "newest first");
    let cursor = page.str("next_cursor");
    let rest = app
        .get(&format!("{REQUESTS}?limit=2&cursor={cursor}"), &owner.token)
        .await;
    assert_eq!(rest.body["data"][0]["id"], first.str("id"));
    assert!(rest.body["next_cursor"].is_null());
    let in_progress = app.get(&format!("{REQUESTS}?status=in_progress"), &owner.token).await;
    assert_eq!(in_progress.body["data"].as_array().unwrap().len(), 1);
    let none_overdue = app.get(&format!("{REQUESTS}?overdue=true"), &owner.token).await;
    assert!(none_overdue.body["data"].as_array().unwrap().is_empty());
    let others = app.get(&format!("{REQUESTS}?overdue=false"), &stranger.token).await;
    assert!(
        others.body["data"].as_array().unwrap().is_empty(),
        "tenants see only their own"
    );
}

async fn overdue_cases_are_flagged_and_owners_told_once_a_day(app: TestApp) {
    let owner = app.signup("dsr-late@muster.example").await;
    app.join(&owner, "dsr-coowner@muster.example", "owner").await;
    let created = create(&app, &owner, access_request("waiting@example.com")).await;
    assert_eq!(created.str("due_on"), "2026-12-22");
    let notices = |address: &str| {
        app.emails_to(address)
            .into_iter()
            .filter(|e| {
                e.lines()
                    .any(|l| l.starts_with("Subject:") && l.contains("overdue privacy request"))
            })
            .collect::<Vec<_>>()
    };

    let on_due_day = app.run_due("2026-12-22").await;
    assert!(on_due_day.contains("0 owner notice(s) queued"), "{on_due_day}");
    let report = app.run_due("2026-12-23").await;
    assert!(
        report.contains("1 organization(s) with overdue cases, 2 owner notice(s)"),
        "{report}"
    );
    for address in ["dsr-late@muster.example", "dsr-coowner@muster.example"] {
        let sent = notices(address);
        assert_eq!(sent.len(), 1, "{address}");
        assert!(sent[0].contains(&created.str("id")), "the case is listed");
        assert!(
            !sent[0].contains("waiting@example.com"),
            "no requester data in the notice"
        );
    }
    let again = app.run_due("2026-12-23").await;
    assert!(again.contains("0 owner notice(s) queued"), "once a day: {again}");
    app.run_due("2026-12-24").await;
    assert_eq!(notices("dsr-late@muster.example").len(), 2, "and again the next day");

    app.clock.set(Utc.with_ymd_and_hms(2026, 12, 24, 9, 0, 0).unwrap());
    let overdue = app.get(&format!("{REQUESTS}?overdue=true"), &owner.token).await;
    assert_eq!(overdue.body["data"][0]["id"], created.str("id"));
    assert_eq!(overdue.body["data"][0]["overdue"], true);
    act(
        &app,
        &owner,
        &created.str("id"),
        "status",
        json!({"status": "completed", "note": "Answered late."}),
    )
    .await;
    let report = app.run_due("2026-12-25").await;
    assert!(report.contains("0 organization(s) with overdue cases"), "{report}");
    let listed = app.get(REQUESTS, &owner.token).await;
    assert_eq!(
        listed.body["data"][0]["overdue"], false,
        "answered cases are not overdue"
    );
}
