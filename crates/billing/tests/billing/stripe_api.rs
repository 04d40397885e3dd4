//! The Stripe client and ports against a wiremock fake that rejects what
//! Stripe would reject.

pub mod fake;

use std::collections::HashMap;
use std::time::Duration;

use chrono::DateTime;
use fakturo_billing::{STRIPE_API_VERSION, StripeClient, StripeGateway, StripeSubscriptions};
use fakturo_domain::billing::gateway::{BillingApiError, InvoiceCheckout, SessionStatus, SubscriptionCheckout};
use fakturo_domain::billing::ports::{PaymentGateway, SubscriptionProvider};
use fakturo_domain::billing::subscription::SubscriptionStatus;
use fakturo_domain::kernel::secrets::RevealedSecret;
use fakturo_domain::{InvoiceId, TenantId};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use self::fake::StripeFake;
use crate::support::{fast_settings, form_pairs};

pub async fn stripe_server() -> (MockServer, StripeFake) {
    let server = MockServer::start().await;
    let fake = StripeFake::default();
    Mock::given(wiremock::matchers::any())
        .respond_with(fake.clone())
        .with_priority(10)
        .mount(&server)
        .await;
    (server, fake)
}

pub fn key() -> RevealedSecret {
    RevealedSecret::new("sk_test_tenantKey123".to_owned())
}

pub fn ids() -> (TenantId, InvoiceId) {
    (
        "0190f5a6-0000-7000-8000-000000000001".parse().unwrap(),
        "0190f5a6-0000-7000-8000-0000000000a1".parse().unwrap(),
    )
}

pub fn invoice_checkout(amount_minor: i64) -> InvoiceCheckout {
    let (tenant, invoice) = ids();
    InvoiceCheckout {
        tenant,
        invoice,
        description: "Invoice 2026-0042".to_owned(),
        amount_minor,
        currency: "EUR".to_owned(),
        success_url: "https://fakturo.example/i/tok?paid=1".to_owned(),
        cancel_url: "https://fakturo.example/i/tok".to_owned(),
        idempotency_key: format!("fakturo-checkout-{invoice}-{amount_minor}-eur"),
    }
}

fn params(request: &wiremock::Request) -> HashMap<String, String> {
    form_pairs(&request.body).into_iter().collect()
}

#[tokio::test]
async fn a_payment_checkout_carries_what_stripe_requires_and_the_metadata() {
    let (server, _) = stripe_server().await;
    let gateway = StripeGateway::new(StripeClient::new(&fast_settings(&server.uri())).unwrap());
    let session = gateway
        .create_checkout(&key(), &invoice_checkout(12_345))
        .await
        .unwrap();
    assert_eq!(
        session.url.as_deref(),
        Some("https://checkout.stripe.com/c/pay/cs_test_a1")
    );
    assert_eq!((session.status, session.amount_minor), (SessionStatus::Open, 12_345));
    let (tenant, invoice) = ids();
    assert_eq!((session.tenant, session.invoice), (Some(tenant), Some(invoice)));
    let requests = server.received_requests().await.unwrap();
    let request = &requests[0];
    assert_eq!(request.headers.get("stripe-version").unwrap(), STRIPE_API_VERSION);
    assert_eq!(
        request.headers.get("idempotency-key").unwrap().to_str().unwrap(),
        invoice_checkout(12_345).idempotency_key
    );
    let sent = params(request);
    assert_eq!(sent["mode"], "payment");
    assert_eq!(sent["line_items[0][price_data][currency]"], "eur");
    assert_eq!(sent["line_items[0][price_data][unit_amount]"], "12345");
    assert_eq!(sent["client_reference_id"], invoice.to_string());
    assert_eq!(sent["metadata[tenant_id]"], tenant.to_string());
    assert_eq!(sent["payment_intent_data[metadata][invoice_id]"], invoice.to_string());
}

#[tokio::test]
async fn the_fake_rejects_missing_parameters_version_and_idempotency_key() {
    let (server, _) = stripe_server().await;
    let http = reqwest::Client::new();
    let url = format!("{}/v1/checkout/sessions", server.uri());
    let post = |version: Option<&str>, key: Option<&str>, form: &[(&str, &str)]| {
        let mut request = http.post(&url).bearer_auth("sk_test_x").form(form);
        if let Some(version) = version {
            request = request.header("Stripe-Version", version);
        }
        if let Some(key) = key {
            request = request.header("Idempotency-Key", key);
        }
        request.send()
    };
    let full = [
        ("mode", "subscription"),
        ("success_url", "https://s"),
        ("line_items[0][price]", "price_1"),
        ("line_items[0][quantity]", "1"),
    ];
    assert_eq!(
        post(Some(STRIPE_API_VERSION), Some("k"), &full).await.unwrap().status(),
        200
    );
    let refused = [
        post(None, Some("k"), &full).await.unwrap(),
        post(Some("2020-08-27"), Some("k"), &full).await.unwrap(),
        post(Some(STRIPE_API_VERSION), None, &full).await.unwrap(),
        post(Some(STRIPE_API_VERSION), Some("k"), &full[..2]).await.unwrap(),
        post(Some(STRIPE_API_VERSION), Some("k"), &full[1..]).await.unwrap(),
    ];
    for response in refused {
        assert_eq!(response.status(), 400);
    }
    // Our client's refusal carries Stripe's code, nothing else.
    let client = StripeClient::new(&fast_settings(&server.uri())).unwrap();
    let zero = client
        .create_payment_checkout(&key(), &invoice_checkout(0))
        .await
        .unwrap_err();
    assert!(
        matches!(zero, BillingApiError::Rejected { status: 400, ref code } if code == "parameter_invalid_integer"),
        "{zero:?}"
    );
}

