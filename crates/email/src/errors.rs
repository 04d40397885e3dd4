//! The adapter's errors: [`SetupError`] for a mailer that cannot be built
//! from its settings, and the translation of lettre's errors into the
//! port's [`MailError`] at the seam.
//!
//! Error texts name what failed and the SMTP reply code, never the
//! server's reply text: servers echo the recipient address in it, and
//! recipients and contents must not reach logs or job records.

use std::error::Error as _;
use std::io;
use std::str::FromStr;

use fakturo_domain::messaging::ports::MailError;
use lettre::Address;
use lettre::transport::smtp;

/// Why a mailer could not be built from its settings.
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    /// The sender address is not a valid email address.
    #[error("the sender address is not a valid email address")]
    InvalidFromAddress,
    /// The SMTP transport could not be set up (for example its TLS parameters).
    #[error("the SMTP transport could not be set up: {0}")]
    Transport(String),
}

/// Parses the deployment's sender address.
pub(crate) fn parse_from_address(text: &str) -> Result<Address, SetupError> {
    Address::from_str(text.trim()).map_err(|_| SetupError::InvalidFromAddress)
}

/// Translates an SMTP conversation failure: 5xx replies and client-side
/// refusals are permanent; 4xx replies, connection, network, TLS and timeout
/// failures are transient.
pub(crate) fn from_smtp(error: &smtp::Error) -> MailError {
    let code = error.status().map(|code| code.to_string());
    if error.is_permanent() {
        return MailError::Permanent(format!(
            "the SMTP server refused the message with reply {}",
            code.as_deref().unwrap_or("5xx")
        ));
    }
    if error.is_client() {
        return MailError::Permanent("the SMTP client could not send this message".to_owned());
    }
    let what = if error.is_transient() {
        format!(
            "the SMTP server deferred the message with reply {}",
            code.as_deref().unwrap_or("4xx")
        )
    } else if error.is_timeout() {
        "the SMTP conversation timed out".to_owned()
    } else if error.is_tls() {
        "the TLS handshake with the SMTP server failed".to_owned()
    } else if error.is_response() {
        "the SMTP server sent a reply that could not be understood".to_owned()
    } else {
        "the connection to the SMTP server failed".to_owned()
    };
    MailError::Transient(match io_error_kind(error) {
        Some(kind) => format!("{what} ({kind})"),
        None => what,
    })
}

/// The kind of the underlying I/O error, if any: "connection refused" and
/// the like say what went wrong without any data from the conversation.
fn io_error_kind(error: &smtp::Error) -> Option<io::ErrorKind> {
    let mut source = error.source();
    while let Some(cause) = source {
        if let Some(io_error) = cause.downcast_ref::<io::Error>() {
            return Some(io_error.kind());
        }
        source = cause.source();
    }
    None
}

/// Translates a failure to assemble the message; lettre's texts name the
/// missing or malformed part, not its value.
pub(crate) fn from_builder(error: &lettre::error::Error) -> MailError {
    MailError::Permanent(format!("the message could not be assembled: {error}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sender_addresses_are_parsed() {
        assert!(parse_from_address("invoices@fakturo.localhost").is_ok());
        assert!(matches!(
            parse_from_address("not an address"),
            Err(SetupError::InvalidFromAddress)
        ));
    }
}
