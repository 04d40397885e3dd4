//! Requests from the public form: submission, the confirmation email and
//! its single-use link, routing to the organizations with a client at the
//! address (or to the operator), and the daily overdue notices.

use super::*;
use crate::access::audit::{ActorKind, AuditAction};
use crate::messaging::delivery::{Notice, Prepared};
use crate::messaging::outbox::Effect;
use crate::privacy::requests::{EventKind, IdentityMethod, RequestSource, RequestType, SUBMISSION_LIFETIME};
use crate::privacy::services::privacy_requests::{
    ConfirmPrivacyRequestError, PublicRequestFields, SubmitPrivacyRequestError,
};

fn public(email: &str) -> PublicRequestFields {
    PublicRequestFields {
        request_type: "erasure".into(),
        email: email.into(),
        organization_hint: Some("Muster GmbH".into()),
        client_reference: Some("INV-2026-0042".into()),
        details: "Please erase my data.".into(),
    }
}

/// Submits, prepares the confirmation email, and returns the link's token.
async fn submit_and_mail(w: &World, email: &str) -> String {
    w.requests().submit_public(public(email)).await.unwrap();
    let state = w.snapshot();
    let job = state.jobs.last().unwrap();
    let Effect::SendPrivacyRequestConfirmation { submission_id } = job.effect else {
        panic!("{:?}", job.effect)
    };
    let Prepared::Send(email) = w
        .delivery()
        .prepare_privacy_confirmation(&claimed(job), submission_id)
        .await
        .unwrap()
    else {
        panic!("not sent")
    };
    let Notice::PrivacyRequestConfirmation { token, valid_hours, .. } = email.notice else {
        panic!()
    };
    assert_eq!(valid_hours, 48);
    token
}

#[tokio::test]
async fn invalid_public_fields_are_named_and_nothing_is_stored() {
    let w = World::new();
    let before = w.snapshot();
    let mut fields = public("nope");
    fields.request_type = "gossip".into();
    fields.organization_hint = Some("x".repeat(201));
    fields.details = String::new();
    let err = w.requests().submit_public(fields).await.unwrap_err();
    let SubmitPrivacyRequestError::Invalid(errors) = err else {
        panic!("{err:?}")
    };
    assert_eq!(
        errors.errors().iter().map(|e| e.field.as_str()).collect::<Vec<_>>(),
        ["type", "email", "organization_hint", "details"]
    );
    assert_eq!(w.snapshot(), before);
}

#[tokio::test]
async fn a_submission_is_stored_with_a_confirmation_job_naming_no_tenant() {
    let w = World::new();
    w.requests().submit_public(public("erika@example.com")).await.unwrap();
    let state = w.snapshot();
    let submission = state.submissions.values().next().unwrap();
    assert_eq!(submission.request_type, RequestType::Erasure);
    assert_eq!(submission.expires_at, w.now() + SUBMISSION_LIFETIME);
    assert_eq!(
        (submission.token_digest.as_ref(), submission.confirmed_at),
        (None, None)
    );
    assert_eq!(state.job_keys(), [format!("privacy-submission:{}", submission.id)]);
    assert_eq!(state.jobs[0].tenant_id, None);
}

#[tokio::test]
async fn an_unknown_link_is_invalid() {
    let w = World::new();
    submit_and_mail(&w, "erika@example.com").await;
    let before = w.snapshot();
    let err = w.requests().confirm_public("link-999", &origin()).await.unwrap_err();
    assert!(matches!(err, ConfirmPrivacyRequestError::Invalid), "{err:?}");
    assert_eq!(w.snapshot(), before);
}

#[tokio::test]
async fn a_confirmed_request_becomes_a_verified_case_of_each_organization_with_the_client() {
    let w = World::new();
    let ours = w.client("Erika Muster", Some("erika@example.com"));
    w.client("Erika (second record)", Some("ERIKA@example.com"));
    let elsewhere = w.organization("Other Ltd", "FR", "Europe/Paris");
    let theirs = w.client_of(elsewhere, "Erika M.", Some("Erika@Example.com"));
    w.client("Max", Some("max@example.com"));
    let token = submit_and_mail(&w, "erika@example.com").await;
    w.advance(TimeDelta::hours(3));
    let confirmed = w.requests().confirm_public(&token, &origin()).await.unwrap();
    assert_eq!(confirmed.received_at, w.now());
    assert_eq!((confirmed.routed_to_tenants, confirmed.operator_case), (2, false));
    let state = w.snapshot();
    let cases: Vec<_> = state.requests.values().collect();
    assert_eq!(cases.len(), 2);
    let mine = cases.iter().find(|c| c.tenant_id == w.tenant).unwrap();
    assert_eq!(
        mine.client_id,
        Some(ours.id),
        "the organization's first client at the address"
    );
    assert_eq!(mine.source, RequestSource::PublicForm);
    assert_eq!(
        (mine.identity_verified_at, mine.identity_method),
        (Some(w.now()), Some(IdentityMethod::EmailLink))
    );
    assert_eq!(mine.due_on, date(2026, 12, 22));
    assert_eq!(mine.client_reference.as_deref(), Some("INV-2026-0042"));
    let other = cases.iter().find(|c| c.tenant_id == elsewhere).unwrap();
    assert_eq!(other.client_id, Some(theirs.id));
    let kinds: Vec<_> = state
        .request_events
        .iter()
        .filter(|e| e.request_id == mine.id)
        .map(|e| e.kind)
        .collect();
    assert_eq!(kinds, [EventKind::Received, EventKind::IdentityVerified]);
    let audit = state.events(AuditAction::PrivacyRequestUpdated);
    assert_eq!(audit.len(), 2);
    assert!(audit.iter().all(|e| e.actor.kind == ActorKind::Anonymous));
    assert!(state.operator_cases.is_empty());
    assert!(state.submissions.values().all(|s| s.confirmed_at == Some(w.now())));
}

