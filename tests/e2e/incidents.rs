//! The incident register (GDPR Arts. 33–34): the operator opens an
//! incident with `cargo xtask incident` (here its ops function); the owners
//! of an affected organization read it over HTTP with its 72-hour clock,
//! nobody else does; `notify` emails every affected user a service notice
//! — also one who withdrew marketing consent — once, however often it runs;
//! the register is part of the organization's export.

use chrono::{TimeZone, Utc};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::on_both_backends;
use crate::support::TestApp;

on_both_backends!(
    affected_owners_read_the_register_with_its_clock,
    notify_tells_every_affected_user_once,
);

const SUBJECT: &str = "Subject: Important: a security incident affecting your data";

async fn incident(app: &TestApp, args: &[&str]) -> Result<String, String> {
    fakturo_server::ops::incident_at(&app.state.settings, args, app.clock.clone())
        .await
        .map_err(|e| e.to_string())
}

/// Opens an incident discovered at `discovered` affecting `tenants` (all when empty); returns its id.
async fn open(app: &TestApp, discovered: &str, tenants: &[&str]) -> String {
    let mut args = vec![
        "open",
        "--discovered-at",
        discovered,
        "--nature",
        "A misconfigured backup bucket was readable from the internet.",
        "--categories",
        "account_profile,customer_content",
        "--people",
        "120",
        "--records",
        "4500",
        "--consequences",
        "Names and email addresses may have been copied; phishing is possible.",
        "--measures",
        "The bucket was closed and every access key rotated.",
    ];
    for tenant in tenants {
        args.extend(["--tenant", tenant]);
    }
    let opened = incident(app, &args).await.unwrap();
    opened
        .lines()
        .next()
        .and_then(|line| line.strip_prefix("opened incident "))
        .unwrap_or_else(|| panic!("no id in {opened}"))
        .to_owned()
}

/// A lasting API token of a user who joined with a session (sessions end when the clock moves by days).
async fn api_token(app: &TestApp, session: &str) -> String {
    let created = app
        .post("/api/v1/api-tokens", session, json!({"name": "incidents"}))
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    created.str("token")
}

fn at(value: &Value) -> chrono::DateTime<Utc> {
    chrono::DateTime::parse_from_rfc3339(value.as_str().unwrap())
        .unwrap()
        .with_timezone(&Utc)
}

