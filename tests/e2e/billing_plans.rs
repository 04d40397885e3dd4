//! Plans and entitlements over HTTP: with `billing.provider = "none"`
//! nothing is limited; with a plan of three invoices a month the fourth
//! finalization answers 402 `plan_limit_reached` while reads and exports
//! still work; the plans are public and the subscription shows its usage;
//! a Paddle subscription's lifecycle over signed webhooks, applied in
//! Paddle's order, ends read-only.

use reqwest::StatusCode;
use serde_json::json;

use crate::support::{Account, TestApp};
use crate::{on_both_backends, on_both_backends_with};
use fakturo_server::Settings;
use fakturo_server::settings::PlanSection;

on_both_backends!(with_no_provider_nothing_is_limited);
mod paddle {
    use super::{on_both_backends_with, paddle_plans, the_paddle_lifecycle_moves_forward_only_and_ends_read_only};

    on_both_backends_with!(paddle_plans; the_paddle_lifecycle_moves_forward_only_and_ends_read_only);
}

mod closing {
    use super::{an_ended_subscription_can_start_the_closure_window, on_both_backends_with, paddle_closing};

    on_both_backends_with!(paddle_closing; an_ended_subscription_can_start_the_closure_window);
}

mod storage {
    use super::{a_plans_storage_is_a_limit_on_uploads, on_both_backends_with, tiny_storage};

    on_both_backends_with!(tiny_storage; a_plans_storage_is_a_limit_on_uploads);
}

mod limited {
    use super::{on_both_backends_with, small_plan, the_fourth_finalization_is_refused_while_reads_and_exports_work};

    use super::concurrent_finalizations_at_the_limit_pass_it_once;

