//! Policy versions: publication with its refusals and notice period, the
//! notices queued to every user once, the versions in force, acceptances.

use super::*;
use crate::messaging::outbox::Effect;
use crate::privacy::policies::{AcceptanceChannel, PolicyDraft, PolicyKind, PublicationRefused};
use crate::privacy::services::policies::{AcceptPolicyError, PublishPolicyError};

fn draft(version: &str, effective_at: DateTime<Utc>, material: bool) -> PolicyDraft {
    PolicyDraft {
        kind: PolicyKind::Privacy,
        version: version.into(),
        effective_at,
        material,
        summary: "We now use a new payment provider.".into(),
    }
}

fn refused(err: PublishPolicyError) -> PublicationRefused {
    match err {
        PublishPolicyError::Refused(refused) => refused,
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_blank_version_or_summary_is_invalid() {
    let w = World::new();
    let before = w.snapshot();
    let mut blank = draft(" ", w.now() + TimeDelta::days(1), false);
    blank.summary = String::new();
    let PublicationRefused::Invalid(errors) = refused(w.policies().publish(blank).await.unwrap_err()) else {
        panic!()
    };
    assert_eq!(
        errors.errors().iter().map(|e| e.field.as_str()).collect::<Vec<_>>(),
        ["version", "summary"]
    );
    assert_eq!(w.snapshot(), before);
}

#[tokio::test]
async fn the_configured_or_a_published_version_cannot_be_published_again() {
    let w = World::new();
    let err = refused(
        w.policies()
            .publish(draft(POLICY, w.now() + TimeDelta::days(1), false))
            .await
            .unwrap_err(),
    );
    assert_eq!(
        err,
        PublicationRefused::VersionExists {
            kind: PolicyKind::Privacy,
            version: POLICY.into()
        }
    );
    w.policies()
        .publish(draft("2026-12", w.now() + TimeDelta::days(1), false))
        .await
        .unwrap();
    let before = w.snapshot();
    let err = refused(
        w.policies()
            .publish(draft("2026-12", w.now() + TimeDelta::days(2), false))
            .await
            .unwrap_err(),
    );
    assert_eq!(
        err,
        PublicationRefused::VersionExists {
            kind: PolicyKind::Privacy,
            version: "2026-12".into()
        }
    );
    assert_eq!(w.snapshot(), before);
}

#[tokio::test]
async fn a_version_must_take_effect_after_the_newest_one() {
    let w = World::new();
    let err = refused(
        w.policies()
            .publish(draft("2026-10", at(2026, 10, 15, 0, 0), false))
            .await
            .unwrap_err(),
    );
    assert_eq!(
        err,
        PublicationRefused::NotNewer {
            kind: PolicyKind::Privacy,
            latest: POLICY.into(),
            latest_effective_at: at(2026, 11, 1, 0, 0),
        }
    );
    let next = at(2026, 12, 1, 0, 0);
    w.policies().publish(draft("2026-12", next, false)).await.unwrap();
    let err = refused(w.policies().publish(draft("2026-12b", next, false)).await.unwrap_err());
    assert_eq!(
        err,
        PublicationRefused::NotNewer {
            kind: PolicyKind::Privacy,
            latest: "2026-12".into(),
            latest_effective_at: next,
        }
    );
}

#[tokio::test]
async fn a_material_change_needs_thirty_days_notice() {
    let w = World::new();
    let before = w.snapshot();
    let soon = w.now() + TimeDelta::days(10);
    let err = refused(w.policies().publish(draft("2027-01", soon, true)).await.unwrap_err());
    assert_eq!(
        err,
        PublicationRefused::NoticeTooShort {
            notice_days: 30,
            earliest: w.now() + TimeDelta::days(30),
            requested: soon,
        }
    );
    assert_eq!(w.snapshot(), before);
    let publication = w
        .policies()
        .publish(draft("2027-01", w.now() + TimeDelta::days(30), true))
        .await
        .unwrap();
    assert!(publication.version.material);
}

#[tokio::test]
async fn publishing_notifies_every_user_of_every_tenant_once() {
    let w = World::new();
    let elsewhere = w.organization("Other Ltd", "FR", "Europe/Paris");
    let olga = w.user(elsewhere, "olga@example.org", Role::Owner);
    let effective = w.now() + TimeDelta::days(1);
    let publication = w
        .policies()
        .publish(draft("2026-11-23", effective, false))
        .await
        .unwrap();
    assert_eq!(publication.notices_queued, 5);
    assert_eq!(publication.version.version, "2026-11-23");
    assert_eq!(publication.version.published_at, w.now());
    let state = w.snapshot();
    assert_eq!(state.policies, vec![publication.version.clone()]);
    let mut keys: Vec<String> = state.job_keys().into_iter().map(str::to_owned).collect();
    keys.sort();
    let mut expected: Vec<String> = [&w.owner, &w.admin, &w.member, &w.accountant, &olga]
        .iter()
        .map(|u| format!("policy-notice:privacy:2026-11-23:{}", u.id))
        .collect();
    expected.sort();
    assert_eq!(keys, expected);
    let to_olga = state.jobs.iter().find(|j| j.tenant_id == Some(elsewhere)).unwrap();
    assert_eq!(
        to_olga.effect,
        Effect::SendPolicyNotice {
            user_id: olga.id,
            policy: PolicyKind::Privacy,
            version: "2026-11-23".into()
        }
    );
}

#[tokio::test]
async fn the_published_version_comes_into_force_on_its_date() {
    let w = World::new();
    let effective = w.now() + TimeDelta::days(2);
    let publication = w
        .policies()
        .publish(draft("2026-11-24", effective, false))
        .await
        .unwrap();
    let current = w.policies().current().await.unwrap();
    assert_eq!(current.privacy.current.version, POLICY);
    assert_eq!(current.privacy.upcoming, Some(publication.version.clone()));
    assert_eq!(current.terms.current.version, POLICY);
    assert_eq!(current.terms.upcoming, None);

    w.clock.set(effective);
    let current = w.policies().current().await.unwrap();
    assert_eq!(current.privacy.current.version, "2026-11-24");
    assert_eq!(current.privacy.current.effective_at, effective);
    assert_eq!(current.privacy.upcoming, None);
}

#[tokio::test]
async fn an_unknown_kind_or_a_sign_up_channel_is_invalid() {
    let w = World::new();
    let who = signed_in(&w.member);
    let err = w.policies().accept(&who, "cookies", POLICY, None).await.unwrap_err();
    let AcceptPolicyError::Invalid(errors) = err else {
        panic!("{err:?}")
    };
    assert_eq!(codes(&errors), ["kind:invalid_policy_kind"]);
    let err = w
        .policies()
        .accept(&who, "terms", POLICY, Some("signup"))
        .await
        .unwrap_err();
    let AcceptPolicyError::Invalid(errors) = err else {
        panic!("{err:?}")
    };
    assert_eq!(codes(&errors), ["channel:invalid_channel"]);
    assert!(w.snapshot().acceptances.is_empty());
}

#[tokio::test]
async fn only_the_version_in_force_or_an_upcoming_one_can_be_accepted() {
    let w = World::new();
    let old = at(2026, 11, 20, 0, 0);
    w.store.edit(|s| {
        s.policies.push(crate::privacy::policies::PolicyVersion {
            kind: PolicyKind::Privacy,
            version: "2026-11-20".into(),
            effective_at: old,
            material: false,
            summary: "x".into(),
            published_at: at(2026, 11, 10, 0, 0),
        });
    });
    let who = signed_in(&w.member);
    for version in ["1999-01-01", POLICY] {
        let err = w.policies().accept(&who, "privacy", version, None).await.unwrap_err();
        let AcceptPolicyError::NotAcceptable { kind, current } = err else {
            panic!("{err:?}")
        };
        assert_eq!((kind, current.as_str()), ("privacy", "2026-11-20"));
    }
    assert!(w.snapshot().acceptances.is_empty());
    let upcoming = w.now() + TimeDelta::days(3);
    w.policies()
        .publish(draft("2026-11-25", upcoming, false))
        .await
        .unwrap();
    let (acceptance, new) = w
        .policies()
        .accept(&who, "privacy", "2026-11-25", Some("web"))
        .await
        .unwrap();
    assert!(new);
    assert_eq!(acceptance.channel, AcceptanceChannel::Web);
}

#[tokio::test]
async fn accepting_again_returns_the_first_acceptance_and_writes_nothing() {
    let w = World::new();
    let who = signed_in(&w.admin);
    let (first, new) = w.policies().accept(&who, "terms", POLICY, None).await.unwrap();
    assert!(new);
    assert_eq!(
        (
            first.tenant_id,
            first.user_id,
            first.kind,
            first.channel,
            first.accepted_at
        ),
        (w.tenant, w.admin.id, PolicyKind::Terms, AcceptanceChannel::Api, w.now())
    );
    w.advance(TimeDelta::hours(1));
    let before = w.snapshot();
    let (again, new) = w
        .policies()
        .accept(&who, "terms", POLICY, Some("mobile"))
        .await
        .unwrap();
    assert!(!new);
    assert_eq!(again, first);
    assert_eq!(w.snapshot(), before);
}
