//! A wiremock Stripe for the billing tests: it refuses requests without the
//! pinned `Stripe-Version`, a test key, an `Idempotency-Key` on POST or form
//! encoding, checks the parameters Fakturo must send, and answers with
//! Stripe's documented objects. It remembers what it was asked and the
//! Checkout Sessions it opened; a test settles a session (paid or expired)
//! for the retrieve call of the reconcile task. A session's `url` is the
//! fake's own hosted checkout page, `GET {fake}/c/pay/{id}`, a small HTML page
//! titled [`CHECKOUT_PAGE_TITLE`], so that a browser really arrives there.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use fakturo_billing::STRIPE_API_VERSION;
use serde_json::{Value, json};
use wiremock::{MockServer, Request, Respond, ResponseTemplate};

/// The signing secret the fake returns for every registered endpoint.
pub const ENDPOINT_SECRET: &str = "whsec_e2e_fake_signing_secret";

/// The title of the fake's hosted checkout page (`GET /c/pay/{id}`).
pub const CHECKOUT_PAGE_TITLE: &str = "Stripe Checkout (fake)";

/// One request: `METHOD path` and its form pairs.
pub type Call = (String, Vec<(String, String)>);

/// What Stripe says about a session when it is retrieved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Settled {
    /// `status = complete`, `payment_status = paid`, with a PaymentIntent.
    Paid,
    /// `status = expired`, `payment_status = unpaid`.
    Expired,
}

/// The fake's memory.
#[derive(Clone, Default)]
pub struct StripeFake {
    /// Every request as `METHOD path` and its form pairs.
    pub calls: Arc<Mutex<Vec<Call>>>,
    /// The Checkout Sessions opened, by id, as first answered.
    sessions: Arc<Mutex<HashMap<String, Value>>>,
    /// Sessions settled by the test.
    settled: Arc<Mutex<HashMap<String, Settled>>>,
    /// The fake's own address, `http://127.0.0.1:{port}`.
    origin: Arc<Mutex<String>>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
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
        *lock(&fake.origin) = server.uri();
        wiremock::Mock::given(wiremock::matchers::any())
            .respond_with(fake.clone())
            .mount(&server)
            .await;
        (server, fake)
    }

    /// How many calls of `METHOD path` were made.
    pub fn count(&self, call: &str) -> usize {
        lock(&self.calls).iter().filter(|(c, _)| c == call).count()
    }

    /// The form pairs of the last `METHOD path` call.
    pub fn last(&self, call: &str) -> Vec<(String, String)> {
        let calls = lock(&self.calls);
        calls
            .iter()
            .rev()
            .find(|(c, _)| c == call)
            .map(|(_, p)| p.clone())
            .unwrap_or_default()
    }

    /// The ids of the Checkout Sessions opened so far.
    pub fn session_ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = lock(&self.sessions).keys().cloned().collect();
        ids.sort();
        ids
    }

    /// From now on, retrieving session `id` answers `outcome`.
    pub fn settle(&self, id: &str, outcome: Settled) {
        lock(&self.settled).insert(id.to_owned(), outcome);
    }

    /// `GET /v1/checkout/sessions/{id}`: the session as opened, settled as the test said.
    fn retrieve(&self, id: &str) -> Option<Value> {
        let mut session = lock(&self.sessions).get(id).cloned()?;
        match lock(&self.settled).get(id) {
            Some(Settled::Paid) => {
                session["status"] = json!("complete");
                session["payment_status"] = json!("paid");
                session["payment_intent"] = json!(format!("pi_{}", id.trim_start_matches("cs_")));
                session["url"] = Value::Null;
            }
            Some(Settled::Expired) => {
                session["status"] = json!("expired");
                session["url"] = Value::Null;
            }
            None => {}
        }
        Some(session)
    }
}

/// The fake's hosted checkout page, as a browser sees it.
fn checkout_page(id: &str) -> ResponseTemplate {
    let id: String = id.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
    ResponseTemplate::new(200).set_body_raw(
        format!(
            "<!doctype html><html><head><meta charset=\"utf-8\"><title>{CHECKOUT_PAGE_TITLE}</title></head>\
             <body><h1 id=\"checkout\">Pay session {id}</h1></body></html>"
        ),
        "text/html; charset=utf-8",
    )
}

impl Respond for StripeFake {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        if request.method.as_str() == "GET"
            && let Some(id) = request.url.path().strip_prefix("/c/pay/")
        {
            return checkout_page(id);
        }
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
        lock(&self.calls).push((format!("{method} {path}"), pairs.clone()));
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
                } else if let Ok(amount) = get(&pairs, "line_items[0][price_data][unit_amount]")
                    .unwrap_or_default()
                    .parse::<i64>()
                {
                    let n = self.count("POST /v1/checkout/sessions");
                    let id = format!("cs_test_e2e{n}");
                    // The hosted page on this very server.
                    let origin = lock(&self.origin).clone();
                    let session = json!({
                        "id": id, "object": "checkout.session", "mode": "payment",
                        "url": format!("{origin}/c/pay/{id}"),
                        "status": "open", "payment_status": "unpaid", "payment_intent": null,
                        "amount_total": amount,
                        "currency": get(&pairs, "line_items[0][price_data][currency]"), "created": 1_795_000_000,
                        "metadata": {"tenant_id": get(&pairs, "metadata[tenant_id]"), "invoice_id": get(&pairs, "metadata[invoice_id]")}
                    });
                    lock(&self.sessions).insert(id, session.clone());
                    Ok(session)
                } else {
                    Err(error(400, "parameter_invalid_integer"))
                }
            }
            ("GET", p) if p.starts_with("/v1/checkout/sessions/") => self
                .retrieve(p.trim_start_matches("/v1/checkout/sessions/"))
                .ok_or_else(|| error(404, "resource_missing")),
            _ => Err(error(404, "resource_missing")),
        };
        match answer {
            Ok(body) => ResponseTemplate::new(200).set_body_json(body),
            Err(refusal) => refusal,
        }
    }
}
