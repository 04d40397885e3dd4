//! The consent ledger: every grant and withdrawal a user makes for an
//! optional purpose ([`ConsentPurpose`]), append-only, each with its time,
//! the privacy policy version in force and the channel it came through.
//! A user's current consent is the latest event of each purpose; nothing is
//! granted until the user grants it, and withdrawing is one event, exactly
//! like granting.
//!
//! [`subject_state`] turns the ledger into the [`SubjectState`] that
//! [`crate::privacy::may_process`] decides on, so every optional processing
//! path of a user's data asks the same question of the same record.
//!
//! Also the product usage events ([`AnalyticsEvent`]) that may only be
//! stored with a current analytics grant.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, Utc};

use crate::kernel::validation::HasCode;
use crate::privacy::{ConsentPurpose, SubjectState};
use crate::{ConsentEventId, TenantId, UserId};

/// Where a grant or withdrawal came from. A fixed list: stable names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ConsentChannel {
    /// A call of the API (the default).
    Api,
    /// The web application.
    Web,
    /// A mobile application.
    Mobile,
    /// The sign-up form.
    Signup,
    /// A link in an email (such as "unsubscribe").
    Email,
    /// Recorded by support on the person's request.
    Support,
}

impl ConsentChannel {
    /// Every channel.
    pub const ALL: [Self; 6] = [
        Self::Api,
        Self::Web,
        Self::Mobile,
        Self::Signup,
        Self::Email,
        Self::Support,
    ];

    /// The stable name.
    #[must_use]
    pub const fn as_str(&self) -> &'static str {
        match self {
            Self::Api => "api",
            Self::Web => "web",
            Self::Mobile => "mobile",
            Self::Signup => "signup",
            Self::Email => "email",
            Self::Support => "support",
        }
    }

    /// Parses the stable name.
    #[must_use]
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == name)
    }
}

impl fmt::Display for ConsentChannel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One entry of the ledger: a grant or a withdrawal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsentEvent {
    /// The entry's id (time-ordered).
    pub id: ConsentEventId,
    /// The user's organization.
    pub tenant_id: TenantId,
    /// The person who granted or withdrew.
    pub user_id: UserId,
    /// For what.
    pub purpose: ConsentPurpose,
    /// `true` for a grant, `false` for a withdrawal.
    pub granted: bool,
    /// The privacy policy version in force when it happened.
    pub policy_version: String,
    /// Where it came from.
    pub channel: ConsentChannel,
    /// When it happened.
    pub occurred_at: DateTime<Utc>,
}

/// A user's current consent for one purpose.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsentState {
    /// The purpose.
    pub purpose: ConsentPurpose,
    /// Whether a grant is in force.
    pub granted: bool,
    /// The latest event's time; `None` when the user never decided.
    pub since: Option<DateTime<Utc>>,
    /// The policy version of the latest event.
    pub policy_version: Option<String>,
    /// The channel of the latest event.
    pub channel: Option<ConsentChannel>,
}

/// The latest event of each purpose among `events` (any order).
fn latest_per_purpose(events: &[ConsentEvent]) -> BTreeMap<ConsentPurpose, &ConsentEvent> {
    let mut latest: BTreeMap<ConsentPurpose, &ConsentEvent> = BTreeMap::new();
    for event in events {
        let newer = latest
            .get(&event.purpose)
            .is_none_or(|seen| (event.occurred_at, event.id) > (seen.occurred_at, seen.id));
        if newer {
            latest.insert(event.purpose, event);
        }
    }
    latest
}

/// The current state of every purpose, in [`ConsentPurpose::ALL`] order,
/// from a user's ledger (the whole history or only each purpose's latest event).
#[must_use]
pub fn current_states(events: &[ConsentEvent]) -> Vec<ConsentState> {
    let latest = latest_per_purpose(events);
    ConsentPurpose::ALL
        .into_iter()
        .map(|purpose| match latest.get(&purpose) {
            Some(event) => ConsentState {
                purpose,
                granted: event.granted,
                since: Some(event.occurred_at),
                policy_version: Some(event.policy_version.clone()),
                channel: Some(event.channel),
            },
            None => ConsentState {
                purpose,
                granted: false,
                since: None,
                policy_version: None,
                channel: None,
            },
        })
        .collect()
}

/// What the ledger says about the person, for [`crate::privacy::may_process`]:
/// the purposes whose latest event is a grant. Restriction and objection
/// are not recorded in the ledger and stay off.
#[must_use]
pub fn subject_state(events: &[ConsentEvent]) -> SubjectState {
    SubjectState {
        granted: latest_per_purpose(events)
            .into_iter()
            .filter(|(_, event)| event.granted)
            .map(|(purpose, _)| purpose)
            .collect(),
        ..SubjectState::default()
    }
}

