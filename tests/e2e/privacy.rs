//! Privacy in the domain, end to end: the data map, exports that contain
//! exactly the right rows, erasure that keeps what the law requires (and
//! the sweeper that deletes it when the hold ends), restriction and
//! objection honoured by reminders and receipts, and account closure with
//! its 30-day window and purge.

use std::collections::BTreeMap;
use std::io::Read;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::on_both_backends;
use crate::support::{Account, TestApp};

on_both_backends!(
    the_data_map_lists_every_column,
    exports_contain_exactly_the_scope,
    erasure_keeps_what_the_law_requires_until_the_hold_ends,
    restriction_and_objection_stop_optional_processing,
    closed_accounts_export_then_vanish
);

async fn the_data_map_lists_every_column(app: TestApp) {
    let owner = app.signup("map@privacy.example").await;
    let map = app.get("/api/v1/privacy/data-map", &owner.token).await;
    assert_eq!(map.status, StatusCode::OK);
    let tables = map.body["tables"].as_array().unwrap();
    let clients = tables.iter().find(|t| t["table"] == "clients").unwrap();
    let email = clients["columns"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "email")
        .unwrap();
    assert_eq!(email["personal"], true);
    assert_eq!(email["role"], "processor");
    assert_eq!(email["category"], "customer_content");
    let users = tables.iter().find(|t| t["table"] == "users").unwrap();
    let hash = users["columns"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "password_hash")
        .unwrap();
    assert_eq!(
        (hash["category"].as_str(), hash["exported"].as_bool()),
        (Some("credentials"), Some(false))
    );
    let lines = tables.iter().find(|t| t["table"] == "invoices").unwrap()["columns"][0]["retention"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(lines.contains("statutory"), "{lines}");
    for table in tables {
        for column in table["columns"].as_array().unwrap() {
            for field in ["category", "role", "retention"] {
                assert!(
                    column[field].as_str().is_some_and(|v| !v.is_empty()),
                    "{table} {column}"
                );
            }
        }
    }
}

/// Issues `count` invoices for `client`, every other one finalized.
async fn invoices(app: &TestApp, owner: &Account, client: &str, count: usize) -> Vec<String> {
    let mut ids = Vec::new();
    for n in 0..count {
        let id = app.worked_example(owner, client).await.str("id");
        if n % 2 == 0 {
            let finalized = app
                .post(&format!("/api/v1/invoices/{id}/finalize"), &owner.token, json!({}))
                .await;
            assert_eq!(finalized.status, StatusCode::OK, "{:?}", finalized.body);
        }
        ids.push(id);
    }
    ids
}

/// Requests an export, builds it, downloads and unpacks it: file name → content.
pub(crate) async fn export(app: &TestApp, token: &str, body: Value) -> BTreeMap<String, String> {
    let asked = app.post("/api/v1/privacy/exports", token, body).await;
    assert_eq!(asked.status, StatusCode::ACCEPTED, "{:?}", asked.body);
    assert_eq!(asked.str("status"), "pending");
    let id = asked.str("id");
    app.drain_jobs().await;
    let ready = app.get(&format!("/api/v1/privacy/exports/{id}"), token).await;
    let response = app
        .http
        .get(format!("{}/api/v1/privacy/exports/{id}/download", app.base))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/zip");
    let bytes = response.bytes().await.unwrap();
    assert_eq!(Some(bytes.len() as u64), ready.body["size_bytes"].as_u64());
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let mut files = BTreeMap::new();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let mut text = String::new();
        entry.read_to_string(&mut text).unwrap();
        files.insert(entry.name().unwrap().into_owned(), text);
    }
    files
}

pub(crate) fn json_rows(files: &BTreeMap<String, String>, table: &str) -> Vec<Value> {
    serde_json::from_str::<Vec<Value>>(&files[&format!("json/{table}.json")]).unwrap()
}

