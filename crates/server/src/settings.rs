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
    /// Logging.
    pub log: LogSettings,
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
        if self.http.max_body_bytes < 1024 {
            return invalid("http.max_body_bytes", "must be at least 1024");
        }
        if !matches!(self.auth.minimum_age, 13 | 16 | 18) {
            return invalid("auth.minimum_age", "must be 13, 16 or 18");
        }
        if !(1..=24 * 30).contains(&self.auth.session_lifetime_hours) {
            return invalid("auth.session_lifetime_hours", "must be between 1 and 720");
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
        if tracing_subscriber::EnvFilter::try_new(&self.log.level).is_err() {
            return invalid("log.level", "is not a valid tracing filter such as \"info\"");
        }
        Ok(())
    }
}

fn parse_email(text: &str) -> Option<fakturo_domain::email::EmailAddress> {
    fakturo_domain::email::EmailAddress::parse(text).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use figment::Jail;

    #[test]
    fn the_defaults_need_no_service() {
        let settings = Settings::defaults().unwrap();
        assert_eq!(settings.http.bind.to_string(), "127.0.0.1:8080");
        assert!(settings.database.url.starts_with("sqlite://./data/"));
        assert!(settings.database.migrate_on_start);
    }

    #[test]
    #[allow(clippy::result_large_err)] // figment's Jail returns its own error type
    fn environment_overrides_and_bad_values_name_their_key() {
        Jail::expect_with(|jail| {
            jail.set_env("FAKTURO_HTTP__BIND", "0.0.0.0:9999");
            jail.set_env("FAKTURO_DATABASE__URL", "postgres://u@h/db");
            jail.set_env("FAKTURO_TEST_POSTGRES_URL", "ignored: not a setting");
            let settings = Settings::load().unwrap();
            assert_eq!(settings.http.bind.port(), 9999);
            assert_eq!(settings.database.url, "postgres://u@h/db");

            jail.set_env("FAKTURO_HTTP__BIND", "not-an-address");
            let message = Settings::load().unwrap_err().to_string().to_lowercase();
            assert!(message.contains("http.bind"), "{message}");

            jail.set_env("FAKTURO_HTTP__BIND", "127.0.0.1:0");
            jail.set_env("FAKTURO_AUTH__MINIMUM_AGE", "15");
            let message = Settings::load().unwrap_err().to_string();
            assert!(message.contains("auth.minimum_age"), "{message}");

            jail.set_env("FAKTURO_AUTH__MINIMUM_AGE", "18");
            jail.set_env("FAKTURO_HTTP__BINDD", "typo");
            let message = Settings::load().unwrap_err().to_string().to_lowercase();
            assert!(message.contains("bindd"), "{message}");
            Ok(())
        });
    }

    #[test]
    #[allow(clippy::result_large_err)] // figment's Jail returns its own error type
    fn secrets_can_come_from_files() {
        Jail::expect_with(|jail| {
            jail.create_file("db-url", "postgres://fakturo:secret@db/fakturo\n")?;
            jail.set_env("FAKTURO_DATABASE__URL_FILE", "db-url");
            let settings = Settings::load().unwrap();
            assert_eq!(settings.database.url, "postgres://fakturo:secret@db/fakturo");
            assert!(!format!("{settings:?}").contains("secret"));
            Ok(())
        });
    }
}
