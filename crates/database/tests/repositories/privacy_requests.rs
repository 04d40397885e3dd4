//! Privacy requests on both backends: tenants' cases with their history
//! and overdue filters, public submissions (confirmed once, expiring) and
//! their routing by client email across tenants, and the operator's cases.

use chrono::{NaiveDate, TimeDelta};
use fakturo_database::SqlStore;
use fakturo_domain::kernel::email::EmailAddress;
use fakturo_domain::kernel::pagination::PageRequest;
use fakturo_domain::kernel::tokens::SecretToken;
use fakturo_domain::privacy::ports::{PrivacyRequestFilter, SubmissionConfirmation};
use fakturo_domain::privacy::requests::{
    EventKind, IdentityMethod, OperatorPrivacyRequest, PrivacyRequest, PrivacyRequestEvent, PrivacySubmission,
    RequestSource, RequestStatus, RequestType,
};
use fakturo_domain::{PrivacyRequestEventId, PrivacyRequestId, PrivacySubmissionId, TenantId};

use crate::privacy::seeded_user;
use crate::{at, client, id};

on_both_backends!(
    privacy_requests_filter_overdue_and_keep_their_history,
    submissions_confirm_once_expire_and_route_by_client_email,
);

fn date(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

fn case(tenant: TenantId, status: RequestStatus, due: &str) -> PrivacyRequest {
    PrivacyRequest {
        id: PrivacyRequestId::from_uuid(id()),
        tenant_id: tenant,
        request_type: RequestType::Erasure,
        subject_email: EmailAddress::parse("Someone@Example.com").unwrap(),
        details: "Please delete my data.".into(),
        client_id: None,
        organization_hint: Some("Muster".into()),
        client_reference: None,
        source: RequestSource::Recorded,
        status,
        received_at: at(1),
        due_on: date(due),
        extension_months: 0,
        identity_verified_at: None,
        identity_method: None,
        created_by: None,
        updated_at: at(1),
    }
}

async fn privacy_requests_filter_overdue_and_keep_their_history(store: SqlStore) {
    let (tenant, _) = seeded_user(&store, "requests@example.com").await;
    let late = case(tenant, RequestStatus::InProgress, "2026-12-01");
    let answered = case(tenant, RequestStatus::Completed, "2026-12-01");
    let fresh = case(tenant, RequestStatus::Received, "2026-12-22");
    let uow = store.begin().await.unwrap();
    for c in [&late, &answered, &fresh] {
        uow.privacy_requests().insert(c).await.unwrap();
    }
    uow.commit().await.unwrap();

    let today = date("2026-12-10");
    let uow = store.begin().await.unwrap();
    let repo = uow.privacy_requests();
    let ids = |filter| async move {
        repo.list(tenant, filter, PageRequest::first())
            .await
            .unwrap()
            .items
            .into_iter()
            .map(|r| r.id)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        ids(PrivacyRequestFilter::default()).await,
        [fresh.id, answered.id, late.id]
    );
    let overdue = PrivacyRequestFilter {
        status: None,
        overdue: Some((true, today)),
    };
    assert_eq!(ids(overdue).await, [late.id]);
    let not_overdue = PrivacyRequestFilter {
        status: None,
        overdue: Some((false, today)),
    };
    assert_eq!(ids(not_overdue).await, [fresh.id, answered.id]);
    let received = PrivacyRequestFilter {
        status: Some(RequestStatus::Received),
        overdue: None,
    };
    assert_eq!(ids(received).await, [fresh.id]);
    assert_eq!(repo.tenants_with_open_due_before(today).await.unwrap(), [tenant]);
    assert!(
        repo.tenants_with_open_due_before(date("2026-12-01"))
            .await
            .unwrap()
            .is_empty()
    );

    let mut changed = late.clone();
    changed.status = RequestStatus::Completed;
    changed.identity_verified_at = Some(at(3));
    changed.identity_method = Some(IdentityMethod::Document);
    changed.extension_months = 2;
    assert!(repo.update(&changed).await.unwrap());
    assert_eq!(repo.get(tenant, late.id).await.unwrap(), Some(changed.clone()));
    assert!(repo.tenants_with_open_due_before(today).await.unwrap().is_empty());
    let stranger = TenantId::from_uuid(id());
    assert_eq!(repo.get(stranger, late.id).await.unwrap(), None);
    assert!(
        !repo
            .update(&PrivacyRequest {
                tenant_id: stranger,
                ..changed
            })
            .await
            .unwrap()
    );

    let entry = |kind, from, to, note: Option<&str>| PrivacyRequestEvent {
        id: PrivacyRequestEventId::from_uuid(id()),
        tenant_id: tenant,
        request_id: late.id,
        kind,
        at: at(2),
        from_status: from,
        to_status: to,
        by: None,
        note: note.map(str::to_owned),
        due_on: date("2026-12-01"),
    };
    let opened = entry(EventKind::Received, None, RequestStatus::Received, None);
    let closed = entry(
        EventKind::StatusChanged,
        Some(RequestStatus::Received),
        RequestStatus::Completed,
        Some("Sent the data."),
    );
    repo.append_event(&opened).await.unwrap();
    repo.append_event(&closed).await.unwrap();
    assert_eq!(repo.events(tenant, late.id).await.unwrap(), [opened, closed]);
    assert!(repo.events(stranger, late.id).await.unwrap().is_empty());
}

async fn submissions_confirm_once_expire_and_route_by_client_email(store: SqlStore) {
    let (first, _) = seeded_user(&store, "routing-a@example.com").await;
    let (second, _) = seeded_user(&store, "routing-b@example.com").await;
    let mut in_first = client(first, "A");
    in_first.details.email = Some(EmailAddress::parse("Person@Example.com").unwrap());
    let mut in_second = client(second, "B");
    in_second.details.email = Some(EmailAddress::parse("person@example.com").unwrap());
    let submission = |secret: Option<&str>| PrivacySubmission {
        id: PrivacySubmissionId::from_uuid(id()),
        request_type: RequestType::Access,
        email: EmailAddress::parse("PERSON@example.com").unwrap(),
        organization_hint: None,
        client_reference: Some("INV-2026-0001".into()),
        details: "What do you have about me?".into(),
        token_digest: secret.map(|s| SecretToken::new(s.into()).digest()),
        submitted_at: at(1),
        expires_at: at(3),
        confirmed_at: None,
    };
    let waiting = submission(None);
    let stale = submission(Some("stale"));
    let uow = store.begin().await.unwrap();
    uow.clients().insert(&in_first).await.unwrap();
    uow.clients().insert(&in_second).await.unwrap();
    let repo = uow.privacy_submissions();
    repo.insert(&waiting).await.unwrap();
    repo.insert(&stale).await.unwrap();
    assert_eq!(repo.get(waiting.id).await.unwrap(), Some(waiting.clone()));
    let digest = SecretToken::new("fresh".into()).digest();
    assert!(repo.set_token(waiting.id, &digest).await.unwrap());
    assert!(
        !repo
            .set_token(PrivacySubmissionId::from_uuid(id()), &digest)
            .await
            .unwrap()
    );
    match repo.confirm(&digest, at(2)).await.unwrap() {
        SubmissionConfirmation::Confirmed(found) => assert_eq!(found.confirmed_at, Some(at(2))),
        other => panic!("expected a confirmation, got {other:?}"),
    }
    assert_eq!(
        repo.confirm(&digest, at(2)).await.unwrap(),
        SubmissionConfirmation::AlreadyConfirmed
    );
    let stale_digest = SecretToken::new("stale".into()).digest();
    assert_eq!(
        repo.confirm(&stale_digest, at(3) + TimeDelta::seconds(1))
            .await
            .unwrap(),
        SubmissionConfirmation::Expired
    );
    let unknown = SecretToken::new("nope".into()).digest();
    assert_eq!(
        repo.confirm(&unknown, at(2)).await.unwrap(),
        SubmissionConfirmation::Unknown
    );

    let mut routed = repo.clients_with_email(&waiting.email).await.unwrap();
    routed.sort();
    let mut expected = vec![(first, in_first.id), (second, in_second.id)];
    expected.sort();
    assert_eq!(routed, expected, "case-insensitive, across tenants");
    let nobody = EmailAddress::parse("nobody@example.com").unwrap();
    assert!(repo.clients_with_email(&nobody).await.unwrap().is_empty());

    assert_eq!(repo.delete_expired(at(4)).await.unwrap(), 2);
    assert_eq!(repo.get(waiting.id).await.unwrap(), None);

    let operator_case = |n| OperatorPrivacyRequest {
        id: PrivacyRequestId::from_uuid(id()),
        request_type: RequestType::Portability,
        subject_email: EmailAddress::parse(&format!("user{n}@example.com")).unwrap(),
        organization_hint: None,
        client_reference: None,
        details: "My account data, please.".into(),
        status: RequestStatus::Received,
        received_at: at(2),
        due_on: date("2027-01-02"),
        identity_verified_at: Some(at(2)),
        identity_method: Some(IdentityMethod::EmailLink),
    };
    let older = operator_case(1);
    let newer = operator_case(2);
    repo.insert_operator_case(&older).await.unwrap();
    repo.insert_operator_case(&newer).await.unwrap();
    assert_eq!(repo.operator_cases(10).await.unwrap(), [newer.clone(), older]);
    assert_eq!(repo.operator_cases(1).await.unwrap(), [newer]);
}
