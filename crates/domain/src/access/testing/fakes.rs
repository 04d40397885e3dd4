//! Deterministic stand-ins for the access services' other ports: ids that
//! count up (so newest-first ordering follows creation), tokens that count
//! up with their real prefixes, a password "hasher" that is fast and
//! reversible, and a secret box that binds the context and names its key.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};

use async_trait::async_trait;
use uuid::Uuid;

use crate::access::api_tokens::{API_TOKEN_PREFIX, SESSION_TOKEN_PREFIX};
use crate::access::ports::{HashError, Password, PasswordHash, PasswordHasher};
use crate::kernel::ids::IdGenerator;
use crate::kernel::secrets::{RevealedSecret, SealedSecret, SecretBox, SecretError};
use crate::kernel::tokens::{SecretToken, TokenGenerator};

/// Ids `00000000-0000-0000-0000-000000000001`, `…0002`, … in order.
#[derive(Debug, Default)]
pub struct SequentialIds {
    next: AtomicU64,
}

impl SequentialIds {
    /// Counting from 1.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// How many ids were handed out.
    #[must_use]
    pub fn issued(&self) -> u64 {
        self.next.load(Ordering::SeqCst)
    }
}

impl IdGenerator for SequentialIds {
    fn new_uuid(&self) -> Uuid {
        let n = self.next.fetch_add(1, Ordering::SeqCst) + 1;
        Uuid::from_u128(u128::from(n))
    }
}

/// Tokens `fks_session_1`, `fkt_api0002…`, `link-3`, `public-4`, counting
/// across kinds; every issued token is remembered.
#[derive(Debug, Default)]
pub struct SequentialTokens {
    next: AtomicU64,
    issued: Mutex<Vec<String>>,
}

impl SequentialTokens {
    /// Counting from 1.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Every token handed out, oldest first.
    #[must_use]
    pub fn issued(&self) -> Vec<String> {
        self.issued.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    fn issue(&self, make: impl FnOnce(u64) -> String) -> String {
        let n = self.next.fetch_add(1, Ordering::SeqCst) + 1;
        let token = make(n);
        self.issued
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(token.clone());
        token
    }
}

impl TokenGenerator for SequentialTokens {
    fn secret_token(&self) -> SecretToken {
        SecretToken::new(self.issue(|n| format!("{SESSION_TOKEN_PREFIX}session_{n}")))
    }

    fn api_token(&self) -> SecretToken {
        SecretToken::new(self.issue(|n| format!("{API_TOKEN_PREFIX}{n:06}_api_token")))
    }

    fn link_token(&self) -> SecretToken {
        SecretToken::new(self.issue(|n| format!("link-{n}")))
    }

    fn public_token(&self) -> String {
        self.issue(|n| format!("public-{n}"))
    }
}

const FAKE_PHC_PREFIX: &str = "$fake$";

/// Hashes `pw` as `$fake$pw`: instant, and a test can read back what was
/// stored. Verifying a hash not made here fails with [`HashError`], as a
/// malformed PHC string does. Counts its calls.
#[derive(Debug, Default)]
pub struct FakePasswordHasher {
    hashes: AtomicUsize,
    verifies: AtomicUsize,
}

impl FakePasswordHasher {
    /// A fresh hasher.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// The hash this hasher makes of `password`.
    #[must_use]
    pub fn hash_of(password: &str) -> PasswordHash {
        PasswordHash::from_phc(format!("{FAKE_PHC_PREFIX}{password}"))
    }

    /// How many passwords were hashed.
    #[must_use]
    pub fn hashes(&self) -> usize {
        self.hashes.load(Ordering::SeqCst)
    }

    /// How many passwords were verified.
    #[must_use]
    pub fn verifies(&self) -> usize {
        self.verifies.load(Ordering::SeqCst)
    }
}

#[async_trait]
impl PasswordHasher for FakePasswordHasher {
    async fn hash(&self, password: &Password) -> Result<PasswordHash, HashError> {
        self.hashes.fetch_add(1, Ordering::SeqCst);
        Ok(Self::hash_of(password.expose()))
    }

    async fn verify(&self, password: &Password, hash: &PasswordHash) -> Result<bool, HashError> {
        self.verifies.fetch_add(1, Ordering::SeqCst);
        match hash.as_phc().strip_prefix(FAKE_PHC_PREFIX) {
            Some(stored) => Ok(stored == password.expose()),
            None => Err(HashError("not a hash of the fake hasher".into())),
        }
    }
}

/// Seals as `v1.<key>.<context>|<plaintext reversed>` under its primary
/// key. Opening checks that the key is still in the ring and that the
/// context matches, so values moved to another row do not open.
#[derive(Debug)]
pub struct FakeSecretBox {
    ring: Mutex<(String, BTreeSet<String>)>,
}

impl FakeSecretBox {
    /// A ring holding only `primary`.
    #[must_use]
    pub fn new(primary: &str) -> Self {
        Self {
            ring: Mutex::new((primary.to_owned(), BTreeSet::from([primary.to_owned()]))),
        }
    }

