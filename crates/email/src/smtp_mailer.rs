//! [`SmtpMailer`]: the [`Mailer`] port over SMTP, with lettre's async tokio
//! transport and rustls for TLS.

use std::fmt;
use std::time::Duration;

use async_trait::async_trait;
use fakturo_domain::messaging::ports::{EmailMessage, MailError, Mailer};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{Address, AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

use crate::errors::{self, SetupError};
use crate::message;

/// How the connection to the SMTP server is protected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SmtpSecurity {
    /// No encryption: local relays and tests only.
    None,
    /// A plain connection upgraded with STARTTLS, which the server must offer (usually port 587).
    StartTls,
    /// TLS from the first byte (usually port 465).
    Tls,
}

/// Where and how to deliver.
#[derive(Clone)]
pub struct SmtpSettings {
    /// The server's host name (also the name its TLS certificate must carry).
    pub host: String,
    /// The server's port.
    pub port: u16,
    /// How the connection is protected.
    pub security: SmtpSecurity,
    /// The user name to authenticate with; `None` for no authentication.
    pub username: Option<String>,
    /// The password that goes with `username`.
    pub password: Option<String>,
    /// The deployment's sender address; the tenant's name is its display name.
    pub from_address: String,
    /// How long one SMTP conversation may take before it fails as transient.
    pub timeout: Duration,
}

impl fmt::Debug for SmtpSettings {
    /// The password is not printed.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpSettings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("username", &self.username)
            .field("from_address", &self.from_address)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

/// Delivers messages to an SMTP server, one connection per message.
#[derive(Clone)]
pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from_address: Address,
}

impl fmt::Debug for SmtpMailer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpMailer").finish_non_exhaustive()
    }
}

impl SmtpMailer {
    /// Prepares the transport; nothing is connected until the first message.
    ///
    /// # Errors
    /// - [`SetupError::InvalidFromAddress`] if `from_address` is not an email address.
    /// - [`SetupError::Transport`] if the TLS parameters for `host` cannot be built.
    pub fn new(settings: SmtpSettings) -> Result<Self, SetupError> {
        let from_address = errors::parse_from_address(&settings.from_address)?;
        let transport_error = |error: lettre::transport::smtp::Error| SetupError::Transport(error.to_string());
        let builder = match settings.security {
            SmtpSecurity::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(settings.host.as_str()),
            SmtpSecurity::StartTls => {
                AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&settings.host).map_err(transport_error)?
            }
            SmtpSecurity::Tls => {
                AsyncSmtpTransport::<Tokio1Executor>::relay(&settings.host).map_err(transport_error)?
            }
        };
        let mut builder = builder.port(settings.port).timeout(Some(settings.timeout));
        if let Some(username) = settings.username {
            builder = builder.credentials(Credentials::new(username, settings.password.unwrap_or_default()));
        }
        Ok(Self {
            transport: builder.build(),
            from_address,
        })
    }
}

#[async_trait]
impl Mailer for SmtpMailer {
    async fn send(&self, message: &EmailMessage) -> Result<(), MailError> {
        let built = message::build_message(message, &self.from_address)?;
        self.transport
            .send(built)
            .await
            .map(|_response| ())
            .map_err(|error| errors::from_smtp(&error))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(security: SmtpSecurity) -> SmtpSettings {
        SmtpSettings {
            host: "smtp.example.com".to_owned(),
            port: 587,
            security,
            username: Some("user".to_owned()),
            password: Some("secret-password".to_owned()),
            from_address: "invoices@example.com".to_owned(),
            timeout: Duration::from_secs(5),
        }
    }

    #[test]
    fn every_security_mode_builds() {
        for security in [SmtpSecurity::None, SmtpSecurity::StartTls, SmtpSecurity::Tls] {
            assert!(SmtpMailer::new(settings(security)).is_ok(), "{security:?}");
        }
    }

    #[test]
    fn a_bad_sender_address_is_refused() {
        let mut bad = settings(SmtpSecurity::StartTls);
        bad.from_address = "nobody".to_owned();
        assert!(matches!(SmtpMailer::new(bad), Err(SetupError::InvalidFromAddress)));
    }

    #[test]
    fn the_password_is_not_printed() {
        let printed = format!("{:?}", settings(SmtpSecurity::Tls));
        assert!(!printed.contains("secret-password"), "{printed}");
    }
}
