//! Sign-in throttling per account *and network*, so password guessing slows
//! down without letting an attacker lock the real owner out (OWASP ASVS 5.0
//! V6.3.1).
//!
//! Failures are counted per pair of (account, IP prefix). The first
//! [`ThrottlePolicy::free_failures`] wrong passwords within the window cost
//! nothing; each further one blocks that pair for a delay that doubles, up
//! to [`ThrottlePolicy::max_delay`]. A block never touches other networks:
//! the owner signing in from home is not slowed down by a botnet guessing
//! from elsewhere, and every block ends by itself. A correct password from
//! an unblocked network clears that network's count.
//!
//! The account is identified by a digest of its normalized email, so
//! unknown emails are throttled exactly like real ones (nothing is learned
//! from the difference) and the table holds no addresses in clear.

use chrono::{DateTime, TimeDelta, Utc};
use sha2::{Digest, Sha256};

use crate::access::audit::IpPrefix;

/// The limits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ThrottlePolicy {
    /// Wrong passwords per account and network before delays start.
    pub free_failures: u32,
    /// Failures older than this are forgotten.
    pub window: TimeDelta,
    /// The first delay; it doubles with every further failure.
    pub base_delay: TimeDelta,
    /// The longest delay.
    pub max_delay: TimeDelta,
}

impl Default for ThrottlePolicy {
    fn default() -> Self {
        Self {
            free_failures: 10,
            window: TimeDelta::hours(1),
            base_delay: TimeDelta::seconds(30),
            max_delay: TimeDelta::minutes(30),
        }
    }
}

/// Which counter: an account (by email digest) seen from a network.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ThrottleKey {
    /// Hex SHA-256 of the normalized email.
    pub subject: String,
    /// The network the attempts come from.
    pub network: IpPrefix,
}

impl ThrottleKey {
    /// The key for sign-ins to `normalized_email` from `network`.
    #[must_use]
    pub fn new(normalized_email: &str, network: IpPrefix) -> Self {
        let digest = Sha256::digest(format!("sign-in:{normalized_email}").as_bytes());
        Self {
            subject: digest.iter().map(|b| format!("{b:02x}")).collect(),
            network,
        }
    }
}

/// The failures counted for one key.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ThrottleState {
    /// Wrong passwords in the current window.
    pub failures: u32,
    /// The first failure of the window.
    pub window_started_at: Option<DateTime<Utc>>,
    /// Attempts are refused until then.
    pub blocked_until: Option<DateTime<Utc>>,
}

/// An attempt refused because the pair is blocked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Blocked {
    /// When an attempt will be considered again.
    pub until: DateTime<Utc>,
}

impl Blocked {
    /// Whole seconds to wait from `now`, at least one.
    #[must_use]
    pub fn retry_after_seconds(&self, now: DateTime<Utc>) -> u64 {
        let seconds = (self.until - now).num_seconds().max(1);
        u64::try_from(seconds).unwrap_or(1)
    }
}

impl ThrottlePolicy {
    /// Whether an attempt may be checked at `now`.
    ///
    /// # Errors
    /// [`Blocked`] while the pair is blocked.
    pub fn check(&self, state: &ThrottleState, now: DateTime<Utc>) -> Result<(), Blocked> {
        match state.blocked_until {
            Some(until) if until > now => Err(Blocked { until }),
            _ => Ok(()),
        }
    }

    /// The state after a wrong password at `now`; the second value is the
    /// new block, if this failure started or lengthened one.
    #[must_use]
    pub fn record_failure(&self, state: &ThrottleState, now: DateTime<Utc>) -> (ThrottleState, Option<Blocked>) {
        let fresh = state.window_started_at.is_none_or(|start| now - start > self.window);
        let (failures, window_started_at) = if fresh {
            (1, now)
        } else {
            (state.failures.saturating_add(1), state.window_started_at.unwrap_or(now))
        };
        let blocked = (failures > self.free_failures).then(|| Blocked {
            until: now + self.delay_after(failures),
        });
        let next = ThrottleState {
            failures,
            window_started_at: Some(window_started_at),
            blocked_until: blocked.map(|b| b.until).or(state.blocked_until.filter(|_| !fresh)),
        };
        (next, blocked)
    }

    /// The delay after the `failures`-th wrong password (beyond the free ones).
    #[must_use]
    pub fn delay_after(&self, failures: u32) -> TimeDelta {
        let over = failures.saturating_sub(self.free_failures + 1).min(20);
        let delay = self.base_delay * (1_i32 << over);
        delay.min(self.max_delay)
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn at(seconds: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 22, 10, 0, 0).unwrap() + TimeDelta::seconds(seconds)
    }

    #[test]
    fn ten_failures_are_free_and_the_eleventh_blocks() {
        let policy = ThrottlePolicy::default();
        let mut state = ThrottleState::default();
        for attempt in 0..10 {
            assert!(policy.check(&state, at(attempt)).is_ok());
            let (next, blocked) = policy.record_failure(&state, at(attempt));
            assert!(blocked.is_none(), "attempt {attempt}");
            state = next;
        }
        let (state, blocked) = policy.record_failure(&state, at(10));
        let blocked = blocked.unwrap();
        assert_eq!(blocked.until, at(40));
        assert_eq!(policy.check(&state, at(11)), Err(blocked));
        assert_eq!(blocked.retry_after_seconds(at(11)), 29);
        assert!(policy.check(&state, at(41)).is_ok(), "every block ends by itself");
    }

    #[test]
    fn delays_double_and_are_capped() {
        let policy = ThrottlePolicy::default();
        assert_eq!(policy.delay_after(11), TimeDelta::seconds(30));
        assert_eq!(policy.delay_after(12), TimeDelta::seconds(60));
        assert_eq!(policy.delay_after(14), TimeDelta::seconds(240));
        assert_eq!(policy.delay_after(40), TimeDelta::minutes(30));
    }

    #[test]
    fn old_failures_are_forgotten() {
        let policy = ThrottlePolicy::default();
        let state = ThrottleState {
            failures: 25,
            window_started_at: Some(at(0)),
            blocked_until: Some(at(100)),
        };
        let (next, blocked) = policy.record_failure(&state, at(3 * 3600));
        assert_eq!(next.failures, 1);
        assert!(blocked.is_none());
        assert!(policy.check(&next, at(3 * 3600)).is_ok());
    }

    #[test]
    fn keys_differ_by_network_and_hide_the_email() {
        let home = ThrottleKey::new("ada@example.com", IpPrefix::from_stored("192.0.2.0/24".into()));
        let away = ThrottleKey::new("ada@example.com", IpPrefix::from_stored("198.51.100.0/24".into()));
        assert_eq!(home.subject, away.subject);
        assert_ne!(home, away);
        assert!(!home.subject.contains("ada"));
        assert_eq!(home.subject.len(), 64);
    }
}
