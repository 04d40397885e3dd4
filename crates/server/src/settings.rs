//! Configuration, loaded once at start with figment: the built-in
//! `config/default.toml` → the file named by `FAKTURO_CONFIG` → environment
//! variables `FAKTURO_SECTION__KEY` (and `FAKTURO_SECTION__KEY_FILE` to read
//! a secret from a file). Unknown keys and bad values stop the start with a
//! message naming the key.

use std::net::SocketAddr;
use std::path::Path;

use chrono::{DateTime, Utc};
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};

mod billing;
mod sections;
mod subprocessors;

pub use billing::{BillingSection, PaddleSection, PlanSection, StripeSection};
pub use sections::{
    FilesSettings, GoogleSettings, InvoicingSettings, LogFormat, LogSettings, PolicySettings, PrivacySettings,
    RetentionSettings, SecretsSettings, SettingsError, WorkerSettings,
};

pub use subprocessors::Subprocessor;

/// The built-in defaults, compiled into the binary.
pub const DEFAULT_TOML: &str = include_str!("../../../config/default.toml");
const PREFIX: &str = "FAKTURO_";
const FILE_SUFFIX: &str = "_FILE";

/// All settings.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// The HTTP listener.
    pub http: HttpSettings,
    /// The database.
    pub database: DatabaseSection,
    /// Sign-in and sign-up rules.
    pub auth: AuthSettings,
    /// Outgoing email.
    pub email: EmailSettings,
    /// In-process workers.
    pub workers: WorkerSettings,
    /// Invoicing defaults.
    pub invoicing: InvoicingSettings,
    /// Published policy versions.
    pub policies: PolicySettings,
    /// The sub-processor register (`[[subprocessors]]`), served publicly.
    #[serde(default)]
    pub subprocessors: Vec<Subprocessor>,
    /// The key ring that seals secrets at rest.
    pub secrets: SecretsSettings,
    /// Sign-in with Google.
    pub google: GoogleSettings,
    /// Where files and export archives are stored.
    #[serde(default)]
    pub storage: fakturo_storage::StorageSettings,
    /// Limits of uploaded files.
    pub files: FilesSettings,
    /// How long each category of data is kept.
    pub retention: RetentionSettings,
    /// Privacy requests.
    #[serde(default)]
    pub privacy: PrivacySettings,
    /// Logging.
    pub log: LogSettings,
    /// What tenants are charged, and by whom.
    #[serde(default)]
    pub billing: BillingSection,
}

/// `[http]`
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct HttpSettings {
    /// Listen address; port 0 picks a free port.
    pub bind: SocketAddr,
    /// The URL clients use to reach the server.
    pub public_url: String,
    /// Largest accepted request body in bytes.
    pub max_body_bytes: usize,
    /// Proxies in front of the server whose `X-Forwarded-For` entries are trusted (0: none).
    pub trusted_proxy_hops: usize,
    /// The web application's base URL, for links in account emails; empty: `public_url`.
    pub app_url: String,
}

impl HttpSettings {
    /// This server's public base URL without a trailing slash.
    #[must_use]
    pub fn public_base(&self) -> &str {
        self.public_url.trim_end_matches('/')
    }

    /// Where account email links point: `app_url`, else `public_url`, without a trailing slash.
    #[must_use]
    pub fn app_base(&self) -> &str {
        let base = if self.app_url.trim().is_empty() {
            &self.public_url
        } else {
            &self.app_url
        };
        base.trim_end_matches('/')
    }
}

/// `[database]`
#[derive(Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseSection {
    /// `sqlite://…` or `postgres://…`.
    pub url: String,
    /// Apply pending migrations at start.
    pub migrate_on_start: bool,
    /// PostgreSQL pool size.
    pub max_connections: u32,
    /// Seconds to wait for a pooled connection.
    pub acquire_timeout_seconds: u64,
}

impl std::fmt::Debug for DatabaseSection {
    /// The URL may hold a password: it is not printed.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DatabaseSection")
            .field("url", &"<redacted>")
            .field("migrate_on_start", &self.migrate_on_start)
            .field("max_connections", &self.max_connections)
            .finish()
    }
}

/// `[auth]`
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AuthSettings {
    /// Hours a session lasts.
    pub session_lifetime_hours: u32,
    /// Minimum age at sign-up (13, 16 or 18).
    pub minimum_age: u8,
    /// Minutes a session lasts without being used.
    pub session_idle_minutes: u32,
    /// Requests per minute and address to sign-in, sign-up and link routes (0: no limit).
    pub ip_rate_limit_per_minute: u32,
}