    on_both_backends_with!(
        small_plan;
        the_fourth_finalization_is_refused_while_reads_and_exports_work,
        concurrent_finalizations_at_the_limit_pass_it_once,
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

fn tiny_storage(settings: &mut Settings) {
    small_plan(settings);
    settings.billing.plans[0].storage_bytes = Some(u64::try_from(crate::files::PNG.len() * 3 / 2).unwrap());
}

/// One file fits in the plan's storage, a second does not; deleting the
/// first makes room again.
async fn a_plans_storage_is_a_limit_on_uploads(app: TestApp) {
    let owner = app.signup("storage@plans.example").await;
    let client = app.client(&owner, "Client").await;
    let at = ("client", client.as_str());
    let png = crate::files::PNG.to_vec();
    let first = crate::files::upload(&app, &owner.token, at, "a.png", "image/png", png.clone()).await;
    assert_eq!(first.status, StatusCode::CREATED, "{:?}", first.body);
    let second = crate::files::upload(&app, &owner.token, at, "b.png", "image/png", png.clone()).await;
    assert_eq!(
        (second.status, second.code()),
        (StatusCode::PAYMENT_REQUIRED, "plan_limit_reached")
    );
    assert!(
        second.body["detail"].as_str().unwrap().contains("storage_bytes"),
        "{:?}",
        second.body
    );
    let id = first.str("id");
    let deleted = app
        .call(
            reqwest::Method::DELETE,
            &format!("/api/v1/files/{id}"),
            Some(&owner.token),
            None,
        )
        .await;
    assert!(deleted.status.is_success(), "{:?}", deleted.body);
    let again = crate::files::upload(&app, &owner.token, at, "b.png", "image/png", png).await;
    assert_eq!(again.status, StatusCode::CREATED, "{:?}", again.body);
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

/// Six drafts finalized at once with two of three left: the count is taken
/// inside each finalizing transaction, so exactly one more passes.
async fn concurrent_finalizations_at_the_limit_pass_it_once(app: TestApp) {
    let owner = app.signup("race@plans.example").await;
    let client = app.client(&owner, "Client").await;
    for _ in 0..2 {
        assert_eq!(finalize_one(&app, &owner, &client).await.0, StatusCode::OK);
    }
    let mut drafts = Vec::new();
    for _ in 0..6 {
        drafts.push(app.worked_example(&owner, &client).await.str("id"));
    }
    let finalizations = drafts.iter().map(|id| {
        let path = format!("/api/v1/invoices/{id}/finalize");
        let (app, token) = (&app, owner.token.clone());
        async move { app.post(&path, &token, json!({})).await }
    });
    let replies = futures::future::join_all(finalizations).await;
    let passed = replies.iter().filter(|r| r.status == StatusCode::OK).count();
    let refused: Vec<_> = replies
        .iter()
        .filter(|r| r.status == StatusCode::PAYMENT_REQUIRED)
        .map(|r| r.code().to_owned())
        .collect();
    assert_eq!(passed, 1, "{:?}", replies.iter().map(|r| r.status).collect::<Vec<_>>());
    assert_eq!(refused, vec!["plan_limit_reached"; 5]);
    let subscription = app.get("/api/v1/subscription", &owner.token).await;
    assert_eq!(subscription.body["usage"]["invoices_this_month"], 3);
    let numbers: Vec<String> = replies
        .iter()
        .filter(|r| r.status == StatusCode::OK)
        .map(|r| r.str("number"))
        .collect();
    assert_eq!(
        numbers,
        ["INV-2026-0003"],
        "no number was used up by a refused finalization"
    );
}

const PADDLE_SECRET: &str = "pdl_ntfset_e2e_secret";

fn paddle_plans(settings: &mut Settings) {
    settings.billing.provider = fakturo_domain::billing::BillingProvider::Paddle;
    settings.billing.paddle.api_key = "pdl_test_OperatorKey".to_owned();
    settings.billing.paddle.webhook_secrets = format!("pdl_ntfset_old, {PADDLE_SECRET}");
    settings.billing.plans = vec![PlanSection {
        id: "starter".to_owned(),
        name: "Starter".to_owned(),
        price_ids: vec!["pri_starter".to_owned()],
        invoices_per_month: Some(100),
        users: None,
        storage_bytes: None,
        features: vec![],
    }];
}

fn paddle_closing(settings: &mut Settings) {
    paddle_plans(settings);
    settings.billing.when_ended = fakturo_domain::billing::WhenEnded::Close;
}

/// With `billing.when_ended = "close"` the end of the subscription closes
/// the account as its owner could: export and reopening stay, the rest waits.
async fn an_ended_subscription_can_start_the_closure_window(app: TestApp) {
    let owner = app.signup("closing@plans.example").await;
    let tenant = owner.organization_id.clone();
    let active = paddle_event("evt_c1", "active", 0, &tenant);
    assert_eq!(deliver_paddle(&app, &active, PADDLE_SECRET).await, StatusCode::OK);
    assert_eq!(status_of(&app, &owner).await["status"], "active");
    assert_eq!(app.get("/api/v1/clients", &owner.token).await.status, StatusCode::OK);

    let canceled = paddle_event("evt_c2", "canceled", 10, &tenant);
    assert_eq!(deliver_paddle(&app, &canceled, PADDLE_SECRET).await, StatusCode::OK);
    app.drain_jobs().await;
    let blocked = app.get("/api/v1/clients", &owner.token).await;
    assert_eq!(
        (blocked.status, blocked.code()),
        (StatusCode::FORBIDDEN, "account_closed")
    );
    assert_eq!(
        subscription_emails(&app, "closing@plans.example"),
        ["Subject: Muster Design GmbH's subscription has ended and the account is closing"]
    );
    let reopened = app.post("/api/v1/account/reopen", &owner.session, json!({})).await;
    assert_eq!(reopened.status, StatusCode::NO_CONTENT, "{:?}", reopened.body);
}

fn paddle_event(id: &str, status: &str, minutes: i64, tenant: &str) -> String {
    let occurred_at = (chrono::DateTime::from_timestamp(1_795_000_000, 0).unwrap()
        + chrono::TimeDelta::minutes(minutes))
    .to_rfc3339();
    json!({"event_id": id, "event_type": format!("subscription.{status}"), "occurred_at": occurred_at,
        "notification_id": format!("ntf_{id}"), "data": {"id": "sub_01e2e", "status": status, "customer_id": "ctm_01e2e",
        "custom_data": {"tenant_id": tenant}, "items": [{"price": {"id": "pri_starter"}}],
        "current_billing_period": {"ends_at": "2026-12-22T00:00:00Z"}, "scheduled_change": null}})
    .to_string()
}

async fn deliver_paddle(app: &TestApp, body: &str, secret: &str) -> StatusCode {
    let now = fakturo_domain::kernel::clock::Clock::now(app.clock.as_ref());
    let signature = fakturo_billing::PaddleWebhooks::default().sign(
        &fakturo_domain::kernel::secrets::RevealedSecret::new(secret.to_owned()),
        body.as_bytes(),
        now,
    );
    app.http
        .post(format!("{}/api/v1/webhooks/paddle", app.base))
        .header("Content-Type", "application/json")
        .header("Paddle-Signature", signature)
        .body(body.to_owned())
        .send()
        .await
        .unwrap()
        .status()
}

/// The subject lines of the subscription notices emailed to `address`, oldest first.
fn subscription_emails(app: &TestApp, address: &str) -> Vec<String> {
    app.emails_to(address)
        .iter()
        .filter_map(|email| {
            let parsed = mailparse::parse_mail(email.as_bytes()).unwrap();
            mailparse::MailHeaderMap::get_first_value(parsed.headers.as_slice(), "Subject")
        })
        .filter(|subject| subject.contains("subscription"))
        .map(|subject| format!("Subject: {subject}"))
        .collect()
}

async fn status_of(app: &TestApp, owner: &Account) -> serde_json::Value {
    app.drain_jobs().await;
    app.get("/api/v1/subscription", &owner.token).await.body
}

async fn the_paddle_lifecycle_moves_forward_only_and_ends_read_only(app: TestApp) {
    let owner = app.signup("paddle@plans.example").await;
    let client = app.client(&owner, "Client").await;
    let tenant = owner.organization_id.clone();
    assert_eq!(
        status_of(&app, &owner).await["read_only"],
        true,
        "no subscription, no default plan"
    );
    assert_eq!(
        finalize_one(&app, &owner, &client).await.0,
        StatusCode::PAYMENT_REQUIRED
    );

    let forged = paddle_event("evt_p0", "active", 0, &tenant);
    assert_eq!(
        deliver_paddle(&app, &forged, "pdl_ntfset_forged").await,
        StatusCode::BAD_REQUEST
    );
    let trial = paddle_event("evt_p1", "trialing", 0, &tenant);
    assert_eq!(deliver_paddle(&app, &trial, PADDLE_SECRET).await, StatusCode::OK);
    let shown = status_of(&app, &owner).await;
    assert_eq!(
        (shown["status"].as_str(), shown["plan"].as_str()),
        (Some("trialing"), Some("starter"))
    );
    assert_eq!(finalize_one(&app, &owner, &client).await.0, StatusCode::OK);

    // Delivered out of order: the newer past_due is not undone by the older active.
    let past_due = paddle_event("evt_p3", "past_due", 20, &tenant);
    let active = paddle_event("evt_p2", "active", 10, &tenant);
    assert_eq!(
        deliver_paddle(&app, &past_due, "pdl_ntfset_old").await,
        StatusCode::OK,
        "rotation"
    );
    assert_eq!(deliver_paddle(&app, &active, PADDLE_SECRET).await, StatusCode::OK);
    assert_eq!(status_of(&app, &owner).await["status"], "past_due");
    let failed = subscription_emails(&app, "paddle@plans.example");
    assert_eq!(
        failed,
        ["Subject: A payment for Muster Design GmbH's subscription failed"],
        "the owner is told once, though the older event came after"
    );
    let canceled = paddle_event("evt_p4", "canceled", 30, &tenant);
    assert_eq!(deliver_paddle(&app, &canceled, PADDLE_SECRET).await, StatusCode::OK);
    let ended = status_of(&app, &owner).await;
    assert_eq!(
        subscription_emails(&app, "paddle@plans.example")
            .last()
            .map(String::as_str),
        Some("Subject: Muster Design GmbH's subscription has ended")
    );
    // The same end again tells nobody anything new.
    let again = paddle_event("evt_p5", "canceled", 30, &tenant);
    assert_eq!(deliver_paddle(&app, &again, PADDLE_SECRET).await, StatusCode::OK);
    app.drain_jobs().await;
    assert_eq!(subscription_emails(&app, "paddle@plans.example").len(), 2);
    assert_eq!(
        (ended["status"].as_str(), ended["read_only"].as_bool()),
        (Some("canceled"), Some(true))
    );
    let (status, body) = finalize_one(&app, &owner, &client).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::PAYMENT_REQUIRED, Some("plan_limit_reached"))
    );
    assert_eq!(
        app.get("/api/v1/invoices", &owner.token).await.status,
        StatusCode::OK,
        "reads still work"
    );
}