async fn affected_owners_read_the_register_with_its_clock(app: TestApp) {
    let owner = app.signup("owner@breach-a.example").await;
    let member = app.join(&owner, "member@breach-a.example", "member").await;
    let member = api_token(&app, &member.token).await;
    let admin = app.join(&owner, "admin@breach-a.example", "admin").await;
    let admin = api_token(&app, &admin.token).await;
    let stranger = app.signup("owner@breach-b.example").await;
    app.clock.set(Utc.with_ymd_and_hms(2027, 5, 1, 10, 0, 0).unwrap());

    let refused = incident(
        &app,
        &["open", "--discovered-at", "2027-05-01T10:00:00Z", "--nature", "x"],
    )
    .await
    .unwrap_err();
    assert!(refused.contains("usage"), "{refused}");
    let unknown = incident(
        &app,
        &[
            "open",
            "--discovered-at",
            "2027-05-01T10:00:00Z",
            "--nature",
            "x",
            "--categories",
            "passwords",
            "--people",
            "1",
            "--records",
            "1",
            "--consequences",
            "c",
            "--measures",
            "m",
        ],
    )
    .await
    .unwrap_err();
    assert!(unknown.contains("unknown_data_category"), "{unknown}");

    let id = open(&app, "2027-05-01T10:00:00Z", &[&owner.organization_id]).await;
    let listed = app.get("/api/v1/privacy/incidents", &owner.token).await;
    assert_eq!(listed.status, StatusCode::OK, "{:?}", listed.body);
    let data = listed.body["data"].as_array().unwrap();
    assert_eq!(data.len(), 1);
    assert_eq!(data[0]["id"], id.as_str());
    assert_eq!(data[0]["status"], "open");
    assert_eq!(data[0]["overdue"], false);
    assert_eq!(data[0]["affects_all_organizations"], false);
    assert_eq!(
        at(&data[0]["authority_due_at"]),
        Utc.with_ymd_and_hms(2027, 5, 4, 10, 0, 0).unwrap()
    );
    assert_eq!(
        data[0]["data_categories"],
        json!(["account_profile", "customer_content"])
    );
    assert_eq!(data[0]["people_affected"], 120);
    assert!(listed.body["next_cursor"].is_null());

    // The 72-hour clock: not overdue a second before, overdue on the instant.
    app.clock.set(Utc.with_ymd_and_hms(2027, 5, 4, 9, 59, 59).unwrap());
    let path = format!("/api/v1/privacy/incidents/{id}");
    assert_eq!(app.get(&path, &owner.token).await.body["overdue"], false);
    app.clock.set(Utc.with_ymd_and_hms(2027, 5, 4, 10, 0, 0).unwrap());
    let read = app.get(&path, &owner.token).await;
    assert_eq!(read.status, StatusCode::OK, "{:?}", read.body);
    assert_eq!(read.body["overdue"], true);
    assert_eq!(read.body["history"][0]["kind"], "opened");
    let register = incident(&app, &["list"]).await.unwrap();
    assert!(register.contains(&format!("{id} open")), "{register}");
    assert!(register.contains("OVERDUE"), "{register}");

    // Owners only; another organization's owner sees nothing of it.
    for (who, token) in [("member", &member), ("admin", &admin)] {
        let list = app.get("/api/v1/privacy/incidents", token).await;
        assert_eq!(
            (list.status, list.code()),
            (StatusCode::FORBIDDEN, "forbidden"),
            "{who}"
        );
        let one = app.get(&path, token).await;
        assert_eq!((one.status, one.code()), (StatusCode::FORBIDDEN, "forbidden"), "{who}");
    }
    let foreign = app.get(&path, &stranger.token).await;
    assert_eq!(
        (foreign.status, foreign.code()),
        (StatusCode::NOT_FOUND, "incident_not_found")
    );
    let theirs = app.get("/api/v1/privacy/incidents", &stranger.token).await;
    assert_eq!(theirs.body["data"], json!([]));

    // Closing waits for the authority, unless a note says why none is required; recording it stops the clock.
    let early = incident(&app, &["close", &id]).await.unwrap_err();
    assert!(early.contains("authority"), "{early}");
    let updated = incident(
        &app,
        &[
            "update",
            &id,
            "--people",
            "300",
            "--note",
            "Forensics counted more accounts.",
        ],
    )
    .await
    .unwrap();
    assert!(updated.contains("[people_affected]"), "{updated}");
    app.clock.set(Utc.with_ymd_and_hms(2027, 5, 4, 12, 0, 0).unwrap());
    incident(
        &app,
        &[
            "notify-authority",
            &id,
            "--reference",
            "DPA-2027-0042",
            "--at",
            "2027-05-04T11:00:00Z",
        ],
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    let notified = app.get(&path, &owner.token).await;
    assert_eq!(notified.body["status"], "notified");
    assert_eq!(notified.body["overdue"], false);
    assert_eq!(notified.body["authority_reference"], "DPA-2027-0042");
    assert_eq!(notified.body["people_affected"], 300);
    let kinds: Vec<&str> = notified.body["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["opened", "updated", "authority_notified"]);
    assert!(
        notified.body["history"][2]["note"]
            .as_str()
            .unwrap()
            .contains("after the 72-hour deadline")
    );
    incident(&app, &["close", &id, "--note", "Handled."]).await.unwrap();
    let late = incident(&app, &["update", &id, "--people", "1", "--note", "n"])
        .await
        .unwrap_err();
    assert!(late.contains("closed"), "{late}");

    // An incident of every organization reaches the other owner too.
    let everyone = open(&app, "2027-05-04T08:00:00Z", &[]).await;
    let theirs = app.get("/api/v1/privacy/incidents", &stranger.token).await;
    assert_eq!(theirs.body["data"][0]["id"], everyone.as_str());
    assert_eq!(theirs.body["data"][0]["affects_all_organizations"], true);
    let page = app.get("/api/v1/privacy/incidents?limit=1", &owner.token).await;
    assert_eq!(page.body["data"][0]["id"], everyone.as_str(), "newest first");
    let cursor = page.body["next_cursor"].as_str().unwrap().to_owned();
    let next = app
        .get(
            &format!("/api/v1/privacy/incidents?limit=1&cursor={cursor}"),
            &owner.token,
        )
        .await;
    assert_eq!(next.body["data"][0]["id"], id.as_str());

    // The register as JSON for the operator, and in the organization's export.
    let json_register: Value = serde_json::from_str(&incident(&app, &["list", "--json"]).await.unwrap()).unwrap();
    let first = &json_register.as_array().unwrap()[1];
    assert_eq!(first["id"], id.as_str());
    assert_eq!(first["status"], "closed");
    assert_eq!(first["organizations"], json!([owner.organization_id]));
    let files = crate::privacy::export(&app, &owner.token, json!({"scope": "tenant"})).await;
    let exported: Vec<Value> = serde_json::from_str(&files["incident_register.json"]).unwrap();
    let ids: Vec<&str> = exported.iter().map(|i| i["id"].as_str().unwrap()).collect();
    assert_eq!(ids, [everyone.as_str(), id.as_str()]);
    let manifest: Value = serde_json::from_str(&files["manifest.json"]).unwrap();
    assert_eq!(manifest["incidents"], 2);
    assert!(!files["incident_register.json"].contains(&stranger.organization_id));
}

async fn notify_tells_every_affected_user_once(app: TestApp) {
    let owner = app.signup("owner@notice-a.example").await;
    let member = app.join(&owner, "member@notice-a.example", "member").await;
    app.join(&owner, "accountant@notice-a.example", "accountant").await;
    app.signup("owner@notice-b.example").await;
    for granted in [true, false] {
        let consent = app
            .call(
                Method::PUT,
                "/api/v1/privacy/consents",
                Some(&member.token),
                Some(json!({"purpose": "marketing_email", "granted": granted})),
            )
            .await;
        assert!(consent.status.is_success(), "{:?}", consent.body);
    }
    app.drain_jobs().await;
    app.clock.set(Utc.with_ymd_and_hms(2027, 5, 2, 9, 0, 0).unwrap());
    let id = open(&app, "2027-05-01T10:00:00Z", &[&owner.organization_id]).await;

    let first = incident(&app, &["notify", &id]).await.unwrap();
    assert!(first.contains("3 notice(s) queued, 0 person(s)"), "{first}");
    app.drain_jobs().await;
    let affected = [
        "owner@notice-a.example",
        "member@notice-a.example",
        "accountant@notice-a.example",
    ];
    for address in affected {
        let notices: Vec<String> = app
            .emails_to(address)
            .into_iter()
            .filter(|e| e.contains(SUBJECT))
            .collect();
        assert_eq!(notices.len(), 1, "one notice to {address}, marketing consent or not");
        assert!(notices[0].contains("service notice"), "{}", notices[0]);
        assert!(notices[0].contains(&id), "the notice names its reference");
        assert_eq!(
            notices[0].contains("as an owner"),
            address.starts_with("owner@"),
            "{address}"
        );
    }
    assert!(
        !app.emails_to("owner@notice-b.example")
            .iter()
            .any(|e| e.contains(SUBJECT)),
        "an unaffected organization is not told"
    );

    let again = incident(&app, &["notify", &id]).await.unwrap();
    assert!(
        again.contains("0 notice(s) queued, 3 person(s) notified before"),
        "{again}"
    );
    app.drain_jobs().await;
    for address in affected {
        let count = app.emails_to(address).iter().filter(|e| e.contains(SUBJECT)).count();
        assert_eq!(count, 1, "still one notice to {address}");
    }
    use sea_orm::{ConnectionTrait, Statement};
    let db = app.db().await;
    let backend = db.get_database_backend();
    let placeholder = match backend {
        sea_orm::DbBackend::Postgres => "$1",
        _ => "?",
    };
    let sql = format!("SELECT COUNT(*) AS n FROM incident_notices WHERE incident_id = {placeholder}");
    let value = sea_orm::Value::from(uuid::Uuid::parse_str(&id).unwrap());
    let row = db
        .query_one_raw(Statement::from_sql_and_values(backend, sql, [value]))
        .await
        .unwrap()
        .unwrap();
    let notices: i64 = row.try_get("", "n").unwrap();
    assert_eq!(notices, 3, "one recorded notice per recipient");
    let shown = incident(&app, &["show", &id]).await.unwrap();
    assert!(shown.contains("people notified: 3"), "{shown}");
    assert!(shown.contains("people_notified: 3 notices queued"), "{shown}");
}
