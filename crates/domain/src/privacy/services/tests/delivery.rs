//! The privacy emails prepared when their jobs run: policy notices and
//! owners' lists of overdue cases.

use super::*;
use crate::messaging::delivery::{Notice, Prepared};
use crate::messaging::outbox::DEFAULT_MAX_ATTEMPTS;
use crate::messaging::outbox::Effect;
use crate::privacy::policies::{PolicyDraft, PolicyKind};
use crate::privacy::services::privacy_requests::PrivacyRequestFields;

fn job(key: &str, effect: Effect, w: &World) -> Job {
    claimed(&NewJob {
        id: w.ids.new_uuid(),
        tenant_id: Some(w.tenant),
        effect,
        idempotency_key: key.into(),
        run_at: w.now(),
        max_attempts: DEFAULT_MAX_ATTEMPTS,
    })
}

#[tokio::test]
async fn a_policy_notice_names_the_published_version_or_is_skipped() {
    let w = World::new();
    let effective = w.now() + TimeDelta::days(40);
    w.policies()
        .publish(PolicyDraft {
            kind: PolicyKind::Terms,
            version: "2027-01".into(),
            effective_at: effective,
            material: true,
            summary: "New prices".into(),
        })
        .await
        .unwrap();
    let effect = Effect::SendPolicyNotice {
        user_id: w.member.id,
        policy: PolicyKind::Terms,
        version: "2027-01".into(),
    };
    let job = job("policy-notice:x", effect, &w);
    let delivery = w.delivery();
    let Prepared::Send(email) = delivery
        .prepare_policy_notice(&job, w.tenant, w.member.id, PolicyKind::Terms, "2027-01")
        .await
        .unwrap()
    else {
        panic!("not sent")
    };
    assert_eq!(
        (email.to, email.message_key.as_str()),
        (w.member.email.clone(), "policy-notice:x")
    );
    assert_eq!(
        email.notice,
        Notice::PolicyChanged {
            kind: PolicyKind::Terms,
            version: "2027-01".into(),
            effective_at: effective,
            material: true,
            summary: "New prices".into()
        }
    );
    let unpublished = delivery
        .prepare_policy_notice(&job, w.tenant, w.member.id, PolicyKind::Privacy, "2027-01")
        .await
        .unwrap();
    assert_eq!(unpublished, Prepared::Skip("the policy version is not published"));
    let gone = delivery
        .prepare_policy_notice(
            &job,
            w.tenant,
            UserId::from_uuid(uuid::Uuid::from_u128(9)),
            PolicyKind::Terms,
            "2027-01",
        )
        .await
        .unwrap();
    assert_eq!(gone, Prepared::Skip("the user no longer exists"));
}

#[tokio::test]
async fn an_overdue_notice_lists_the_cases_still_overdue_oldest_due_first() {
    let w = World::new();
    let fields = |kind: &str| PrivacyRequestFields {
        request_type: kind.into(),
        subject_email: "erika@example.com".into(),
        details: "x".into(),
        client_id: None,
    };
    let first = w
        .requests()
        .create(&signed_in(&w.owner), fields("access"), &origin())
        .await
        .unwrap()
        .case
        .request;
    w.advance(TimeDelta::days(1));
    let second = w
        .requests()
        .create(&signed_in(&w.owner), fields("erasure"), &origin())
        .await
        .unwrap()
        .case
        .request;
    let on = date(2027, 1, 10);
    let effect = Effect::SendOverduePrivacyRequests {
        owner_id: w.owner.id,
        on,
    };
    let job = job("privacy-overdue:x", effect, &w);
    let delivery = w.delivery();
    let Prepared::Send(email) = delivery
        .prepare_overdue_privacy_requests(&job, w.tenant, w.owner.id, on)
        .await
        .unwrap()
    else {
        panic!("not sent")
    };
    let Notice::OverduePrivacyRequests {
        organization_name,
        on: listed_on,
        cases,
    } = email.notice
    else {
        panic!()
    };
    assert_eq!((organization_name.as_str(), listed_on), ("Muster GmbH", on));
    assert_eq!(cases.iter().map(|c| c.id).collect::<Vec<_>>(), [first.id, second.id]);
    assert_eq!(
        (cases[0].received_on, cases[0].due_on),
        (date(2026, 11, 22), date(2026, 12, 22))
    );

    let not_owner = delivery
        .prepare_overdue_privacy_requests(&job, w.tenant, w.admin.id, on)
        .await
        .unwrap();
    assert_eq!(not_owner, Prepared::Skip("the user is no longer an owner"));
    let none_yet = delivery
        .prepare_overdue_privacy_requests(&job, w.tenant, w.owner.id, date(2026, 12, 22))
        .await
        .unwrap();
    assert_eq!(none_yet, Prepared::Skip("no privacy request is overdue any more"));
}

#[tokio::test]
async fn the_requester_is_told_an_extensions_new_date_and_reason_once() {
    let w = World::new();
    let fields = PrivacyRequestFields {
        request_type: "access".into(),
        subject_email: "erika@example.com".into(),
        details: "x".into(),
        client_id: None,
    };
    let case = w
        .requests()
        .create(&signed_in(&w.owner), fields, &origin())
        .await
        .unwrap()
        .case
        .request;
    w.requests()
        .extend(&signed_in(&w.owner), case.id, 1, "Records in three systems", &origin())
        .await
        .unwrap();
    let queued: Vec<NewJob> = w
        .snapshot()
        .jobs
        .into_iter()
        .filter(|job| matches!(job.effect, Effect::SendPrivacyRequestExtended { .. }))
        .collect();
    assert_eq!(queued.len(), 1, "one notice per extension");
    let job = claimed(&queued[0]);
    let Effect::SendPrivacyRequestExtended { request_id, event_id } = job.effect else {
        panic!()
    };
    assert_eq!(request_id, case.id);
    let Prepared::Send(email) = w
        .delivery()
        .prepare_extension_notice(&job, w.tenant, request_id, event_id)
        .await
        .unwrap()
    else {
        panic!("not sent")
    };
    assert_eq!(email.to, case.subject_email);
    let Notice::PrivacyRequestExtended { due_on, reason, .. } = email.notice else {
        panic!()
    };
    assert_eq!(reason, "Records in three systems");
    assert_eq!(due_on, date(2027, 1, 22), "a month more than the first deadline");
}
