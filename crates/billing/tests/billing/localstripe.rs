//! Against localstripe, a stateful Stripe fake: a PaymentIntent confirmed
//! with `pm_card_visa` makes localstripe sign and deliver
//! `payment_intent.succeeded` to a local listener; our verifier accepts it
//! and the domain records one payment on the right invoice. A refund made
//! through our client, reported as Stripe reports it (`charge.refunded`,
//! which localstripe does not send), is recorded too.

use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use fakturo_billing::{StripeClient, StripeWebhooks};
use fakturo_domain::billing::services::{
    Delivery, IntakeError, Received, WebhookCodecs, WebhookIntake, WebhookProcessor,
};
use fakturo_domain::billing::testing::{CountingIds, MemoryBillingStore};
use fakturo_domain::billing::webhook::{WebhookAccount, WebhookProvider};
use fakturo_domain::kernel::ManualClock;
use fakturo_domain::kernel::secrets::RevealedSecret;
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::stripe_api::ids;
use crate::support::{fast_settings, free_port, python_with, wall_clock};

const SECRET: &str = "whsec_localstripe_test";
const KEY: &str = "sk_test_localstripe";

/// A localstripe process, stopped on drop.
struct Localstripe {
    child: Child,
    url: String,
}

impl Drop for Localstripe {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(python: &std::path::Path) -> Localstripe {
    let port = free_port();
    let child = Command::new(python)
        .args(["-m", "localstripe", "--port", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let server = Localstripe {
        child,
        url: format!("http://127.0.0.1:{port}"),
    };
    let deadline = Instant::now() + Duration::from_secs(30);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "localstripe did not start");
        std::thread::sleep(Duration::from_millis(100));
    }
    server
}

async fn call(http: &reqwest::Client, url: String, form: &[(&str, String)]) -> Value {
    let response = http
        .post(url)
        .bearer_auth(KEY)
        .header("Stripe-Version", fakturo_billing::STRIPE_API_VERSION)
        .form(form)
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success(), "{}", response.status());
    let body = response.bytes().await.unwrap();
    if body.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&body).unwrap()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_card_payment_signed_and_delivered_by_localstripe_is_recorded_once_and_its_refund_too() {
    let Some(python) = python_with(&["localstripe"], "localstripe") else {
        return;
    };
    let localstripe = start(&python);
    let listener = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/hook"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&listener)
        .await;
    let http = reqwest::Client::new();
    let hook = [
        ("url", format!("{}/hook", listener.uri())),
        ("secret", SECRET.to_owned()),
    ];
    call(&http, format!("{}/_config/webhooks/fakturo", localstripe.url), &hook).await;

    let (tenant, invoice) = ids();
    let intent = call(
        &http,
        format!("{}/v1/payment_intents", localstripe.url),
        &[
            ("amount", "4200".to_owned()),
            ("currency", "eur".to_owned()),
            ("payment_method", "pm_card_visa".to_owned()),
            ("metadata[tenant_id]", tenant.to_string()),
            ("metadata[invoice_id]", invoice.to_string()),
        ],
    )
    .await;
    let intent_id = intent["id"].as_str().unwrap().to_owned();
    let confirmed = call(
        &http,
        format!("{}/v1/payment_intents/{intent_id}/confirm", localstripe.url),
        &[],
    )
    .await;
    assert_eq!(confirmed["status"], "succeeded");

    // localstripe delivers about a second later.
    let deadline = Instant::now() + Duration::from_secs(20);
    let deliveries = loop {
        let received = listener.received_requests().await.unwrap();
        if received
            .iter()
            .any(|r| String::from_utf8_lossy(&r.body).contains("payment_intent.succeeded"))
        {
            break received;
        }
        assert!(
            Instant::now() < deadline,
            "no payment_intent.succeeded from localstripe"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    };

    let store = MemoryBillingStore::new();
    store.add_invoice(tenant, invoice, "EUR");
    let other_invoice = "0190f5a6-0000-7000-8000-0000000000b2".parse().unwrap();
    store.add_invoice(tenant, other_invoice, "EUR");
    let clock = Arc::new(ManualClock::new(wall_clock()));
    let intake = WebhookIntake::new(Arc::new(store.clone()), clock.clone());
    let codec = StripeWebhooks::default();
    let secrets = [RevealedSecret::new(SECRET.to_owned())];
    let account = WebhookAccount::Tenant(tenant);
    for request in &deliveries {
        let header = request
            .headers
            .get("stripe-signature")
            .map(|v| v.to_str().unwrap().to_owned());
        let delivery = Delivery {
            provider: WebhookProvider::Stripe,
            account,
            signature_header: header.as_deref(),
            raw_body: &request.body,
        };
        for _ in 0..3 {
            intake.receive(&codec, &secrets, delivery).await.unwrap();
        }
        let mut tampered = request.body.clone();
        tampered.extend_from_slice(b" ");
        let forged = intake
            .receive(
                &codec,
                &secrets,
                Delivery {
                    raw_body: &tampered,
                    ..delivery
                },
            )
            .await;
        assert!(matches!(forged, Err(IntakeError::Signature(_))));
        let unsigned = intake
            .receive(
                &codec,
                &secrets,
                Delivery {
                    signature_header: None,
                    ..delivery
                },
            )
            .await;
        assert!(matches!(unsigned, Err(IntakeError::Signature(_))));
    }
    assert_eq!(store.snapshot().inbox.len(), deliveries.len());
    let codecs = WebhookCodecs {
        stripe: Arc::new(codec),
        paddle: Arc::new(fakturo_billing::PaddleWebhooks::default()),
    };
    let settings = Arc::new(fakturo_domain::billing::plan::BillingSettings::default());
    let processor = WebhookProcessor::new(
        Arc::new(store.clone()),
        codecs,
        None,
        settings,
        clock.clone(),
        Arc::new(CountingIds::default()),
    );
    processor.process_pending(100).await.unwrap();
    let state = store.snapshot();
    assert_eq!(
        state.invoices[&(tenant, invoice)].payments,
        vec![(intent_id.clone(), 4200)]
    );
    assert!(state.invoices[&(tenant, other_invoice)].payments.is_empty());

    // The refund, made through our client against localstripe.
    let client = StripeClient::new(&fast_settings(&localstripe.url)).unwrap();
    let key = RevealedSecret::new(KEY.to_owned());
    let refund = client
        .create_refund(&key, &intent_id, None, "fakturo-refund-test-1")
        .await
        .unwrap();
    assert_eq!(refund.amount, 4200);
    let charge_id = confirmed["latest_charge"]["id"]
        .as_str()
        .or(confirmed["latest_charge"].as_str())
        .unwrap()
        .to_owned();
    let charge: Value = http
        .get(format!("{}/v1/charges/{charge_id}", localstripe.url))
        .bearer_auth(KEY)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(charge["amount_refunded"], 4200);
    let event = json!({"id": format!("evt_{}", refund.id), "object": "event", "type": "charge.refunded",
        "created": clock.now_secs(), "data": {"object": charge}});
    let body = serde_json::to_vec(&event).unwrap();
    let header = codec.sign(&secrets[0], &body, wall_clock());
    let delivery = Delivery {
        provider: WebhookProvider::Stripe,
        account,
        signature_header: Some(&header),
        raw_body: &body,
    };
    assert!(matches!(
        intake.receive(&codec, &secrets, delivery).await.unwrap(),
        Received::Stored(_)
    ));
    processor.process_pending(100).await.unwrap();
    let state = store.snapshot();
    assert_eq!(state.invoices[&(tenant, invoice)].refunds.len(), 1);
    assert_eq!(state.invoices[&(tenant, invoice)].net_paid(), 0);
}

trait NowSecs {
    fn now_secs(&self) -> i64;
}

impl NowSecs for ManualClock {
    fn now_secs(&self) -> i64 {
        use fakturo_domain::kernel::Clock;
        self.now().timestamp()
    }
}