#[tokio::test]
async fn registering_the_webhook_pins_the_version_and_returns_the_secret_redacted() {
    let (server, _) = stripe_server().await;
    let gateway = StripeGateway::new(StripeClient::new(&fast_settings(&server.uri())).unwrap());
    let url = "https://fakturo.example/api/v1/webhooks/stripe-connect/0190f5a6-0000-7000-8000-000000000001";
    let registered = gateway
        .register_webhook(&key(), url, "fakturo-webhook-t1")
        .await
        .unwrap();
    assert_eq!(
        (registered.endpoint_id.as_str(), registered.status.as_str()),
        ("we_1Fake", "enabled")
    );
    assert_eq!(registered.secret.expose(), "whsec_fake_signing_secret");
    assert!(!format!("{registered:?}").contains("whsec_fake"));
    let requests = server.received_requests().await.unwrap();
    let pairs = form_pairs(&requests[0].body);
    let events: Vec<&str> = pairs
        .iter()
        .filter(|(k, _)| k == "enabled_events[]")
        .map(|(_, v)| v.as_str())
        .collect();
    assert!(events.contains(&"checkout.session.completed") && events.contains(&"charge.refunded"));
    assert!(pairs.contains(&("api_version".to_owned(), STRIPE_API_VERSION.to_owned())));
    gateway.remove_webhook(&key(), "we_1Fake").await.unwrap();
    gateway.remove_webhook(&key(), "we_gone").await.unwrap();
}

#[tokio::test]
async fn a_key_is_checked_and_a_refused_key_is_invalid_without_leaking_it() {
    let (server, _) = stripe_server().await;
    let client = StripeClient::new(&fast_settings(&server.uri())).unwrap();
    let gateway = StripeGateway::new(client.clone());
    assert_eq!(gateway.verify_key(&key()).await.unwrap().account_id, "acct_1Fake");
    let wrong = RevealedSecret::new("sk_live_wrongSecret987".to_owned());
    let error = gateway.verify_key(&wrong).await.unwrap_err();
    assert!(matches!(error, BillingApiError::InvalidKey));
    let operator = StripeSubscriptions::new(client.clone(), wrong);
    for text in [
        format!("{error}"),
        format!("{error:?}"),
        format!("{client:?}"),
        format!("{operator:?}"),
    ] {
        assert!(
            !text.contains("wrongSecret987") && !text.contains("tenantKey123"),
            "{text}"
        );
    }
}

#[tokio::test]
async fn sessions_are_retrieved_and_listed_for_reconcile() {
    let (server, _) = stripe_server().await;
    let gateway = StripeGateway::new(StripeClient::new(&fast_settings(&server.uri())).unwrap());
    let session = gateway.retrieve_session(&key(), "cs_test_done").await.unwrap();
    assert_eq!(
        (session.status, session.paid, session.payment_intent.as_deref()),
        (SessionStatus::Complete, true, Some("pi_1"))
    );
    assert!(matches!(
        gateway.retrieve_session(&key(), "../account").await,
        Err(BillingApiError::NotFound)
    ));
    let open = gateway
        .list_open_sessions(&key(), DateTime::from_timestamp(1_767_225_600, 0).unwrap())
        .await
        .unwrap();
    assert_eq!(open.len(), 1);
    let requests = server.received_requests().await.unwrap();
    let query = requests.last().unwrap().url.query().unwrap().to_owned();
    assert!(
        query.contains("status=open") && query.contains("created%5Blt%5D=1767225600"),
        "{query}"
    );
}

