//! [`PasswordHasher`] with argon2id (OWASP parameters: m = 19 MiB, t = 2,
//! p = 1), run on the blocking thread pool so hashing never stalls the
//! async workers.

use argon2::password_hash::{PasswordHash as PhcHash, PasswordHasher as _, PasswordVerifier as _, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use async_trait::async_trait;
use fakturo_domain::access::ports::HashError;
use fakturo_domain::access::ports::{Password, PasswordHash, PasswordHasher};

/// argon2id with fixed parameters.
#[derive(Clone, Debug)]
pub struct Argon2PasswordHasher {
    params: Params,
}

/// Memory cost in KiB (19 MiB, the OWASP minimum for argon2id).
pub const MEMORY_KIB: u32 = 19_456;
/// Iterations.
pub const ITERATIONS: u32 = 2;
/// Parallelism.
pub const PARALLELISM: u32 = 1;

impl Argon2PasswordHasher {
    /// The hasher with Fakturo's parameters.
    ///
    /// # Errors
    /// Never in practice: the parameters are constants within argon2's limits.
    pub fn new() -> Result<Self, HashError> {
        let params = Params::new(MEMORY_KIB, ITERATIONS, PARALLELISM, None).map_err(|e| HashError(e.to_string()))?;
        Ok(Self { params })
    }

    fn argon2(&self) -> Argon2<'static> {
        Argon2::new(Algorithm::Argon2id, Version::V0x13, self.params.clone())
    }
}

#[async_trait]
impl PasswordHasher for Argon2PasswordHasher {
    async fn hash(&self, password: &Password) -> Result<PasswordHash, HashError> {
        let argon2 = self.argon2();
        let password = password.clone();
        tokio::task::spawn_blocking(move || {
            let mut salt_bytes = [0_u8; 16];
            getrandom::fill(&mut salt_bytes).map_err(|e| HashError(e.to_string()))?;
            let salt = SaltString::encode_b64(&salt_bytes).map_err(|e| HashError(e.to_string()))?;
            argon2
                .hash_password(password.expose().as_bytes(), &salt)
                .map(|hash| PasswordHash::from_phc(hash.to_string()))
                .map_err(|e| HashError(e.to_string()))
        })
        .await
        .map_err(|e| HashError(e.to_string()))?
    }

    async fn verify(&self, password: &Password, hash: &PasswordHash) -> Result<bool, HashError> {
        let argon2 = self.argon2();
        let password = password.clone();
        let hash = hash.clone();
        tokio::task::spawn_blocking(move || {
            let parsed = PhcHash::new(hash.as_phc()).map_err(|e| HashError(e.to_string()))?;
            match argon2.verify_password(password.expose().as_bytes(), &parsed) {
                Ok(()) => Ok(true),
                Err(argon2::password_hash::Error::Password) => Ok(false),
                Err(other) => Err(HashError(other.to_string())),
            }
        })
        .await
        .map_err(|e| HashError(e.to_string()))?
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_are_argon2id_phc_strings_that_verify() {
        let hasher = Argon2PasswordHasher::new().unwrap();
        let password = Password::new_secret("correct horse battery".into()).unwrap();
        let hash = hasher.hash(&password).await.unwrap();
        assert!(
            hash.as_phc().starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{}",
            hash.as_phc()
        );
        assert!(hasher.verify(&password, &hash).await.unwrap());
        let wrong = Password::presented("correct horse battery!".into());
        assert!(!hasher.verify(&wrong, &hash).await.unwrap());
        assert!(
            hasher
                .verify(&password, &PasswordHash::from_phc("garbage".into()))
                .await
                .is_err()
        );
    }
}
