//! Correcting one's own account (`PATCH /api/v1/me`): the name at once; a
//! new email address only once the link sent to it is followed, with a
//! notice to the old address; an address another account uses is refused.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::on_both_backends;
use crate::support::TestApp;

on_both_backends!(the_name_changes_at_once_and_the_address_only_once_confirmed);

async fn the_name_changes_at_once_and_the_address_only_once_confirmed(app: TestApp) {
    let owner = app.signup("old@profile.example").await;
    app.signup("taken@profile.example").await;
    app.drain_jobs().await;

    let renamed = app
        .call(
            Method::PATCH,
            "/api/v1/me",
            Some(&owner.token),
            Some(json!({"name": "Erika Musterfrau"})),
        )
        .await;
    assert_eq!(renamed.status, StatusCode::OK, "{:?}", renamed.body);
    assert_eq!(renamed.body["user"]["name"], "Erika Musterfrau");
    assert!(renamed.body["pending_email"].is_null());

    let blank = app
        .call(
            Method::PATCH,
            "/api/v1/me",
            Some(&owner.token),
            Some(json!({"name": "  "})),
        )
        .await;
    assert_eq!(
        (blank.status, blank.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed")
    );
    let unknown = app
        .call(
            Method::PATCH,
            "/api/v1/me",
            Some(&owner.token),
            Some(json!({"role": "owner"})),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST, "{:?}", unknown.body);
    let taken = app
        .call(
            Method::PATCH,
            "/api/v1/me",
            Some(&owner.token),
            Some(json!({"email": "Taken@profile.example"})),
        )
        .await;
    assert_eq!((taken.status, taken.code()), (StatusCode::CONFLICT, "email_taken"));

    let asked = app
        .call(
            Method::PATCH,
            "/api/v1/me",
            Some(&owner.token),
            Some(json!({"email": "new@profile.example"})),
        )
        .await;
    assert_eq!(asked.status, StatusCode::OK, "{:?}", asked.body);
    assert_eq!(asked.body["pending_email"], "new@profile.example");
    assert_eq!(
        asked.body["user"]["email"], "old@profile.example",
        "nothing changes yet"
    );
    let token = app
        .link_token("new@profile.example", "Confirm your new email address")
        .await;
    let notices = app.emails_to("old@profile.example");
    assert!(
        notices
            .iter()
            .any(|e| e.contains("change of your account's email address")),
        "the old address is told"
    );
    let me = app.get("/api/v1/me", &owner.token).await;
    assert_eq!(me.body["user"]["email"], "old@profile.example");

    let confirm = |token: &str| {
        app.call(
            Method::POST,
            "/api/v1/email-verifications/confirm",
            None,
            Some(json!({"token": token})),
        )
    };
    assert_eq!(confirm(&token).await.status, StatusCode::NO_CONTENT);
    let me = app.get("/api/v1/me", &owner.token).await;
    assert_eq!(me.body["user"]["email"], "new@profile.example");
    assert_eq!(me.body["user"]["email_verified"], true);
    assert_eq!(confirm(&token).await.status, StatusCode::GONE, "the link works once");

    // The new address signs in; the old one no longer does.
    let sign_in = |email: &str| {
        app.call(
            Method::POST,
            "/api/v1/sessions",
            None,
            Some(json!({"email": email, "password": "correct horse battery"})),
        )
    };
    assert_eq!(sign_in("new@profile.example").await.status, StatusCode::CREATED);
    assert_eq!(sign_in("old@profile.example").await.status, StatusCode::UNAUTHORIZED);
}
