//! The Paddle client and provider against a wiremock fake that checks what
//! Paddle's API documents (JSON, `Paddle-Version: 1`, a bearer key, an
//! idempotency key on POST, the required fields).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::DateTime;
use fakturo_billing::{PADDLE_API_VERSION, PaddleClient, PaddleProvider};
use fakturo_domain::billing::gateway::{BillingApiError, SubscriptionCheckout};
use fakturo_domain::billing::ports::SubscriptionProvider;
use fakturo_domain::billing::subscription::SubscriptionStatus;
use fakturo_domain::kernel::secrets::RevealedSecret;
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::stripe_api::ids;
use crate::support::fast_settings;

fn paddle_error(status: u16, code: &str) -> ResponseTemplate {
    ResponseTemplate::new(status)
        .set_body_json(json!({"error": {"type": "request_error", "code": code, "detail": code}}))
}

/// The fake: subscriptions it reports, by id.
#[derive(Clone, Default)]
pub struct PaddleFake {
    pub subscriptions: Arc<Mutex<HashMap<String, Value>>>,
}

impl Respond for PaddleFake {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let header = |name: &str| {
            request
                .headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        if header("paddle-version").as_deref() != Some(PADDLE_API_VERSION) {
            return paddle_error(400, "invalid_version");
        }
        if header("authorization").as_deref() != Some("Bearer pdl_sdbx_apikey_test") {
            return paddle_error(403, "forbidden");
        }
        let post = request.method.as_str() == "POST";
        if post && header("idempotency-key").is_none() {
            return paddle_error(400, "idempotency_key_missing");
        }
        if post && !header("content-type").is_some_and(|c| c.starts_with("application/json")) {
            return paddle_error(400, "invalid_json");
        }
        let body: Value = serde_json::from_slice(&request.body).unwrap_or(Value::Null);
        let path = request.url.path().to_owned();
        match (request.method.as_str(), path.as_str()) {
            ("POST", "/transactions") => {
                let item = &body["items"][0];
                if !item["price_id"].is_string() || !item["quantity"].is_number() {
                    return paddle_error(400, "bad_request");
                }
                ResponseTemplate::new(201).set_body_json(json!({"data": {
                    "id": "txn_01fake", "status": "ready", "customer_id": body["customer_id"], "subscription_id": null,
                    "currency_code": "EUR", "custom_data": body["custom_data"], "created_at": "2026-01-01T00:00:00Z",
                    "checkout": {"url": "https://pay.paddle.example/checkout?_ptxn=txn_01fake"},
                    "details": {"totals": {"grand_total": "1900", "total": "1900"}}
                }}))
            }
            ("GET", "/transactions") => {
                if !request.url.query().unwrap_or_default().contains("customer_id=ctm_01") {
                    return paddle_error(400, "bad_request");
                }
                ResponseTemplate::new(200).set_body_json(json!({"data": [{
                    "id": "txn_01paid", "status": "completed", "customer_id": "ctm_01", "subscription_id": "sub_01",
                    "currency_code": "EUR", "created_at": "2026-01-01T00:00:00Z", "billed_at": "2026-01-01T00:05:00Z",
                    "details": {"totals": {"grand_total": "1900"}}
                }], "meta": {"pagination": {"has_more": false}}}))
            }
            ("GET", p) if p.starts_with("/subscriptions/") => {
                match self
                    .subscriptions
                    .lock()
                    .unwrap()
                    .get(p.trim_start_matches("/subscriptions/"))
                {
                    Some(subscription) => ResponseTemplate::new(200).set_body_json(json!({"data": subscription})),
                    None => paddle_error(404, "not_found"),
                }
            }
            ("POST", "/customers/ctm_01/portal-sessions") => ResponseTemplate::new(201).set_body_json(json!({"data": {
                "id": "cpls_01", "customer_id": "ctm_01",
                "urls": {"general": {"overview": "https://customer-portal.paddle.com/cpl_01"}, "subscriptions": []}
            }})),
            _ => paddle_error(404, "not_found"),
        }
    }
}

async fn paddle() -> (MockServer, PaddleFake, PaddleProvider) {
    let server = MockServer::start().await;
    let fake = PaddleFake::default();
    Mock::given(wiremock::matchers::any())
        .respond_with(fake.clone())
        .with_priority(10)
        .mount(&server)
        .await;
    let key = RevealedSecret::new("pdl_sdbx_apikey_test".to_owned());
    let client = PaddleClient::new(&fast_settings(&server.uri()), key).unwrap();
    assert!(!format!("{client:?}").contains("apikey_test"));
    (server, fake, PaddleProvider::new(client))
}

