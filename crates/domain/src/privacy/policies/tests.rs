use chrono::TimeZone;

use super::*;
use crate::kernel::clock::{Clock, ManualClock};

fn defaults() -> PolicyDefaults {
    let start = Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap();
    PolicyDefaults {
        privacy: EffectivePolicy {
            version: "2026-11-01".into(),
            effective_at: start,
        },
        terms: EffectivePolicy {
            version: "2026-11-01".into(),
            effective_at: start,
        },
        material_notice: TimeDelta::days(30),
    }
}

fn draft(version: &str, effective_at: DateTime<Utc>, material: bool) -> PolicyDraft {
    PolicyDraft {
        kind: PolicyKind::Privacy,
        version: version.into(),
        effective_at,
        material,
        summary: "We now use Backblaze B2 for files.".into(),
    }
}

#[test]
fn material_changes_need_the_notice_period() {
    let clock = ManualClock::new(Utc.with_ymd_and_hms(2026, 12, 16, 12, 0, 0).unwrap());
    let soon = Utc.with_ymd_and_hms(2027, 1, 15, 0, 0, 0).unwrap();
    let refused = draft("2027-01-15", soon, true).check(clock.now(), &defaults(), None, false);
    assert!(
        matches!(refused, Err(PublicationRefused::NoticeTooShort { notice_days: 30, earliest, .. })
            if earliest == Utc.with_ymd_and_hms(2027, 1, 15, 12, 0, 0).unwrap()),
        "{refused:?}"
    );
    let minor = draft("2027-01-15", soon, false).check(clock.now(), &defaults(), None, false);
    assert!(minor.is_ok(), "a change that is not material needs no notice");
    clock.set(Utc.with_ymd_and_hms(2026, 12, 16, 0, 0, 0).unwrap());
    let published = draft("2027-01-15", soon, true)
        .check(clock.now(), &defaults(), None, false)
        .unwrap();
    assert_eq!(published.published_at, clock.now());
}

#[test]
fn versions_are_new_and_take_effect_later() {
    let now = Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap();
    let later = Utc.with_ymd_and_hms(2027, 2, 1, 0, 0, 0).unwrap();
    assert!(matches!(
        draft("2026-11-01", later, false).check(now, &defaults(), None, false),
        Err(PublicationRefused::VersionExists { .. })
    ));
    assert!(matches!(
        draft("2027-02-01", later, false).check(now, &defaults(), None, true),
        Err(PublicationRefused::VersionExists { .. })
    ));
    let newest = draft("2027-02-01", later, false)
        .check(now, &defaults(), None, false)
        .unwrap();
    let earlier = Utc.with_ymd_and_hms(2027, 1, 20, 0, 0, 0).unwrap();
    assert!(matches!(
        draft("2027-01-20", earlier, false).check(now, &defaults(), Some(&newest), false),
        Err(PublicationRefused::NotNewer { latest, .. }) if latest == "2027-02-01"
    ));
    assert!(matches!(
        draft("bad version!", later, false).check(now, &defaults(), None, false),
        Err(PublicationRefused::Invalid(_))
    ));
}

#[test]
fn the_published_version_replaces_the_configured_one_once_in_force() {
    let defaults = defaults();
    assert_eq!(defaults.in_force(PolicyKind::Terms, None).version, "2026-11-01");
    let published = PolicyVersion {
        kind: PolicyKind::Privacy,
        version: "2027-01-15".into(),
        effective_at: Utc.with_ymd_and_hms(2027, 1, 15, 0, 0, 0).unwrap(),
        material: true,
        summary: "x".into(),
        published_at: Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap(),
    };
    assert_eq!(
        defaults.in_force(PolicyKind::Privacy, Some(&published)).version,
        "2027-01-15"
    );
    for kind in PolicyKind::ALL {
        assert_eq!(PolicyKind::parse(kind.as_str()), Some(kind));
    }
    for channel in AcceptanceChannel::ALL {
        assert_eq!(AcceptanceChannel::parse(channel.as_str()), Some(channel));
    }
}