#[tokio::test]
async fn an_address_no_organization_knows_becomes_the_operators_case() {
    let w = World::new();
    let token = submit_and_mail(&w, "nobody@example.net").await;
    let confirmed = w.requests().confirm_public(&token, &origin()).await.unwrap();
    assert_eq!((confirmed.routed_to_tenants, confirmed.operator_case), (0, true));
    let cases = w.requests().operator_cases(10).await.unwrap();
    assert_eq!(cases.len(), 1);
    assert_eq!(cases[0].subject_email.as_str(), "nobody@example.net");
    assert_eq!(cases[0].due_on, date(2026, 12, 22));
    assert_eq!(cases[0].organization_hint.as_deref(), Some("Muster GmbH"));
    assert!(w.snapshot().requests.is_empty());
}

#[tokio::test]
async fn a_link_works_once_and_not_after_it_expired() {
    let w = World::new();
    let token = submit_and_mail(&w, "nobody@example.net").await;
    w.requests().confirm_public(&token, &origin()).await.unwrap();
    let before = w.snapshot();
    let err = w.requests().confirm_public(&token, &origin()).await.unwrap_err();
    assert!(matches!(err, ConfirmPrivacyRequestError::Gone), "{err:?}");
    assert_eq!(w.snapshot(), before);

    let late = submit_and_mail(&w, "late@example.net").await;
    w.advance(SUBMISSION_LIFETIME);
    let before = w.snapshot();
    let err = w.requests().confirm_public(&late, &origin()).await.unwrap_err();
    assert!(matches!(err, ConfirmPrivacyRequestError::Gone), "{err:?}");
    assert_eq!(w.snapshot(), before);
}

#[tokio::test]
async fn a_confirmed_or_expired_submission_gets_no_new_link() {
    let w = World::new();
    let token = submit_and_mail(&w, "nobody@example.net").await;
    w.requests().confirm_public(&token, &origin()).await.unwrap();
    let state = w.snapshot();
    let job = &state.jobs[0];
    let Effect::SendPrivacyRequestConfirmation { submission_id } = job.effect else {
        panic!()
    };
    let delivery = w.delivery();
    let prepared = delivery
        .prepare_privacy_confirmation(&claimed(job), submission_id)
        .await
        .unwrap();
    assert_eq!(prepared, Prepared::Skip("the submission was confirmed or expired"));
    w.store.edit(|s| s.submissions.clear());
    let prepared = delivery
        .prepare_privacy_confirmation(&claimed(job), submission_id)
        .await
        .unwrap();
    assert_eq!(prepared, Prepared::Skip("the submission no longer exists"));
}

#[tokio::test]
async fn owners_get_one_overdue_notice_a_day_and_expired_submissions_are_purged() {
    let w = World::new();
    let second_owner = w.user(w.tenant, "co-owner@muster.example", Role::Owner);
    w.requests()
        .create(
            &signed_in(&w.owner),
            crate::privacy::services::privacy_requests::PrivacyRequestFields {
                request_type: "access".into(),
                subject_email: "erika@example.com".into(),
                details: "What do you keep?".into(),
                client_id: None,
            },
            &origin(),
        )
        .await
        .unwrap();
    w.requests().submit_public(public("someone@example.net")).await.unwrap();
    let quiet = w.requests().run_due().await.unwrap();
    assert_eq!(
        (
            quiet.tenants_with_overdue,
            quiet.notices_queued,
            quiet.submissions_purged
        ),
        (0, 0, 0)
    );

    // Due on 22 December; overdue from the 23rd in Berlin, which starts at 23:00 UTC on the 22nd.
    w.clock.set(at(2026, 12, 22, 23, 30));
    let report = w.requests().run_due().await.unwrap();
    assert_eq!((report.tenants_with_overdue, report.notices_queued), (1, 2));
    assert_eq!(report.submissions_purged, 1);
    let state = w.snapshot();
    let on = date(2026, 12, 23);
    let mut keys: Vec<&str> = state
        .job_keys()
        .into_iter()
        .filter(|k| k.starts_with("privacy-overdue"))
        .collect();
    keys.sort_unstable();
    let mut expected = [
        format!("privacy-overdue:{}:{on}:{}", w.tenant, w.owner.id),
        format!("privacy-overdue:{}:{on}:{}", w.tenant, second_owner.id),
    ];
    expected.sort();
    assert_eq!(keys, expected);
    assert!(state.submissions.is_empty());

    let again = w.requests().run_due().await.unwrap();
    assert_eq!((again.tenants_with_overdue, again.notices_queued), (1, 0));
}
