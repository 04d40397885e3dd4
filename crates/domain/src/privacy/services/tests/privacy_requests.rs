//! A tenant's privacy requests: recording them with a due date in the
//! organization's time zone, listing and reading them, and every change
//! with its history entry and audit event, or its refusal.

use super::*;
use crate::access::audit::AuditAction;
use crate::access::user::Forbidden;
use crate::kernel::pagination::PageRequest;
use crate::privacy::requests::{CaseRuleError, EventKind, IdentityMethod, RequestStatus, RequestType};
use crate::privacy::services::privacy_requests::{
    CreatePrivacyRequestError, PrivacyCaseDetail, PrivacyRequestError, PrivacyRequestFields, PrivacyRequestQuery,
};

fn fields(kind: &str, email: &str, details: &str, client: Option<ClientId>) -> PrivacyRequestFields {
    PrivacyRequestFields {
        request_type: kind.into(),
        subject_email: email.into(),
        details: details.into(),
        client_id: client,
    }
}

async fn case(w: &World) -> PrivacyCaseDetail {
    w.requests()
        .create(
            &signed_in(&w.admin),
            fields("erasure", "erika@example.com", "Please delete my data.", None),
            &origin(),
        )
        .await
        .unwrap()
}

fn rule(err: PrivacyRequestError) -> CaseRuleError {
    match err {
        PrivacyRequestError::Rule(rule) => rule,
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_member_may_not_record_a_request() {
    let w = World::new();
    let err = w
        .requests()
        .create(
            &signed_in(&w.member),
            fields("access", "a@example.com", "x", None),
            &origin(),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            CreatePrivacyRequestError::Forbidden(Forbidden {
                role: Role::Member,
                action: "record privacy requests"
            })
        ),
        "{err:?}"
    );
    assert!(w.snapshot().requests.is_empty());
}

#[tokio::test]
async fn invalid_fields_are_named_and_nothing_is_recorded() {
    let w = World::new();
    let before = w.snapshot();
    let err = w
        .requests()
        .create(
            &signed_in(&w.owner),
            fields("complaint", "not an address", " ", None),
            &origin(),
        )
        .await
        .unwrap_err();
    let CreatePrivacyRequestError::Invalid(errors) = err else {
        panic!("{err:?}")
    };
    assert_eq!(
        errors.errors().iter().map(|e| e.field.as_str()).collect::<Vec<_>>(),
        ["type", "subject_email", "details"]
    );
    assert_eq!(codes(&errors)[0], "type:invalid_request_type");
    assert_eq!(w.snapshot(), before);
}

#[tokio::test]
async fn a_request_about_an_unknown_client_is_refused() {
    let w = World::new();
    let elsewhere = w.organization("Other Ltd", "FR", "Europe/Paris");
    let theirs = w.client_of(elsewhere, "Jean", None);
    let before = w.snapshot();
    let err = w
        .requests()
        .create(
            &signed_in(&w.owner),
            fields("access", "jean@example.fr", "x", Some(theirs.id)),
            &origin(),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, CreatePrivacyRequestError::ClientNotFound), "{err:?}");
    assert_eq!(w.snapshot(), before);
}

#[tokio::test]
async fn a_recorded_request_is_due_a_month_after_the_organizations_today() {
    let w = World::new();
    // 23:30 UTC on 22 November is already the 23rd in Berlin.
    w.clock.set(at(2026, 11, 22, 23, 30));
    let client = w.client("Erika Muster", Some("erika@example.com"));
    let detail = w
        .requests()
        .create(
            &signed_in(&w.owner),
            fields("access", "Erika@Example.com", "What do you keep?", Some(client.id)),
            &origin(),
        )
        .await
        .unwrap();
    let request = &detail.case.request;
    assert_eq!(request.due_on, date(2026, 12, 23));
    assert_eq!(
        (request.status, request.request_type),
        (RequestStatus::Received, RequestType::Access)
    );
    assert_eq!(
        (request.client_id, request.created_by),
        (Some(client.id), Some(w.owner.id))
    );
    assert!(!detail.case.overdue);
    assert_eq!(detail.history.len(), 1);
    assert_eq!(detail.history[0].kind, EventKind::Received);
    let state = w.snapshot();
    assert_eq!(state.requests[&(w.tenant, request.id)], *request);
    assert_eq!(state.request_events, detail.history);
    let events = state.events(AuditAction::PrivacyRequestUpdated);
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].details.get("change").map(String::as_str), Some("received"));
    assert_eq!(events[0].details.get("type").map(String::as_str), Some("access"));
}

