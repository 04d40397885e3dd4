//! Paddle signatures: every way to fail, rotation, tolerance, and decoding.

use chrono::{DateTime, TimeDelta, Utc};
use fakturo_domain::billing::events::BillingEvent;
use fakturo_domain::billing::gateway::SignatureError;
use fakturo_domain::billing::ports::WebhookCodec;
use fakturo_domain::billing::subscription::SubscriptionStatus;
use fakturo_domain::kernel::secrets::RevealedSecret;

use super::{PaddleWebhooks, paddle_signature_header};

const SECRET: &str = "pdl_ntfset_01_test";
const BODY: &[u8] = br#"{"event_id":"evt_01","event_type":"subscription.updated","occurred_at":"2026-01-01T00:00:00.123456Z","notification_id":"ntf_01","data":{"id":"sub_01","status":"past_due","customer_id":"ctm_01","custom_data":{"tenant_id":"0190f5a6-0000-7000-8000-000000000001"},"items":[{"price":{"id":"pri_pro"}}],"current_billing_period":{"starts_at":"2026-01-01T00:00:00Z","ends_at":"2026-02-01T00:00:00Z"},"scheduled_change":{"action":"cancel","effective_at":"2026-02-01T00:00:00Z","resume_at":null}}}"#;

fn now() -> DateTime<Utc> {
    DateTime::from_timestamp(1_767_225_600, 0).unwrap()
}

fn secrets(values: &[&str]) -> Vec<RevealedSecret> {
    values.iter().map(|s| RevealedSecret::new((*s).to_owned())).collect()
}

fn verify(header: Option<&str>, body: &[u8]) -> Result<(), SignatureError> {
    PaddleWebhooks::default().verify(header, body, &secrets(&[SECRET]), now())
}

#[test]
fn a_signature_as_paddle_makes_it_verifies_with_any_h1_and_any_secret() {
    let header = paddle_signature_header(SECRET, now().timestamp(), BODY);
    assert!(header.starts_with("ts=1767225600;h1="));
    assert_eq!(verify(Some(&header), BODY), Ok(()));
    let h1 = header.split("h1=").nth(1).unwrap();
    let two = format!("ts={};h1={};h1={h1}", now().timestamp(), "ab".repeat(32));
    assert_eq!(verify(Some(&two), BODY), Ok(()));
    let rotated = PaddleWebhooks::default().verify(Some(&header), BODY, &secrets(&["pdl_old", SECRET]), now());
    assert_eq!(rotated, Ok(()));
    let signed = PaddleWebhooks::default().sign(&RevealedSecret::new(SECRET.to_owned()), BODY, now());
    assert_eq!(signed, header);
}

#[test]
fn forged_tampered_unsigned_stale_and_replayed_events_are_refused() {
    let forged = paddle_signature_header("pdl_attacker", now().timestamp(), BODY);
    assert_eq!(verify(Some(&forged), BODY), Err(SignatureError::Mismatch));
    let good = paddle_signature_header(SECRET, now().timestamp(), BODY);
    assert_eq!(verify(Some(&good), b"{}"), Err(SignatureError::Mismatch));
    assert_eq!(verify(None, BODY), Err(SignatureError::Missing));
    for malformed in ["nonsense", "ts=x;h1=00", "h1=00", "ts=1767225600", "ts=1;h2=00"] {
        assert_eq!(
            verify(Some(malformed), BODY),
            Err(SignatureError::Malformed),
            "{malformed}"
        );
    }
    let stale = paddle_signature_header(SECRET, (now() - TimeDelta::seconds(6)).timestamp(), BODY);
    assert_eq!(verify(Some(&stale), BODY), Err(SignatureError::Stale));
    let edge = paddle_signature_header(SECRET, (now() - TimeDelta::seconds(5)).timestamp(), BODY);
    assert_eq!(verify(Some(&edge), BODY), Ok(()));
    let h1 = stale.split("h1=").nth(1).unwrap();
    let replayed = format!("ts={};h1={h1}", now().timestamp());
    assert_eq!(verify(Some(&replayed), BODY), Err(SignatureError::Mismatch));
    let relaxed = PaddleWebhooks::with_tolerance(60);
    assert_eq!(relaxed.verify(Some(&stale), BODY, &secrets(&[SECRET]), now()), Ok(()));
}

#[test]
fn subscription_events_carry_their_state_ordered_by_occurred_at() {
    let decoded = PaddleWebhooks::default().decode(BODY).unwrap();
    let Some(BillingEvent::SubscriptionUpdated(change)) = decoded.event else {
        panic!()
    };
    let snapshot = change.snapshot.unwrap();
    assert_eq!(snapshot.status, SubscriptionStatus::PastDue);
    assert_eq!(snapshot.price_ids, ["pri_pro"]);
    assert_eq!(snapshot.ordering_key, decoded.occurred_at);
    assert_eq!(
        snapshot.cancel_at.map(|t| t.to_rfc3339()).as_deref(),
        Some("2026-02-01T00:00:00+00:00")
    );
    assert!(snapshot.tenant.is_some());
}

#[test]
fn transactions_and_refunds_decode_into_billing_records() {
    let completed = br#"{"event_id":"evt_02","event_type":"transaction.completed","occurred_at":"2026-01-01T00:00:00Z","data":{"id":"txn_01","status":"completed","customer_id":"ctm_01","subscription_id":"sub_01","currency_code":"EUR","custom_data":null,"details":{"totals":{"grand_total":"1900","total":"1900"}},"created_at":"2026-01-01T00:00:00Z","billed_at":null}}"#;
    let Some(BillingEvent::TransactionRecorded(facts)) = PaddleWebhooks::default().decode(completed).unwrap().event
    else {
        panic!()
    };
    assert_eq!(
        (facts.reference.as_str(), facts.amount_minor, facts.tenant),
        ("txn_01", 1900, None)
    );
    let refund = br#"{"event_id":"evt_03","event_type":"adjustment.created","occurred_at":"2026-01-02T00:00:00Z","data":{"id":"adj_01","action":"refund","status":"approved","subscription_id":"sub_01","currency_code":"EUR","totals":{"total":"500"}}}"#;
    let Some(BillingEvent::TransactionRecorded(facts)) = PaddleWebhooks::default().decode(refund).unwrap().event else {
        panic!()
    };
    assert_eq!((facts.amount_minor, facts.status.as_str()), (-500, "refund_approved"));
    let credit = String::from_utf8(refund.to_vec())
        .unwrap()
        .replace("\"refund\"", "\"credit\"");
    assert_eq!(PaddleWebhooks::default().decode(credit.as_bytes()).unwrap().event, None);
}
