//! The smaller sections of the settings: workers, invoicing, policies,
//! secrets, files, retention, Google sign-in, logging, and the error a bad
//! setting gives.

use serde::{Deserialize, Serialize};

use super::*;

/// `[workers]`
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct WorkerSettings {
    /// Run workers in this process.
    pub enabled: bool,
    /// Jobs performed at the same time.
    pub concurrency: usize,
    /// Idle polling interval in milliseconds.
    pub poll_interval_ms: u64,
    /// Scheduler interval in seconds.
    pub scheduler_interval_seconds: u64,
    /// Claim lease in seconds.
    pub lease_seconds: u32,
}

/// `[invoicing]`
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct InvoicingSettings {
    /// Days from issue to due date by default.
    pub default_payment_terms_days: u32,
}

/// `[policies]`
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PolicySettings {
    /// Current privacy policy version.
    pub privacy_version: String,
    /// When it took effect.
    pub privacy_effective_at: DateTime<Utc>,
    /// Current terms version.
    pub terms_version: String,
    /// When they took effect.
    pub terms_effective_at: DateTime<Utc>,
    /// Days of notice a material change needs before it takes effect.
    pub material_notice_days: u32,
}

/// `[secrets]`
#[derive(Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SecretsSettings {
    /// `id:base64key, …` (32-byte keys); empty: a generated key in `key_file`.
    pub keys: String,
    /// The id of the key that seals new values; empty: the first key.
    pub primary: String,
    /// Where the generated key lives when `keys` is empty.
    pub key_file: String,
}

impl std::fmt::Debug for SecretsSettings {
    /// Keys are never printed.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SecretsSettings")
            .field("keys", &"<redacted>")
            .field("primary", &self.primary)
            .field("key_file", &self.key_file)
            .finish()
    }
}

/// `[files]`
#[derive(Clone, Copy, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FilesSettings {
    /// The largest file one upload may carry, in bytes (larger: 413).
    pub max_upload_bytes: u64,
    /// What one organization may store in all, in bytes.
    pub tenant_quota_bytes: u64,
}

impl FilesSettings {
    /// The domain's rules.
    #[must_use]
    pub fn rules(&self) -> fakturo_domain::work::services::FileRules {
        fakturo_domain::work::services::FileRules {
            max_bytes: self.max_upload_bytes,
            tenant_quota_bytes: self.tenant_quota_bytes,
        }
    }
}

/// `[retention]`
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RetentionSettings {
    /// Statutory years for accounting records where the country has no entry.
    pub statutory_years_default: u32,
    /// Statutory years by ISO 3166-1 alpha-2 country code.
    pub statutory_years: std::collections::BTreeMap<String, u32>,
    /// Days between account closure and the purge.
    pub closure_grace_days: u32,
    /// Keep accounting records of purged accounts until their statutory period ends.
    pub keep_accounting_after_closure: bool,
    /// Days security events are kept.
    pub security_event_days: u32,
    /// Days finished jobs and other technical records are kept.
    pub technical_days: u32,
    /// Months anonymous analytics are kept.
    pub analytics_months: u32,
    /// Days an export archive stays downloadable.
    pub export_days: u32,
    /// Days backups are kept (`cargo xtask backup` prunes older ones).
    pub backup_days: u32,
    /// Where `cargo xtask backup` writes backups.
    pub backup_dir: String,
    /// The age public key (`age1…`) backups are encrypted to; empty: no
    /// backups can be written. Its private key is kept away from the server.
    #[serde(default)]
    pub backup_recipient: String,
}

/// `[privacy]`
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct PrivacySettings {
    /// When privacy requests are due: `30_days` (30 days, or one calendar
    /// month when that is sooner; the default) or `one_month`.
    pub request_deadline: fakturo_domain::privacy::requests::DeadlineRule,
    /// Who runs this deployment, as the records of processing name them.
    pub operator_name: String,
    /// The operator's postal address, one line per element.
    pub operator_address: Vec<String>,
    /// Where data-protection questions to the operator go.
    pub operator_contact: String,
}

impl RetentionSettings {
    /// What is wrong with `backup_recipient`, if anything: it must be empty
    /// or an age X25519 public key, and never the private key.
    #[must_use]
    pub fn backup_recipient_problem(&self) -> Option<&'static str> {
        let recipient = self.backup_recipient.trim();
        if recipient.is_empty() || recipient.parse::<age::x25519::Recipient>().is_ok() {
            None
        } else if recipient.to_ascii_uppercase().starts_with("AGE-SECRET-KEY-") {
            Some("holds a private key: set the public key (age1…) here and keep the private key away from the server")
        } else {
            Some("must be empty or an age public key (age1…, as printed by `cargo xtask backup-keygen`)")
        }
    }

    /// The domain's policy.
    #[must_use]
    pub fn policy(&self) -> fakturo_domain::privacy::retention::RetentionPolicy {
        fakturo_domain::privacy::retention::RetentionPolicy {
            statutory: fakturo_domain::privacy::retention::StatutoryPeriods {
                default_years: self.statutory_years_default,
                by_country: self.statutory_years.clone(),
            },
            closure_grace_days: self.closure_grace_days,
            keep_accounting_after_closure: self.keep_accounting_after_closure,
            security_event_days: self.security_event_days,
            technical_days: self.technical_days,
            analytics_months: self.analytics_months,
            export_days: self.export_days,
        }
    }
}

/// `[google]`
#[derive(Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct GoogleSettings {
    /// Offer sign-in with Google.
    pub enabled: bool,
    /// The OAuth client id.
    pub client_id: String,
    /// The OAuth client secret.
    pub client_secret: String,
    /// The OpenID Connect issuer.
    pub issuer_url: String,
    /// Where Google sends the browser back; empty: `<public_url>/api/v1/auth/google/callback`.
    pub redirect_url: String,
}

impl std::fmt::Debug for GoogleSettings {
    /// The client secret is never printed.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GoogleSettings")
            .field("enabled", &self.enabled)
            .field("issuer_url", &self.issuer_url)
            .finish_non_exhaustive()
    }
}

/// `[log]`
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LogSettings {
    /// A tracing filter directive.
    pub level: String,
    /// `pretty` or `json`.
    pub format: LogFormat,
}

/// How log lines are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// Human-readable lines.
    Pretty,
    /// One JSON object per line.
    Json,
}

/// Why the settings could not be loaded. The message names the key.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    /// Figment could not read or convert a value.
    #[error("configuration error: {0}")]
    Figment(#[from] Box<figment::Error>),
    /// A value has the right type but is not acceptable.
    #[error("configuration error: `{key}` {message}")]
    Invalid {
        /// The dotted key, such as `auth.minimum_age`.
        key: &'static str,
        /// What is wrong.
        message: String,
    },
    /// A `…_FILE` variable names a file that cannot be read.
    #[error("configuration error: cannot read the file named by {variable}: {source}")]
    SecretFile {
        /// The environment variable.
        variable: String,
        /// The I/O error.
        source: std::io::Error,
    },
}
