//! The server's own adapters for the domain's small ports: the system
//! clock, argon2id password hashing, OS randomness for tokens and UUID v7 ids.

mod argon2_password_hasher;
mod os_random;
mod system_clock;

pub use argon2_password_hasher::Argon2PasswordHasher;
pub use os_random::{OsTokenGenerator, UuidV7Generator};
pub use system_clock::SystemClock;