#[tokio::test]
async fn cases_are_for_managers_and_listed_newest_first_with_filters() {
    let w = World::new();
    let err = w
        .requests()
        .list(
            &principal(&w.accountant),
            PrivacyRequestQuery::default(),
            PageRequest::first(),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, PrivacyRequestError::Forbidden(_)), "{err:?}");
    let old = case(&w).await.case.request;
    w.advance(TimeDelta::days(40));
    let new = case(&w).await.case.request;
    let service = w.requests();
    let who = principal(&w.owner);
    let all = service
        .list(
            &who,
            PrivacyRequestQuery::default(),
            PageRequest { limit: 1, after: None },
        )
        .await
        .unwrap();
    assert_eq!(all.items[0].request.id, new.id);
    assert!(all.next_cursor.is_some());
    let overdue = PrivacyRequestQuery {
        status: None,
        overdue: Some(true),
    };
    let found = service.list(&who, overdue, PageRequest::first()).await.unwrap();
    assert_eq!(found.items.iter().map(|c| c.request.id).collect::<Vec<_>>(), [old.id]);
    assert!(found.items[0].overdue);
    let received = PrivacyRequestQuery {
        status: Some(RequestStatus::InProgress),
        overdue: None,
    };
    assert!(
        service
            .list(&who, received, PageRequest::first())
            .await
            .unwrap()
            .items
            .is_empty()
    );
}

#[tokio::test]
async fn an_unknown_or_foreign_case_is_not_found() {
    let w = World::new();
    let detail = case(&w).await;
    let elsewhere = w.organization("Other Ltd", "FR", "Europe/Paris");
    let olga = w.user(elsewhere, "olga@example.org", Role::Owner);
    let id = detail.case.request.id;
    let err = w.requests().get(&principal(&olga), id).await.unwrap_err();
    assert!(matches!(err, PrivacyRequestError::NotFound), "{err:?}");
    let before = w.snapshot();
    let err = w
        .requests()
        .change_status(&signed_in(&olga), id, "completed", "", &origin())
        .await
        .unwrap_err();
    assert!(matches!(err, PrivacyRequestError::NotFound), "{err:?}");
    assert_eq!(w.snapshot(), before);
    assert_eq!(w.requests().get(&principal(&w.owner), id).await.unwrap(), detail);
}

#[tokio::test]
async fn an_accountant_may_not_change_a_case() {
    let w = World::new();
    let id = case(&w).await.case.request.id;
    let before = w.snapshot();
    let err = w
        .requests()
        .extend(&signed_in(&w.accountant), id, 1, "complex", &origin())
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            PrivacyRequestError::Forbidden(Forbidden {
                action: "manage privacy requests",
                ..
            })
        ),
        "{err:?}"
    );
    assert_eq!(w.snapshot(), before);
}

#[tokio::test]
async fn a_deadline_extends_by_at_most_two_months_with_a_reason() {
    let w = World::new();
    let id = case(&w).await.case.request.id;
    let service = w.requests();
    let who = signed_in(&w.owner);
    let before = w.snapshot();
    let CaseRuleError::Invalid(errors) = rule(service.extend(&who, id, 3, " ", &origin()).await.unwrap_err()) else {
        panic!()
    };
    assert_eq!(codes(&errors), ["reason:required", "months:out_of_range"]);
    assert_eq!(w.snapshot(), before);

    let detail = service.extend(&who, id, 2, "Many records", &origin()).await.unwrap();
    assert_eq!(detail.case.request.due_on, date(2027, 2, 22));
    let last = detail.history.last().unwrap();
    assert_eq!(
        (last.kind, last.note.as_deref()),
        (EventKind::Extended, Some("Many records"))
    );
    assert_eq!(last.due_on, date(2027, 2, 22));

    let before = w.snapshot();
    let err = rule(service.extend(&who, id, 1, "More", &origin()).await.unwrap_err());
    assert_eq!(err, CaseRuleError::ExtensionLimit { remaining: 0 });
    assert_eq!(w.snapshot(), before);
}

