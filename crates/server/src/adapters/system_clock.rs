//! [`Clock`] on the system clock: the only place that reads the wall clock.

use chrono::{DateTime, Utc};
use fakturo_domain::kernel::clock::Clock;

/// The real time.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    #[allow(clippy::disallowed_methods)] // The clock adapter is where time enters the system.
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}
