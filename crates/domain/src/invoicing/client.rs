//! A tenant's clients (the customers it invoices).

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};

use crate::kernel::email::EmailAddress;
use crate::kernel::money::Currency;
use crate::kernel::validation::{ValidationErrors, optional_text, required_text};
use crate::privacy::{ConsentPurpose, SubjectState};
use crate::tenancy::Country;
use crate::{ClientId, TenantId};

/// A client as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Client {
    /// The client's id.
    pub id: ClientId,
    /// The owning tenant.
    pub tenant_id: TenantId,
    /// The client's details.
    pub details: ClientDetails,
    /// Restriction, objections and erasure: what processing the person allows.
    pub privacy: ClientPrivacy,
    /// When the client was created.
    pub created_at: DateTime<Utc>,
    /// When the client was last changed.
    pub updated_at: DateTime<Utc>,
}

/// What processing of a client's data is allowed (GDPR Arts. 17, 18, 21).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ClientPrivacy {
    /// Processing is restricted: the data is only stored (and used where the law requires).
    pub restricted: bool,
    /// Consent-based purposes the client objected to.
    pub objections: BTreeSet<ConsentPurpose>,
    /// The client objected to reminders and courtesy emails.
    pub objects_to_contact: bool,
    /// When the client's personal data was erased (what remains is under legal hold).
    pub erased_at: Option<DateTime<Utc>>,
}

impl Client {
    /// What [`crate::privacy::may_process`] needs to know about this client.
    /// Clients never give consent through Fakturo, so no purpose is granted.
    #[must_use]
    pub fn subject_state(&self) -> SubjectState {
        SubjectState {
            granted: BTreeSet::new(),
            restricted: self.privacy.restricted || self.privacy.erased_at.is_some(),
            objections: self.privacy.objections.clone(),
            objects_to_contact: self.privacy.objects_to_contact,
        }
    }
}

/// The editable, validated details of a client.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientDetails {
    /// Person or company name; required.
    pub name: String,
    /// Where invoices and reminders go.
    pub email: Option<EmailAddress>,
    /// Phone number as given.
    pub phone: Option<String>,
    /// Postal address, free text over several lines.
    pub address: Option<String>,
    /// Country of the address.
    pub country: Option<Country>,
    /// VAT or other tax identifier.
    pub tax_id: Option<String>,
    /// Currency proposed for this client's invoices.
    pub currency: Option<Currency>,
    /// Language and region for documents sent to the client (BCP 47, `de-DE`).
    pub locale: Option<String>,
    /// Whether payment reminders go to this client.
    pub reminders_enabled: bool,
}

/// Unvalidated client fields as they arrive from a caller. For a create every
/// field is taken; for an update `None` means "leave as is" and `Some("")`
/// clears an optional field.
#[derive(Clone, Debug, Default)]
pub struct ClientFields {
    /// See [`ClientDetails::name`].
    pub name: Option<String>,
    /// See [`ClientDetails::email`].
    pub email: Option<String>,
    /// See [`ClientDetails::phone`].
    pub phone: Option<String>,
    /// See [`ClientDetails::address`].
    pub address: Option<String>,
    /// See [`ClientDetails::country`].
    pub country: Option<String>,
    /// See [`ClientDetails::tax_id`].
    pub tax_id: Option<String>,
    /// See [`ClientDetails::currency`].
    pub currency: Option<String>,
    /// See [`ClientDetails::locale`].
    pub locale: Option<String>,
    /// See [`ClientDetails::reminders_enabled`].
    pub reminders_enabled: Option<bool>,
}

const NAME_MAX: usize = 200;
const SHORT_MAX: usize = 64;
const ADDRESS_MAX: usize = 1000;

impl ClientDetails {
    /// Validates the fields of a new client.
    ///
    /// # Errors
    /// Every invalid field, with its path.
    pub fn parse(fields: ClientFields) -> Result<Self, ValidationErrors> {
        let empty = Self {
            name: String::new(),
            email: None,
            phone: None,
            address: None,
            country: None,
            tax_id: None,
            currency: None,
            locale: None,
            reminders_enabled: true,
        };
        let mut errors = ValidationErrors::new();
        if fields.name.is_none() {
            errors.add("name", "required", "is required");
        }
        let details = empty.apply(fields, &mut errors);
        errors.into_result(details)
    }