#[tokio::test]
async fn statuses_move_forward_only_and_a_rejection_says_why() {
    let w = World::new();
    let id = case(&w).await.case.request.id;
    let service = w.requests();
    let who = signed_in(&w.admin);
    let err = service
        .change_status(&who, id, "archived", "", &origin())
        .await
        .unwrap_err();
    let PrivacyRequestError::Invalid(errors) = err else {
        panic!("{err:?}")
    };
    assert_eq!(codes(&errors), ["status:invalid_status"]);
    let err = rule(
        service
            .change_status(&who, id, "received", "", &origin())
            .await
            .unwrap_err(),
    );
    assert_eq!(
        err,
        CaseRuleError::InvalidTransition {
            from: "received",
            to: "received"
        }
    );
    let CaseRuleError::Invalid(errors) = rule(
        service
            .change_status(&who, id, "rejected", "", &origin())
            .await
            .unwrap_err(),
    ) else {
        panic!()
    };
    assert_eq!(codes(&errors), ["note:required"]);
    assert_eq!(w.snapshot().request_events.len(), 1, "only the first entry");

    let detail = service
        .change_status(&who, id, "in_progress", "", &origin())
        .await
        .unwrap();
    assert_eq!(detail.case.request.status, RequestStatus::InProgress);
    let detail = service
        .change_status(&who, id, "completed", "Sent", &origin())
        .await
        .unwrap();
    let last = detail.history.last().unwrap();
    assert_eq!(
        (last.kind, last.from_status, last.to_status, last.by),
        (
            EventKind::StatusChanged,
            Some(RequestStatus::InProgress),
            RequestStatus::Completed,
            Some(w.admin.id)
        )
    );
    assert_eq!(w.snapshot().events(AuditAction::PrivacyRequestUpdated).len(), 3);

    let err = rule(
        service
            .change_status(&who, id, "rejected", "late", &origin())
            .await
            .unwrap_err(),
    );
    assert_eq!(err, CaseRuleError::Closed("completed"));
    let err = rule(service.extend(&who, id, 1, "x", &origin()).await.unwrap_err());
    assert_eq!(err, CaseRuleError::Closed("completed"));
}

#[tokio::test]
async fn identity_is_verified_once_with_a_known_method() {
    let w = World::new();
    let id = case(&w).await.case.request.id;
    let service = w.requests();
    let who = signed_in(&w.owner);
    let err = service
        .verify_identity(&who, id, "fingerprint", "", &origin())
        .await
        .unwrap_err();
    let PrivacyRequestError::Invalid(errors) = err else {
        panic!("{err:?}")
    };
    assert_eq!(codes(&errors), ["method:invalid_identity_method"]);
    w.advance(TimeDelta::hours(2));
    let detail = service
        .verify_identity(&who, id, "document", "passport seen", &origin())
        .await
        .unwrap();
    let request = &detail.case.request;
    assert_eq!(
        (request.identity_verified_at, request.identity_method),
        (Some(w.now()), Some(IdentityMethod::Document))
    );
    assert_eq!(
        detail.history.last().unwrap().note.as_deref(),
        Some("document: passport seen")
    );
    let before = w.snapshot();
    let err = rule(
        service
            .verify_identity(&who, id, "other", "", &origin())
            .await
            .unwrap_err(),
    );
    assert_eq!(err, CaseRuleError::AlreadyVerified);
    assert_eq!(w.snapshot(), before);
}
