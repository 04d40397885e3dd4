//! Sign-up, sign-in, sessions and "who am I".

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::on_both_backends;
use crate::support::{TestApp, signup_body};

on_both_backends!(signup_sign_in_and_out, signup_rules, expired_sessions_stop_working);

async fn signup_sign_in_and_out(app: TestApp) {
    let owner = app.signup("ada@muster.example").await;
    let me = app.get("/api/v1/me", &owner.token).await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.str("role"), "owner");
    assert_eq!(me.body["user"]["email"], "ada@muster.example");
    assert_eq!(me.body["organization"]["country"], "DE");
    assert_eq!(me.body["organization"]["default_currency"], "EUR");
    assert_eq!(me.body["organization"]["time_zone"], "Europe/Berlin");

    let wrong = app
        .call(
            Method::POST,
            "/api/v1/sessions",
            None,
            Some(json!({"email": "ada@muster.example", "password": "wrong password"})),
        )
        .await;
    assert_eq!(
        (wrong.status, wrong.code()),
        (StatusCode::UNAUTHORIZED, "invalid_credentials")
    );
    let unknown = app
        .call(
            Method::POST,
            "/api/v1/sessions",
            None,
            Some(json!({"email": "nobody@muster.example", "password": "wrong password"})),
        )
        .await;
    assert_eq!(unknown.body, wrong.body, "unknown accounts look like wrong passwords");

    let session = app
        .call(
            Method::POST,
            "/api/v1/sessions",
            None,
            Some(json!({"email": "ADA@muster.example", "password": "correct horse battery"})),
        )
        .await;
    assert_eq!(session.status, StatusCode::CREATED, "{:?}", session.body);
    let token = session.str("token");
    assert!(token.starts_with("fks_"));
    assert_ne!(token, owner.session);
    assert_eq!(session.str("expires_at"), "2026-11-23T10:00:00+00:00");

    let out = app
        .call(Method::DELETE, "/api/v1/sessions/current", Some(&token), None)
        .await;
    assert_eq!(out.status, StatusCode::NO_CONTENT);
    let after = app.get("/api/v1/me", &token).await;
    assert_eq!(
        (after.status, after.code()),
        (StatusCode::UNAUTHORIZED, "unauthenticated")
    );
    assert_eq!(
        app.get("/api/v1/me", &owner.session).await.status,
        StatusCode::OK,
        "other sessions live on"
    );
    let none = app.call(Method::GET, "/api/v1/me", None, None).await;
    assert_eq!(
        (none.status, none.code()),
        (StatusCode::UNAUTHORIZED, "unauthenticated")
    );
}

async fn signup_rules(app: TestApp) {
    let signup = |body| app.call(Method::POST, "/api/v1/signup", None, Some(body));
    let mut old_policy = signup_body("policy@muster.example", "correct horse battery");
    old_policy["accept_policy_version"] = json!("2020-01-01");
    let reply = signup(old_policy).await;
    assert_eq!(
        (reply.status, reply.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "policy_not_accepted")
    );

    let mut young = signup_body("young@muster.example", "correct horse battery");
    young["confirm_minimum_age"] = json!(false);
    let reply = signup(young).await;
    assert_eq!(
        (reply.status, reply.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "minimum_age_not_confirmed")
    );

    let reply = signup(signup_body("short@muster.example", "short")).await;
    assert_eq!(
        (reply.status, reply.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed")
    );
    assert_eq!(reply.body["errors"][0]["field"], "password");

    let mut bad = signup_body("not-an-email", "correct horse battery");
    bad["country"] = json!("Germany");
    let reply = signup(bad).await;
    let fields: Vec<&str> = reply.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["email", "country"]);

    app.signup("taken@muster.example").await;
    let reply = signup(signup_body("Taken@Muster.example", "correct horse battery")).await;
    assert_eq!((reply.status, reply.code()), (StatusCode::CONFLICT, "email_taken"));

    let mut extra = signup_body("extra@muster.example", "correct horse battery");
    extra["role"] = json!("admin");
    let reply = signup(extra).await;
    assert_eq!(
        (reply.status, reply.code()),
        (StatusCode::BAD_REQUEST, "invalid_request")
    );
}

async fn expired_sessions_stop_working(app: TestApp) {
    let owner = app.signup("clock@muster.example").await;
    let idle = app
        .call(
            Method::POST,
            "/api/v1/sessions",
            None,
            Some(json!({"email": "clock@muster.example", "password": "correct horse battery"})),
        )
        .await
        .str("token");
    // Used every hour, a session lives its full 24 hours (absolute expiry)…
    for _ in 0..23 {
        app.clock.advance(chrono::TimeDelta::hours(1));
        assert_eq!(app.get("/api/v1/me", &owner.session).await.status, StatusCode::OK);
    }
    app.clock.advance(chrono::TimeDelta::hours(1));
    assert_eq!(
        app.get("/api/v1/me", &owner.session).await.status,
        StatusCode::UNAUTHORIZED
    );
    // …and one left alone lapses after two idle hours.
    assert_eq!(app.get("/api/v1/me", &idle).await.status, StatusCode::UNAUTHORIZED);
    let fresh = app
        .call(
            Method::POST,
            "/api/v1/sessions",
            None,
            Some(json!({"email": "clock@muster.example", "password": "correct horse battery"})),
        )
        .await
        .str("token");
    app.clock.advance(chrono::TimeDelta::minutes(119));
    assert_eq!(app.get("/api/v1/me", &fresh).await.status, StatusCode::OK);
    app.clock.advance(chrono::TimeDelta::minutes(119));
    assert_eq!(
        app.get("/api/v1/me", &fresh).await.status,
        StatusCode::OK,
        "use resets the idle clock"
    );
    app.clock.advance(chrono::TimeDelta::minutes(121));
    assert_eq!(app.get("/api/v1/me", &fresh).await.status, StatusCode::UNAUTHORIZED);
}
