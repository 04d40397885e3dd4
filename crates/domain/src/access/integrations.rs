//! A tenant's connections to outside services, starting with their own
//! Stripe account (to take invoice payments). Credentials are sealed with
//! the deployment's key ring before they reach storage and are never
//! returned by the API: only whether they exist, which mode, and a hint.

use chrono::{DateTime, Utc};

use crate::kernel::secrets::SealedSecret;
use crate::{TenantId, UserId};

/// The providers a tenant can connect.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Provider {
    /// The tenant's own Stripe account.
    Stripe,
}

impl Provider {
    /// The stable name used in storage and the API.
    #[must_use]
    pub const fn as_str(&self) -> &'static str {
        match self {
            Self::Stripe => "stripe",
        }
    }

    /// Parses the stable name.
    #[must_use]
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "stripe" => Some(Self::Stripe),
            _ => None,
        }
    }
}

/// Stored, sealed credentials of one provider for one tenant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredCredentials {
    /// The organization.
    pub tenant_id: TenantId,
    /// The provider.
    pub provider: Provider,
    /// The API secret key, sealed.
    pub secret_key: SealedSecret,
    /// The webhook signing secret, sealed.
    pub webhook_secret: Option<SealedSecret>,
    /// A recognisable, harmless part of the key: its mode prefix and last four characters.
    pub hint: String,
    /// Whether the key is a live one (else a test key).
    pub live: bool,
    /// Who stored them.
    pub updated_by: UserId,
    /// When.
    pub updated_at: DateTime<Utc>,
}

/// The associated data that binds a sealed credential to its row and field,
/// so a sealed value copied to another tenant or field does not open.
#[must_use]
pub fn seal_context(tenant: TenantId, provider: Provider, field: &str) -> String {
    format!("integration_credentials/{tenant}/{}/{field}", provider.as_str())
}

/// Stripe keys as entered: `sk_live_…`/`sk_test_…` (or restricted
/// `rk_…`) secret keys and `whsec_…` webhook secrets.
#[derive(Clone, PartialEq, Eq)]
pub struct StripeKeys {
    secret_key: String,
    webhook_secret: Option<String>,
}

impl std::fmt::Debug for StripeKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StripeKeys(<redacted>)")
    }
}

/// Why Stripe keys were refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum StripeKeyError {
    /// Not a Stripe secret or restricted key.
    #[error("must be a Stripe secret key (sk_live_…, sk_test_…, rk_live_… or rk_test_…)")]
    SecretKey,
    /// Not a Stripe webhook signing secret.
    #[error("must be a Stripe webhook signing secret (whsec_…)")]
    WebhookSecret,
}

impl crate::kernel::validation::HasCode for StripeKeyError {
    fn code(&self) -> &'static str {
        match self {
            Self::SecretKey => "invalid_stripe_secret_key",
            Self::WebhookSecret => "invalid_stripe_webhook_secret",
        }
    }
}

impl StripeKeys {
    /// Checks the shape of the keys (Stripe itself is not asked).
    ///
    /// # Errors
    /// [`StripeKeyError`] naming the malformed key.
    pub fn parse(secret_key: &str, webhook_secret: Option<&str>) -> Result<Self, StripeKeyError> {
        let secret_key = secret_key.trim();
        let well_formed = ["sk_live_", "sk_test_", "rk_live_", "rk_test_"]
            .iter()
            .any(|prefix| secret_key.starts_with(prefix))
            && (16..=256).contains(&secret_key.len())
            && secret_key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
        if !well_formed {
            return Err(StripeKeyError::SecretKey);
        }
        let webhook_secret = match webhook_secret.map(str::trim) {
            None | Some("") => None,
            Some(secret)
                if secret.starts_with("whsec_")
                    && (16..=256).contains(&secret.len())
                    && secret.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') =>
            {
                Some(secret.to_owned())
            }
            Some(_) => return Err(StripeKeyError::WebhookSecret),
        };
        Ok(Self {
            secret_key: secret_key.to_owned(),
            webhook_secret,
        })
    }

    /// The secret key, for sealing.
    #[must_use]
    pub fn secret_key(&self) -> &str {
        &self.secret_key
    }

    /// The webhook secret, for sealing.
    #[must_use]
    pub fn webhook_secret(&self) -> Option<&str> {
        self.webhook_secret.as_deref()
    }

    /// Whether it is a live-mode key.
    #[must_use]
    pub fn is_live(&self) -> bool {
        self.secret_key.contains("_live_")
    }

    /// `sk_live_…1234`: the mode prefix and the last four characters.
    #[must_use]
    pub fn hint(&self) -> String {
        let prefix: String = self.secret_key.chars().take(8).collect();
        let tail: String = self
            .secret_key
            .chars()
            .rev()
            .take(4)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        format!("{prefix}…{tail}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stripe_keys_are_checked_and_hinted() {
        let keys = StripeKeys::parse("sk_test_51Hx0aBcDeFgHiJkLmNoP1234", Some("whsec_abcdefghijklmnop")).unwrap();
        assert!(!keys.is_live());
        assert_eq!(keys.hint(), "sk_test_…1234");
        assert!(!format!("{keys:?}").contains("51Hx"));
        assert_eq!(
            StripeKeys::parse("pk_live_abcdefghijklmnop", None),
            Err(StripeKeyError::SecretKey)
        );
        assert_eq!(StripeKeys::parse("sk_live_short", None), Err(StripeKeyError::SecretKey));
        assert_eq!(
            StripeKeys::parse("sk_live_abcdefghijklmnop", Some("nope")),
            Err(StripeKeyError::WebhookSecret)
        );
        assert!(
            StripeKeys::parse("sk_live_abcdefghijklmnop", Some(""))
                .unwrap()
                .webhook_secret()
                .is_none()
        );
    }
}
