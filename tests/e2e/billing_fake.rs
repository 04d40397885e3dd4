//! A wiremock Stripe for the end-to-end billing tests: it refuses requests
//! without the pinned `Stripe-Version`, a test key, an `Idempotency-Key` on
//! POST or form encoding, checks the parameters Fakturo must send, and
//! answers with Stripe's documented objects. It remembers what it was asked.

use std::sync::{Arc, Mutex};

use fakturo_billing::STRIPE_API_VERSION;
use serde_json::{Value, json};
use wiremock::{MockServer, Request, Respond, ResponseTemplate};

/// The signing secret the fake returns for every registered endpoint.
pub const ENDPOINT_SECRET: &str = "whsec_e2e_fake_signing_secret";

/// One request: `METHOD path` and its form pairs.
pub type Call = (String, Vec<(String, String)>);

/// The fake's memory.
#[derive(Clone, Default)]
pub struct StripeFake {
    /// Every request as `METHOD path` and its form pairs.
    pub calls: Arc<Mutex<Vec<Call>>>,
}

fn error(status: u16, code: &str) -> ResponseTemplate {
    ResponseTemplate::new(status)
        .set_body_json(json!({"error": {"type": "invalid_request_error", "code": code, "message": code}}))
}

fn form(body: &[u8]) -> Vec<(String, String)> {
    let text = String::from_utf8_lossy(body);
    text.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let decode = |s: &str| {
                let s = s.replace('+', " ");
                let bytes = s.as_bytes();
                let mut out = Vec::new();
                let mut i = 0;
                while i < bytes.len() {
                    if bytes[i] == b'%' && i + 2 < bytes.len() {
                        out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap_or(b'?'));
                        i += 3;
                    } else {
                        out.push(bytes[i]);
                        i += 1;
                    }
                }
                String::from_utf8_lossy(&out).into_owned()
            };
            (decode(k), decode(v))
        })
        .collect()
}

fn get<'a>(pairs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}

impl StripeFake {
    /// Starts the fake.
    pub async fn start() -> (MockServer, Self) {
        let server = MockServer::start().await;
        let fake = Self::default();
        wiremock::Mock::given(wiremock::matchers::any())
            .respond_with(fake.clone())
            .mount(&server)
            .await;
        (server, fake)
    }

    /// How many calls of `METHOD path` were made.
    pub fn count(&self, call: &str) -> usize {
        self.calls.lock().unwrap().iter().filter(|(c, _)| c == call).count()
    }

    /// The form pairs of the last `METHOD path` call.
    pub fn last(&self, call: &str) -> Vec<(String, String)> {
        let calls = self.calls.lock().unwrap();
        calls
            .iter()
            .rev()
            .find(|(c, _)| c == call)
            .map(|(_, p)| p.clone())
            .unwrap_or_default()
    }
}

impl Respond for StripeFake {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let header = |name: &str| {
            request
                .headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        if header("stripe-version").as_deref() != Some(STRIPE_API_VERSION) {
            return error(400, "api_version_not_pinned");
        }
        if !header("authorization").is_some_and(|a| a.starts_with("Bearer sk_test_")) {
            return error(401, "invalid_api_key");
        }
        let method = request.method.as_str().to_owned();
        if method == "POST" && header("idempotency-key").is_none_or(|k| k.is_empty()) {
            return error(400, "idempotency_key_missing");
        }
        let pairs = form(&request.body);
        let path = request.url.path().to_owned();
        self.calls
            .lock()
            .unwrap()
            .push((format!("{method} {path}"), pairs.clone()));
        let answer: Result<Value, ResponseTemplate> = match (method.as_str(), path.as_str()) {
            ("GET", "/v1/account") => Ok(json!({"id": "acct_1E2e", "object": "account", "charges_enabled": true})),
            ("POST", "/v1/webhook_endpoints") => match (get(&pairs, "url"), get(&pairs, "api_version")) {
                (Some(url), Some(STRIPE_API_VERSION)) if get(&pairs, "enabled_events[]").is_some() => Ok(json!({
                    "id": "we_1E2e", "object": "webhook_endpoint", "url": url, "status": "enabled",
                    "secret": ENDPOINT_SECRET
                })),
                _ => Err(error(400, "parameter_missing")),
            },
            ("DELETE", p) if p.starts_with("/v1/webhook_endpoints/") => Ok(json!({
                "id": p.trim_start_matches("/v1/webhook_endpoints/"), "object": "webhook_endpoint", "deleted": true
            })),
            ("POST", "/v1/checkout/sessions") => {
                let required = [
                    "mode",
                    "success_url",
                    "cancel_url",
                    "client_reference_id",
                    "line_items[0][quantity]",
                    "line_items[0][price_data][currency]",
                    "line_items[0][price_data][unit_amount]",
                    "line_items[0][price_data][product_data][name]",
                    "metadata[tenant_id]",
                    "metadata[invoice_id]",
                ];
                if let Some(missing) = required.iter().find(|k| get(&pairs, k).is_none()) {
                    Err(error(400, &format!("parameter_missing:{missing}")))
                } else {
                    let n = self.count("POST /v1/checkout/sessions");
                    Ok(json!({
                        "id": format!("cs_test_e2e{n}"), "object": "checkout.session", "mode": "payment",
                        "url": format!("https://checkout.stripe.test/c/pay/cs_test_e2e{n}"),
                        "status": "open", "payment_status": "unpaid", "payment_intent": null,
                        "amount_total": get(&pairs, "line_items[0][price_data][unit_amount]").unwrap().parse::<i64>().unwrap(),
                        "currency": get(&pairs, "line_items[0][price_data][currency]"), "created": 1_795_000_000,
                        "metadata": {"tenant_id": get(&pairs, "metadata[tenant_id]"), "invoice_id": get(&pairs, "metadata[invoice_id]")}
                    }))
                }
            }
            _ => Err(error(404, "resource_missing")),
        };
        match answer {
            Ok(body) => ResponseTemplate::new(200).set_body_json(body),
            Err(refusal) => refusal,
        }
    }
}
