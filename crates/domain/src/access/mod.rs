//! Access: users and their roles, the principal a request acts as, sessions,
//! personal API tokens, emailed single-use links, invitations to a team,
//! sign-in throttling, the security event log, and secrets sealed at rest.

pub mod api_tokens;
pub mod audit;
pub mod integrations;
pub mod one_time_tokens;
pub mod ports;
pub mod services;
pub mod session;
pub mod team;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
pub mod throttle;
pub mod user;

pub use session::{Authenticated, Credential};
pub use user::{Forbidden, Manager, Owner, Principal, Reader, Role, User, Writer};
