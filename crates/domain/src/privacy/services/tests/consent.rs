//! The consent ledger: grants and withdrawals with the policy version in
//! force, the current state and history, the processing decision, and
//! analytics that are stored only with consent.

use super::*;
use crate::kernel::pagination::PageRequest;
use crate::privacy::consent::ConsentChannel;
use crate::privacy::policies::{PolicyKind, PolicyVersion};
use crate::privacy::retention::RetentionPolicy;
use crate::privacy::services::consent::{ConsentFields, RecordAnalyticsError, RecordConsentError};
use crate::privacy::{ConsentPurpose, Processing, Refusal};

fn fields(purpose: &str, granted: bool, channel: Option<&str>) -> ConsentFields {
    ConsentFields {
        purpose: purpose.into(),
        granted,
        channel: channel.map(str::to_owned),
    }
}

#[tokio::test]
async fn an_unknown_purpose_or_channel_is_refused_and_nothing_recorded() {
    let w = World::new();
    let before = w.snapshot();
    let err = w
        .consent()
        .record(&signed_in(&w.member), fields("telemetry", true, None))
        .await
        .unwrap_err();
    let RecordConsentError::Invalid(errors) = err else {
        panic!("{err:?}")
    };
    assert_eq!(codes(&errors), ["purpose:invalid_purpose"]);
    let err = w
        .consent()
        .record(&signed_in(&w.member), fields("telemetry", true, Some("fax")))
        .await
        .unwrap_err();
    let RecordConsentError::Invalid(errors) = err else {
        panic!("{err:?}")
    };
    assert_eq!(codes(&errors), ["purpose:invalid_purpose", "channel:invalid_channel"]);
    assert_eq!(w.snapshot(), before);
}

#[tokio::test]
async fn a_grant_records_the_configured_policy_and_the_api_channel() {
    let w = World::new();
    let event = w
        .consent()
        .record(&signed_in(&w.member), fields("analytics", true, None))
        .await
        .unwrap();
    assert_eq!(
        (event.tenant_id, event.user_id, event.purpose, event.granted),
        (w.tenant, w.member.id, ConsentPurpose::Analytics, true)
    );
    assert_eq!(event.policy_version, POLICY);
    assert_eq!(event.channel, ConsentChannel::Api);
    assert_eq!(event.occurred_at, w.now());
    assert_eq!(w.snapshot().consents, vec![event]);
    let decision = w
        .consent()
        .may_process(w.tenant, w.member.id, Processing::Consented(ConsentPurpose::Analytics))
        .await
        .unwrap();
    assert_eq!(decision, Ok(()));
}

#[tokio::test]
async fn a_published_policy_in_force_is_the_version_recorded() {
    let w = World::new();
    w.store.edit(|s| {
        s.policies.push(PolicyVersion {
            kind: PolicyKind::Privacy,
            version: "2026-11-20".into(),
            effective_at: at(2026, 11, 20, 0, 0),
            material: false,
            summary: "Clarifications".into(),
            published_at: at(2026, 11, 10, 0, 0),
        });
    });
    let event = w
        .consent()
        .record(&signed_in(&w.owner), fields("marketing_email", true, Some("web")))
        .await
        .unwrap();
    assert_eq!(event.policy_version, "2026-11-20");
    assert_eq!(event.channel, ConsentChannel::Web);
}

#[tokio::test]
async fn a_withdrawal_by_an_accountant_counts_and_the_decision_follows_it() {
    let w = World::new();
    let consent = w.consent();
    let who = signed_in(&w.accountant);
    consent.record(&who, fields("ai_processing", true, None)).await.unwrap();
    w.advance(TimeDelta::minutes(1));
    consent
        .record(&who, fields("ai_processing", false, Some("mobile")))
        .await
        .unwrap();
    let current = consent.current(&principal(&w.accountant)).await.unwrap();
    let ai = current
        .iter()
        .find(|s| s.purpose == ConsentPurpose::AiProcessing)
        .unwrap();
    assert!(!ai.granted);
    assert_eq!(ai.since, Some(w.now()));
    assert_eq!(ai.channel, Some(ConsentChannel::Mobile));
    let decision = consent
        .may_process(
            w.tenant,
            w.accountant.id,
            Processing::Consented(ConsentPurpose::AiProcessing),
        )
        .await
        .unwrap();
    assert_eq!(decision, Err(Refusal::NoConsent(ConsentPurpose::AiProcessing)));
}

#[tokio::test]
async fn the_current_state_lists_every_purpose_even_undecided_ones() {
    let w = World::new();
    let current = w.consent().current(&principal(&w.member)).await.unwrap();
    assert_eq!(
        current.iter().map(|s| s.purpose).collect::<Vec<_>>(),
        ConsentPurpose::ALL.to_vec()
    );
    assert!(
        current
            .iter()
            .all(|s| !s.granted && s.since.is_none() && s.policy_version.is_none())
    );
}

