//! One person's erasure (`POST /api/v1/me/erase`, `cargo xtask erase-user`):
//! a member who invoiced, took notes, made tokens, consented, changed their
//! address and exported their data erases their account; afterwards no
//! column of any table holds their address, while the organization's
//! invoices stay. Owners hand over first; the operator erases by address.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::on_both_backends;
use crate::support::{Account, TestApp};

on_both_backends!(
    a_member_erases_their_account_and_no_table_keeps_their_address,
    owners_hand_over_first_and_the_password_is_checked,
    the_operator_erases_an_account_by_address,
);

const MEMBER: &str = "Mira.Member@Erase.example";
const PENDING: &str = "mira.elsewhere@erase.example";
const PASSWORD: &str = "a long team password";

/// Every table and column of the live schema where a value contains `needle`
/// (case-insensitive), as `table.column`.
async fn columns_containing(app: &TestApp, needle: &str) -> Vec<String> {
    use sea_orm::{ConnectionTrait, Statement};
    let db = app.db().await;
    let backend = db.get_database_backend();
    let schema = fakturo_database::data_map::schema_columns(&db).await.unwrap();
    let mut found = Vec::new();
    for (table, columns) in schema {
        for column in columns {
            let (sql, value) = match backend {
                sea_orm::DbBackend::Postgres => (
                    format!(
                        "SELECT COUNT(*) AS n FROM \"{table}\" WHERE strpos(lower(CAST(\"{column}\" AS TEXT)), $1) > 0"
                    ),
                    needle.to_lowercase(),
                ),
                _ => (
                    format!(
                        "SELECT COUNT(*) AS n FROM \"{table}\" WHERE instr(lower(CAST(\"{column}\" AS TEXT)), ?) > 0"
                    ),
                    needle.to_lowercase(),
                ),
            };
            let row = db
                .query_one_raw(Statement::from_sql_and_values(backend, sql, [value.into()]))
                .await
                .unwrap()
                .unwrap();
            if row.try_get::<i64>("", "n").unwrap() > 0 {
                found.push(format!("{table}.{column}"));
            }
        }
    }
    found
}

/// The member's working life: a client and a finalized invoice, a note, an
/// API token, a consent, an address change not yet confirmed, a ready export.
async fn member_at_work(app: &TestApp, owner: &Account) -> (Account, String) {
    let member = app.join(owner, MEMBER, "member").await;
    let client = app.client(&member, "Erase Client GmbH").await;
    let invoice = app.worked_example(&member, &client).await.str("id");
    let finalized = app
        .post(
            &format!("/api/v1/invoices/{invoice}/finalize"),
            &member.token,
            json!({}),
        )
        .await;
    assert_eq!(finalized.status, StatusCode::OK, "{:?}", finalized.body);
    let note = app
        .post(
            &format!("/api/v1/invoices/{invoice}/notes"),
            &member.token,
            json!({"body": "Called the client about the delivery."}),
        )
        .await;
    assert_eq!(note.status, StatusCode::CREATED, "{:?}", note.body);
    let token = app
        .post("/api/v1/api-tokens", &member.token, json!({"name": "laptop"}))
        .await;
    assert_eq!(token.status, StatusCode::CREATED, "{:?}", token.body);
    let consent = app
        .put(
            "/api/v1/privacy/consents",
            &member.token,
            json!({"purpose": "marketing_email", "granted": true}),
        )
        .await;
    assert_eq!(consent.status, StatusCode::OK, "{:?}", consent.body);
    let moved = app
        .call(
            Method::PATCH,
            "/api/v1/me",
            Some(&member.token),
            Some(json!({"email": PENDING})),
        )
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{:?}", moved.body);
    let export = app
        .post("/api/v1/privacy/exports", &member.token, json!({"scope": "me"}))
        .await;
    assert_eq!(export.status, StatusCode::ACCEPTED, "{:?}", export.body);
    app.drain_jobs().await;
    let ready = app
        .get(&format!("/api/v1/privacy/exports/{}", export.str("id")), &member.token)
        .await;
    assert_eq!(ready.body["status"], "ready", "{:?}", ready.body);
    (
        Account {
            token: token.str("token"),
            ..member
        },
        invoice,
    )
}

/// How many files are stored under `dir`, at any depth.
fn stored_files(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|entry| {
                    let path = entry.path();
                    if path.is_dir() { stored_files(&path) } else { 1 }
                })
                .sum()
        })
        .unwrap_or(0)
}

/// The security log's record of an erasure, as the owner reads it.
async fn erasure_event(app: &TestApp, owner: &Account) -> Value {
    let log = app.get("/api/v1/audit-events?limit=100", &owner.token).await;
    log.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "privacy.data_erased")
        .cloned()
        .unwrap_or_else(|| panic!("no erasure event in {:?}", log.body))
}

/// `POST /api/v1/me/erase` with `password`, signed in with `token`.
async fn erase(app: &TestApp, token: &str, password: &str) -> crate::support::Reply {
    app.call(
        Method::POST,
        "/api/v1/me/erase",
        Some(token),
        Some(json!({"password": password})),
    )
    .await
}

