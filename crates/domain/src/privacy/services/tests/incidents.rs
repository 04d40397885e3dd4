//! The incident register's use cases on the memory store: opening checks
//! the organizations, every change appends to the history, notices go to
//! every user of the affected organizations once, owners alone read it,
//! and the notice ignores marketing consent.

use super::*;
use crate::kernel::pagination::PageRequest;
use crate::messaging::delivery::{Notice, Prepared};
use crate::messaging::outbox::Effect;
use crate::privacy::incidents::{IncidentChanges, IncidentDraft, IncidentRuleError, IncidentStatus, UpdateKind};
use crate::privacy::services::consent::ConsentFields;
use crate::privacy::services::incidents::{IncidentError, NoticeRun, ReadIncidentError};

fn draft(tenants: Vec<TenantId>) -> IncidentDraft {
    IncidentDraft {
        discovered_at: Some(at(2026, 11, 22, 8, 0)),
        nature: "A report was sent to the wrong address.".into(),
        categories: vec!["customer_content".into()],
        people_affected: 3,
        records_affected: 12,
        consequences: "Invoice amounts were disclosed.".into(),
        measures: "The recipient deleted it.".into(),
        tenants,
    }
}

#[tokio::test]
async fn opening_refuses_an_unknown_organization_and_bad_facts_together() {
    let w = World::new();
    let unknown = TenantId::from_uuid(uuid::Uuid::from_u128(99));
    let mut bad = draft(vec![unknown]);
    bad.nature = String::new();
    let Err(IncidentError::Invalid(errors)) = w.incidents().open(bad).await else {
        panic!("accepted")
    };
    assert_eq!(codes(&errors), ["nature:required", "tenants:unknown_organization"]);
    let Err(IncidentError::Invalid(errors)) = w.incidents().open(draft(vec![unknown])).await else {
        panic!("accepted")
    };
    assert_eq!(codes(&errors), ["tenants:unknown_organization"]);
    assert!(w.snapshot().incidents.is_empty());
}

#[tokio::test]
async fn changes_append_to_the_history_and_unknown_ids_are_not_found() {
    let w = World::new();
    let opened = w.incidents().open(draft(vec![w.tenant])).await.unwrap();
    let id = opened.entry.incident.id;
    assert!(!opened.entry.overdue);
    w.advance(TimeDelta::hours(70));
    let changes = IncidentChanges {
        records_affected: Some(40),
        ..IncidentChanges::default()
    };
    w.incidents().update(id, changes, "More rows found.").await.unwrap();
    let shown = w.incidents().show(id).await.unwrap();
    assert!(shown.entry.overdue, "72 hours after 08:00 on the 22nd have passed");
    w.incidents().notify_authority(id, None, "DPA-7").await.unwrap();
    let closed = w.incidents().close(id, "").await.unwrap();
    assert_eq!(closed.entry.incident.status, IncidentStatus::Closed);
    let kinds: Vec<UpdateKind> = closed.history.iter().map(|u| u.kind).collect();
    assert_eq!(
        kinds,
        [
            UpdateKind::Opened,
            UpdateKind::Updated,
            UpdateKind::AuthorityNotified,
            UpdateKind::Closed
        ]
    );
    let again = w.incidents().close(id, "").await.unwrap_err();
    assert!(
        matches!(again, IncidentError::Rule(IncidentRuleError::Closed)),
        "{again:?}"
    );
    let closed_notice = w.incidents().notify_people(id).await.unwrap_err();
    assert!(matches!(closed_notice, IncidentError::Rule(IncidentRuleError::Closed)));
    let missing = crate::IncidentId::from_uuid(uuid::Uuid::from_u128(5));
    assert!(matches!(
        w.incidents().show(missing).await,
        Err(IncidentError::NotFound)
    ));
    assert!(matches!(
        w.incidents().notify_people(missing).await,
        Err(IncidentError::NotFound)
    ));
    let blank = w.incidents().notify_authority(missing, None, "x").await.unwrap_err();
    assert!(matches!(blank, IncidentError::NotFound));
}