#[tokio::test]
async fn the_operators_subscription_calls_use_subscription_mode_and_the_current_object() {
    let (server, fake) = stripe_server().await;
    let client = StripeClient::new(&fast_settings(&server.uri())).unwrap();
    let operator = StripeSubscriptions::new(client.clone(), RevealedSecret::new("sk_test_operator".to_owned()));
    let (tenant, _) = ids();
    let checkout = SubscriptionCheckout {
        tenant,
        price_id: "price_pro".to_owned(),
        customer_id: None,
        trial_days: 14,
        success_url: "https://fakturo.example/settings/billing?done=1".to_owned(),
        cancel_url: "https://fakturo.example/settings/billing".to_owned(),
        idempotency_key: "fakturo-subscribe-1".to_owned(),
    };
    assert!(
        operator
            .checkout(&checkout)
            .await
            .unwrap()
            .starts_with("https://checkout.stripe.com/")
    );
    let sent = params(&server.received_requests().await.unwrap()[0]);
    assert_eq!(
        (sent["mode"].as_str(), sent["line_items[0][price]"].as_str()),
        ("subscription", "price_pro")
    );
    assert_eq!(sent["subscription_data[metadata][tenant_id]"], tenant.to_string());
    assert_eq!(sent["subscription_data[trial_period_days]"], "14");
    fake.subscriptions.lock().unwrap().insert(
        "sub_1".to_owned(),
        json!({"id": "sub_1", "object": "subscription", "customer": "cus_1", "status": "past_due",
               "current_period_end": 1_769_904_000, "cancel_at": null, "metadata": {"tenant_id": tenant.to_string()},
               "items": {"object": "list", "data": [{"price": {"id": "price_pro"}}]}}),
    );
    let fetched_at = DateTime::from_timestamp(1_767_225_700, 0).unwrap();
    let snapshot = operator.fetch_subscription("sub_1", fetched_at).await.unwrap();
    assert_eq!(
        (snapshot.status, snapshot.tenant, snapshot.ordering_key),
        (SubscriptionStatus::PastDue, Some(tenant), fetched_at)
    );
    assert_eq!(snapshot.price_ids, ["price_pro"]);
    assert!(matches!(
        operator.fetch_subscription("sub_none", fetched_at).await,
        Err(BillingApiError::NotFound)
    ));
    assert_eq!(
        operator.portal("cus_1", "https://r", "fakturo-portal-1").await.unwrap(),
        "https://billing.stripe.com/p/session/cus_1"
    );
    let transactions = operator.transactions(tenant, "cus_1", 10).await.unwrap();
    assert_eq!(
        (
            transactions[0].provider_reference.as_str(),
            transactions[0].amount_minor
        ),
        ("in_1", 1900)
    );
    let refund = client
        .create_refund(&key(), "pi_1", None, "fakturo-refund-1")
        .await
        .unwrap();
    assert_eq!(refund.id, "re_1");
}

#[tokio::test]
async fn throttling_and_outages_are_retried_with_the_same_idempotency_key() {
    for (status, retry_after) in [(429, Some("30")), (503, None)] {
        let (server, _) = stripe_server().await;
        let mut refusal = ResponseTemplate::new(status);
        if let Some(after) = retry_after {
            refusal = refusal.insert_header("Retry-After", after);
        }
        Mock::given(method("POST"))
            .and(path("/v1/checkout/sessions"))
            .respond_with(refusal)
            .up_to_n_times(2)
            .with_priority(1)
            .mount(&server)
            .await;
        let client = StripeClient::new(&fast_settings(&server.uri())).unwrap();
        let started = std::time::Instant::now();
        client
            .create_payment_checkout(&key(), &invoice_checkout(5000))
            .await
            .unwrap();
        // Retry-After: 30 is honoured only up to the policy's bound (50 ms).
        assert!(started.elapsed() < Duration::from_secs(2));
        let requests = server.received_requests().await.unwrap();
        assert_eq!(requests.len(), 3, "{status}");
        let keys: Vec<_> = requests
            .iter()
            .map(|r| r.headers.get("idempotency-key").unwrap().clone())
            .collect();
        assert!(keys.windows(2).all(|w| w[0] == w[1]));
    }
}

#[tokio::test]
async fn lasting_outages_and_timeouts_are_unavailable_and_refusals_are_not_retried() {
    let (server, _) = stripe_server().await;
    Mock::given(method("GET"))
        .and(path("/v1/account"))
        .respond_with(ResponseTemplate::new(503))
        .with_priority(1)
        .mount(&server)
        .await;
    let client = StripeClient::new(&fast_settings(&server.uri())).unwrap();
    assert!(matches!(
        client.retrieve_account(&key()).await,
        Err(BillingApiError::Unavailable)
    ));
    assert_eq!(server.received_requests().await.unwrap().len(), 4);

    let (server, _) = stripe_server().await;
    Mock::given(method("GET"))
        .and(path("/v1/account"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(1)))
        .with_priority(1)
        .mount(&server)
        .await;
    let mut settings = fast_settings(&server.uri());
    settings.timeout = Duration::from_millis(200);
    settings.retry.max_retries = 1;
    let client = StripeClient::new(&settings).unwrap();
    assert!(matches!(
        client.retrieve_account(&key()).await,
        Err(BillingApiError::Unavailable)
    ));

    let (server, _) = stripe_server().await;
    let client = StripeClient::new(&fast_settings(&server.uri())).unwrap();
    assert!(
        client
            .create_payment_checkout(&key(), &invoice_checkout(-1))
            .await
            .is_err()
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 1);

    let unreachable = StripeClient::new(&fast_settings("http://127.0.0.1:9")).unwrap();
    assert!(matches!(
        unreachable.retrieve_account(&key()).await,
        Err(BillingApiError::Unavailable)
    ));
}
