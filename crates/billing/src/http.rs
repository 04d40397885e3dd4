//! The HTTP core both clients share: base URL, timeouts, bearer key,
//! pinned headers, `Idempotency-Key` on every POST, retries of 429 and 5xx
//! with bounded exponential backoff honouring `Retry-After`, and the
//! translation of answers into [`BillingApiError`] (error code only: no
//! key, body or personal data).

use std::time::Duration;

use fakturo_domain::billing::gateway::BillingApiError;
use fakturo_domain::kernel::secrets::RevealedSecret;
use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderName, HeaderValue, RETRY_AFTER};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;

/// How to reach a provider.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpSettings {
    /// The API's base URL, without a trailing slash (a fake's in tests).
    pub base_url: String,
    /// Limit for establishing the connection.
    pub connect_timeout: Duration,
    /// Limit for the whole request, answer included.
    pub timeout: Duration,
    /// Retries of 429, 5xx and transport failures.
    pub retry: RetryPolicy,
}

impl HttpSettings {
    /// The defaults (5 s to connect, 30 s in all, 3 retries) for `base_url`.
    #[must_use]
    pub fn new(base_url: &str) -> Self {
        Self {
            base_url: base_url.trim_end_matches('/').to_owned(),
            connect_timeout: Duration::from_secs(5),
            timeout: Duration::from_secs(30),
            retry: RetryPolicy::default(),
        }
    }
}

/// Bounded exponential backoff: `initial`, `2 × initial`, … up to `max`;
/// a `Retry-After` answer waits that long instead (still at most `max`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt.
    pub max_retries: u32,
    /// The first wait.
    pub initial_backoff: Duration,
    /// The longest wait.
    pub max_backoff: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 3,
            initial_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(8),
        }
    }
}

impl RetryPolicy {
    fn wait(&self, attempt: u32, retry_after: Option<Duration>) -> Duration {
        let exponential = self
            .initial_backoff
            .saturating_mul(2u32.saturating_pow(attempt.min(16)))
            .min(self.max_backoff);
        retry_after.map_or(exponential, |after| after.min(self.max_backoff))
    }
}

/// A request body.
#[derive(Debug)]
pub(crate) enum Payload {
    /// No body.
    Empty,
    /// `application/x-www-form-urlencoded` (Stripe).
    Form(Vec<(String, String)>),
    /// `application/json` (Paddle).
    Json(serde_json::Value),
}

/// One API call.
#[derive(Debug)]
pub(crate) struct Call<'a> {
    pub method: Method,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub payload: Payload,
    /// Required for POST.
    pub idempotency_key: Option<&'a str>,
}

impl<'a> Call<'a> {
    pub(crate) fn get(path: String) -> Self {
        Self {
            method: Method::GET,
            path,
            query: Vec::new(),
            payload: Payload::Empty,
            idempotency_key: None,
        }
    }

    pub(crate) fn delete(path: String) -> Self {
        Self {
            method: Method::DELETE,
            ..Self::get(path)
        }
    }

    pub(crate) fn post(path: String, payload: Payload, idempotency_key: &'a str) -> Self {
        Self {
            method: Method::POST,
            path,
            query: Vec::new(),
            payload,
            idempotency_key: Some(idempotency_key),
        }
    }

    pub(crate) fn query(mut self, query: Vec<(String, String)>) -> Self {
        self.query = query;
        self
    }
}

/// An id safe to put in a path (`cs_…`, `sub_01…`); anything else cannot
/// name an object, so it is "not found" without asking.
pub(crate) fn path_id(id: &str) -> Result<&str, BillingApiError> {
    let safe =
        !id.is_empty() && id.len() <= 255 && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if safe { Ok(id) } else { Err(BillingApiError::NotFound) }
}

/// The shared client of one provider.
#[derive(Clone)]
pub(crate) struct Api {
    http: reqwest::Client,
    base_url: String,
    retry: RetryPolicy,
    provider: &'static str,
}

impl std::fmt::Debug for Api {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Api")
            .field("provider", &self.provider)
            .field("base_url", &self.base_url)
            .finish()
    }
}

fn unexpected(error: impl std::error::Error + Send + Sync + 'static) -> BillingApiError {
    BillingApiError::Unexpected(Box::new(error))
}