async fn exports_contain_exactly_the_scope(app: TestApp) {
    let owner = app.signup("export@privacy.example").await;
    let other = app.signup("other-tenant@privacy.example").await;
    let first = app.client(&owner, "First Client").await;
    let second = app.client(&owner, "Second Client").await;
    invoices(&app, &owner, &first, 12).await;
    invoices(&app, &owner, &second, 8).await;
    let foreign = app.client(&other, "Foreign Client").await;
    invoices(&app, &other, &foreign, 3).await;

    let files = export(&app, &owner.token, json!({"scope": "tenant"})).await;
    let manifest: Value = serde_json::from_str(&files["manifest.json"]).unwrap();
    assert_eq!(manifest["scope"], "tenant");
    let in_db = app.tenant_rows(&owner.organization_id).await;
    let listed: Vec<&str> = manifest["tables"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["table"].as_str().unwrap())
        .collect();
    for (table, rows) in &in_db {
        assert!(
            listed.contains(&table.as_str()) || *rows == 0,
            "{table} is missing from the export"
        );
    }
    for entry in manifest["tables"].as_array().unwrap() {
        let table = entry["table"].as_str().unwrap();
        let rows = json_rows(&files, table);
        assert_eq!(
            Some(rows.len() as i64),
            in_db.get(table).copied(),
            "every row of {table} and no other"
        );
        assert_eq!(entry["rows"].as_u64(), Some(rows.len() as u64));
        let csv_lines = files[&format!("csv/{table}.csv")].lines().count();
        assert!(
            csv_lines > rows.len(),
            "{table}: a header and one line per row (or more for multi-line text)"
        );
        for row in &rows {
            let tenant = row
                .get("tenant_id")
                .or_else(|| (table == "organizations").then(|| &row["id"]));
            assert_eq!(
                tenant.and_then(Value::as_str),
                Some(owner.organization_id.as_str()),
                "{table}"
            );
            assert!(row.get("password_hash").is_none() && row.get("token_digest").is_none());
        }
    }
    assert_eq!(json_rows(&files, "invoices").len(), 20);
    assert_eq!(json_rows(&files, "clients").len(), 2);
    assert_eq!(json_rows(&files, "invoice_lines").len(), 60);
    assert!(manifest["categories"]["accounting_records"].as_u64().unwrap() >= 80);
    let everything: String = files.values().cloned().collect();
    assert!(!everything.contains("Foreign Client"));
    assert!(!everything.contains(&other.organization_id));

    let files = export(&app, &owner.token, json!({"scope": "client", "client_id": second})).await;
    let clients = json_rows(&files, "clients");
    assert_eq!(clients.len(), 1);
    assert_eq!(clients[0]["id"], second.as_str());
    let exported = json_rows(&files, "invoices");
    assert_eq!(exported.len(), 8);
    assert!(exported.iter().all(|i| i["client_id"] == second.as_str()));
    assert_eq!(
        json_rows(&files, "invoice_lines").len(),
        24,
        "lines follow their invoice"
    );
    assert!(
        !files.keys().any(|name| name.contains("users")),
        "a client export holds no user data"
    );

    let files = export(&app, &owner.token, json!({"scope": "me"})).await;
    let users = json_rows(&files, "users");
    assert_eq!(users.len(), 1);
    assert_eq!(users[0]["email"], "export@privacy.example");
    assert!(!files.contains_key("json/invoices.json"));

    let member = app.join(&owner, "member@privacy.example", "member").await;
    let forbidden = app
        .post("/api/v1/privacy/exports", &member.token, json!({"scope": "tenant"}))
        .await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);
    let unknown_client = app
        .post(
            "/api/v1/privacy/exports",
            &owner.token,
            json!({"scope": "client", "client_id": foreign}),
        )
        .await;
    assert_eq!(unknown_client.status, StatusCode::NOT_FOUND, "another tenant's client");
}