    /// Adds `key` to the ring and makes it the primary one.
    pub fn rotate_to(&self, key: &str) {
        let mut ring = self.ring.lock().unwrap_or_else(PoisonError::into_inner);
        ring.1.insert(key.to_owned());
        ring.0 = key.to_owned();
    }

    /// Removes `key` from the ring: what it sealed no longer opens.
    pub fn retire(&self, key: &str) {
        self.ring.lock().unwrap_or_else(PoisonError::into_inner).1.remove(key);
    }

    fn primary(&self) -> String {
        self.ring.lock().unwrap_or_else(PoisonError::into_inner).0.clone()
    }
}

impl SecretBox for FakeSecretBox {
    fn seal(&self, plaintext: &str, context: &str) -> Result<SealedSecret, SecretError> {
        let reversed: String = plaintext.chars().rev().collect();
        Ok(SealedSecret::from_stored(format!(
            "v1.{}.{context}|{reversed}",
            self.primary()
        )))
    }

    fn open(&self, sealed: &SealedSecret, context: &str) -> Result<RevealedSecret, SecretError> {
        let key = sealed.key_id().ok_or(SecretError::Invalid)?;
        let known = self.ring.lock().unwrap_or_else(PoisonError::into_inner).1.contains(key);
        if !known {
            return Err(SecretError::UnknownKey(key.to_owned()));
        }
        let body = sealed
            .as_str()
            .strip_prefix(&format!("v1.{key}."))
            .ok_or(SecretError::Invalid)?;
        match body.split_once('|') {
            Some((sealed_context, reversed)) if sealed_context == context => {
                Ok(RevealedSecret::new(reversed.chars().rev().collect()))
            }
            _ => Err(SecretError::Invalid),
        }
    }

    fn is_current(&self, sealed: &SealedSecret) -> bool {
        sealed.key_id() == Some(self.primary().as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_tokens_count_up_with_the_real_prefixes() {
        let ids = SequentialIds::new();
        let (a, b) = (ids.new_uuid(), ids.new_uuid());
        assert!(a < b);
        assert_eq!(ids.issued(), 2);
        let tokens = SequentialTokens::new();
        assert!(tokens.secret_token().expose().starts_with(SESSION_TOKEN_PREFIX));
        assert!(tokens.api_token().expose().starts_with(API_TOKEN_PREFIX));
        assert_eq!(tokens.link_token().expose(), "link-3");
        assert_eq!(tokens.public_token(), "public-4");
        assert_eq!(tokens.issued().len(), 4);
    }

    #[tokio::test]
    async fn the_fake_hasher_verifies_its_own_hashes_and_refuses_foreign_ones() {
        let hasher = FakePasswordHasher::new();
        let hash = hasher.hash(&Password::presented("pw".into())).await.unwrap();
        assert_eq!(hash, FakePasswordHasher::hash_of("pw"));
        assert!(hasher.verify(&Password::presented("pw".into()), &hash).await.unwrap());
        assert!(!hasher.verify(&Password::presented("px".into()), &hash).await.unwrap());
        let foreign = PasswordHash::from_phc("$argon2id$v=19$x".into());
        assert!(
            hasher
                .verify(&Password::presented("pw".into()), &foreign)
                .await
                .is_err()
        );
        assert_eq!((hasher.hashes(), hasher.verifies()), (1, 3));
    }

    #[test]
    fn the_secret_box_binds_the_context_and_knows_its_keys() {
        let secrets = FakeSecretBox::new("k1");
        let sealed = secrets.seal("sk_test_x", "row/1").unwrap();
        assert!(!sealed.as_str().contains("sk_test_x"));
        assert_eq!(secrets.open(&sealed, "row/1").unwrap().expose(), "sk_test_x");
        assert!(matches!(secrets.open(&sealed, "row/2"), Err(SecretError::Invalid)));
        secrets.rotate_to("k2");
        assert!(!secrets.is_current(&sealed));
        assert_eq!(secrets.open(&sealed, "row/1").unwrap().expose(), "sk_test_x");
        secrets.retire("k1");
        assert!(matches!(secrets.open(&sealed, "row/1"), Err(SecretError::UnknownKey(k)) if k == "k1"));
        assert!(secrets.is_current(&secrets.seal("y", "row/1").unwrap()));
    }
}