#[tokio::test]
async fn the_history_is_newest_first_in_pages_and_only_the_callers() {
    let w = World::new();
    let consent = w.consent();
    for (purpose, granted) in [("analytics", true), ("marketing_email", true), ("analytics", false)] {
        consent
            .record(&signed_in(&w.member), fields(purpose, granted, None))
            .await
            .unwrap();
        w.advance(TimeDelta::minutes(1));
    }
    consent
        .record(&signed_in(&w.admin), fields("analytics", true, None))
        .await
        .unwrap();
    let first = consent
        .history(&principal(&w.member), PageRequest { limit: 2, after: None })
        .await
        .unwrap();
    assert_eq!(
        first.items.iter().map(|e| (e.purpose, e.granted)).collect::<Vec<_>>(),
        [
            (ConsentPurpose::Analytics, false),
            (ConsentPurpose::MarketingEmail, true)
        ]
    );
    let cursor = first.next_cursor.unwrap();
    let next = consent
        .history(&principal(&w.member), PageRequest::new(Some(2), Some(&cursor)).unwrap())
        .await
        .unwrap();
    assert_eq!(next.items.len(), 1);
    assert_eq!(
        (next.items[0].purpose, next.items[0].granted),
        (ConsentPurpose::Analytics, true)
    );
    assert!(next.next_cursor.is_none());
    assert!(first.items.iter().chain(&next.items).all(|e| e.user_id == w.member.id));
}

#[tokio::test]
async fn an_invalid_analytics_event_name_is_refused() {
    let w = World::new();
    let before = w.snapshot();
    let err = w
        .consent()
        .record_analytics(&principal(&w.member), "Invoice Created by erika@example.com")
        .await
        .unwrap_err();
    let RecordAnalyticsError::Invalid(errors) = err else {
        panic!("{err:?}")
    };
    assert_eq!(errors.errors()[0].field, "name");
    assert_eq!(w.snapshot(), before);
}

#[tokio::test]
async fn analytics_are_stored_only_while_the_user_consents() {
    let w = World::new();
    let consent = w.consent();
    let who = principal(&w.member);
    assert!(!consent.record_analytics(&who, "invoice.created").await.unwrap());
    assert!(w.snapshot().analytics.is_empty());

    consent
        .record(&signed_in(&w.member), fields("analytics", true, None))
        .await
        .unwrap();
    assert!(consent.record_analytics(&who, "invoice.created").await.unwrap());
    let state = w.snapshot();
    assert_eq!(state.analytics.len(), 1);
    assert_eq!(state.analytics[0].name.as_str(), "invoice.created");
    // Kept to the hour: nothing finer to line up with other records.
    let hour = state.analytics[0].hour;
    assert_eq!(hour.timestamp() % 3600, 0);
    assert!(hour <= w.now() && w.now() - hour < TimeDelta::hours(1));

    w.advance(TimeDelta::minutes(1));
    consent
        .record(&signed_in(&w.member), fields("analytics", false, None))
        .await
        .unwrap();
    assert!(!consent.record_analytics(&who, "invoice.sent").await.unwrap());
    assert_eq!(w.snapshot().analytics.len(), 1);
    assert!(
        !consent
            .record_analytics(&principal(&w.admin), "invoice.sent")
            .await
            .unwrap()
    );
}

#[tokio::test]
async fn the_sweep_deletes_analytics_older_than_thirteen_months() {
    let w = World::new();
    let consent = w.consent();
    consent
        .record(&signed_in(&w.member), fields("analytics", true, None))
        .await
        .unwrap();
    let who = principal(&w.member);
    assert!(consent.record_analytics(&who, "invoice.created").await.unwrap());
    w.advance(TimeDelta::days(31));
    assert!(consent.record_analytics(&who, "invoice.sent").await.unwrap());
    // Thirteen months after the first event, a little less after the second.
    w.advance(TimeDelta::days(366));
    w.retention(RetentionPolicy::default()).sweep(false).await.unwrap();
    let left: Vec<String> = w
        .snapshot()
        .analytics
        .iter()
        .map(|e| e.name.as_str().to_owned())
        .collect();
    assert_eq!(left, ["invoice.sent"]);
    w.advance(TimeDelta::days(40));
    let report = w.retention(RetentionPolicy::default()).sweep(false).await.unwrap();
    assert!(w.snapshot().analytics.is_empty());
    assert!(
        report
            .lines
            .iter()
            .any(|l| l.what == "analytics_events" && l.category == "anonymous_analytics")
    );
}
