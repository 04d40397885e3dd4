//! Stripe's webhooks: `Stripe-Signature: t=…,v1=…[,v1=…]` is
//! `hex(HMAC-SHA256(secret, "{t}.{raw body}"))`; any matching `v1` under
//! any secret passes, within a tolerance of 300 s. Verified bodies decode
//! into the domain's normalized events.

use chrono::{DateTime, Utc};
use fakturo_domain::billing::events::{
    BillingEvent, CheckoutFacts, DecodedEvent, RefundFacts, SubscriptionChange, TransactionFacts,
};
use fakturo_domain::billing::gateway::{DecodeError, SignatureError};
use fakturo_domain::billing::ports::WebhookCodec;
use fakturo_domain::kernel::secrets::RevealedSecret;
use serde::de::DeserializeOwned;

use crate::signature;
use crate::stripe::objects::{Charge, CheckoutSession, Event, Invoice, PaymentIntent, id_of};

/// Stripe's own tolerance, in seconds.
pub const STRIPE_TOLERANCE_SECS: u64 = 300;

/// The `Stripe-Signature` header Stripe would send for `body` at `timestamp`
/// (for tests, and for signing in Stripe's format).
#[must_use]
pub fn stripe_signature_header(secret: &str, timestamp: i64, body: &[u8]) -> String {
    let t = timestamp.to_string();
    let v1 = signature::sign_hex(secret.as_bytes(), &[t.as_bytes(), b".", body]);
    format!("t={t},v1={v1}")
}

/// Stripe's webhook format.
#[derive(Clone, Copy, Debug)]
pub struct StripeWebhooks {
    tolerance_secs: u64,
}

impl Default for StripeWebhooks {
    fn default() -> Self {
        Self {
            tolerance_secs: STRIPE_TOLERANCE_SECS,
        }
    }
}

impl StripeWebhooks {
    /// With a tolerance other than Stripe's 300 s.
    #[must_use]
    pub const fn with_tolerance(tolerance_secs: u64) -> Self {
        Self { tolerance_secs }
    }

    /// Signs `body` at `now` as Stripe does.
    #[must_use]
    pub fn sign(&self, secret: &RevealedSecret, body: &[u8], now: DateTime<Utc>) -> String {
        stripe_signature_header(secret.expose(), now.timestamp(), body)
    }
}

fn parse_header(header: &str) -> Result<(i64, Vec<&str>), SignatureError> {
    let mut timestamp = None;
    let mut signatures = Vec::new();
    for item in header.split(',') {
        let (key, value) = item.trim().split_once('=').ok_or(SignatureError::Malformed)?;
        match key {
            "t" if timestamp.is_none() => {
                timestamp = Some(value.parse::<i64>().map_err(|_| SignatureError::Malformed)?)
            }
            "t" => return Err(SignatureError::Malformed),
            "v1" => signatures.push(value),
            _ => {} // v0 and future schemes are ignored, as Stripe's libraries do.
        }
    }
    match timestamp {
        Some(timestamp) if !signatures.is_empty() => Ok((timestamp, signatures)),
        _ => Err(SignatureError::Malformed),
    }
}

impl WebhookCodec for StripeWebhooks {
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
        let t = timestamp.to_string();
        let parts: [&[u8]; 3] = [t.as_bytes(), b".", raw_body];
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
        let occurred_at = DateTime::from_timestamp(event.created, 0)
            .ok_or_else(|| DecodeError("the event time is out of range".to_owned()))?;
        let object = &event.data.object;
        let normalized = match event.event_type.as_str() {
            "checkout.session.completed" => Some(BillingEvent::CheckoutCompleted(checkout_facts(object)?)),
            "checkout.session.async_payment_succeeded" => {
                Some(BillingEvent::AsyncPaymentSucceeded(checkout_facts(object)?))
            }
            "checkout.session.async_payment_failed" => Some(BillingEvent::AsyncPaymentFailed(checkout_facts(object)?)),
            "payment_intent.succeeded" => {
                let intent: PaymentIntent = object_as(object)?;
                Some(BillingEvent::PaymentSucceeded(CheckoutFacts {
                    session_id: intent.id.clone(),
                    payment_intent: Some(intent.id),
                    paid: intent.status == "succeeded",
                    tenant: intent.metadata.get("tenant_id").and_then(|id| id.parse().ok()),
                    invoice: intent.metadata.get("invoice_id").and_then(|id| id.parse().ok()),
                    amount_minor: if intent.amount_received > 0 {
                        intent.amount_received
                    } else {
                        intent.amount
                    },
                    currency: intent.currency,
                }))
            }
            "charge.refunded" => {
                let charge: Charge = object_as(object)?;
                Some(BillingEvent::ChargeRefunded(RefundFacts {
                    payment_intent: id_of(charge.payment_intent.as_ref()),
                    charge_id: charge.id,
                    amount_refunded_minor: charge.amount_refunded,
                    currency: charge.currency,
                }))
            }
            kind if kind.starts_with("customer.subscription.") => {
                // The body may be older than the object: fetch the current one.
                let id = object
                    .get("id")
                    .and_then(|id| id.as_str())
                    .ok_or_else(|| DecodeError("no id".to_owned()))?;
                Some(BillingEvent::SubscriptionUpdated(SubscriptionChange {
                    subscription_id: id.to_owned(),
                    snapshot: None,
                }))
            }
            "invoice.paid" | "invoice.payment_failed" => {
                let invoice: Invoice = object_as(object)?;
                Some(BillingEvent::TransactionRecorded(TransactionFacts {
                    reference: invoice.id,
                    tenant: None,
                    subscription_id: id_of(invoice.subscription.as_ref()),
                    amount_minor: invoice.amount_paid,
                    currency: invoice.currency,
                    status: invoice.status.unwrap_or_default(),
                    invoice_url: invoice.hosted_invoice_url,
                }))
            }
            _ => None,
        };
        Ok(DecodedEvent {
            event_id: event.id,
            event_type: event.event_type,
            occurred_at,
            event: normalized,
        })
    }
}

fn object_as<T: DeserializeOwned>(object: &serde_json::Value) -> Result<T, DecodeError> {
    T::deserialize(object).map_err(|e| DecodeError(crate::http::unreadable(&e)))
}

fn checkout_facts(object: &serde_json::Value) -> Result<CheckoutFacts, DecodeError> {
    let session: CheckoutSession = object_as(object)?;
    Ok(CheckoutFacts {
        payment_intent: id_of(session.payment_intent.as_ref()),
        paid: session.payment_status == "paid",
        tenant: session.metadata.get("tenant_id").and_then(|id| id.parse().ok()),
        invoice: session.metadata.get("invoice_id").and_then(|id| id.parse().ok()),
        amount_minor: session.amount_total.unwrap_or_default(),
        currency: session.currency.unwrap_or_default(),
        session_id: session.id,
    })
}

#[cfg(test)]
mod tests;
