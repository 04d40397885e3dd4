use chrono::{TimeDelta, TimeZone as _};
use uuid::Uuid;

use super::*;
use crate::kernel::clock::{Clock, ManualClock};
use crate::tenancy::TimeZone;

fn berlin() -> TimeZone {
    TimeZone::parse("Europe/Berlin").unwrap()
}

/// A case received at the clock's now, due as the rules say.
fn case(clock: &ManualClock) -> PrivacyRequest {
    let received_at = clock.now();
    PrivacyRequest {
        id: PrivacyRequestId::from_uuid(Uuid::nil()),
        tenant_id: TenantId::from_uuid(Uuid::nil()),
        request_type: RequestType::Access,
        subject_email: EmailAddress::parse("client@example.com").unwrap(),
        details: "Please send me my data.".into(),
        client_id: None,
        organization_hint: None,
        client_reference: None,
        source: RequestSource::Recorded,
        status: RequestStatus::Received,
        received_at,
        due_on: due_on(berlin().date_at(received_at), 0, DeadlineRule::OneMonth),
        extension_months: 0,
        identity_verified_at: None,
        identity_method: None,
        created_by: None,
        updated_at: received_at,
    }
}

#[test]
fn received_on_the_31st_is_due_at_the_end_of_february_and_extends_to_april() {
    // 23:30 UTC on 30 January is already 31 January in Berlin.
    let clock = ManualClock::new(Utc.with_ymd_and_hms(2027, 1, 30, 23, 30, 0).unwrap());
    let mut request = case(&clock);
    assert_eq!(request.due_on.to_string(), "2027-02-28");
    clock.advance(TimeDelta::days(20));
    let reason = request
        .extend(
            2,
            "  Many systems to search.  ",
            berlin(),
            DeadlineRule::OneMonth,
            clock.now(),
        )
        .unwrap();
    assert_eq!(reason, "Many systems to search.");
    assert_eq!(request.due_on.to_string(), "2027-04-30");
    assert!(matches!(
        request.extend(1, "more", berlin(), DeadlineRule::OneMonth, clock.now()),
        Err(CaseRuleError::ExtensionLimit { remaining: 0 })
    ));
}

#[test]
fn extensions_need_a_reason_and_at_most_two_months() {
    let clock = ManualClock::new(Utc.with_ymd_and_hms(2027, 1, 31, 9, 0, 0).unwrap());
    let mut request = case(&clock);
    assert!(matches!(
        request.extend(1, "   ", berlin(), DeadlineRule::OneMonth, clock.now()),
        Err(CaseRuleError::Invalid(_))
    ));
    assert!(matches!(
        request.extend(3, "long", berlin(), DeadlineRule::OneMonth, clock.now()),
        Err(CaseRuleError::Invalid(_))
    ));
    request
        .extend(1, "complex", berlin(), DeadlineRule::OneMonth, clock.now())
        .unwrap();
    assert_eq!(request.due_on.to_string(), "2027-03-31");
    assert!(matches!(
        request.extend(2, "more", berlin(), DeadlineRule::OneMonth, clock.now()),
        Err(CaseRuleError::ExtensionLimit { remaining: 1 })
    ));
    request
        .extend(1, "still more", berlin(), DeadlineRule::OneMonth, clock.now())
        .unwrap();
    assert_eq!(request.due_on.to_string(), "2027-04-30");
}

#[test]
fn a_case_becomes_overdue_when_the_clock_passes_its_due_date_while_open() {
    let clock = ManualClock::new(Utc.with_ymd_and_hms(2026, 11, 22, 10, 0, 0).unwrap());
    let mut request = case(&clock);
    let today = |clock: &ManualClock| berlin().date_at(clock.now());
    clock.set(Utc.with_ymd_and_hms(2026, 12, 22, 22, 59, 0).unwrap());
    assert!(!request.is_overdue(today(&clock)), "the due day itself is not overdue");
    clock.advance(TimeDelta::minutes(2));
    assert!(request.is_overdue(today(&clock)), "midnight in Berlin");
    request
        .change_status(RequestStatus::Completed, "", clock.now())
        .unwrap();
    assert!(!request.is_overdue(today(&clock)), "answered cases are never overdue");
}

#[test]
fn statuses_move_forward_and_rejections_say_why() {
    let clock = ManualClock::new(Utc.with_ymd_and_hms(2026, 11, 22, 10, 0, 0).unwrap());
    let mut request = case(&clock);
    assert!(matches!(
        request.change_status(RequestStatus::Received, "", clock.now()),
        Err(CaseRuleError::InvalidTransition { .. })
    ));
    assert!(matches!(
        request.change_status(RequestStatus::Rejected, " ", clock.now()),
        Err(CaseRuleError::Invalid(_))
    ));
    let (from, note) = request
        .change_status(RequestStatus::InProgress, "", clock.now())
        .unwrap();
    assert_eq!((from, note), (RequestStatus::Received, None));
    assert!(matches!(
        request.change_status(RequestStatus::InProgress, "", clock.now()),
        Err(CaseRuleError::InvalidTransition { .. })
    ));
    request.verify_identity(IdentityMethod::Document, clock.now()).unwrap();
    assert!(matches!(
        request.verify_identity(IdentityMethod::Other, clock.now()),
        Err(CaseRuleError::AlreadyVerified)
    ));
    let (_, note) = request
        .change_status(RequestStatus::Rejected, "Not our client.", clock.now())
        .unwrap();
    assert_eq!(note.as_deref(), Some("Not our client."));
    assert!(matches!(
        request.change_status(RequestStatus::Completed, "", clock.now()),
        Err(CaseRuleError::Closed("rejected"))
    ));
    assert!(matches!(
        request.extend(1, "why", berlin(), DeadlineRule::OneMonth, clock.now()),
        Err(CaseRuleError::Closed(_))
    ));
}

#[test]
fn names_round_trip() {
    for t in RequestType::ALL {
        assert_eq!(RequestType::parse(t.as_str()), Some(*t));
    }
    assert_eq!(RequestType::ALL.len(), 7);
    for s in RequestStatus::ALL {
        assert_eq!(RequestStatus::parse(s.as_str()), Some(*s));
    }
    for m in IdentityMethod::ALL {
        assert_eq!(IdentityMethod::parse(m.as_str()), Some(*m));
    }
    for k in EventKind::ALL {
        assert_eq!(EventKind::parse(k.as_str()), Some(*k));
    }
    assert_eq!(RequestSource::parse("public_form"), Some(RequestSource::PublicForm));
    assert_eq!(RequestType::parse("nope"), None);
}
