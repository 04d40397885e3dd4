//! Stripe signatures: every way to fail, rotation, and decoding each event type.

use chrono::{DateTime, TimeDelta, Utc};
use fakturo_domain::billing::events::BillingEvent;
use fakturo_domain::billing::gateway::SignatureError;
use fakturo_domain::billing::ports::WebhookCodec;
use fakturo_domain::kernel::secrets::RevealedSecret;

use super::{StripeWebhooks, stripe_signature_header};

const SECRET: &str = "whsec_test_secret";
const BODY: &[u8] =
    br#"{"id":"evt_1","type":"payment_intent.succeeded","created":1767225600,"data":{"object":{"id":""}}}"#;

fn now() -> DateTime<Utc> {
    DateTime::from_timestamp(1_767_225_600, 0).unwrap()
}

fn secrets(values: &[&str]) -> Vec<RevealedSecret> {
    values.iter().map(|s| RevealedSecret::new((*s).to_owned())).collect()
}

fn verify(header: Option<&str>, body: &[u8]) -> Result<(), SignatureError> {
    StripeWebhooks::default().verify(header, body, &secrets(&[SECRET]), now())
}

#[test]
fn a_signature_as_stripe_makes_it_verifies() {
    let header = stripe_signature_header(SECRET, now().timestamp(), BODY);
    assert!(header.starts_with("t=1767225600,v1="));
    assert_eq!(verify(Some(&header), BODY), Ok(()));
    let signed = StripeWebhooks::default().sign(&RevealedSecret::new(SECRET.to_owned()), BODY, now());
    assert_eq!(signed, header);
}

#[test]
fn any_matching_v1_under_any_secret_passes() {
    let good = stripe_signature_header(SECRET, now().timestamp(), BODY);
    let v1 = good.split("v1=").nth(1).unwrap();
    let header = format!("t={},v1={},v0=ignored,v1={v1}", now().timestamp(), "0".repeat(64));
    assert_eq!(verify(Some(&header), BODY), Ok(()));
    let rotated = StripeWebhooks::default().verify(Some(&good), BODY, &secrets(&["whsec_old", SECRET]), now());
    assert_eq!(rotated, Ok(()));
}

#[test]
fn forged_tampered_and_unsigned_events_are_refused() {
    let forged = stripe_signature_header("whsec_attacker", now().timestamp(), BODY);
    assert_eq!(verify(Some(&forged), BODY), Err(SignatureError::Mismatch));
    let good = stripe_signature_header(SECRET, now().timestamp(), BODY);
    assert_eq!(
        verify(Some(&good), b"{\"id\":\"evt_2\"}"),
        Err(SignatureError::Mismatch)
    );
    assert_eq!(verify(None, BODY), Err(SignatureError::Missing));
    assert_eq!(verify(Some(""), BODY), Err(SignatureError::Missing));
    for malformed in ["garbage", "t=abc,v1=00", "v1=00", "t=1767225600", "t=1,t=2,v1=00"] {
        assert_eq!(
            verify(Some(malformed), BODY),
            Err(SignatureError::Malformed),
            "{malformed}"
        );
    }
    assert_eq!(
        verify(Some("t=1767225600,v1=nothex"), BODY),
        Err(SignatureError::Mismatch)
    );
}

#[test]
fn stale_and_replayed_with_a_new_timestamp_are_refused() {
    let old = now() - TimeDelta::seconds(301);
    let stale = stripe_signature_header(SECRET, old.timestamp(), BODY);
    assert_eq!(verify(Some(&stale), BODY), Err(SignatureError::Stale));
    let edge = stripe_signature_header(SECRET, (now() - TimeDelta::seconds(300)).timestamp(), BODY);
    assert_eq!(verify(Some(&edge), BODY), Ok(()));
    let future = stripe_signature_header(SECRET, (now() + TimeDelta::seconds(301)).timestamp(), BODY);
    assert_eq!(verify(Some(&future), BODY), Err(SignatureError::Stale));
    // The old signature with a fresh timestamp: the timestamp is signed too.
    let v1 = stale.split("v1=").nth(1).unwrap();
    let replayed = format!("t={},v1={v1}", now().timestamp());
    assert_eq!(verify(Some(&replayed), BODY), Err(SignatureError::Mismatch));
    let narrow = StripeWebhooks::with_tolerance(10);
    let late = stripe_signature_header(SECRET, (now() - TimeDelta::seconds(11)).timestamp(), BODY);
    assert_eq!(
        narrow.verify(Some(&late), BODY, &secrets(&[SECRET]), now()),
        Err(SignatureError::Stale)
    );
}