async fn a_member_erases_their_account_and_no_table_keeps_their_address(app: TestApp) {
    let owner = app.signup("owner@erase.example").await;
    let (member, invoice) = member_at_work(&app, &owner).await;
    assert!(!columns_containing(&app, MEMBER).await.is_empty());
    let files_before = stored_files(&app.state.settings.storage.local_dir);

    let by_token = erase(&app, &member.token, PASSWORD).await;
    assert_eq!(
        (by_token.status, by_token.code()),
        (StatusCode::FORBIDDEN, "session_required"),
        "an API token cannot erase the account"
    );
    let erased = erase(&app, &member.session, PASSWORD).await;
    assert_eq!(erased.status, StatusCode::OK, "{:?}", erased.body);
    let deleted: Vec<&str> = erased.body["deleted"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["what"].as_str().unwrap())
        .collect();
    for what in ["user account", "sessions", "API tokens", "own data exports"] {
        assert!(deleted.contains(&what), "{what} missing from {deleted:?}");
    }
    assert!(!erased.body["retained"].as_array().unwrap().is_empty());
    let user_id = erased.str("user_id");

    let found = columns_containing(&app, MEMBER).await;
    assert!(found.is_empty(), "the erased address is still in {found:?}");
    let found = columns_containing(&app, PENDING).await;
    assert!(found.is_empty(), "the pending address is still in {found:?}");

    // The account is gone: its session and token answer 401, its address signs in no one.
    for token in [&member.session, &member.token] {
        assert_eq!(app.get("/api/v1/me", token).await.status, StatusCode::UNAUTHORIZED);
    }
    let sign_in = app
        .call(
            Method::POST,
            "/api/v1/sessions",
            None,
            Some(json!({"email": MEMBER, "password": PASSWORD})),
        )
        .await;
    assert_eq!(sign_in.status, StatusCode::UNAUTHORIZED, "{:?}", sign_in.body);
    // The organization's records stay: the invoice the member issued, its note.
    let kept = app.get(&format!("/api/v1/invoices/{invoice}"), &owner.token).await;
    assert_eq!(kept.status, StatusCode::OK, "{:?}", kept.body);
    assert_eq!(kept.body["status"], "open");
    let notes = app
        .get(&format!("/api/v1/invoices/{invoice}/notes"), &owner.token)
        .await;
    assert_eq!(notes.body["data"].as_array().unwrap().len(), 1, "{:?}", notes.body);
    let users = app.get("/api/v1/users", &owner.token).await;
    assert_eq!(users.body["data"].as_array().unwrap().len(), 1, "{:?}", users.body);
    // The security log records the erasure, about the pseudonym, as counts.
    let erasure = erasure_event(&app, &owner).await;
    assert_eq!(erasure["target_id"], user_id.as_str(), "{erasure:?}");
    // Every entry the member caused keeps the pseudonym and no network, the erasure's own included.
    let log = app.get("/api/v1/audit-events?limit=100", &owner.token).await;
    let theirs: Vec<&Value> = log.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["actor_user_id"] == user_id.as_str())
        .collect();
    assert!(theirs.len() > 1, "{:?}", log.body);
    for event in theirs {
        assert!(event["ip_prefix"].is_null(), "{event:?}");
    }
    // The export archive's bytes went with its record.
    let files_after = stored_files(&app.state.settings.storage.local_dir);
    assert_eq!(
        files_after + 1,
        files_before,
        "the archive of the member's export stays"
    );
    // The address is free again: the owner can invite the same person anew.
    let again = app
        .post(
            "/api/v1/users/invitations",
            &owner.token,
            json!({"email": MEMBER, "role": "member"}),
        )
        .await;
    assert_eq!(again.status, StatusCode::CREATED, "{:?}", again.body);
}

async fn owners_hand_over_first_and_the_password_is_checked(app: TestApp) {
    let owner = app.signup("sole.owner@erase.example").await;
    let refused = erase(&app, &owner.session, "a long password").await;
    assert_eq!(
        (refused.status, refused.code()),
        (StatusCode::CONFLICT, "owner_must_transfer"),
        "{:?}",
        refused.body
    );
    let member = app.join(&owner, "wrong.password@erase.example", "accountant").await;
    let wrong = erase(&app, &member.session, "not the password").await;
    assert_eq!(
        (wrong.status, wrong.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "wrong_password")
    );
    let missing = app
        .call(Method::POST, "/api/v1/me/erase", Some(&member.session), Some(json!({})))
        .await;
    assert!(missing.status.is_client_error(), "{:?}", missing.body);
    assert_eq!(app.get("/api/v1/me", &member.session).await.status, StatusCode::OK);
    // An accountant changes no business data, but erases their own account.
    let erased = erase(&app, &member.session, PASSWORD).await;
    assert_eq!(erased.status, StatusCode::OK, "{:?}", erased.body);
}

async fn the_operator_erases_an_account_by_address(app: TestApp) {
    let owner = app.signup("operator.case@erase.example").await;
    app.join(&owner, "Child.Account@Erase.example", "member").await;
    let settings = &app.state.settings;
    let refused = fakturo_server::ops::erase_user_at(settings, "operator.case@erase.example", app.clock.clone())
        .await
        .unwrap_err()
        .to_string();
    assert!(refused.contains("owner"), "{refused}");
    let unknown = fakturo_server::ops::erase_user_at(settings, "nobody@erase.example", app.clock.clone())
        .await
        .unwrap_err()
        .to_string();
    assert!(unknown.contains("no account"), "{unknown}");
    let invalid = fakturo_server::ops::erase_user_at(settings, "not an address", app.clock.clone())
        .await
        .unwrap_err()
        .to_string();
    assert!(invalid.contains("not an email address"), "{invalid}");

    let report = fakturo_server::ops::erase_user_at(settings, "child.account@erase.example", app.clock.clone())
        .await
        .unwrap();
    assert!(report.contains("deleted: user account (1)"), "{report}");
    let found = columns_containing(&app, "child.account@erase.example").await;
    assert!(found.is_empty(), "the erased address is still in {found:?}");
    let users = app.get("/api/v1/users", &owner.token).await;
    assert_eq!(users.body["data"].as_array().unwrap().len(), 1, "{:?}", users.body);
    let erasure = erasure_event(&app, &owner).await;
    assert_eq!(erasure["actor_kind"], "system", "{erasure:?}");
}
