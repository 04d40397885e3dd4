//! Paddle's webhooks: `Paddle-Signature: ts=…;h1=…[;h1=…]` is
//! `hex(HMAC-SHA256(secret, "{ts}:{raw body}"))`; any matching `h1` under
//! any secret passes (a secret rotation), within a configurable tolerance
//! that defaults to Paddle's 5 s. Verified bodies decode into the domain's
//! normalized events; subscription events carry their state, ordered by
//! `occurred_at`.

use chrono::{DateTime, Utc};
use fakturo_domain::billing::events::{BillingEvent, DecodedEvent, SubscriptionChange, TransactionFacts};
use fakturo_domain::billing::gateway::{DecodeError, SignatureError};
use fakturo_domain::billing::ports::WebhookCodec;
use fakturo_domain::billing::subscription::SubscriptionSnapshot;
use fakturo_domain::kernel::secrets::RevealedSecret;

use crate::paddle::convert::{snapshot, transaction_facts};
use crate::paddle::objects::{Event, Subscription, Transaction};
use crate::signature;

/// Paddle's default tolerance, in seconds.
pub const PADDLE_TOLERANCE_SECS: u64 = 5;

/// The `Paddle-Signature` header Paddle would send for `body` at `timestamp`.
#[must_use]
pub fn paddle_signature_header(secret: &str, timestamp: i64, body: &[u8]) -> String {
    let ts = timestamp.to_string();
    let h1 = signature::sign_hex(secret.as_bytes(), &[ts.as_bytes(), b":", body]);
    format!("ts={ts};h1={h1}")
}

/// Paddle's webhook format.
#[derive(Clone, Copy, Debug)]
pub struct PaddleWebhooks {
    tolerance_secs: u64,
}

impl Default for PaddleWebhooks {
    fn default() -> Self {
        Self {
            tolerance_secs: PADDLE_TOLERANCE_SECS,
        }
    }
}

impl PaddleWebhooks {
    /// With a tolerance other than Paddle's 5 s.
    #[must_use]
    pub const fn with_tolerance(tolerance_secs: u64) -> Self {
        Self { tolerance_secs }
    }

    /// Signs `body` at `now` as Paddle does.
    #[must_use]
    pub fn sign(&self, secret: &RevealedSecret, body: &[u8], now: DateTime<Utc>) -> String {
        paddle_signature_header(secret.expose(), now.timestamp(), body)
    }
}

fn parse_header(header: &str) -> Result<(i64, Vec<&str>), SignatureError> {
    let mut timestamp = None;
    let mut signatures = Vec::new();
    for item in header.split(';') {
        let (key, value) = item.trim().split_once('=').ok_or(SignatureError::Malformed)?;
        match key {
            "ts" if timestamp.is_none() => {
                timestamp = Some(value.parse::<i64>().map_err(|_| SignatureError::Malformed)?);
            }
            "h1" => signatures.push(value),
            _ => return Err(SignatureError::Malformed),
        }
    }
    match timestamp {
        Some(timestamp) if !signatures.is_empty() => Ok((timestamp, signatures)),
        _ => Err(SignatureError::Malformed),
    }
}

impl WebhookCodec for PaddleWebhooks {
    fn verify(
        &self,
        signature_header: Option<&str>,
        raw_body: &[u8],
        secrets: &[RevealedSecret],
        now: DateTime<Utc>,
    ) -> Result<(), SignatureError> {
        let header = signature_header
            .filter(|h| !h.trim().is_empty())
            .ok_or(SignatureError::Missing)?;
        let (timestamp, candidates) = parse_header(header)?;
        let ts = timestamp.to_string();
        let parts: [&[u8]; 3] = [ts.as_bytes(), b":", raw_body];
        let matched = secrets.iter().any(|secret| {
            candidates
                .iter()
                .any(|candidate| signature::matches(secret.expose().as_bytes(), &parts, candidate))
        });
        if !matched {
            return Err(SignatureError::Mismatch);
        }
        if !signature::within(timestamp, now.timestamp(), self.tolerance_secs) {
            return Err(SignatureError::Stale);
        }
        Ok(())
    }

    fn decode(&self, raw_body: &[u8]) -> Result<DecodedEvent, DecodeError> {
        let event: Event = serde_json::from_slice(raw_body).map_err(|e| DecodeError(crate::http::unreadable(&e)))?;
        let kind = event.event_type.as_str();
        let normalized = if kind.starts_with("subscription.") {
            let subscription: Subscription = entity(&event.data)?;
            let snapshot: SubscriptionSnapshot = snapshot(subscription, event.occurred_at);
            Some(BillingEvent::SubscriptionUpdated(SubscriptionChange {
                subscription_id: snapshot.subscription_id.clone(),
                snapshot: Some(snapshot),
            }))
        } else if kind == "transaction.completed" || kind == "transaction.past_due" {
            let transaction: Transaction = entity(&event.data)?;
            Some(BillingEvent::TransactionRecorded(transaction_facts(transaction)))
        } else if kind == "adjustment.created" || kind == "adjustment.updated" {
            adjustment_facts(&event.data).map(BillingEvent::TransactionRecorded)
        } else {
            None
        };
        Ok(DecodedEvent {
            event_id: event.event_id,
            event_type: event.event_type,
            occurred_at: event.occurred_at,
            event: normalized,
        })
    }
}

fn entity<T: serde::de::DeserializeOwned>(data: &serde_json::Value) -> Result<T, DecodeError> {
    T::deserialize(data).map_err(|e| DecodeError(crate::http::unreadable(&e)))
}

/// A refund (an adjustment with `action = refund`), as a negative amount.
fn adjustment_facts(data: &serde_json::Value) -> Option<TransactionFacts> {
    let text = |key: &str| data.get(key).and_then(|v| v.as_str()).map(str::to_owned);
    if text("action").as_deref() != Some("refund") {
        return None;
    }
    let total = data.get("totals")?.get("total")?.as_str()?.parse::<i64>().ok()?;
    Some(TransactionFacts {
        reference: text("id")?,
        tenant: None,
        subscription_id: text("subscription_id"),
        amount_minor: -total,
        currency: text("currency_code").unwrap_or_default(),
        status: format!("refund_{}", text("status").unwrap_or_default()),
        invoice_url: None,
    })
}

#[cfg(test)]
mod tests;
