//! The 72-hour clock and the incident's state machine.

use chrono::{DateTime, TimeDelta, Utc};
use uuid::Uuid;

use super::*;

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&Utc)
}

fn draft(discovered: &str) -> IncidentDraft {
    IncidentDraft {
        discovered_at: Some(at(discovered)),
        nature: "A backup copy was readable from the internet.".into(),
        categories: vec!["account_profile".into(), "customer_content".into()],
        people_affected: 120,
        records_affected: 4500,
        consequences: "Names and email addresses may have been copied.".into(),
        measures: "Access closed; keys rotated.".into(),
        tenants: Vec::new(),
    }
}

fn opened(discovered: &str, now: &str) -> Incident {
    Incident::open(
        IncidentId::from_uuid(Uuid::nil()),
        Uuid::nil(),
        draft(discovered),
        at(now),
    )
    .unwrap()
    .0
}

fn codes(errors: &ValidationErrors) -> Vec<(&str, &str)> {
    errors.errors().iter().map(|e| (e.field.as_str(), e.code)).collect()
}

#[test]
fn the_authority_is_due_72_hours_after_discovery() {
    let incident = opened("2027-05-01T10:00:00Z", "2027-05-01T12:00:00Z");
    assert_eq!(incident.authority_due_at(), at("2027-05-04T10:00:00Z"));
}

#[test]
fn an_incident_opened_at_ten_is_overdue_72_hours_later_and_not_a_second_before() {
    let incident = opened("2027-05-01T10:00:00Z", "2027-05-01T10:00:00Z");
    assert!(!incident.overdue(at("2027-05-01T10:00:00Z")));
    assert!(!incident.overdue(at("2027-05-04T09:59:59Z")));
    assert!(incident.overdue(at("2027-05-04T10:00:00Z")));
    assert!(incident.overdue(at("2027-05-09T00:00:00Z")));
}

#[test]
fn the_clock_runs_from_discovery_not_from_recording() {
    let incident = opened("2027-05-01T10:00:00Z", "2027-05-03T10:00:00Z");
    assert!(!incident.overdue(at("2027-05-04T09:00:00Z")));
    assert!(incident.overdue(at("2027-05-04T10:00:00Z")));
}

#[test]
fn a_recorded_notification_stops_the_clock_even_when_late() {
    let mut incident = opened("2027-05-01T10:00:00Z", "2027-05-01T10:00:00Z");
    let now = at("2027-05-05T08:00:00Z");
    let update = incident
        .notify_authority(Uuid::nil(), at("2027-05-05T07:00:00Z"), "DPA-2027-17", now)
        .unwrap();
    assert_eq!(incident.status, IncidentStatus::Notified);
    assert!(!incident.overdue(now));
    assert_eq!(update.kind, UpdateKind::AuthorityNotified);
    assert!(update.note.unwrap().contains("after the 72-hour deadline"));
}

#[test]
fn a_notification_in_time_says_nothing_of_lateness() {
    let mut incident = opened("2027-05-01T10:00:00Z", "2027-05-01T10:00:00Z");
    let update = incident
        .notify_authority(
            Uuid::nil(),
            at("2027-05-04T10:00:00Z"),
            "DPA-1",
            at("2027-05-04T11:00:00Z"),
        )
        .unwrap();
    assert!(!update.note.unwrap().contains("after"));
}

#[test]
fn open_requires_the_facts_and_known_categories() {
    let mut bad = draft("2027-05-01T10:00:00Z");
    bad.nature = "  ".into();
    bad.categories = vec!["passwords".into()];
    bad.measures = String::new();
    let errors = Incident::open(
        IncidentId::from_uuid(Uuid::nil()),
        Uuid::nil(),
        bad,
        at("2027-05-02T00:00:00Z"),
    )
    .unwrap_err();
    let found = codes(&errors);
    assert!(found.contains(&("nature", "required")), "{found:?}");
    assert!(found.contains(&("categories", "unknown_data_category")), "{found:?}");
    assert!(found.contains(&("measures", "required")), "{found:?}");
}

#[test]
fn open_refuses_no_categories_a_future_discovery_and_repeated_tenants() {
    let tenant = TenantId::from_uuid(Uuid::from_u128(7));
    let mut bad = draft("2027-05-03T10:00:00Z");
    bad.categories = Vec::new();
    bad.tenants = vec![tenant, tenant];
    let errors = Incident::open(
        IncidentId::from_uuid(Uuid::nil()),
        Uuid::nil(),
        bad,
        at("2027-05-02T00:00:00Z"),
    )
    .unwrap_err();
    let found = codes(&errors);
    assert!(found.contains(&("categories", "required")), "{found:?}");
    assert!(found.contains(&("discovered_at", "in_future")), "{found:?}");
    assert!(found.contains(&("tenants", "duplicate")), "{found:?}");
}