#[tokio::test]
async fn notices_go_to_every_user_of_the_affected_organizations_once() {
    let w = World::new();
    let elsewhere = w.organization("Other Ltd", "FR", "Europe/Paris");
    let olga = w.user(elsewhere, "olga@example.org", Role::Owner);
    let mine = w
        .incidents()
        .open(draft(vec![w.tenant]))
        .await
        .unwrap()
        .entry
        .incident
        .id;
    let run = w.incidents().notify_people(mine).await.unwrap();
    assert_eq!(run, NoticeRun { queued: 4, already: 0 });
    let state = w.snapshot();
    assert!(state.jobs.iter().all(|j| j.tenant_id == Some(w.tenant)));
    assert!(!state.incident_notices.iter().any(|n| n.user_id == olga.id));
    let owners: Vec<UserId> = state
        .incident_notices
        .iter()
        .filter(|n| n.as_owner)
        .map(|n| n.user_id)
        .collect();
    assert_eq!(owners, [w.owner.id]);
    assert!(state.jobs.iter().any(|j| j.effect
        == Effect::SendIncidentNotice {
            incident_id: mine,
            user_id: w.accountant.id
        }));
    let again = w.incidents().notify_people(mine).await.unwrap();
    assert_eq!(again, NoticeRun { queued: 0, already: 4 });
    assert_eq!(w.snapshot().jobs.len(), 4);

    let everyone = w.incidents().open(draft(Vec::new())).await.unwrap().entry.incident.id;
    let run = w.incidents().notify_people(everyone).await.unwrap();
    assert_eq!(run.queued, 5, "all users of all organizations");
    assert_eq!(w.incidents().show(everyone).await.unwrap().notices, 5);
}

#[tokio::test]
async fn only_owners_of_an_affected_organization_read_it() {
    let w = World::new();
    let elsewhere = w.organization("Other Ltd", "FR", "Europe/Paris");
    let olga = w.user(elsewhere, "olga@example.org", Role::Owner);
    let id = w
        .incidents()
        .open(draft(vec![w.tenant]))
        .await
        .unwrap()
        .entry
        .incident
        .id;
    let page = PageRequest::first();
    let listed = w.incidents().list_for(&principal(&w.owner), page).await.unwrap();
    assert_eq!(listed.items.len(), 1);
    let record = w.incidents().get_for(&principal(&w.owner), id).await.unwrap();
    assert_eq!(record.history.len(), 1);
    for user in [&w.admin, &w.member, &w.accountant] {
        let refused = w.incidents().list_for(&principal(user), page).await.unwrap_err();
        assert!(matches!(refused, ReadIncidentError::Forbidden(_)));
        let refused = w.incidents().get_for(&principal(user), id).await.unwrap_err();
        assert!(matches!(refused, ReadIncidentError::Forbidden(_)));
    }
    let foreign = w.incidents().get_for(&principal(&olga), id).await.unwrap_err();
    assert!(matches!(foreign, ReadIncidentError::NotFound));
    assert!(
        w.incidents()
            .list_for(&principal(&olga), page)
            .await
            .unwrap()
            .items
            .is_empty()
    );
    assert!(w.incidents().exported(elsewhere).await.unwrap().is_empty());
    assert_eq!(w.incidents().exported(w.tenant).await.unwrap().len(), 1);
}

#[tokio::test]
async fn the_notice_is_sent_although_marketing_consent_was_withdrawn() {
    let w = World::new();
    let withdraw = ConsentFields {
        purpose: "marketing_email".into(),
        granted: false,
        channel: None,
    };
    w.consent().record(&signed_in(&w.member), withdraw).await.unwrap();
    let id = w
        .incidents()
        .open(draft(vec![w.tenant]))
        .await
        .unwrap()
        .entry
        .incident
        .id;
    w.incidents().notify_people(id).await.unwrap();
    let state = w.snapshot();
    let job = state
        .jobs
        .iter()
        .find(|j| matches!(j.effect, Effect::SendIncidentNotice { user_id, .. } if user_id == w.member.id))
        .unwrap();
    let job = claimed(job);
    let Prepared::Send(email) = w
        .delivery()
        .prepare_incident_notice(&job, w.tenant, id, w.member.id)
        .await
        .unwrap()
    else {
        panic!("not sent")
    };
    assert_eq!(email.to, w.member.email);
    let Notice::Incident(letter) = email.notice else {
        panic!("{:?}", email.notice)
    };
    assert!(!letter.as_owner);
    assert_eq!(letter.nature, "A report was sent to the wrong address.");
    let elsewhere = w.organization("Other Ltd", "FR", "Europe/Paris");
    let olga = w.user(elsewhere, "olga@example.org", Role::Owner);
    let skipped = w
        .delivery()
        .prepare_incident_notice(&job, elsewhere, id, olga.id)
        .await
        .unwrap();
    assert_eq!(
        skipped,
        Prepared::Skip("the incident no longer affects the organization")
    );
}
