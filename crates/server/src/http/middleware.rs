//! The outermost middleware: a request id for every request, the client's
//! address (for rate limits and the audit log), per-address rate limits on
//! credential routes, one log line per request (method, path, status,
//! latency — never bodies, query strings, headers or addresses), and every
//! error turned into `application/problem+json`.

use std::sync::Arc;
use std::time::Instant;

use poem::error::ReadBodyError;
use poem::http::header::{CONTENT_LENGTH, CONTENT_TYPE, RETRY_AFTER, WWW_AUTHENTICATE};
use poem::http::{HeaderValue, StatusCode};
use poem::{Endpoint, IntoResponse, Request, Response};
use tracing::Instrument;
use uuid::Uuid;

use super::auth::ClientAddress;
use super::problem::{ErrorCode, PROBLEM_JSON, problem};
use super::rate_limit::AuthRateLimit;

/// What the middleware needs besides the request.
pub struct Guard {
    /// Largest accepted body.
    pub max_body: usize,
    /// Largest accepted body of a file upload (`POST /api/v1/files`).
    pub max_upload: usize,
    /// Proxies in front of the server whose `X-Forwarded-For` entries are trusted.
    pub trusted_proxy_hops: usize,
    /// Limits on credential routes.
    pub rate_limit: AuthRateLimit,
}

const REQUEST_ID: &str = "x-request-id";

/// Wraps every endpoint; see the module documentation.
///
/// # Errors
/// Never: every error becomes a response.
pub async fn problems_and_tracing<E: Endpoint>(
    next: Arc<E>,
    mut req: Request,
    guard: Arc<Guard>,
) -> poem::Result<Response> {
    let request_id = req
        .header(REQUEST_ID)
        .filter(|id| !id.is_empty() && id.len() <= 64 && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
        .map_or_else(|| Uuid::new_v4().simple().to_string(), str::to_owned);
    let method = req.method().clone();
    // Public invoice links carry their secret in the path: never log it.
    let path = match req.uri().path() {
        p if p.starts_with("/i/") => "/i/<token>".to_owned(),
        p => p.to_owned(),
    };
    let span = tracing::info_span!("request", request_id = %request_id, method = %method, path = %path);
    let started = Instant::now();
    let address = ClientAddress::of(&req, guard.trusted_proxy_hops);
    req.extensions_mut().insert(address);
    let outcome = if let Err(wait) = guard.rate_limit.check(&method, req.uri().path(), address.0) {
        let mut response = problem_response(
            StatusCode::TOO_MANY_REQUESTS,
            Some(format!(
                "Too many requests from your network; try again in {wait} seconds."
            )),
        );
        if let Ok(value) = HeaderValue::from_str(&wait.to_string()) {
            response.headers_mut().insert(RETRY_AFTER, value);
        }
        response
    } else {
        let limit = if method == poem::http::Method::POST && path == "/api/v1/files" {
            guard.max_upload
        } else {
            guard.max_body
        };
        match limit_body(&mut req, limit).await {
            Ok(()) => match next.call(req).instrument(span.clone()).await {
                Ok(response) => normalize(response.into_response()),
                Err(error) => error_response(error),
            },
            Err(too_large) => too_large,
        }
    };
    let mut response = outcome;
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        response.headers_mut().insert(REQUEST_ID, value);
    }
    if response.status() == StatusCode::UNAUTHORIZED {
        response
            .headers_mut()
            .insert(WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    }
    let status = response.status().as_u16();
    let latency_ms = started.elapsed().as_secs_f64() * 1000.0;
    span.in_scope(|| {
        if status >= 500 {
            tracing::warn!(status, latency_ms, "request failed");
        } else {
            tracing::info!(status, latency_ms, "request");
        }
    });
    Ok(response)
}

/// Refuses bodies over `max` bytes with 413: at once when `Content-Length`
/// says so, else while reading (chunked bodies are buffered up to the limit).
async fn limit_body(req: &mut Request, max: usize) -> Result<(), Response> {
    let declared = req.header(CONTENT_LENGTH).and_then(|length| length.parse::<u64>().ok());
    match declared {
        Some(length) if length > u64::try_from(max).unwrap_or(u64::MAX) => {
            Err(problem_response(StatusCode::PAYLOAD_TOO_LARGE, None))
        }
        Some(_) => Ok(()),
        None => {
            let body = req.take_body();
            match body.into_bytes_limit(max).await {
                Ok(bytes) => {
                    req.set_body(bytes);
                    Ok(())
                }
                Err(ReadBodyError::PayloadTooLarge) => Err(problem_response(StatusCode::PAYLOAD_TOO_LARGE, None)),
                Err(_) => Err(problem_response(
                    StatusCode::BAD_REQUEST,
                    Some("The request body could not be read.".into()),
                )),
            }
        }
    }
}

/// Problem bodies, and the HTML pages that render their own errors, pass unchanged.
fn is_problem(response: &Response) -> bool {
    response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with(PROBLEM_JSON) || v.starts_with("text/html"))
}

/// Error statuses produced outside our handlers (routing, extractors) get a problem body.
fn normalize(response: Response) -> Response {
    let status = response.status();
    if (status.is_client_error() || status.is_server_error()) && !is_problem(&response) {
        return problem_response(status, None);
    }
    response
}

fn error_response(error: poem::Error) -> Response {
    let status = error.status();
    let detail = error.to_string();
    let response = error.into_response();
    if is_problem(&response) {
        return response;
    }
    problem_response(status, Some(detail))
}

fn problem_response(status: StatusCode, detail: Option<String>) -> Response {
    let (code, default_detail) = ErrorCode::for_bare_status(status);
    // Details of our own failures stay in the logs; the caller's mistakes are explained.
    let detail = match detail {
        Some(detail) if status.is_client_error() && status != StatusCode::UNAUTHORIZED => detail,
        _ => default_detail.to_owned(),
    };
    let body = problem(status, code, detail, None);
    let json = poem_openapi::types::ToJSON::to_json_string(&body);
    Response::builder().status(status).content_type(PROBLEM_JSON).body(json)
}
