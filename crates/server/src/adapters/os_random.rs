//! Randomness from the operating system: opaque tokens and UUID v7 ids.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use fakturo_domain::access::api_tokens::{API_TOKEN_PREFIX, SESSION_TOKEN_PREFIX};
use fakturo_domain::kernel::ids::IdGenerator;
use fakturo_domain::kernel::tokens::SecretToken;
use fakturo_domain::kernel::tokens::TokenGenerator;
use uuid::Uuid;

/// `N` random bytes from the operating system. Without a working random
/// source no token can be safe, so a failure stops the process.
pub(crate) fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0_u8; N];
    if let Err(error) = getrandom::fill(&mut bytes) {
        tracing::error!(%error, "the operating system's random source failed");
        std::process::abort();
    }
    bytes
}

/// 256-bit tokens from the OS random source.
#[derive(Clone, Copy, Debug, Default)]
pub struct OsTokenGenerator;

impl TokenGenerator for OsTokenGenerator {
    fn secret_token(&self) -> SecretToken {
        SecretToken::new(format!(
            "{SESSION_TOKEN_PREFIX}{}",
            URL_SAFE_NO_PAD.encode(random_bytes::<32>())
        ))
    }

    fn api_token(&self) -> SecretToken {
        SecretToken::new(format!(
            "{API_TOKEN_PREFIX}{}",
            URL_SAFE_NO_PAD.encode(random_bytes::<32>())
        ))
    }

    fn link_token(&self) -> SecretToken {
        SecretToken::new(URL_SAFE_NO_PAD.encode(random_bytes::<32>()))
    }

    fn public_token(&self) -> String {
        URL_SAFE_NO_PAD.encode(random_bytes::<24>())
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
        let api = OsTokenGenerator.api_token();
        let body = api.expose().strip_prefix(API_TOKEN_PREFIX).unwrap();
        assert_eq!(URL_SAFE_NO_PAD.decode(body).unwrap().len(), 32);
        assert_eq!(
            URL_SAFE_NO_PAD
                .decode(OsTokenGenerator.link_token().expose())
                .unwrap()
                .len(),
            32
        );
    }
}