/// `[email]`
#[derive(Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct EmailSettings {
    /// `file` or `smtp`.
    pub transport: EmailTransport,
    /// Where the file transport writes `.eml` files.
    pub outbox_dir: String,
    /// The sender address.
    pub from_address: String,
    /// SMTP server host.
    pub smtp_host: String,
    /// SMTP server port.
    pub smtp_port: u16,
    /// `starttls`, `tls` or `none`.
    pub smtp_security: SmtpSecuritySetting,
    /// SMTP user name; empty for none.
    pub smtp_username: String,
    /// SMTP password; empty for none.
    pub smtp_password: String,
    /// Seconds before an SMTP conversation times out.
    pub smtp_timeout_seconds: u64,
}

impl std::fmt::Debug for EmailSettings {
    /// The password is not printed.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EmailSettings")
            .field("transport", &self.transport)
            .field("smtp_host", &self.smtp_host)
            .field("smtp_port", &self.smtp_port)
            .finish_non_exhaustive()
    }
}

/// How email leaves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EmailTransport {
    /// `.eml` files in a folder.
    File,
    /// An SMTP server.
    Smtp,
}

/// Transport security for SMTP.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SmtpSecuritySetting {
    /// Plain connection upgraded with STARTTLS (required).
    Starttls,
    /// Implicit TLS from the first byte.
    Tls,
    /// No encryption (local relays and tests only).
    None,
}

impl Settings {
    /// Loads the settings from the defaults, `FAKTURO_CONFIG` and the environment.
    ///
    /// # Errors
    /// [`SettingsError`] naming the offending key.
    pub fn load() -> Result<Self, SettingsError> {
        let mut figment = Figment::from(Toml::string(DEFAULT_TOML));
        if let Ok(path) = std::env::var("FAKTURO_CONFIG") {
            if !Path::new(&path).is_file() {
                return Err(SettingsError::Invalid {
                    key: "FAKTURO_CONFIG",
                    message: format!("names a file that does not exist: {path}"),
                });
            }
            figment = figment.merge(Toml::file(path));
        }
        figment = figment.merge(
            Env::prefixed(PREFIX)
                .filter(|key| key.as_str().contains("__") && !key.as_str().to_lowercase().ends_with("_file"))
                .split("__"),
        );
        for (variable, value) in std::env::vars() {
            let Some(key) = variable.strip_prefix(PREFIX).and_then(|k| k.strip_suffix(FILE_SUFFIX)) else {
                continue;
            };
            if !key.contains("__") {
                continue;
            }
            let contents = std::fs::read_to_string(&value).map_err(|source| SettingsError::SecretFile {
                variable: variable.clone(),
                source,
            })?;
            let dotted = key.to_lowercase().replace("__", ".");
            figment = figment.merge(Serialized::default(&dotted, contents.trim_end_matches(['\n', '\r'])));
        }
        Self::from_figment(&figment)
    }

    /// The built-in defaults alone (for tests and tools).
    ///
    /// # Errors
    /// Only if the built-in file is broken.
    pub fn defaults() -> Result<Self, SettingsError> {
        Self::from_figment(&Figment::from(Toml::string(DEFAULT_TOML)))
    }

    fn from_figment(figment: &Figment) -> Result<Self, SettingsError> {
        let settings: Self = figment.extract().map_err(Box::new)?;
        settings.validate()?;
        Ok(settings)
    }

