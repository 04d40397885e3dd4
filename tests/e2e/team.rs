//! Teams: invitations by email with a single-use link, roles that nobody
//! can raise above their own, removal that ends sessions and API tokens at
//! once, and the last owner who cannot leave.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::on_both_backends;
use crate::support::TestApp;

on_both_backends!(
    invitations_are_single_use_and_expire,
    roles_are_capped_and_the_last_owner_stays,
    removal_ends_sessions_and_tokens_at_once
);

fn acceptance(token: &str) -> serde_json::Value {
    json!({
        "token": token,
        "name": "Nina Neu",
        "password": "a long team password",
        "accept_policy_version": "2026-11-01",
        "confirm_minimum_age": true,
    })
}

async fn invitations_are_single_use_and_expire(app: TestApp) {
    let owner = app.signup("owner@team.example").await;
    let invited = app
        .post(
            "/api/v1/users/invitations",
            &owner.token,
            json!({"email": "nina@team.example", "role": "member"}),
        )
        .await;
    assert_eq!(invited.status, StatusCode::CREATED, "{:?}", invited.body);
    assert_eq!(invited.str("status"), "pending");
    let token = app.link_token("nina@team.example", "invites you").await;

    let joined = app
        .call(
            Method::POST,
            "/api/v1/invitations/accept",
            None,
            Some(acceptance(&token)),
        )
        .await;
    assert_eq!(joined.status, StatusCode::CREATED, "{:?}", joined.body);
    assert_eq!(joined.body["user"]["role"], "member");
    assert_eq!(
        joined.body["user"]["email_verified"], true,
        "the link arrived at the address"
    );
    assert_eq!(joined.body["organization"]["id"], owner.organization_id.as_str());
    let member = joined.str("token");
    assert_eq!(app.get("/api/v1/me", &member).await.str("role"), "member");

    let replay = app
        .call(
            Method::POST,
            "/api/v1/invitations/accept",
            None,
            Some(acceptance(&token)),
        )
        .await;
    assert_eq!(
        (replay.status, replay.code()),
        (StatusCode::GONE, "token_expired_or_used")
    );
    let forged = app
        .call(
            Method::POST,
            "/api/v1/invitations/accept",
            None,
            Some(acceptance("not-a-token")),
        )
        .await;
    assert_eq!(
        (forged.status, forged.code()),
        (StatusCode::UNAUTHORIZED, "invalid_token")
    );

    // A second invitation expires after seven days; a revoked one never works.
    app.post(
        "/api/v1/users/invitations",
        &owner.token,
        json!({"email": "late@team.example", "role": "accountant"}),
    )
    .await;
    let late = app.link_token("late@team.example", "invites you").await;
    app.clock.advance(chrono::TimeDelta::days(8));
    let owner = app.signup("owner2@team.example").await;
    let expired = app
        .call(
            Method::POST,
            "/api/v1/invitations/accept",
            None,
            Some(acceptance(&late)),
        )
        .await;
    assert_eq!(expired.status, StatusCode::GONE);
    let revocable = app
        .post(
            "/api/v1/users/invitations",
            &owner.token,
            json!({"email": "maybe@team.example", "role": "member"}),
        )
        .await
        .str("id");
    let revoked_token = app.link_token("maybe@team.example", "invites you").await;
    let revoked = app
        .call(
            Method::DELETE,
            &format!("/api/v1/users/invitations/{revocable}"),
            Some(&owner.token),
            None,
        )
        .await;
    assert_eq!(revoked.status, StatusCode::NO_CONTENT);
    let refused = app
        .call(
            Method::POST,
            "/api/v1/invitations/accept",
            None,
            Some(acceptance(&revoked_token)),
        )
        .await;
    assert_eq!(refused.status, StatusCode::GONE);
    let listed = app.get("/api/v1/users/invitations", &owner.token).await;
    assert_eq!(listed.body["data"][0]["status"], "revoked");

    // Someone who already has an account cannot be invited again.
    let taken = app
        .post(
            "/api/v1/users/invitations",
            &owner.token,
            json!({"email": "NINA@team.example", "role": "member"}),
        )
        .await;
    assert_eq!((taken.status, taken.code()), (StatusCode::CONFLICT, "email_taken"));
}

