//! Restriction of processing and objections: who may change them, what is
//! stored, and the audit event each change leaves.

use std::collections::BTreeSet;

use super::*;
use crate::access::audit::AuditAction;
use crate::access::user::Forbidden;
use crate::privacy::services::client_privacy::ClientPrivacyError;
use crate::privacy::{ConsentPurpose, Processing, Refusal, may_process};

#[tokio::test]
async fn a_member_may_not_restrict_a_client_and_nothing_is_written() {
    let w = World::new();
    let client = w.client("Erika Muster", Some("erika@example.com"));
    let before = w.snapshot();
    let err = w
        .client_privacy()
        .set_restriction(&signed_in(&w.member), client.id, true, &origin())
        .await
        .unwrap_err();
    let ClientPrivacyError::Forbidden(Forbidden { role, action }) = err else {
        panic!("{err:?}")
    };
    assert_eq!((role, action), (Role::Member, "change a client's privacy settings"));
    assert_eq!(w.snapshot(), before);
}

#[tokio::test]
async fn restricting_an_unknown_client_is_not_found() {
    let w = World::new();
    let before = w.snapshot();
    let unknown = ClientId::from_uuid(uuid::Uuid::from_u128(999));
    let err = w
        .client_privacy()
        .set_restriction(&signed_in(&w.owner), unknown, true, &origin())
        .await
        .unwrap_err();
    assert!(matches!(err, ClientPrivacyError::NotFound), "{err:?}");
    assert_eq!(w.snapshot(), before);
}

#[tokio::test]
async fn another_organizations_client_is_not_found() {
    let w = World::new();
    let elsewhere = w.organization("Other Ltd", "FR", "Europe/Paris");
    let theirs = w.client_of(elsewhere, "Jean Dupont", Some("jean@example.fr"));
    let before = w.snapshot();
    let err = w
        .client_privacy()
        .set_objections(&signed_in(&w.owner), theirs.id, BTreeSet::new(), true, &origin())
        .await
        .unwrap_err();
    assert!(matches!(err, ClientPrivacyError::NotFound), "{err:?}");
    assert_eq!(w.snapshot(), before);
}

#[tokio::test]
async fn restricting_and_lifting_are_stored_and_audited() {
    let w = World::new();
    let client = w.client("Erika Muster", Some("erika@example.com"));
    w.advance(TimeDelta::minutes(5));
    let restricted = w
        .client_privacy()
        .set_restriction(&signed_in(&w.admin), client.id, true, &origin())
        .await
        .unwrap();
    assert!(restricted.privacy.restricted);
    assert_eq!(restricted.updated_at, w.now());
    let state = w.snapshot();
    assert_eq!(state.clients[&(w.tenant, client.id)], restricted);
    assert_eq!(
        may_process(Processing::PaymentReminder, &restricted.subject_state()),
        Err(Refusal::Restricted)
    );
    let events = state.events(AuditAction::ProcessingRestricted);
    assert_eq!(events.len(), 1);
    assert_eq!(
        events[0].details.get("restriction").map(String::as_str),
        Some("restricted")
    );
    assert_eq!(
        events[0].target.as_ref().map(|t| (t.kind, t.id)),
        Some(("client", client.id.as_uuid()))
    );
    assert_eq!(events[0].actor.user_id, Some(w.admin.id));
    assert_eq!(events[0].occurred_at, w.now());

    let lifted = w
        .client_privacy()
        .set_restriction(&signed_in(&w.owner), client.id, false, &origin())
        .await
        .unwrap();
    assert!(!lifted.privacy.restricted);
    let state = w.snapshot();
    assert!(!state.clients[&(w.tenant, client.id)].privacy.restricted);
    let events = state.events(AuditAction::ProcessingRestricted);
    assert_eq!(events.len(), 2);
    assert_eq!(events[1].details.get("restriction").map(String::as_str), Some("lifted"));
}

#[tokio::test]
async fn an_accountant_may_not_record_objections() {
    let w = World::new();
    let client = w.client("Erika Muster", None);
    let before = w.snapshot();
    let err = w
        .client_privacy()
        .set_objections(&signed_in(&w.accountant), client.id, BTreeSet::new(), true, &origin())
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            ClientPrivacyError::Forbidden(Forbidden {
                role: Role::Accountant,
                ..
            })
        ),
        "{err:?}"
    );
    assert_eq!(w.snapshot(), before);
}

#[tokio::test]
async fn objections_replace_the_earlier_ones_and_stop_contact() {
    let w = World::new();
    let client = w.client("Erika Muster", Some("erika@example.com"));
    let service = w.client_privacy();
    let first = BTreeSet::from([ConsentPurpose::Analytics, ConsentPurpose::AiProcessing]);
    service
        .set_objections(&signed_in(&w.owner), client.id, first, true, &origin())
        .await
        .unwrap();
    let stored = w.snapshot().clients[&(w.tenant, client.id)].clone();
    assert!(stored.privacy.objects_to_contact);
    assert_eq!(
        may_process(Processing::CourtesyEmail, &stored.subject_state()),
        Err(Refusal::Objected)
    );

    let second = BTreeSet::from([ConsentPurpose::MarketingEmail]);
    let changed = service
        .set_objections(&signed_in(&w.owner), client.id, second.clone(), false, &origin())
        .await
        .unwrap();
    assert_eq!(changed.privacy.objections, second);
    assert!(!changed.privacy.objects_to_contact);
    let state = w.snapshot();
    assert_eq!(state.clients[&(w.tenant, client.id)].privacy.objections, second);
    assert_eq!(
        may_process(Processing::PaymentReminder, &changed.subject_state()),
        Ok(())
    );
    let events = state.events(AuditAction::ProcessingRestricted);
    assert_eq!(events.len(), 2);
    assert!(
        events
            .iter()
            .all(|e| e.details.get("objection").map(String::as_str) == Some("recorded"))
    );
}

#[tokio::test]
async fn a_failed_commit_leaves_the_client_as_it_was() {
    let w = World::new();
    let client = w.client("Erika Muster", None);
    let before = w.snapshot();
    w.store.fail_commits(true);
    let err = w
        .client_privacy()
        .set_restriction(&signed_in(&w.owner), client.id, true, &origin())
        .await
        .unwrap_err();
    assert!(matches!(err, ClientPrivacyError::Unexpected(_)), "{err:?}");
    assert_eq!(w.snapshot(), before);
}
