//! Per-address rate limits on the routes that take credentials or send
//! email without a signed-in user (sign-in, sign-up, magic links, password
//! resets, invitations, external sign-in). Over the limit the answer is 429
//! with `Retry-After`. Limits are per server instance and in memory: they
//! blunt bursts; the per-account throttle in the domain (stored in the
//! database) is what stops slow guessing across instances.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU32, Ordering};

use governor::clock::{Clock as _, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use poem::http::Method;

/// The limited routes (POST only).
const LIMITED_PATHS: [&str; 11] = [
    "/api/v1/signup",
    "/api/v1/sessions",
    "/api/v1/login-links",
    "/api/v1/login-links/redeem",
    "/api/v1/password-resets",
    "/api/v1/password-resets/complete",
    "/api/v1/email-verifications/confirm",
    "/api/v1/invitations/accept",
    "/api/v1/auth/google/start",
    "/api/v1/public/privacy-requests",
    "/api/v1/public/privacy-requests/confirm",
];

/// The limiter of one server instance.
pub struct AuthRateLimit {
    limiter: Option<DefaultKeyedRateLimiter<IpAddr>>,
    checks: AtomicU32,
}

impl AuthRateLimit {
    /// At most `per_minute` requests per address and minute to the limited
    /// routes (bursts up to the same number); `0` switches the limit off.
    #[must_use]
    pub fn new(per_minute: u32) -> Self {
        Self {
            limiter: NonZeroU32::new(per_minute).map(|n| RateLimiter::keyed(Quota::per_minute(n))),
            checks: AtomicU32::new(0),
        }
    }

    /// Whether the request may go on; otherwise the seconds to wait.
    pub fn check(&self, method: &Method, path: &str, address: Option<IpAddr>) -> Result<(), u64> {
        let (Some(limiter), Some(address)) = (&self.limiter, address) else {
            return Ok(());
        };
        if *method != Method::POST || !LIMITED_PATHS.contains(&path.trim_end_matches('/')) {
            return Ok(());
        }
        // Forget idle addresses now and then so the map stays small.
        if self.checks.fetch_add(1, Ordering::Relaxed) % 1024 == 1023 {
            limiter.retain_recent();
        }
        limiter.check_key(&address).map_err(|not_until| {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            wait.as_secs() + u64::from(wait.subsec_nanos() > 0)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_credential_routes_are_limited_per_address() {
        let limit = AuthRateLimit::new(3);
        let attacker: IpAddr = "203.0.113.9".parse().unwrap();
        let owner: IpAddr = "198.51.100.4".parse().unwrap();
        for _ in 0..3 {
            assert!(limit.check(&Method::POST, "/api/v1/sessions", Some(attacker)).is_ok());
        }
        let wait = limit
            .check(&Method::POST, "/api/v1/sessions", Some(attacker))
            .unwrap_err();
        assert!((1..=60).contains(&wait), "{wait}");
        assert!(limit.check(&Method::POST, "/api/v1/sessions", Some(owner)).is_ok());
        assert!(limit.check(&Method::GET, "/api/v1/me", Some(attacker)).is_ok());
        assert!(limit.check(&Method::POST, "/api/v1/clients", Some(attacker)).is_ok());
        assert!(
            AuthRateLimit::new(0)
                .check(&Method::POST, "/api/v1/sessions", Some(attacker))
                .is_ok()
        );
    }
}
