//! Policy versions: publishing refuses a material change with too little
//! notice and versions that exist or are not newer, notifies every user,
//! and the published version replaces the configured one on its date for
//! `GET /public/policies/current`, sign-up, invitations and `GET /me`.
//! Acceptances are recorded; the sub-processor register is public.

use chrono::{TimeZone, Utc};
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::on_both_backends;
use crate::support::{TestApp, signup_body};

on_both_backends!(
    a_published_version_takes_effect_on_its_date,
    publication_rules_and_acceptances,
    the_subprocessor_register_is_public,
);

/// Signs up accepting `version`; returns the session token.
pub(crate) async fn signup_with_policy(app: &TestApp, email: &str, version: &str) -> String {
    let mut body = signup_body(email, "correct horse battery");
    body["accept_policy_version"] = json!(version);
    let reply = app.call(Method::POST, "/api/v1/signup", None, Some(body)).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
    app.drain_jobs().await;
    reply.str("token")
}

/// Signs in again (after the clock moved past a session's life); returns the token.
pub(crate) async fn sign_in(app: &TestApp, email: &str) -> String {
    let reply = app
        .call(
            Method::POST,
            "/api/v1/sessions",
            None,
            Some(json!({"email": email, "password": "correct horse battery"})),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
    reply.str("token")
}

async fn publish(app: &TestApp, args: &[&str]) -> Result<String, String> {
    let draft = fakturo_server::ops::parse_policy_draft(args)?;
    fakturo_server::ops::publish_policy_at(&app.state.settings, draft, app.clock.clone())
        .await
        .map_err(|e| e.to_string())
}

fn privacy_args<'a>(version: &'a str, effective: &'a str, material: bool) -> Vec<&'a str> {
    let mut args = vec!["--kind", "privacy", "--version", version, "--effective", effective];
    if material {
        args.push("--material");
    }
    args.extend(["--summary", "Files are now stored with Backblaze B2 in the EU."]);
    args
}

async fn a_published_version_takes_effect_on_its_date(app: TestApp) {
    let owner = app.signup("policy-owner@muster.example").await;
    app.join(&owner, "policy-member@muster.example", "member").await;
    let current = app
        .call(Method::GET, "/api/v1/public/policies/current", None, None)
        .await;
    assert_eq!(current.status, StatusCode::OK);
    assert_eq!(current.body["privacy"]["version"], "2026-11-01");
    assert!(current.body["privacy"]["upcoming"].is_null());

    let published = publish(&app, &privacy_args("2027-01-15", "2027-01-15", true))
        .await
        .unwrap();
    assert!(published.contains("notices queued: 2"), "{published}");
    let current = app
        .call(Method::GET, "/api/v1/public/policies/current", None, None)
        .await;
    assert_eq!(current.body["privacy"]["version"], "2026-11-01", "not in force yet");
    assert_eq!(current.body["privacy"]["upcoming"]["version"], "2027-01-15");
    assert_eq!(current.body["privacy"]["upcoming"]["material"], true);
    assert_eq!(current.body["terms"]["version"], "2026-11-01");
    for address in ["policy-owner@muster.example", "policy-member@muster.example"] {
        app.drain_jobs().await;
        let notices: Vec<String> = app
            .emails_to(address)
            .into_iter()
            .filter(|e| e.contains("Subject: Our privacy policy changes on 2027-01-15"))
            .collect();
        assert_eq!(notices.len(), 1, "one notice to {address}");
        assert!(notices[0].contains("material change"));
    }

    // On its date the new version is in force: sign-up and invitations must accept it.
    app.clock.set(Utc.with_ymd_and_hms(2027, 1, 15, 0, 0, 1).unwrap());
    let current = app
        .call(Method::GET, "/api/v1/public/policies/current", None, None)
        .await;
    assert_eq!(current.body["privacy"]["version"], "2027-01-15");
    assert_eq!(current.body["privacy"]["effective_at"], "2027-01-15T00:00:00+00:00");
    let signup = |email: &str, version: &str| {
        let mut body = signup_body(email, "correct horse battery");
        body["accept_policy_version"] = json!(version);
        app.call(Method::POST, "/api/v1/signup", None, Some(body))
    };
    let old = signup("late@muster.example", "2026-11-01").await;
    assert_eq!(
        (old.status, old.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "policy_not_accepted")
    );
    assert!(old.str("detail").contains("2027-01-15"), "{:?}", old.body);
    let new = signup("late@muster.example", "2027-01-15").await;
    assert_eq!(new.status, StatusCode::CREATED, "{:?}", new.body);
    let me = app.get("/api/v1/me", &new.str("token")).await;
    assert_eq!(me.body["privacy_policy"]["version"], "2027-01-15");
    assert_eq!(
        me.body["privacy_policy"]["accepted"], true,
        "sign-up records the acceptance"
    );

    let newcomer = signup_with_policy(&app, "inviter@muster.example", "2027-01-15").await;
    app.post(
        "/api/v1/users/invitations",
        &newcomer,
        json!({"email": "joiner@muster.example", "role": "member"}),
    )
    .await;
    let token = app.link_token("joiner@muster.example", "invites you").await;
    let accept = |version: &str| {
        app.call(
            Method::POST,
            "/api/v1/invitations/accept",
            None,
            Some(json!({
                "token": token,
                "name": "Jo Iner",
                "password": "a long team password",
                "accept_policy_version": version,
                "confirm_minimum_age": true,
            })),
        )
    };
    let refused = accept("2026-11-01").await;
    assert_eq!(refused.code(), "policy_not_accepted");
    let joined = accept("2027-01-15").await;
    assert_eq!(joined.status, StatusCode::CREATED, "{:?}", joined.body);
    let me = app.get("/api/v1/me", &joined.str("token")).await;
    assert_eq!(me.body["privacy_policy"]["accepted"], true);
}

async fn publication_rules_and_acceptances(app: TestApp) {
    let owner = app.signup("rules-owner@muster.example").await;
    let me = app.get("/api/v1/me", &owner.token).await;
    assert_eq!(me.body["privacy_policy"]["version"], "2026-11-01");
    assert_eq!(me.body["privacy_policy"]["accepted"], true);
    assert_eq!(me.body["privacy_policy"]["accepted_at"], "2026-11-22T10:00:00+00:00");

    // Now is 2026-11-22 10:00 UTC: a material change needs 30 days' notice.
    let soon = publish(&app, &privacy_args("2026-12-15", "2026-12-15", true))
        .await
        .unwrap_err();
    assert!(soon.contains("30 days' notice"), "{soon}");
    assert!(soon.contains("2026-12-22"), "names the earliest date: {soon}");
    let not_material = publish(&app, &privacy_args("2026-12-15", "2026-12-15", false)).await;
    assert!(not_material.is_ok(), "{not_material:?}");
    let exists = publish(&app, &privacy_args("2026-12-15", "2027-03-01", false))
        .await
        .unwrap_err();
    assert!(exists.contains("exists already"), "{exists}");
    let older = publish(&app, &privacy_args("2026-12-01", "2026-12-01", false))
        .await
        .unwrap_err();
    assert!(older.contains("must take effect after"), "{older}");
    let configured = publish(&app, &privacy_args("2026-11-01", "2027-06-01", false))
        .await
        .unwrap_err();
    assert!(configured.contains("exists already"), "{configured}");

    let accept = |body| app.post("/api/v1/me/policy-acceptances", &owner.token, body);
    let upcoming = accept(json!({"kind": "privacy", "version": "2026-12-15"})).await;
    assert_eq!(upcoming.status, StatusCode::CREATED, "{:?}", upcoming.body);
    assert_eq!(upcoming.body["channel"], "api");
    let again = accept(json!({"kind": "privacy", "version": "2026-12-15", "channel": "web"})).await;
    assert_eq!(again.status, StatusCode::OK, "accepting again changes nothing");
    assert_eq!(again.body["channel"], "api");
    let unknown = accept(json!({"kind": "privacy", "version": "2020-01-01"})).await;
    assert_eq!(
        (unknown.status, unknown.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "policy_version_not_acceptable")
    );
    let kind = accept(json!({"kind": "cookies", "version": "2026-11-01"})).await;
    assert_eq!(
        (kind.status, kind.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed")
    );
    let channel = accept(json!({"kind": "terms", "version": "2026-11-01", "channel": "signup"})).await;
    assert_eq!(
        channel.code(),
        "validation_failed",
        "sign-up acceptances come from sign-up only"
    );
    let extra = accept(json!({"kind": "terms", "version": "2026-11-01", "accepted_at": "2020-01-01"})).await;
    assert_eq!(extra.status, StatusCode::BAD_REQUEST);
    let terms = accept(json!({"kind": "terms", "version": "2026-11-01", "channel": "web"})).await;
    assert_eq!(
        (terms.status, &terms.body["channel"]),
        (StatusCode::CREATED, &json!("web"))
    );

    // Once the new version is in force, the owner has accepted it already;
    // a member who joined under the old one has not.
    app.clock.set(Utc.with_ymd_and_hms(2026, 12, 15, 0, 0, 0).unwrap());
    let owner = sign_in(&app, "rules-owner@muster.example").await;
    let me = app.get("/api/v1/me", &owner).await;
    assert_eq!(me.body["privacy_policy"]["version"], "2026-12-15");
    assert_eq!(me.body["privacy_policy"]["accepted"], true);
    let late = signup_with_policy(&app, "rules-late@muster.example", "2026-12-15").await;
    let now_current = app
        .post(
            "/api/v1/me/policy-acceptances",
            &late,
            json!({"kind": "privacy", "version": "2026-11-01"}),
        )
        .await;
    assert_eq!(
        now_current.code(),
        "policy_version_not_acceptable",
        "superseded versions are not offered"
    );
}

async fn the_subprocessor_register_is_public(app: TestApp) {
    let register = app.call(Method::GET, "/api/v1/public/subprocessors", None, None).await;
    assert_eq!(register.status, StatusCode::OK);
    let entries = register.body["data"].as_array().unwrap();
    let names: Vec<&str> = entries.iter().map(|e| e["name"].as_str().unwrap()).collect();
    for expected in ["Paddle", "Stripe", "Backblaze B2", "Brevo", "Sentry", "PostHog"] {
        assert!(names.contains(&expected), "{names:?}");
    }
    for entry in entries {
        for field in ["purpose", "location", "transfer_safeguard", "website"] {
            assert!(!entry[field].as_str().unwrap().is_empty(), "{field} of {entry}");
        }
        assert!(!entry["data_categories"].as_array().unwrap().is_empty());
    }
}

/// Every privacy route is in the OpenAPI document with its error answers.
#[tokio::test]
async fn the_privacy_routes_are_described() {
    let app = TestApp::spawn(fakturo_database::Backend::Sqlite).await.unwrap();
    let doc = app.call(Method::GET, "/api/openapi.json", None, None).await.body;
    for (path, method, statuses) in [
        ("/api/v1/privacy/consents", "get", &["200", "401"][..]),
        ("/api/v1/privacy/consents", "put", &["200", "400", "422"][..]),
        ("/api/v1/privacy/consents/history", "get", &["200", "400"][..]),
        ("/api/v1/analytics/events", "post", &["202", "422"][..]),
        ("/api/v1/public/subprocessors", "get", &["200"][..]),
        ("/api/v1/public/policies/current", "get", &["200"][..]),
        ("/api/v1/me/policy-acceptances", "post", &["201", "200", "422"][..]),
        ("/api/v1/privacy/requests", "post", &["201", "403", "404", "422"][..]),
        ("/api/v1/privacy/requests", "get", &["200", "403"][..]),
        ("/api/v1/privacy/requests/{id}", "get", &["200", "404"][..]),
        (
            "/api/v1/privacy/requests/{id}/extend",
            "post",
            &["200", "409", "422"][..],
        ),
        (
            "/api/v1/privacy/requests/{id}/status",
            "post",
            &["200", "409", "422"][..],
        ),
        ("/api/v1/privacy/requests/{id}/identity", "post", &["200", "409"][..]),
        ("/api/v1/public/privacy-requests", "post", &["202", "422"][..]),
        (
            "/api/v1/public/privacy-requests/confirm",
            "post",
            &["200", "401", "410"][..],
        ),
    ] {
        let responses = &doc["paths"][path][method]["responses"];
        for status in statuses {
            assert!(responses[status].is_object(), "{method} {path} answers {status}");
        }
    }
    let schemas = &doc["components"]["schemas"];
    assert!(schemas["PrivacyRequestStatus"]["enum"].is_array());
    let detail = &schemas["PrivacyRequestDetail"]["properties"];
    assert_eq!(
        detail["due_on"]["type"], "string",
        "the flattened case carries its deadline"
    );
    assert_eq!(detail["history"]["type"], "array");
}
