//! Email addresses, parsed once at the edge.

use std::fmt;

use crate::kernel::validation::HasCode;

/// A syntactically valid email address, trimmed, with its domain lower-cased.
/// Comparison for sign-in uses [`EmailAddress::normalized`].
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct EmailAddress(String);

/// Why an email address was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    /// Not of the form `local@domain.tld`.
    #[error("is not a valid email address")]
    Invalid,
}

impl HasCode for EmailError {
    fn code(&self) -> &'static str {
        "invalid_email"
    }
}

impl EmailAddress {
    /// Parses an address: one `@`, a non-empty local part of at most 64
    /// characters, a domain with a dot and valid labels, 254 characters in all.
    ///
    /// # Errors
    /// [`EmailError::Invalid`] otherwise.
    pub fn parse(text: &str) -> Result<Self, EmailError> {
        let text = text.trim();
        if text.len() > 254 {
            return Err(EmailError::Invalid);
        }
        let (local, domain) = text.rsplit_once('@').ok_or(EmailError::Invalid)?;
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..")
            && local
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c) || !c.is_ascii());
        let labels: Vec<&str> = domain.split('.').collect();
        let domain_ok = labels.len() >= 2
            && labels.iter().all(|label| {
                !label.is_empty()
                    && label.len() <= 63
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label.chars().all(|c| c.is_alphanumeric() || c == '-')
            });
        if !local_ok || !domain_ok {
            return Err(EmailError::Invalid);
        }
        Ok(Self(format!("{local}@{}", domain.to_lowercase())))
    }

    /// The address as given (domain lower-cased).
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The form used to find an account: the whole address lower-cased.
    #[must_use]
    pub fn normalized(&self) -> String {
        self.0.to_lowercase()
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for EmailAddress {
    /// Redacted: email addresses are personal data and must not reach logs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("EmailAddress(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_ordinary_addresses_and_lowercases_the_domain() {
        let email = EmailAddress::parse(" Ada.Lovelace+inv@Example.COM ").unwrap();
        assert_eq!(email.as_str(), "Ada.Lovelace+inv@example.com");
        assert_eq!(email.normalized(), "ada.lovelace+inv@example.com");
    }

    #[test]
    fn refuses_malformed_addresses() {
        for bad in [
            "", "a", "a@", "@b.c", "a@b", "a@@b.c", "a b@c.d", "a@-b.c", "a..b@c.d", "a@b..c",
        ] {
            assert!(EmailAddress::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn debug_does_not_leak_the_address() {
        let email = EmailAddress::parse("secret@example.com").unwrap();
        assert!(!format!("{email:?}").contains("secret"));
    }
}