    /// Checks values that types alone cannot.
    ///
    /// # Errors
    /// [`SettingsError::Invalid`] naming the key.
    pub fn validate(&self) -> Result<(), SettingsError> {
        let invalid = |key, message: &str| {
            Err(SettingsError::Invalid {
                key,
                message: message.to_owned(),
            })
        };
        if fakturo_database::Backend::of_url(&self.database.url).is_err() {
            return invalid("database.url", "must start with sqlite:// or postgres://");
        }
        if !(self.http.public_url.starts_with("http://") || self.http.public_url.starts_with("https://")) {
            return invalid("http.public_url", "must be an http:// or https:// URL");
        }
        if self.files.max_upload_bytes == 0 || self.files.max_upload_bytes > 1 << 30 {
            return invalid("files.max_upload_bytes", "must be between 1 byte and 1 GiB");
        }
        if self.files.tenant_quota_bytes < self.files.max_upload_bytes {
            return invalid("files.tenant_quota_bytes", "must be at least files.max_upload_bytes");
        }
        if self.http.max_body_bytes < 1024 {
            return invalid("http.max_body_bytes", "must be at least 1024");
        }
        if !matches!(self.auth.minimum_age, 13 | 16 | 18) {
            return invalid("auth.minimum_age", "must be 13, 16 or 18");
        }
        if !(1..=24 * 30).contains(&self.auth.session_lifetime_hours) {
            return invalid("auth.session_lifetime_hours", "must be between 1 and 720");
        }
        if !(5..=60 * 24 * 30).contains(&self.auth.session_idle_minutes) {
            return invalid("auth.session_idle_minutes", "must be between 5 and 43200");
        }
        if self.http.trusted_proxy_hops > 8 {
            return invalid("http.trusted_proxy_hops", "must be at most 8");
        }
        if !(self.http.app_url.is_empty()
            || self.http.app_url.starts_with("http://")
            || self.http.app_url.starts_with("https://"))
        {
            return invalid("http.app_url", "must be empty or an http:// or https:// URL");
        }
        if self.secrets.keys.trim().is_empty() && self.secrets.key_file.trim().is_empty() {
            return invalid("secrets.keys", "must be set when secrets.key_file is empty");
        }
        if !(1..=30).contains(&self.retention.statutory_years_default)
            || self.retention.statutory_years.values().any(|y| !(1..=30).contains(y))
        {
            return invalid("retention.statutory_years", "must be between 1 and 30 years");
        }
        if let Some(code) = self
            .retention
            .statutory_years
            .keys()
            .find(|code| fakturo_domain::tenancy::Country::parse(code).is_err())
        {
            return Err(SettingsError::Invalid {
                key: "retention.statutory_years",
                message: format!("names {code:?}, which is not an ISO 3166-1 alpha-2 country code"),
            });
        }
        if self.retention.closure_grace_days == 0 {
            return invalid("retention.closure_grace_days", "must be at least 1");
        }
        if self.retention.export_days == 0 {
            return invalid("retention.export_days", "must be at least 1");
        }
        if self.retention.backup_days == 0 {
            return invalid("retention.backup_days", "must be at least 1");
        }
        if let Some(problem) = self.retention.backup_recipient_problem() {
            return invalid("retention.backup_recipient", problem);
        }
        if self.retention.security_event_days < 30 {
            return invalid("retention.security_event_days", "must be at least 30");
        }
        if self.retention.technical_days == 0 || self.retention.analytics_months == 0 {
            return invalid(
                "retention.technical_days",
                "and retention.analytics_months must be at least 1",
            );
        }
        if self.google.enabled
            && (self.google.client_id.trim().is_empty() || self.google.client_secret.trim().is_empty())
        {
            return invalid(
                "google.client_id",
                "and google.client_secret must be set when google.enabled is true",
            );
        }
        if self.invoicing.default_payment_terms_days > 365 {
            return invalid("invoicing.default_payment_terms_days", "must be at most 365");
        }
        if crate::settings::parse_email(&self.email.from_address).is_none() {
            return invalid("email.from_address", "must be an email address");
        }
        if !(1..=64).contains(&self.workers.concurrency) {
            return invalid("workers.concurrency", "must be between 1 and 64");
        }
        if self.workers.lease_seconds < 10 {
            return invalid("workers.lease_seconds", "must be at least 10");
        }
        if self.database.max_connections == 0 {
            return invalid("database.max_connections", "must be at least 1");
        }
        if self.policies.privacy_version.trim().is_empty() {
            return invalid("policies.privacy_version", "must not be empty");
        }
        if self.policies.terms_version.trim().is_empty() {
            return invalid("policies.terms_version", "must not be empty");
        }
        if self.policies.material_notice_days > 365 {
            return invalid("policies.material_notice_days", "must be at most 365");
        }
        self.validate_subprocessors()?;
        self.billing
            .validate()
            .map_err(|(key, message)| SettingsError::Invalid { key, message })?;
        if tracing_subscriber::EnvFilter::try_new(&self.log.level).is_err() {
            return invalid("log.level", "is not a valid tracing filter such as \"info\"");
        }
        Ok(())
    }
}

fn parse_email(text: &str) -> Option<fakturo_domain::kernel::email::EmailAddress> {
    fakturo_domain::kernel::email::EmailAddress::parse(text).ok()
}

#[cfg(test)]
mod tests;
