//! Privacy requests from people without an account: always 202 for a
//! well-formed request, counted only once confirmed from the mailbox with a
//! single-use link, then received by every organization whose client uses
//! the address (the controller), or else by the operator; unconfirmed
//! submissions expire and are purged, and the address stays out of the logs.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::on_both_backends;
use crate::support::{TestApp, captured_logs};

on_both_backends!(public_requests_count_once_confirmed_and_reach_the_controllers);

const REQUESTS: &str = "/api/v1/privacy/requests";
const PUBLIC: &str = "/api/v1/public/privacy-requests";
const CONFIRM: &str = "/api/v1/public/privacy-requests/confirm";
const CONFIRMATION: &str = "Confirm your privacy request";

async fn public_requests_count_once_confirmed_and_reach_the_controllers(app: TestApp) {
    let first = app.signup("dsr-a@muster.example").await;
    let second = app.signup("dsr-b@other.example").await;
    let client_at_first = app.client(&first, "Person at A").await;
    app.client(&second, "Person at B").await;
    let submit = |body| app.call(Method::POST, PUBLIC, None, Some(body));
    let confirm = |token: &str| app.call(Method::POST, CONFIRM, None, Some(json!({"token": token})));
    let stranger = "stranger.unique@nowhere.example";
    let known = submit(json!({
        "type": "erasure",
        "email": "Billing@Client.example",
        "details": "Please delete my data.",
        "organization_hint": "Muster Design",
        "client_reference": "INV-2026-0001",
    }))
    .await;
    assert_eq!(known.status, StatusCode::ACCEPTED, "{:?}", known.body);
    let unknown = submit(json!({"type": "access", "email": stranger, "details": "What do you hold?"})).await;
    assert_eq!(
        (unknown.status, &unknown.body),
        (known.status, &known.body),
        "the same answer for anyone"
    );
    let invalid = submit(json!({"type": "gossip", "email": stranger, "details": "x"})).await;
    assert_eq!(invalid.code(), "validation_failed");
    let smuggled =
        submit(json!({"type": "access", "email": stranger, "details": "x", "tenant_id": first.organization_id})).await;
    assert_eq!(smuggled.status, StatusCode::BAD_REQUEST);
    assert!(
        app.get(REQUESTS, &first.token).await.body["data"]
            .as_array()
            .unwrap()
            .is_empty(),
        "nothing counts before confirmation"
    );

    let token = app.link_token("billing@client.example", CONFIRMATION).await;
    let forged = confirm("not-a-token").await;
    assert_eq!(
        (forged.status, forged.code()),
        (StatusCode::UNAUTHORIZED, "invalid_token")
    );
    let confirmed = confirm(&token).await;
    assert_eq!(confirmed.status, StatusCode::OK, "{:?}", confirmed.body);
    assert_eq!(confirmed.str("received_at"), "2026-11-22T10:00:00+00:00");
    let replay = confirm(&token).await;
    assert_eq!(
        (replay.status, replay.code()),
        (StatusCode::GONE, "token_expired_or_used")
    );

    for (owner, client) in [(&first, Some(client_at_first.as_str())), (&second, None)] {
        let cases = app.get(REQUESTS, &owner.token).await;
        let cases = cases.body["data"].as_array().unwrap().clone();
        assert_eq!(cases.len(), 1, "routed to each controller");
        let case = &cases[0];
        assert_eq!(case["type"], "erasure");
        assert_eq!(case["source"], "public_form");
        assert_eq!(case["received_at"], "2026-11-22T10:00:00+00:00");
        assert_eq!(case["due_on"], "2026-12-22");
        assert_eq!(case["identity_method"], "email_link");
        assert_eq!(case["identity_verified_at"], "2026-11-22T10:00:00+00:00");
        assert_eq!(case["organization_hint"], "Muster Design");
        assert_eq!(case["client_reference"], "INV-2026-0001");
        if let Some(client) = client {
            assert_eq!(case["client_id"], client);
        }
        let detail = app
            .get(&format!("{REQUESTS}/{}", case["id"].as_str().unwrap()), &owner.token)
            .await;
        let kinds: Vec<&str> = detail.body["history"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["kind"].as_str().unwrap())
            .collect();
        assert_eq!(kinds, ["received", "identity_verified"]);
    }

    // An address no organization knows: the operator's case.
    let token = app.link_token(stranger, CONFIRMATION).await;
    assert_eq!(confirm(&token).await.status, StatusCode::OK);
    let listing = fakturo_server::ops::privacy_requests(&app.state.settings)
        .await
        .unwrap();
    assert!(listing.contains("operator privacy requests: 1"), "{listing}");
    assert!(
        listing.contains("access received") && listing.contains(stranger),
        "{listing}"
    );
    assert_eq!(
        app.get(REQUESTS, &first.token).await.body["data"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    // Unconfirmed requests expire and are purged.
    submit(json!({"type": "objection", "email": "billing@client.example", "details": "Stop."})).await;
    let late = app.link_token("billing@client.example", CONFIRMATION).await;
    app.clock.advance(chrono::TimeDelta::hours(49));
    assert_eq!(confirm(&late).await.status, StatusCode::GONE);
    let report = app.run_due("2026-11-25").await;
    assert!(report.contains("3 expired submission(s) purged"), "{report}");
    assert!(
        !captured_logs().contains(stranger),
        "requesters' addresses stay out of the logs"
    );
}