/// The name of a product usage event, such as `invoice.created`: 1 to 64
/// characters of `a-z`, `0-9`, `.`, `_` and `-`, so it cannot carry free
/// text (and with it personal data).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventName(String);

/// Why an event name was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("must be 1 to 64 characters of a-z, 0-9, '.', '_' and '-'")]
pub struct EventNameError;

impl HasCode for EventNameError {
    fn code(&self) -> &'static str {
        "invalid_event_name"
    }
}

impl EventName {
    /// Parses a name.
    ///
    /// # Errors
    /// [`EventNameError`] when empty, longer than 64 characters, or with other characters.
    pub fn parse(text: &str) -> Result<Self, EventNameError> {
        let valid = (1..=64).contains(&text.len())
            && text
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-'));
        if valid {
            Ok(Self(text.to_owned()))
        } else {
            Err(EventNameError)
        }
    }

    /// The name.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A product usage event, stored only while the user who caused it
/// consents to analytics, and stored anonymous: no organization, user,
/// session, address or exact time (the hour only), and a random id the
/// store gives it, so no row can be linked back to a person.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnalyticsEvent {
    /// What happened.
    pub name: EventName,
    /// The hour it happened in.
    pub hour: DateTime<Utc>,
}

impl AnalyticsEvent {
    /// An event named `name` that happened at `at`, kept to its hour.
    #[must_use]
    pub fn at(name: EventName, at: DateTime<Utc>) -> Self {
        let hour = at
            .date_naive()
            .and_hms_opt(chrono::Timelike::hour(&at), 0, 0)
            .map_or(at, |naive| naive.and_utc());
        Self { name, hour }
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeDelta, TimeZone};
    use uuid::Uuid;

    use super::*;
    use crate::kernel::clock::{Clock, ManualClock};
    use crate::privacy::{Processing, Refusal, may_process};

    fn event(clock: &ManualClock, purpose: ConsentPurpose, granted: bool, n: u128) -> ConsentEvent {
        ConsentEvent {
            id: ConsentEventId::from_uuid(Uuid::from_u128(n)),
            tenant_id: TenantId::from_uuid(Uuid::nil()),
            user_id: UserId::from_uuid(Uuid::nil()),
            purpose,
            granted,
            policy_version: "2026-11-01".into(),
            channel: ConsentChannel::Api,
            occurred_at: clock.now(),
        }
    }

    #[test]
    fn the_latest_event_of_each_purpose_decides() {
        let clock = ManualClock::new(Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).unwrap());
        let marketing = Processing::Consented(ConsentPurpose::MarketingEmail);
        let mut ledger = Vec::new();
        assert_eq!(
            may_process(marketing, &subject_state(&ledger)),
            Err(Refusal::NoConsent(ConsentPurpose::MarketingEmail)),
            "nothing is granted by default"
        );
        ledger.push(event(&clock, ConsentPurpose::MarketingEmail, true, 1));
        clock.advance(TimeDelta::minutes(5));
        ledger.push(event(&clock, ConsentPurpose::Analytics, true, 2));
        assert_eq!(may_process(marketing, &subject_state(&ledger)), Ok(()));
        clock.advance(TimeDelta::days(3));
        ledger.push(event(&clock, ConsentPurpose::MarketingEmail, false, 3));
        let state = subject_state(&ledger);
        assert!(may_process(marketing, &state).is_err(), "withdrawn");
        assert_eq!(
            may_process(Processing::Consented(ConsentPurpose::Analytics), &state),
            Ok(())
        );
        // The order the events arrive in does not matter.
        ledger.reverse();
        assert_eq!(subject_state(&ledger), state);

        let states = current_states(&ledger);
        assert_eq!(states.len(), ConsentPurpose::ALL.len());
        let marketing_state = states
            .iter()
            .find(|s| s.purpose == ConsentPurpose::MarketingEmail)
            .unwrap();
        assert!(!marketing_state.granted);
        assert_eq!(marketing_state.since, Some(clock.now()));
        let ai = states
            .iter()
            .find(|s| s.purpose == ConsentPurpose::AiProcessing)
            .unwrap();
        assert_eq!((ai.granted, ai.since), (false, None));
    }

    #[test]
    fn channels_round_trip_and_event_names_carry_no_free_text() {
        for channel in ConsentChannel::ALL {
            assert_eq!(ConsentChannel::parse(channel.as_str()), Some(channel));
        }
        assert_eq!(ConsentChannel::parse("fax"), None);
        assert!(EventName::parse("invoice.created").is_ok());
        for bad in ["", "Invoice", "ada@example.com", "two words", &"x".repeat(65)] {
            assert!(EventName::parse(bad).is_err(), "{bad:?}");
        }
    }
}
