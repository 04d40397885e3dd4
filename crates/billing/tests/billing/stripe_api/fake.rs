//! A wiremock responder that checks each request against Stripe's
//! documented parameters (form encoded, `Stripe-Version` pinned, an
//! `Idempotency-Key` on every POST, a test key) and answers with Stripe's
//! documented objects.
// A refusal is the answer itself; boxing it would only add noise to a test fake.
#![allow(clippy::result_large_err)]

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use fakturo_billing::STRIPE_API_VERSION;
use serde_json::{Value, json};
use wiremock::{Request, Respond, ResponseTemplate};

use crate::support::form_pairs;

/// Stripe's error answer.
pub fn stripe_error(status: u16, code: &str, param: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(json!({
        "error": {"type": "invalid_request_error", "code": code, "param": param, "message": format!("{code}: {param}")}
    }))
}

/// The state the fake keeps: the subscription it reports, by id.
#[derive(Clone, Default)]
pub struct StripeFake {
    pub subscriptions: Arc<Mutex<HashMap<String, Value>>>,
}

fn require<'a>(params: &'a HashMap<String, Vec<String>>, key: &str) -> Result<&'a str, ResponseTemplate> {
    params
        .get(key)
        .and_then(|values| values.first())
        .filter(|value| !value.is_empty())
        .map(String::as_str)
        .ok_or_else(|| stripe_error(400, "parameter_missing", key))
}

