//! Emailed links: magic sign-in links and password resets work once and
//! expire after 15 minutes; asking for one never reveals whether an address
//! has an account; a reset ends every session; verification confirms the
//! address.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::on_both_backends;
use crate::support::TestApp;

on_both_backends!(
    magic_links_work_once_and_expire,
    resets_end_sessions_and_work_once,
    email_addresses_get_verified
);

async fn magic_links_work_once_and_expire(app: TestApp) {
    let owner = app.signup("magic@links.example").await;
    for email in ["magic@links.example", "nobody@links.example"] {
        let asked = app
            .call(Method::POST, "/api/v1/login-links", None, Some(json!({"email": email})))
            .await;
        assert_eq!(asked.status, StatusCode::ACCEPTED, "always 202: {email}");
        assert_eq!(asked.body, serde_json::Value::Null, "and the same empty answer");
    }
    let token = app.link_token("magic@links.example", "sign-in link").await;
    assert!(app.emails_to("nobody@links.example").is_empty());

    let redeem = |token: String| {
        app.call(
            Method::POST,
            "/api/v1/login-links/redeem",
            None,
            Some(json!({"token": token})),
        )
    };
    let session = redeem(token.clone()).await;
    assert_eq!(session.status, StatusCode::CREATED, "{:?}", session.body);
    let fresh = session.str("token");
    assert_ne!(fresh, owner.session);
    assert_eq!(app.get("/api/v1/me", &fresh).await.str("role"), "owner");
    let replay = redeem(token).await;
    assert_eq!(
        (replay.status, replay.code()),
        (StatusCode::GONE, "token_expired_or_used")
    );

    app.call(
        Method::POST,
        "/api/v1/login-links",
        None,
        Some(json!({"email": "magic@links.example"})),
    )
    .await;
    let late = app.link_token("magic@links.example", "sign-in link").await;
    app.clock.advance(chrono::TimeDelta::minutes(16));
    assert_eq!(redeem(late).await.status, StatusCode::GONE, "expired after 15 minutes");
    let unknown = redeem("made-up".into()).await;
    assert_eq!(
        (unknown.status, unknown.code()),
        (StatusCode::UNAUTHORIZED, "invalid_token")
    );

    let methods: Vec<String> = app
        .get("/api/v1/audit-events?action=auth.sign_in_succeeded", &fresh)
        .await
        .body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["details"]["method"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(methods, ["magic_link"]);
}

async fn resets_end_sessions_and_work_once(app: TestApp) {
    let owner = app.signup("forgetful@links.example").await;
    let asked = app
        .call(
            Method::POST,
            "/api/v1/password-resets",
            None,
            Some(json!({"email": "forgetful@links.example"})),
        )
        .await;
    assert_eq!(asked.status, StatusCode::ACCEPTED);
    let token = app.link_token("forgetful@links.example", "Reset your password").await;
    let complete = |token: &str, password: &str| {
        app.call(
            Method::POST,
            "/api/v1/password-resets/complete",
            None,
            Some(json!({"token": token, "new_password": password})),
        )
    };
    let weak = complete(&token, "password1").await;
    assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(weak.body["errors"][0]["code"], "password_too_common");

    let done = complete(&token, "a brand new passphrase").await;
    assert_eq!(done.status, StatusCode::NO_CONTENT, "{:?}", done.body);
    assert_eq!(
        app.get("/api/v1/me", &owner.session).await.status,
        StatusCode::UNAUTHORIZED,
        "a reset ends every session"
    );
    let replay = complete(&token, "yet another passphrase").await;
    assert_eq!(replay.status, StatusCode::GONE);

    let sign_in = |password: &str| {
        app.call(
            Method::POST,
            "/api/v1/sessions",
            None,
            Some(json!({"email": "forgetful@links.example", "password": password})),
        )
    };
    assert_eq!(sign_in("correct horse battery").await.status, StatusCode::UNAUTHORIZED);
    let session = sign_in("a brand new passphrase").await;
    assert_eq!(session.status, StatusCode::CREATED);

    // A password change needs the current password and ends the other sessions.
    let other = sign_in("a brand new passphrase").await.str("token");
    let change = |current: &str| {
        app.call(
            Method::PUT,
            "/api/v1/me/password",
            Some(&other),
            Some(json!({"current_password": current, "new_password": "the third passphrase"})),
        )
    };
    let wrong = change("not it at all").await;
    assert_eq!(
        (wrong.status, wrong.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "wrong_password")
    );
    let changed = change("a brand new passphrase").await;
    assert_eq!(changed.status, StatusCode::OK, "{:?}", changed.body);
    let newest = changed.str("token");
    assert_eq!(app.get("/api/v1/me", &newest).await.status, StatusCode::OK);
    for old in [session.str("token"), other.clone()] {
        assert_eq!(app.get("/api/v1/me", &old).await.status, StatusCode::UNAUTHORIZED);
    }
}

async fn email_addresses_get_verified(app: TestApp) {
    let owner = app.signup("verify@links.example").await;
    assert_eq!(
        app.get("/api/v1/me", &owner.token).await.body["user"]["email_verified"],
        false
    );
    // The welcome email carries the verification link.
    let token = app
        .link_token("verify@links.example", "Confirm your email address")
        .await;
    let confirm = |token: &str| {
        app.call(
            Method::POST,
            "/api/v1/email-verifications/confirm",
            None,
            Some(json!({"token": token})),
        )
    };
    assert_eq!(confirm(&token).await.status, StatusCode::NO_CONTENT);
    assert_eq!(
        app.get("/api/v1/me", &owner.token).await.body["user"]["email_verified"],
        true
    );
    assert_eq!(confirm(&token).await.status, StatusCode::GONE);
    let again = app
        .call(Method::POST, "/api/v1/email-verifications", Some(&owner.token), None)
        .await;
    assert_eq!(
        (again.status, again.code()),
        (StatusCode::CONFLICT, "email_already_verified")
    );
}