fn decode(body: &str) -> Option<BillingEvent> {
    StripeWebhooks::default().decode(body.as_bytes()).unwrap().event
}

#[test]
fn checkout_and_refund_events_decode_into_facts() {
    let tenant = "0190f5a6-0000-7000-8000-000000000001";
    let invoice = "0190f5a6-0000-7000-8000-000000000002";
    let session = format!(
        r#"{{"id":"evt_1","type":"checkout.session.completed","created":1767225600,"data":{{"object":{{"id":"cs_1","object":"checkout.session","payment_status":"paid","payment_intent":"pi_1","amount_total":1234,"currency":"eur","created":1767225000,"metadata":{{"tenant_id":"{tenant}","invoice_id":"{invoice}"}}}}}}}}"#
    );
    let decoded = StripeWebhooks::default().decode(session.as_bytes()).unwrap();
    assert_eq!((decoded.event_id.as_str(), decoded.occurred_at), ("evt_1", now()));
    let Some(BillingEvent::CheckoutCompleted(facts)) = decoded.event else {
        panic!("{decoded:?}")
    };
    assert!(facts.paid);
    assert_eq!(facts.payment_intent.as_deref(), Some("pi_1"));
    assert_eq!(facts.tenant.map(|t| t.to_string()).as_deref(), Some(tenant));
    assert_eq!(facts.invoice.map(|i| i.to_string()).as_deref(), Some(invoice));
    assert_eq!((facts.amount_minor, facts.currency.as_str()), (1234, "eur"));
    let failed = session.replace("checkout.session.completed", "checkout.session.async_payment_failed");
    assert!(matches!(decode(&failed), Some(BillingEvent::AsyncPaymentFailed(_))));
    let succeeded = session.replace("checkout.session.completed", "checkout.session.async_payment_succeeded");
    assert!(matches!(
        decode(&succeeded),
        Some(BillingEvent::AsyncPaymentSucceeded(_))
    ));

    let refund = r#"{"id":"evt_2","type":"charge.refunded","created":1767225600,"data":{"object":{"id":"ch_1","payment_intent":{"id":"pi_1"},"amount_refunded":500,"currency":"eur"}}}"#;
    let Some(BillingEvent::ChargeRefunded(facts)) = decode(refund) else {
        panic!()
    };
    assert_eq!(
        (
            facts.charge_id.as_str(),
            facts.payment_intent.as_deref(),
            facts.amount_refunded_minor
        ),
        ("ch_1", Some("pi_1"), 500)
    );
}

#[test]
fn subscription_events_ask_for_the_current_object_and_others_are_ignored() {
    let updated = r#"{"id":"evt_3","type":"customer.subscription.updated","created":1767225600,"data":{"object":{"id":"sub_1","status":"canceled"}}}"#;
    let Some(BillingEvent::SubscriptionUpdated(change)) = decode(updated) else {
        panic!()
    };
    assert_eq!((change.subscription_id.as_str(), change.snapshot), ("sub_1", None));
    let paid = r#"{"id":"evt_4","type":"invoice.paid","created":1767225600,"data":{"object":{"id":"in_1","amount_paid":1900,"currency":"eur","status":"paid","subscription":"sub_1","hosted_invoice_url":"https://invoice.stripe.com/i/1"}}}"#;
    let Some(BillingEvent::TransactionRecorded(facts)) = decode(paid) else {
        panic!()
    };
    assert_eq!(
        (
            facts.reference.as_str(),
            facts.subscription_id.as_deref(),
            facts.amount_minor
        ),
        ("in_1", Some("sub_1"), 1900)
    );
    let Some(BillingEvent::PaymentSucceeded(facts)) = decode(std::str::from_utf8(BODY).unwrap()) else {
        panic!()
    };
    assert_eq!((facts.session_id.as_str(), facts.tenant, facts.paid), ("", None, false));
    let other = r#"{"id":"evt_5","type":"customer.created","created":1767225600,"data":{"object":{"id":"cus_1"}}}"#;
    assert_eq!(decode(other), None);
    assert!(StripeWebhooks::default().decode(b"[]").is_err());
}

#[test]
fn a_body_that_does_not_decode_is_described_without_its_content() {
    let body = br#"{"id":"evt_6","type":"checkout.session.completed","created":1767225600,"data":{"object":{"id":"jane.doe@example.com","payment_status":7}}}"#;
    let error = StripeWebhooks::default().decode(body).unwrap_err();
    assert!(error.to_string().contains("unexpected shape"), "{error}");
    assert!(
        !error.to_string().contains("jane") && !error.to_string().contains('7'),
        "{error}"
    );
}
