//! Plans and entitlements over HTTP: with `billing.provider = "none"`
//! nothing is limited; with a plan of three invoices a month the fourth
//! finalization answers 402 `plan_limit_reached` while reads and exports
//! still work; the plans are public and the subscription shows its usage.

use reqwest::StatusCode;
use serde_json::json;

use crate::support::{Account, TestApp};
use crate::{on_both_backends, on_both_backends_with};
use fakturo_server::Settings;
use fakturo_server::settings::PlanSection;

on_both_backends!(with_no_provider_nothing_is_limited);
mod limited {
    use super::{on_both_backends_with, small_plan, the_fourth_finalization_is_refused_while_reads_and_exports_work};

    on_both_backends_with!(
        small_plan;
        the_fourth_finalization_is_refused_while_reads_and_exports_work,
    );
}

fn small_plan(settings: &mut Settings) {
    settings.billing.provider = fakturo_domain::billing::BillingProvider::Stripe;
    settings.billing.stripe.secret_key = "sk_test_OperatorKey0000".to_owned();
    settings.billing.plans = vec![PlanSection {
        id: "small".to_owned(),
        name: "Small".to_owned(),
        price_ids: vec!["price_small".to_owned()],
        invoices_per_month: Some(3),
        users: Some(1),
        storage_bytes: None,
        features: vec![],
    }];
    settings.billing.default_plan = "small".to_owned();
}

async fn finalize_one(app: &TestApp, owner: &Account, client: &str) -> (StatusCode, serde_json::Value) {
    let id = app.worked_example(owner, client).await.str("id");
    let reply = app
        .post(&format!("/api/v1/invoices/{id}/finalize"), &owner.token, json!({}))
        .await;
    (reply.status, reply.body)
}

async fn with_no_provider_nothing_is_limited(app: TestApp) {
    let owner = app.signup("free@plans.example").await;
    let client = app.client(&owner, "Client").await;
    for _ in 0..5 {
        assert_eq!(finalize_one(&app, &owner, &client).await.0, StatusCode::OK);
    }
    let subscription = app.get("/api/v1/subscription", &owner.token).await;
    assert_eq!(subscription.status, StatusCode::OK, "{:?}", subscription.body);
    assert_eq!(subscription.body["status"], "none");
    assert_eq!(subscription.body["read_only"], false);
    assert_eq!(subscription.body["usage"]["invoices_this_month"], 5);
    let checkout = app
        .post("/api/v1/subscription/checkout", &owner.token, json!({"plan": "small"}))
        .await;
    assert_eq!(
        (checkout.status, checkout.code()),
        (StatusCode::CONFLICT, "billing_not_configured")
    );
}

async fn the_fourth_finalization_is_refused_while_reads_and_exports_work(app: TestApp) {
    let plans = app.call(reqwest::Method::GET, "/api/v1/public/plans", None, None).await;
    assert_eq!(plans.body[0]["id"], "small");
    assert_eq!(plans.body[0]["limits"]["invoices_per_month"], 3);

    let owner = app.signup("small@plans.example").await;
    let client = app.client(&owner, "Client").await;
    for _ in 0..3 {
        let (status, body) = finalize_one(&app, &owner, &client).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let (status, body) = finalize_one(&app, &owner, &client).await;
    assert_eq!(status, StatusCode::PAYMENT_REQUIRED, "{body}");
    assert_eq!(body["code"], "plan_limit_reached");
    assert!(
        body["detail"].as_str().unwrap().contains("invoices_per_month"),
        "{body}"
    );
    assert!(
        body["detail"]
            .as_str()
            .unwrap()
            .contains("/api/v1/subscription/checkout"),
        "{body}"
    );

    let invite = app
        .post(
            "/api/v1/users/invitations",
            &owner.token,
            json!({"email": "second@plans.example", "role": "member"}),
        )
        .await;
    assert_eq!(
        (invite.status, invite.code()),
        (StatusCode::PAYMENT_REQUIRED, "plan_limit_reached")
    );

    assert_eq!(app.get("/api/v1/invoices", &owner.token).await.status, StatusCode::OK);
    let export = app
        .post("/api/v1/privacy/exports", &owner.token, json!({"scope": "tenant"}))
        .await;
    assert!(
        export.status.is_success(),
        "exports are never blocked: {:?}",
        export.body
    );
    let subscription = app.get("/api/v1/subscription", &owner.token).await;
    assert_eq!(subscription.body["plan"], "small");
    assert_eq!(subscription.body["usage"]["invoices_this_month"], 3);
    assert_eq!(subscription.body["limits"]["invoices_per_month"], 3);
}