fn checkout_session(params: &HashMap<String, Vec<String>>) -> Result<Value, ResponseTemplate> {
    let mode = require(params, "mode")?;
    require(params, "success_url")?;
    require(params, "line_items[0][quantity]")?;
    let metadata: serde_json::Map<String, Value> = params
        .iter()
        .filter_map(|(k, v)| Some((k.strip_prefix("metadata[")?.strip_suffix(']')?.to_owned(), json!(v[0]))))
        .collect();
    let (amount, currency) = match mode {
        "payment" => {
            let currency = require(params, "line_items[0][price_data][currency]")?;
            if currency.len() != 3 || currency.to_lowercase() != currency {
                return Err(stripe_error(
                    400,
                    "invalid_currency",
                    "line_items[0][price_data][currency]",
                ));
            }
            require(params, "line_items[0][price_data][product_data][name]")?;
            let amount: i64 = require(params, "line_items[0][price_data][unit_amount]")?
                .parse()
                .map_err(|_| stripe_error(400, "parameter_invalid_integer", "unit_amount"))?;
            if amount < 1 {
                return Err(stripe_error(
                    400,
                    "parameter_invalid_integer",
                    "line_items[0][price_data][unit_amount]",
                ));
            }
            (amount, currency.to_owned())
        }
        "subscription" => {
            require(params, "line_items[0][price]")?;
            (1900, "eur".to_owned())
        }
        _ => return Err(stripe_error(400, "parameter_invalid_string", "mode")),
    };
    Ok(json!({
        "id": "cs_test_a1", "object": "checkout.session", "mode": mode,
        "url": "https://checkout.stripe.com/c/pay/cs_test_a1", "status": "open", "payment_status": "unpaid",
        "payment_intent": null, "amount_total": amount, "currency": currency, "created": 1_767_225_600,
        "client_reference_id": params.get("client_reference_id").map(|v| v[0].clone()), "metadata": metadata,
    }))
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
            return stripe_error(400, "api_version_not_pinned", "Stripe-Version");
        }
        match header("authorization").as_deref() {
            Some(auth) if auth.starts_with("Bearer sk_test_") => {}
            _ => {
                return ResponseTemplate::new(401).set_body_json(
                    json!({"error": {"type": "invalid_request_error", "message": "Invalid API Key provided"}}),
                );
            }
        }
        let post = request.method.as_str() == "POST";
        if post && header("idempotency-key").is_none_or(|k| k.is_empty()) {
            return stripe_error(400, "idempotency_key_missing", "Idempotency-Key");
        }
        if post && !header("content-type").is_some_and(|c| c.starts_with("application/x-www-form-urlencoded")) {
            return stripe_error(400, "form_encoding_required", "Content-Type");
        }
        let mut params: HashMap<String, Vec<String>> = HashMap::new();
        let query = request.url.query().unwrap_or_default().as_bytes().to_vec();
        for (key, value) in form_pairs(&request.body).into_iter().chain(form_pairs(&query)) {
            params.entry(key).or_default().push(value);
        }
        let path = request.url.path().to_owned();
        let answer = match (request.method.as_str(), path.as_str()) {
            ("GET", "/v1/account") => Ok(json!({"id": "acct_1Fake", "object": "account", "charges_enabled": true})),
            ("POST", "/v1/checkout/sessions") => checkout_session(&params),
            ("GET", "/v1/checkout/sessions") => require(&params, "status").map(|_| {
                json!({"object": "list", "has_more": false, "data": [
                    {"id": "cs_test_old", "object": "checkout.session", "status": "open", "payment_status": "unpaid",
                     "url": "https://checkout.stripe.com/c/pay/cs_test_old", "amount_total": 500, "currency": "eur",
                     "created": 1_767_220_000, "metadata": {}}
                ]})
            }),
            ("GET", p) if p.starts_with("/v1/checkout/sessions/") => Ok(json!({
                "id": p.trim_start_matches("/v1/checkout/sessions/"), "object": "checkout.session", "status": "complete",
                "payment_status": "paid", "payment_intent": {"id": "pi_1", "object": "payment_intent"}, "url": null,
                "amount_total": 5000, "currency": "eur", "created": 1_767_225_600, "metadata": {}
            })),
            ("POST", "/v1/webhook_endpoints") => (|| {
                let url = require(&params, "url")?;
                require(&params, "enabled_events[]")?;
                if require(&params, "api_version")? != STRIPE_API_VERSION {
                    return Err(stripe_error(400, "parameter_invalid_string", "api_version"));
                }
                Ok(json!({"id": "we_1Fake", "object": "webhook_endpoint", "url": url, "status": "enabled",
                    "enabled_events": params["enabled_events[]"], "api_version": STRIPE_API_VERSION,
                    "secret": "whsec_fake_signing_secret"}))
            })(),
            ("DELETE", "/v1/webhook_endpoints/we_gone") => Err(stripe_error(404, "resource_missing", "id")),
            ("DELETE", p) if p.starts_with("/v1/webhook_endpoints/") => {
                Ok(json!({"id": p.trim_start_matches("/v1/webhook_endpoints/"), "object": "webhook_endpoint", "deleted": true}))
            }
            ("GET", p) if p.starts_with("/v1/subscriptions/") => {
                let id = p.trim_start_matches("/v1/subscriptions/");
                self.subscriptions.lock().unwrap().get(id).cloned().ok_or_else(|| stripe_error(404, "resource_missing", "id"))
            }
            ("POST", "/v1/billing_portal/sessions") => require(&params, "customer").and_then(|customer| {
                require(&params, "return_url")?;
                Ok(json!({"id": "bps_1", "object": "billing_portal.session", "url": format!("https://billing.stripe.com/p/session/{customer}")}))
            }),
            ("POST", "/v1/refunds") => require(&params, "payment_intent")
                .map(|_| json!({"id": "re_1", "object": "refund", "amount": 5000, "status": "succeeded"})),
            ("GET", "/v1/invoices") => require(&params, "customer").map(|_| json!({"object": "list", "has_more": false, "data": [
                {"id": "in_1", "object": "invoice", "amount_paid": 1900, "currency": "eur", "status": "paid",
                 "created": 1_767_225_600, "hosted_invoice_url": "https://invoice.stripe.com/i/in_1", "subscription": "sub_1"}
            ]})),
            _ => Err(stripe_error(404, "resource_missing", "path")),
        };
        match answer {
            Ok(body) => ResponseTemplate::new(200).set_body_json(body),
            Err(refusal) => refusal,
        }
    }
}