    /// Applies a partial update; fields left `None` keep their value.
    ///
    /// # Errors
    /// Every invalid field, with its path.
    pub fn patched(&self, fields: ClientFields) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let details = self.clone().apply(fields, &mut errors);
        errors.into_result(details)
    }

    fn apply(mut self, fields: ClientFields, errors: &mut ValidationErrors) -> Self {
        if let Some(name) = fields.name
            && let Some(name) = errors.check("name", required_text(&name, NAME_MAX))
        {
            self.name = name;
        }
        if let Some(email) = fields.email {
            self.email = match email.trim() {
                "" => None,
                text => errors.check("email", EmailAddress::parse(text)),
            };
        }
        if let Some(phone) = fields.phone {
            self.phone = errors.check("phone", optional_text(&phone, SHORT_MAX)).flatten();
            if self
                .phone
                .as_deref()
                .is_some_and(|p| !p.chars().all(|c| c.is_ascii_digit() || " +-()./".contains(c)))
            {
                errors.add(
                    "phone",
                    "invalid_phone",
                    "may contain only digits, spaces and + - ( ) . /",
                );
            }
        }
        if let Some(address) = fields.address {
            self.address = errors.check("address", optional_text(&address, ADDRESS_MAX)).flatten();
        }
        if let Some(country) = fields.country {
            self.country = match country.trim() {
                "" => None,
                code => errors.check("country", Country::parse(code)),
            };
        }
        if let Some(tax_id) = fields.tax_id {
            self.tax_id = errors.check("tax_id", optional_text(&tax_id, SHORT_MAX)).flatten();
        }
        if let Some(currency) = fields.currency {
            self.currency = match currency.trim() {
                "" => None,
                code => errors.check("currency", Currency::parse(code)),
            };
        }
        if let Some(enabled) = fields.reminders_enabled {
            self.reminders_enabled = enabled;
        }
        if let Some(locale) = fields.locale {
            self.locale = errors.check("locale", optional_text(&locale, 35)).flatten();
            if self.locale.as_deref().is_some_and(|l| !is_language_tag(l)) {
                errors.add(
                    "locale",
                    "invalid_locale",
                    "must be a BCP 47 language tag such as \"de-DE\"",
                );
            }
        }
        self
    }
}

/// A light check of a BCP 47 tag: a 2–3 letter language, then alphanumeric subtags.
fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let language_ok = parts
        .next()
        .is_some_and(|l| (2..=3).contains(&l.len()) && l.chars().all(|c| c.is_ascii_alphabetic()));
    language_ok && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(name: &str) -> ClientFields {
        ClientFields {
            name: Some(name.into()),
            ..ClientFields::default()
        }
    }

    #[test]
    fn a_name_is_enough() {
        let details = ClientDetails::parse(fields("  Acme GmbH ")).unwrap();
        assert_eq!(details.name, "Acme GmbH");
        assert_eq!(details.email, None);
    }

    #[test]
    fn every_bad_field_is_reported() {
        let errors = ClientDetails::parse(ClientFields {
            name: Some(" ".into()),
            email: Some("nope".into()),
            country: Some("Germany".into()),
            currency: Some("EURO".into()),
            locale: Some("german!".into()),
            ..ClientFields::default()
        })
        .unwrap_err();
        let fields: Vec<_> = errors.errors().iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["name", "email", "country", "currency", "locale"]);
    }

    #[test]
    fn patch_keeps_untouched_fields_and_clears_with_empty_strings() {
        let details = ClientDetails::parse(ClientFields {
            email: Some("a@example.com".into()),
            phone: Some("+49 30 1234".into()),
            ..fields("Acme")
        })
        .unwrap();
        let patched = details
            .patched(ClientFields {
                phone: Some(String::new()),
                ..ClientFields::default()
            })
            .unwrap();
        assert_eq!(patched.name, "Acme");
        assert!(patched.email.is_some());
        assert_eq!(patched.phone, None);
    }
}