#[test]
fn no_tenants_means_all_and_named_tenants_only_those() {
    let incident = opened("2027-05-01T10:00:00Z", "2027-05-01T10:00:00Z");
    assert_eq!(incident.affected, AffectedTenants::All);
    assert!(incident.affected.includes(TenantId::from_uuid(Uuid::from_u128(1))));
    let named = TenantId::from_uuid(Uuid::from_u128(2));
    let mut some = draft("2027-05-01T10:00:00Z");
    some.tenants = vec![named];
    let (incident, history) = Incident::open(
        IncidentId::from_uuid(Uuid::nil()),
        Uuid::nil(),
        some,
        at("2027-05-01T11:00:00Z"),
    )
    .unwrap();
    assert!(incident.affected.includes(named));
    assert!(!incident.affected.includes(TenantId::from_uuid(Uuid::from_u128(3))));
    assert_eq!(history.kind, UpdateKind::Opened);
    assert_eq!(incident.status, IncidentStatus::Open);
}

#[test]
fn an_update_names_the_fields_that_changed_and_needs_a_note() {
    let mut incident = opened("2027-05-01T10:00:00Z", "2027-05-01T10:00:00Z");
    let now = at("2027-05-02T10:00:00Z");
    let refused = incident
        .update(Uuid::nil(), IncidentChanges::default(), " ", now)
        .unwrap_err();
    assert!(matches!(refused, IncidentRuleError::Invalid(_)));
    let changes = IncidentChanges {
        people_affected: Some(300),
        measures: Some("Access closed; keys rotated.".into()),
        categories: Some(vec!["account_profile".into()]),
        ..IncidentChanges::default()
    };
    let update = incident
        .update(Uuid::nil(), changes, "Forensics counted more.", now)
        .unwrap();
    assert_eq!(
        update.changed,
        vec!["categories".to_owned(), "people_affected".to_owned()]
    );
    assert_eq!(update.note.as_deref(), Some("Forensics counted more."));
    assert_eq!(incident.facts.people_affected, 300);
    assert_eq!(incident.updated_at, now);
}

#[test]
fn an_incident_that_needs_no_notification_closes_with_the_reason_and_is_not_overdue() {
    let mut incident = opened("2027-05-01T10:00:00Z", "2027-05-01T10:00:00Z");
    let late = at("2027-05-06T10:00:00Z");
    assert!(incident.overdue(late));
    assert_eq!(
        incident.close(Uuid::nil(), "  ", late).unwrap_err(),
        IncidentRuleError::NotNotified
    );
    let reason = "Encrypted laptop, key not lost: unlikely to result in a risk (Art. 33(1)).";
    let closed = incident.close(Uuid::nil(), reason, late).unwrap();
    assert_eq!(closed.note.as_deref(), Some(reason));
    assert_eq!(incident.status, IncidentStatus::Closed);
    assert!(incident.authority.is_none());
    assert!(!incident.overdue(late));
}

#[test]
fn the_status_moves_open_notified_closed_and_no_further() {
    let mut incident = opened("2027-05-01T10:00:00Z", "2027-05-01T10:00:00Z");
    let now = at("2027-05-02T10:00:00Z");
    assert_eq!(
        incident.close(Uuid::nil(), "", now).unwrap_err(),
        IncidentRuleError::NotNotified
    );
    incident.notify_authority(Uuid::nil(), now, "DPA-9", now).unwrap();
    assert_eq!(
        incident.notify_authority(Uuid::nil(), now, "DPA-9", now).unwrap_err(),
        IncidentRuleError::AlreadyNotified
    );
    let later = now + TimeDelta::days(3);
    let closed = incident.close(Uuid::nil(), "Resolved.", later).unwrap();
    assert_eq!(closed.kind, UpdateKind::Closed);
    assert_eq!(incident.status, IncidentStatus::Closed);
    assert_eq!(incident.closed_at, Some(later));
    assert_eq!(
        incident.close(Uuid::nil(), "", later).unwrap_err(),
        IncidentRuleError::Closed
    );
    let refused = incident.update(Uuid::nil(), IncidentChanges::default(), "late note", later);
    assert!(!incident.overdue(later));
    assert_eq!(refused.unwrap_err(), IncidentRuleError::Closed);
    assert_eq!(
        incident.people_notified(Uuid::nil(), 1, later).unwrap_err(),
        IncidentRuleError::Closed
    );
}

#[test]
fn the_authority_notification_needs_a_reference_and_a_plausible_time() {
    let mut incident = opened("2027-05-01T10:00:00Z", "2027-05-01T10:00:00Z");
    let now = at("2027-05-02T10:00:00Z");
    let Err(IncidentRuleError::Invalid(errors)) =
        incident.notify_authority(Uuid::nil(), at("2027-04-30T10:00:00Z"), " ", now)
    else {
        panic!("a blank reference before discovery was accepted");
    };
    let found = codes(&errors);
    assert!(found.contains(&("authority_reference", "required")), "{found:?}");
    assert!(
        found.contains(&("authority_notified_at", "before_discovery")),
        "{found:?}"
    );
    let refused = incident.notify_authority(Uuid::nil(), at("2027-05-03T10:00:00Z"), "DPA", now);
    assert!(matches!(refused, Err(IncidentRuleError::Invalid(_))));
    assert_eq!(incident.status, IncidentStatus::Open);
}

#[test]
fn stable_names_round_trip() {
    for status in IncidentStatus::ALL {
        assert_eq!(IncidentStatus::parse(status.as_str()), Some(status));
    }
    for kind in UpdateKind::ALL {
        assert_eq!(UpdateKind::parse(kind.as_str()), Some(kind));
    }
}