async fn roles_are_capped_and_the_last_owner_stays(app: TestApp) {
    let owner = app.signup("boss@roles.example").await;
    let admin = app.join(&owner, "admin@roles.example", "admin").await;
    let member = app.join(&owner, "member@roles.example", "member").await;

    // Members manage nobody; admins invite up to admin, never an owner.
    let by_member = app
        .post(
            "/api/v1/users/invitations",
            &member.token,
            json!({"email": "x@roles.example", "role": "member"}),
        )
        .await;
    assert_eq!(
        (by_member.status, by_member.code()),
        (StatusCode::FORBIDDEN, "forbidden")
    );
    let too_high = app
        .post(
            "/api/v1/users/invitations",
            &admin.token,
            json!({"email": "x@roles.example", "role": "owner"}),
        )
        .await;
    assert_eq!((too_high.status, too_high.code()), (StatusCode::FORBIDDEN, "forbidden"));

    let users = app.get("/api/v1/users", &member.token).await;
    assert_eq!(
        users.body["data"].as_array().unwrap().len(),
        3,
        "everyone sees the team"
    );
    let id_of = |email: &str| {
        users.body["data"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["email"] == email)
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let (owner_id, member_id) = (id_of("boss@roles.example"), id_of("member@roles.example"));

    let demote_owner = app
        .call(
            Method::PATCH,
            &format!("/api/v1/users/{owner_id}"),
            Some(&admin.token),
            Some(json!({"role": "member"})),
        )
        .await;
    assert_eq!(
        demote_owner.status,
        StatusCode::FORBIDDEN,
        "admins cannot act on owners"
    );
    let promoted = app
        .call(
            Method::PATCH,
            &format!("/api/v1/users/{member_id}"),
            Some(&admin.token),
            Some(json!({"role": "accountant"})),
        )
        .await;
    assert_eq!(promoted.status, StatusCode::OK);
    assert_eq!(promoted.str("role"), "accountant");
    assert_eq!(app.get("/api/v1/me", &member.token).await.str("role"), "accountant");
    let now_read_only = app.post("/api/v1/clients", &member.token, json!({"name": "X"})).await;
    assert_eq!(
        now_read_only.status,
        StatusCode::FORBIDDEN,
        "a role change applies at once"
    );

    let last_owner = app
        .call(
            Method::PATCH,
            &format!("/api/v1/users/{owner_id}"),
            Some(&owner.token),
            Some(json!({"role": "admin"})),
        )
        .await;
    assert_eq!(
        (last_owner.status, last_owner.code()),
        (StatusCode::CONFLICT, "last_owner")
    );
    let leave = app
        .call(
            Method::DELETE,
            &format!("/api/v1/users/{owner_id}"),
            Some(&owner.token),
            None,
        )
        .await;
    assert_eq!((leave.status, leave.code()), (StatusCode::CONFLICT, "last_owner"));

    let events = app
        .get("/api/v1/audit-events?action=team.role_changed", &owner.token)
        .await;
    let event = &events.body["data"][0];
    assert_eq!(event["details"]["from"], "member");
    assert_eq!(event["details"]["to"], "accountant");
    assert_eq!(event["target_id"], member_id.as_str());
    let forbidden = app.get("/api/v1/audit-events", &member.token).await;
    assert_eq!(
        forbidden.status,
        StatusCode::FORBIDDEN,
        "only owners and admins read the log"
    );
}

async fn removal_ends_sessions_and_tokens_at_once(app: TestApp) {
    let owner = app.signup("boss@removal.example").await;
    let member = app.join(&owner, "leaving@removal.example", "member").await;
    let api_token = app
        .post("/api/v1/api-tokens", &member.token, json!({"name": "script"}))
        .await
        .str("token");
    assert_eq!(app.get("/api/v1/clients", &api_token).await.status, StatusCode::OK);
    let member_id = app.get("/api/v1/me", &member.token).await.body["user"]["id"]
        .as_str()
        .unwrap()
        .to_owned();

    let removed = app
        .call(
            Method::DELETE,
            &format!("/api/v1/users/{member_id}"),
            Some(&owner.token),
            None,
        )
        .await;
    assert_eq!(removed.status, StatusCode::NO_CONTENT);
    for token in [&member.token, &api_token] {
        let reply = app.get("/api/v1/clients", token).await;
        assert_eq!(
            (reply.status, reply.code()),
            (StatusCode::UNAUTHORIZED, "unauthenticated")
        );
    }
    let signin = app
        .call(
            Method::POST,
            "/api/v1/sessions",
            None,
            Some(json!({"email": "leaving@removal.example", "password": "a long team password"})),
        )
        .await;
    assert_eq!(signin.status, StatusCode::UNAUTHORIZED);
    let again = app
        .call(
            Method::DELETE,
            &format!("/api/v1/users/{member_id}"),
            Some(&owner.token),
            None,
        )
        .await;
    assert_eq!((again.status, again.code()), (StatusCode::NOT_FOUND, "user_not_found"));
}
