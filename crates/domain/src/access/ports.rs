//! The access ports: repositories of users, sessions, tokens, invitations,
//! identities, throttles, the audit log, integration credentials and
//! idempotency records, and the cryptographic ports (password hashing,
//! random tokens, sealing secrets at rest).

mod accounts;
mod idempotency;
mod security;
mod tokens;

pub use accounts::{SessionRepository, UserRepository};
pub use idempotency::{IdempotencyRecord, IdempotencyRepository};
pub(crate) use security::hash_error_from;
pub use security::{
    HashError, MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS, Password, PasswordError, PasswordHash, PasswordHasher,
    is_common_password,
};
pub use tokens::{
    ApiTokenRepository, AuditFilter, AuditRepository, ExternalIdentity, IdentityRepository, IntegrationRepository,
    InvitationRepository, OneTimeTokenRepository, ThrottleRepository,
};

#[cfg(test)]
pub use security::MockPasswordHasher;

mod unit;

pub use unit::{AccessStore, AccessUnit};