async fn erasure_keeps_what_the_law_requires_until_the_hold_ends(app: TestApp) {
    let owner = app.signup("erase@privacy.example").await;
    let client = app.client(&owner, "Jana Novak").await;
    let ids = invoices(&app, &owner, &client, 3).await; // 0 and 2 finalized, 1 a draft
    app.post(
        &format!("/api/v1/invoices/{}/payments", ids[0]),
        &owner.token,
        json!({"amount": "50.00", "paid_on": "2026-11-22", "method": "bank_transfer", "reference": "Jana's transfer"}),
    )
    .await;
    app.put(
        "/api/v1/settings/reminders",
        &owner.token,
        json!({"enabled": true, "rules": [{"days_from_due": 0}, {"days_from_due": 7}]}),
    )
    .await;

    let erased = app
        .post(&format!("/api/v1/clients/{client}/erase"), &owner.token, json!({}))
        .await;
    assert_eq!(erased.status, StatusCode::OK, "{:?}", erased.body);
    let deleted = erased.body["deleted"].to_string();
    assert!(
        deleted.contains("draft invoices") && deleted.contains("contact details"),
        "{deleted}"
    );
    let retained = &erased.body["retained"];
    assert_eq!(retained[0]["count"], 2);
    assert_eq!(retained[0]["until"], "2034-12-31", "DE: end of 2026 + 8 years");
    assert!(retained[0]["legal_basis"].as_str().unwrap().contains("147 AO"));
    assert_eq!(retained[1]["count"], 1, "the payment is kept too");

    let shown = app.get(&format!("/api/v1/clients/{client}"), &owner.token).await;
    assert!(shown.str("name").starts_with("Erased client"), "{:?}", shown.body);
    assert_eq!(shown.body["email"], Value::Null);
    assert_eq!(shown.body["processing_restricted"], true);
    assert_eq!(
        app.get(&format!("/api/v1/invoices/{}", ids[1]), &owner.token)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let kept = app.get(&format!("/api/v1/invoices/{}", ids[0]), &owner.token).await;
    assert_eq!(kept.body["restricted"], true);
    assert_eq!(kept.body["legal_hold_until"], "2034-12-31");
    assert_eq!(
        kept.body["buyer"]["name"], "Jana Novak",
        "the invoice keeps its buyer as issued"
    );
    let again = app
        .post(&format!("/api/v1/clients/{client}/erase"), &owner.token, json!({}))
        .await;
    assert_eq!((again.status, again.code()), (StatusCode::CONFLICT, "client_erased"));

    // No reminder reaches the erased client.
    for date in ["2026-12-06", "2026-12-13"] {
        app.run_due(date).await;
    }
    let reminders = app
        .get(&format!("/api/v1/invoices/{}/reminders", ids[0]), &owner.token)
        .await;
    assert_eq!(reminders.body["data"], json!([]), "{:?}", reminders.body);

    // The day the hold ends nothing goes; the day after, the sweeper deletes.
    let dry = fakturo_server::ops::retention(&app.state.settings, Some("2034-12-31".parse().unwrap()), true)
        .await
        .unwrap();
    assert!(dry.contains("would delete"), "{dry}");
    app.run_due("2034-12-31").await;
    assert_eq!(
        app.get(&format!("/api/v1/invoices/{}", ids[0]), &owner.token)
            .await
            .status,
        StatusCode::OK
    );
    let swept = fakturo_server::ops::retention(&app.state.settings, Some("2035-01-01".parse().unwrap()), false)
        .await
        .unwrap();
    assert!(swept.contains("held_invoices"), "{swept}");
    for id in [&ids[0], &ids[2]] {
        assert_eq!(
            app.get(&format!("/api/v1/invoices/{id}"), &owner.token).await.status,
            StatusCode::NOT_FOUND
        );
    }
    assert_eq!(
        app.get(&format!("/api/v1/clients/{client}"), &owner.token).await.status,
        StatusCode::NOT_FOUND
    );
    let rows = app.tenant_rows(&owner.organization_id).await;
    assert_eq!(rows["payments"], 0);
    assert_eq!(rows["erasures"], 1, "the erasure record stays (counts only)");
}

async fn restriction_and_objection_stop_optional_processing(app: TestApp) {
    let owner = app.signup("restrict@privacy.example").await;
    let client = app.client(&owner, "Quiet Client").await;
    let id = invoices(&app, &owner, &client, 1).await.remove(0);
    app.put(
        "/api/v1/settings/reminders",
        &owner.token,
        json!({"enabled": true, "rules": [{"days_from_due": 0}]}),
    )
    .await;
    let restricted = app
        .post(&format!("/api/v1/clients/{client}/restrict"), &owner.token, json!({}))
        .await;
    assert_eq!(restricted.body["restricted"], true, "{:?}", restricted.body);
    app.run_due("2026-12-06").await;
    assert!(
        app.emails_to("billing@client.example").is_empty(),
        "no reminder while restricted"
    );

    let lifted = app
        .post(&format!("/api/v1/clients/{client}/unrestrict"), &owner.token, json!({}))
        .await;
    assert_eq!(lifted.body["restricted"], false);
    let objected = app
        .call(
            Method::PUT,
            &format!("/api/v1/clients/{client}/objections"),
            Some(&owner.token),
            Some(json!({"purposes": ["marketing_email"], "contact": true})),
        )
        .await;
    assert_eq!(objected.body["objects_to_contact"], true);
    assert_eq!(objected.body["objections"], json!(["marketing_email"]));
    app.run_due("2026-12-07").await;
    app.post(
        &format!("/api/v1/invoices/{id}/payments"),
        &owner.token,
        json!({"amount": "1.00", "paid_on": "2026-11-22", "method": "cash"}),
    )
    .await;
    app.drain_jobs().await;
    assert!(
        app.emails_to("billing@client.example").is_empty(),
        "neither reminders nor receipts after an objection"
    );
    // The invoice itself is what the law requires: it still goes.
    let sent = app
        .post(&format!("/api/v1/invoices/{id}/send"), &owner.token, json!({}))
        .await;
    assert_eq!(sent.status, StatusCode::ACCEPTED);
    app.drain_jobs().await;
    assert_eq!(app.emails_to("billing@client.example").len(), 1);

    let bad = app
        .call(
            Method::PUT,
            &format!("/api/v1/clients/{client}/objections"),
            Some(&owner.token),
            Some(json!({"purposes": ["telepathy"], "contact": false})),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let member = app.join(&owner, "member@restrict.example", "member").await;
    let forbidden = app
        .post(&format!("/api/v1/clients/{client}/restrict"), &member.token, json!({}))
        .await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);
    let events = app
        .get(
            "/api/v1/audit-events?action=privacy.processing_restricted",
            &owner.token,
        )
        .await;
    assert_eq!(events.body["data"].as_array().unwrap().len(), 3);
}

async fn closed_accounts_export_then_vanish(app: TestApp) {
    let owner = app.signup("closing@privacy.example").await;
    let neighbour = app.signup("staying@privacy.example").await;
    let client = app.client(&owner, "Last Client").await;
    invoices(&app, &owner, &client, 4).await;
    app.join(&owner, "colleague@privacy.example", "member").await;
    app.client(&neighbour, "Neighbour's Client").await;

    let wrong = app
        .post(
            "/api/v1/account/close",
            &owner.session,
            json!({"password": "not the password"}),
        )
        .await;
    assert_eq!(
        (wrong.status, wrong.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "wrong_password")
    );
    let closed = app
        .post(
            "/api/v1/account/close",
            &owner.session,
            json!({"password": "correct horse battery"}),
        )
        .await;
    assert_eq!(closed.status, StatusCode::ACCEPTED, "{:?}", closed.body);
    assert_eq!(closed.str("purge_after"), "2026-12-22T10:00:00+00:00", "30 days");

    let blocked = app.get("/api/v1/clients", &owner.token).await;
    assert_eq!(
        (blocked.status, blocked.code()),
        (StatusCode::FORBIDDEN, "account_closed")
    );
    assert_eq!(app.get("/api/v1/me", &owner.token).await.status, StatusCode::OK);
    let files = export(&app, &owner.token, json!({"scope": "tenant"})).await;
    assert_eq!(json_rows(&files, "invoices").len(), 4, "export stays possible");

    let reopened = app.post("/api/v1/account/reopen", &owner.session, json!({})).await;
    assert_eq!(reopened.status, StatusCode::NO_CONTENT);
    assert_eq!(app.get("/api/v1/clients", &owner.token).await.status, StatusCode::OK);
    app.post(
        "/api/v1/account/close",
        &owner.session,
        json!({"password": "correct horse battery"}),
    )
    .await;

    let before = app.tenant_rows(&owner.organization_id).await;
    assert!(before.values().sum::<i64>() > 20, "{before:?}");
    app.run_due("2026-12-21").await; // 29 days later
    let within = app.tenant_rows(&owner.organization_id).await;
    // Expired sessions, used-up links and the week-old export archive go by
    // their own clocks, closed account or not; the purge takes nothing yet.
    let own_clocks = ["sessions", "one_time_tokens", "exports"];
    for (table, rows) in &before {
        if !own_clocks.contains(&table.as_str()) {
            assert_eq!(within[table], *rows, "nothing of {table} goes within the window");
        }
    }
    app.run_due("2026-12-23").await; // 31 days later
    let after = app.tenant_rows(&owner.organization_id).await;
    assert!(
        after.values().all(|n| *n == 0),
        "every tenant table is empty: {after:?}"
    );
    assert!(
        app.tenant_rows(&neighbour.organization_id).await["clients"] == 1,
        "the neighbour stays"
    );
    let gone = app.get("/api/v1/me", &owner.token).await;
    assert_eq!(gone.status, StatusCode::UNAUTHORIZED);
}
