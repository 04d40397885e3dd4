//! Randomness from the operating system: opaque tokens and UUID v7 ids.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use fakturo_domain::ports::{IdGenerator, TokenGenerator};
use fakturo_domain::session::SecretToken;
use uuid::Uuid;

/// The prefix of session tokens, so leaked tokens are easy to recognize.
pub const SESSION_TOKEN_PREFIX: &str = "fks_";

/// 256-bit tokens from the OS random source.
#[derive(Clone, Copy, Debug, Default)]
pub struct OsTokenGenerator;

impl TokenGenerator for OsTokenGenerator {
    fn secret_token(&self) -> SecretToken {
        let mut bytes = [0_u8; 32];
        if let Err(error) = getrandom::fill(&mut bytes) {
            // Without a working random source no token can be safe: stop the process.
            tracing::error!(%error, "the operating system's random source failed");
            std::process::abort();
        }
        SecretToken::new(format!("{SESSION_TOKEN_PREFIX}{}", URL_SAFE_NO_PAD.encode(bytes)))
    }

    fn public_token(&self) -> String {
        let mut bytes = [0_u8; 24];
        if let Err(error) = getrandom::fill(&mut bytes) {
            tracing::error!(%error, "the operating system's random source failed");
            std::process::abort();
        }
        URL_SAFE_NO_PAD.encode(bytes)
    }
}

/// Time-ordered UUID v7 ids.
#[derive(Clone, Copy, Debug, Default)]
pub struct UuidV7Generator;

impl IdGenerator for UuidV7Generator {
    fn new_uuid(&self) -> Uuid {
        Uuid::now_v7()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_prefixed_256_bit_and_distinct() {
        let a = OsTokenGenerator.secret_token();
        let b = OsTokenGenerator.secret_token();
        assert_ne!(a, b);
        let body = a.expose().strip_prefix(SESSION_TOKEN_PREFIX).unwrap();
        assert_eq!(URL_SAFE_NO_PAD.decode(body).unwrap().len(), 32);
    }
}