impl Api {
    /// A client for `provider` sending `pinned` headers on every request.
    pub(crate) fn new(
        provider: &'static str,
        settings: &HttpSettings,
        pinned: &[(&'static str, &'static str)],
    ) -> Result<Self, BillingApiError> {
        let mut headers = HeaderMap::new();
        for (name, value) in pinned {
            headers.insert(HeaderName::from_static(name), HeaderValue::from_static(value));
        }
        let http = reqwest::Client::builder()
            .connect_timeout(settings.connect_timeout)
            .timeout(settings.timeout)
            .default_headers(headers)
            .user_agent(concat!("fakturo/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| unexpected(e.without_url()))?;
        Ok(Self {
            http,
            base_url: settings.base_url.trim_end_matches('/').to_owned(),
            retry: settings.retry,
            provider,
        })
    }

    /// Sends `call` with `key`, retrying what may be retried, and reads the answer as `T`.
    pub(crate) async fn send<T: DeserializeOwned>(
        &self,
        key: &RevealedSecret,
        call: Call<'_>,
    ) -> Result<T, BillingApiError> {
        let body = self.send_raw(key, &call).await?;
        serde_json::from_slice(&body).map_err(|e| BillingApiError::Unexpected(unreadable(&e).into()))
    }

    pub(crate) async fn send_raw(&self, key: &RevealedSecret, call: &Call<'_>) -> Result<Vec<u8>, BillingApiError> {
        let mut authorization =
            HeaderValue::from_str(&format!("Bearer {}", key.expose())).map_err(|_| BillingApiError::InvalidKey)?;
        authorization.set_sensitive(true);
        let url = format!("{}{}", self.base_url, call.path);
        let mut attempt = 0;
        loop {
            let mut request = self
                .http
                .request(call.method.clone(), &url)
                .header(AUTHORIZATION, authorization.clone());
            if !call.query.is_empty() {
                request = request.query(&call.query);
            }
            if let Some(idempotency_key) = call.idempotency_key {
                request = request.header("idempotency-key", idempotency_key);
            }
            request = match &call.payload {
                Payload::Empty => request,
                Payload::Form(pairs) => request.form(pairs),
                Payload::Json(value) => request.json(value),
            };
            let (retry_after, failure) = match request.send().await {
                Ok(response) if response.status().is_success() => {
                    return response
                        .bytes()
                        .await
                        .map(|b| b.to_vec())
                        .map_err(|e| unexpected(e.without_url()));
                }
                Ok(response) => {
                    let status = response.status();
                    let retry_after = response
                        .headers()
                        .get(RETRY_AFTER)
                        .and_then(|v| v.to_str().ok())
                        .and_then(|v| v.trim().parse::<u64>().ok())
                        .map(Duration::from_secs);
                    let body = response.bytes().await.unwrap_or_default();
                    if !retryable(status) {
                        return Err(refusal(status, &body));
                    }
                    (retry_after, BillingApiError::Unavailable)
                }
                Err(error) if error.is_builder() => return Err(unexpected(error.without_url())),
                Err(_) => (None, BillingApiError::Unavailable),
            };
            if attempt >= self.retry.max_retries {
                return Err(failure);
            }
            let wait = self.retry.wait(attempt, retry_after);
            tracing::debug!(
                provider = self.provider,
                attempt,
                wait_ms = wait.as_millis() as u64,
                "retrying a provider call"
            );
            tokio::time::sleep(wait).await;
            attempt += 1;
        }
    }
}

/// What went wrong reading a JSON body, without any of its content (which
/// may hold personal data): the category and the position.
pub(crate) fn unreadable(error: &serde_json::Error) -> String {
    let category = match error.classify() {
        serde_json::error::Category::Io => "unreadable",
        serde_json::error::Category::Syntax => "not JSON",
        serde_json::error::Category::Data => "an unexpected shape",
        serde_json::error::Category::Eof => "truncated",
    };
    format!(
        "the body is {category} (line {}, column {})",
        error.line(),
        error.column()
    )
}

fn retryable(status: StatusCode) -> bool {
    status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error()
}

/// A final refusal, with the provider's error code (both providers answer
/// `{"error": {"code": …, "type": …}}`).
fn refusal(status: StatusCode, body: &[u8]) -> BillingApiError {
    match status {
        StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => BillingApiError::InvalidKey,
        StatusCode::NOT_FOUND => BillingApiError::NotFound,
        _ => {
            let error = serde_json::from_slice::<serde_json::Value>(body).ok();
            let error = error.as_ref().and_then(|v| v.get("error"));
            let code = error
                .and_then(|e| e.get("code").or_else(|| e.get("type")))
                .and_then(|c| c.as_str())
                .filter(|c| c.len() <= 64 && c.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.'))
                .unwrap_or("unknown");
            BillingApiError::Rejected {
                status: status.as_u16(),
                code: code.to_owned(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::{RetryPolicy, path_id};

    #[test]
    fn backoff_doubles_up_to_the_bound_and_honours_retry_after() {
        let policy = RetryPolicy {
            max_retries: 5,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_millis(500),
        };
        let waits: Vec<u128> = (0..5).map(|a| policy.wait(a, None).as_millis()).collect();
        assert_eq!(waits, [100, 200, 400, 500, 500]);
        assert_eq!(
            policy.wait(0, Some(Duration::from_millis(300))),
            Duration::from_millis(300)
        );
        assert_eq!(
            policy.wait(0, Some(Duration::from_secs(60))),
            Duration::from_millis(500)
        );
    }

    #[test]
    fn only_plain_ids_go_into_paths() {
        assert!(path_id("cs_test_a1B2").is_ok());
        for bad in ["", "../v1/account", "a/b", "a?b", "a b"] {
            assert!(path_id(bad).is_err(), "{bad}");
        }
    }
}
