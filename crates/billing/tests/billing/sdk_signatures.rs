//! Webhook signatures cross-checked with the official SDKs: Stripe's
//! `stripe` package signs, our verifier accepts; our signer signs, Stripe's
//! `Webhook.construct_event` and Paddle's `Verifier` accept; forgeries are
//! refused on both sides.

use chrono::TimeDelta;
use fakturo_billing::paddle::paddle_signature_header;
use fakturo_billing::stripe::stripe_signature_header;
use fakturo_billing::{PaddleWebhooks, StripeWebhooks};
use fakturo_domain::billing::gateway::SignatureError;
use fakturo_domain::billing::ports::WebhookCodec;
use fakturo_domain::kernel::secrets::RevealedSecret;

use crate::support::{python_with, run_python, wall_clock};

const STRIPE_SECRET: &str = "whsec_sdkCrossCheck";
const PADDLE_SECRET: &str = "pdl_ntfset_01sdkcrosscheck_abc";
const STRIPE_BODY: &str = r#"{"id":"evt_sdk_1","object":"event","type":"checkout.session.completed","created":1767225600,"data":{"object":{"id":"cs_1","object":"checkout.session","payment_status":"paid","metadata":{}}}}"#;
const PADDLE_BODY: &str = r#"{"event_id":"evt_01sdk","event_type":"transaction.completed","occurred_at":"2026-01-01T00:00:00Z","notification_id":"ntf_01","data":{"id":"txn_01","status":"completed","currency_code":"EUR","created_at":"2026-01-01T00:00:00Z"}}"#;

const STRIPE_SIGN: &str = "import sys, stripe\nprint(stripe.WebhookSignature.generate_signature_header(sys.stdin.read(), sys.argv[1], timestamp=int(sys.argv[2])))";
const STRIPE_VERIFY: &str = "import sys, stripe\ntry:\n    event = stripe.Webhook.construct_event(sys.stdin.buffer.read(), sys.argv[1], sys.argv[2])\n    print(event['id'])\nexcept stripe.SignatureVerificationError:\n    print('rejected')";
const PADDLE_VERIFY: &str = "import sys\nfrom paddle_billing.Notifications import Secret, Verifier\nclass Request:\n    def __init__(self, body, header):\n        self.body = body\n        self.headers = {'Paddle-Signature': header}\nsecrets = [Secret(s) for s in sys.argv[2:]]\ntry:\n    ok = Verifier().verify(Request(sys.stdin.buffer.read(), sys.argv[1]), secrets if len(secrets) > 1 else secrets[0])\nexcept ConnectionRefusedError:\n    ok = False\nprint('ok' if ok else 'rejected')";

fn secret(text: &str) -> Vec<RevealedSecret> {
    vec![RevealedSecret::new(text.to_owned())]
}

#[test]
fn events_signed_by_the_stripe_sdk_are_accepted_and_tampering_refused() {
    let Some(python) = python_with(&["stripe"], "events_signed_by_the_stripe_sdk") else {
        return;
    };
    let now = wall_clock();
    let t = now.timestamp().to_string();
    let (ok, header) = run_python(&python, STRIPE_SIGN, &[STRIPE_SECRET, &t], STRIPE_BODY.as_bytes());
    assert!(ok && header.starts_with("t="), "{header}");
    let codec = StripeWebhooks::default();
    assert_eq!(
        codec.verify(Some(&header), STRIPE_BODY.as_bytes(), &secret(STRIPE_SECRET), now),
        Ok(())
    );
    assert_eq!(
        header,
        stripe_signature_header(STRIPE_SECRET, now.timestamp(), STRIPE_BODY.as_bytes())
    );
    let tampered = STRIPE_BODY.replace("cs_1", "cs_2");
    assert_eq!(
        codec.verify(Some(&header), tampered.as_bytes(), &secret(STRIPE_SECRET), now),
        Err(SignatureError::Mismatch)
    );
    let old = (now - TimeDelta::seconds(600)).timestamp().to_string();
    let (_, stale) = run_python(&python, STRIPE_SIGN, &[STRIPE_SECRET, &old], STRIPE_BODY.as_bytes());
    assert_eq!(
        codec.verify(Some(&stale), STRIPE_BODY.as_bytes(), &secret(STRIPE_SECRET), now),
        Err(SignatureError::Stale)
    );
    let replayed = format!("t={},{}", now.timestamp(), stale.split_once(',').unwrap().1);
    assert_eq!(
        codec.verify(Some(&replayed), STRIPE_BODY.as_bytes(), &secret(STRIPE_SECRET), now),
        Err(SignatureError::Mismatch)
    );
}

#[test]
fn what_we_sign_verifies_with_stripes_construct_event_and_forgeries_do_not() {
    let Some(python) = python_with(&["stripe"], "what_we_sign_verifies_with_stripe") else {
        return;
    };
    let now = wall_clock();
    let ours = StripeWebhooks::default().sign(
        &RevealedSecret::new(STRIPE_SECRET.to_owned()),
        STRIPE_BODY.as_bytes(),
        now,
    );
    let (ok, id) = run_python(&python, STRIPE_VERIFY, &[&ours, STRIPE_SECRET], STRIPE_BODY.as_bytes());
    assert!(ok);
    assert_eq!(id, "evt_sdk_1");
    let forged = stripe_signature_header("whsec_attacker", now.timestamp(), STRIPE_BODY.as_bytes());
    let stale = stripe_signature_header(
        STRIPE_SECRET,
        (now - TimeDelta::seconds(600)).timestamp(),
        STRIPE_BODY.as_bytes(),
    );
    for header in [forged, stale] {
        let (_, verdict) = run_python(
            &python,
            STRIPE_VERIFY,
            &[&header, STRIPE_SECRET],
            STRIPE_BODY.as_bytes(),
        );
        assert_eq!(verdict, "rejected", "{header}");
    }
}

#[test]
fn what_we_sign_verifies_with_paddles_verifier_including_a_rotation() {
    let Some(python) = python_with(&["paddle_billing"], "what_we_sign_verifies_with_paddle") else {
        return;
    };
    let now = wall_clock();
    let body = PADDLE_BODY.as_bytes();
    let ours = PaddleWebhooks::default().sign(&RevealedSecret::new(PADDLE_SECRET.to_owned()), body, now);
    let verdict = |header: &str, secrets: &[&str]| {
        let mut args = vec![header];
        args.extend_from_slice(secrets);
        run_python(&python, PADDLE_VERIFY, &args, body).1
    };
    assert_eq!(verdict(&ours, &[PADDLE_SECRET]), "ok");
    assert_eq!(verdict(&ours, &["pdl_ntfset_01old_xyz", PADDLE_SECRET]), "ok");
    let forged = paddle_signature_header("pdl_ntfset_01attacker", now.timestamp(), body);
    assert_eq!(verdict(&forged, &[PADDLE_SECRET]), "rejected");
    let stale = paddle_signature_header(PADDLE_SECRET, (now - TimeDelta::seconds(30)).timestamp(), body);
    assert_eq!(verdict(&stale, &[PADDLE_SECRET]), "rejected");
    // And our verifier agrees with Paddle's on each.
    let codec = PaddleWebhooks::default();
    assert_eq!(codec.verify(Some(&ours), body, &secret(PADDLE_SECRET), now), Ok(()));
    assert_eq!(
        codec.verify(Some(&forged), body, &secret(PADDLE_SECRET), now),
        Err(SignatureError::Mismatch)
    );
    assert_eq!(
        codec.verify(Some(&stale), body, &secret(PADDLE_SECRET), now),
        Err(SignatureError::Stale)
    );
}
