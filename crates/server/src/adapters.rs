//! The server's own adapters for the domain's small ports: the system
//! clock, argon2id password hashing, OS randomness for tokens and UUID v7
//! ids, the key ring that seals secrets at rest, tenants' sealed Stripe
//! credentials, and sign-in with Google.

mod argon2_password_hasher;
mod google_sign_in;
mod key_ring;
mod os_random;
mod sealed_gateway_keys;
mod system_clock;

pub use argon2_password_hasher::Argon2PasswordHasher;
pub use google_sign_in::{Authorization, GoogleSignIn, OidcError};
pub use key_ring::{KeyRing, KeyRingError};
pub use os_random::{OsTokenGenerator, UuidV7Generator};
pub use sealed_gateway_keys::SealedGatewayKeys;
pub use system_clock::SystemClock;