fn checkout(customer: Option<&str>) -> SubscriptionCheckout {
    SubscriptionCheckout {
        tenant: ids().0,
        price_id: "pri_01pro".to_owned(),
        customer_id: customer.map(str::to_owned),
        trial_days: 14,
        success_url: "https://fakturo.example/settings/billing?done=1".to_owned(),
        cancel_url: "https://fakturo.example/settings/billing".to_owned(),
        idempotency_key: "fakturo-subscribe-t-pri".to_owned(),
    }
}

#[tokio::test]
async fn checkout_creates_a_transaction_with_the_tenant_in_custom_data() {
    let (server, _, provider) = paddle().await;
    let url = provider.checkout(&checkout(Some("ctm_01"))).await.unwrap();
    assert_eq!(url, "https://pay.paddle.example/checkout?_ptxn=txn_01fake");
    let request = &server.received_requests().await.unwrap()[0];
    assert_eq!(
        request.headers.get("idempotency-key").unwrap(),
        "fakturo-subscribe-t-pri"
    );
    let body: Value = serde_json::from_slice(&request.body).unwrap();
    assert_eq!(body["items"][0], json!({"price_id": "pri_01pro", "quantity": 1}));
    assert_eq!(body["custom_data"]["tenant_id"], ids().0.to_string());
    assert_eq!(body["customer_id"], "ctm_01");
}

#[tokio::test]
async fn subscriptions_portal_and_transactions_are_read() {
    let (_server, fake, provider) = paddle().await;
    fake.subscriptions.lock().unwrap().insert("sub_01".to_owned(), json!({
        "id": "sub_01", "status": "trialing", "customer_id": "ctm_01", "custom_data": {"tenant_id": ids().0.to_string()},
        "items": [{"price": {"id": "pri_01pro"}}], "current_billing_period": {"ends_at": "2026-01-15T00:00:00Z"},
        "scheduled_change": null, "updated_at": "2026-01-01T00:00:00Z"
    }));
    let fetched_at = DateTime::from_timestamp(1_767_300_000, 0).unwrap();
    let snapshot = provider.fetch_subscription("sub_01", fetched_at).await.unwrap();
    assert_eq!(
        (snapshot.status, snapshot.tenant),
        (SubscriptionStatus::Trialing, Some(ids().0))
    );
    assert_eq!(snapshot.ordering_key.to_rfc3339(), "2026-01-01T00:00:00+00:00");
    assert!(matches!(
        provider.fetch_subscription("sub_02", fetched_at).await,
        Err(BillingApiError::NotFound)
    ));
    assert_eq!(
        provider
            .portal("ctm_01", "https://r", "fakturo-portal-1")
            .await
            .unwrap(),
        "https://customer-portal.paddle.com/cpl_01"
    );
    let transactions = provider.transactions(ids().0, "ctm_01", 20).await.unwrap();
    assert_eq!(
        (
            transactions[0].provider_reference.as_str(),
            transactions[0].amount_minor
        ),
        ("txn_01paid", 1900)
    );
    assert_eq!(transactions[0].occurred_at.to_rfc3339(), "2026-01-01T00:05:00+00:00");
}

#[tokio::test]
async fn refusals_keep_paddles_code_and_outages_are_retried() {
    let (server, _, provider) = paddle().await;
    let mut bad = checkout(None);
    bad.price_id = String::new();
    Mock::given(method("POST"))
        .and(path("/transactions"))
        .respond_with(paddle_error(400, "transaction_price_not_found"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    let refused = provider.checkout(&bad).await.unwrap_err();
    assert!(
        matches!(refused, BillingApiError::Rejected { status: 400, ref code } if code == "transaction_price_not_found")
    );
    Mock::given(method("POST"))
        .and(path("/transactions"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "1"))
        .up_to_n_times(2)
        .with_priority(1)
        .mount(&server)
        .await;
    assert!(provider.checkout(&checkout(None)).await.is_ok());
    assert_eq!(server.received_requests().await.unwrap().len(), 4);
    let wrong = PaddleProvider::new(
        PaddleClient::new(
            &fast_settings(&server.uri()),
            RevealedSecret::new("pdl_wrong".to_owned()),
        )
        .unwrap(),
    );
    assert!(matches!(
        wrong.checkout(&checkout(None)).await,
        Err(BillingApiError::InvalidKey)
    ));
}
