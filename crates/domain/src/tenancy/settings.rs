//! Changing an organization's settings: its name, defaults for new
//! invoices, numbering, and the seller's details invoices print. Every
//! field is checked at once; payment details are checked the way banks
//! check them (IBAN mod 97, BIC shape), so an invoice never prints an
//! account that cannot receive money.

use super::{Organization, TimeZone};
use crate::kernel::email::EmailAddress;
use crate::kernel::money::Currency;
use crate::kernel::numbering::NumberPattern;
use crate::kernel::validation::{ValidationErrors, optional_text, required_text};

/// Unvalidated changes; `None` keeps a field, `Some("")` clears an optional one.
#[derive(Clone, Debug, Default)]
pub struct OrganizationFields {
    /// See [`Organization::name`].
    pub name: Option<String>,
    /// See [`Organization::default_currency`].
    pub default_currency: Option<String>,
    /// See [`Organization::time_zone`].
    pub time_zone: Option<String>,
    /// See [`Organization::invoice_number_pattern`].
    pub invoice_number_pattern: Option<String>,
    /// See [`Organization::default_payment_terms_days`].
    pub default_payment_terms_days: Option<i64>,
    /// Street and number.
    pub address: Option<String>,
    /// Postal code.
    pub postcode: Option<String>,
    /// City.
    pub city: Option<String>,
    /// VAT identifier.
    pub vat_id: Option<String>,
    /// Contact address.
    pub email: Option<String>,
    /// Phone number.
    pub phone: Option<String>,
    /// IBAN of the account invoices are paid to.
    pub iban: Option<String>,
    /// BIC of its bank.
    pub bic: Option<String>,
}

impl Organization {
    /// Applies `fields`, checking every one.
    ///
    /// # Errors
    /// [`ValidationErrors`] naming every invalid field; nothing changes then.
    pub fn apply(&mut self, fields: OrganizationFields) -> Result<(), ValidationErrors> {
        let mut next = self.clone();
        let mut errors = ValidationErrors::new();
        if let Some(name) = fields.name
            && let Some(name) = errors.check("name", required_text(&name, 200))
        {
            next.name = name;
        }
        if let Some(code) = fields.default_currency
            && let Some(currency) = errors.check("default_currency", Currency::parse(code.trim()))
        {
            next.default_currency = currency;
        }
        if let Some(zone) = fields.time_zone
            && let Some(zone) = errors.check("time_zone", TimeZone::parse(zone.trim()))
        {
            next.time_zone = zone;
        }
        if let Some(pattern) = fields.invoice_number_pattern
            && let Some(pattern) = errors.check("invoice_number_pattern", NumberPattern::parse(pattern.trim()))
        {
            next.invoice_number_pattern = pattern;
        }
        if let Some(days) = fields.default_payment_terms_days {
            match u32::try_from(days).ok().filter(|d| *d <= 365) {
                Some(days) => next.default_payment_terms_days = days,
                None => errors.add(
                    "default_payment_terms_days",
                    "out_of_range",
                    "must be between 0 and 365",
                ),
            }
        }
        let p = &mut next.profile;
        text(&mut errors, "address", fields.address, 500, &mut p.address);
        text(&mut errors, "postcode", fields.postcode, 16, &mut p.postcode);
        text(&mut errors, "city", fields.city, 100, &mut p.city);
        text(&mut errors, "phone", fields.phone, 40, &mut p.phone);
        if let Some(email) = fields.email {
            p.email = match email.trim() {
                "" => None,
                text => errors.check("email", EmailAddress::parse(text)).map(|e| e.to_string()),
            };
        }
        if let Some(vat) = fields.vat_id {
            p.vat_id = checked(
                &mut errors,
                "vat_id",
                &vat,
                vat_id_shape,
                "invalid_vat_id",
                "must be a country prefix and 2 to 13 letters or digits, such as DE123456789",
            );
        }
        if let Some(iban) = fields.iban {
            p.iban = checked(
                &mut errors,
                "iban",
                &iban,
                iban_is_valid,
                "invalid_iban",
                "is not a valid IBAN (its check digits do not match)",
            );
        }
        if let Some(bic) = fields.bic {
            p.bic = checked(
                &mut errors,
                "bic",
                &bic,
                bic_shape,
                "invalid_bic",
                "must be 8 or 11 letters and digits, such as COBADEFFXXX",
            );
        }
        errors.into_result(())?;
        *self = next;
        Ok(())
    }
}

fn text(errors: &mut ValidationErrors, field: &str, value: Option<String>, max: usize, target: &mut Option<String>) {
    if let Some(value) = value
        && let Some(value) = errors.check(field, optional_text(&value, max))
    {
        *target = value;
    }
}

/// An identifier without spaces, upper case, checked by `rule`; empty clears.
fn checked(
    errors: &mut ValidationErrors,
    field: &str,
    value: &str,
    rule: fn(&str) -> bool,
    code: &'static str,
    message: &str,
) -> Option<String> {
    let compact: String = value
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_uppercase();
    if compact.is_empty() {
        return None;
    }
    if rule(&compact) {
        Some(compact)
    } else {
        errors.add(field, code, message);
        None
    }
}

fn vat_id_shape(vat: &str) -> bool {
    let bytes = vat.as_bytes();
    bytes.len() >= 4
        && bytes.len() <= 15
        && bytes[..2].iter().all(u8::is_ascii_uppercase)
        && bytes[2..].iter().all(u8::is_ascii_alphanumeric)
}

fn bic_shape(bic: &str) -> bool {
    let bytes = bic.as_bytes();
    matches!(bytes.len(), 8 | 11)
        && bytes[..6].iter().all(u8::is_ascii_uppercase)
        && bytes[6..].iter().all(u8::is_ascii_alphanumeric)
}

/// ISO 13616: country code, two check digits, up to 30 letters and digits,
/// and the whole (rearranged, letters as numbers) ≡ 1 mod 97.
fn iban_is_valid(iban: &str) -> bool {
    let bytes = iban.as_bytes();
    if !(15..=34).contains(&bytes.len())
        || !bytes[..2].iter().all(u8::is_ascii_uppercase)
        || !bytes[2..4].iter().all(u8::is_ascii_digit)
        || !bytes.iter().all(u8::is_ascii_alphanumeric)
    {
        return false;
    }
    let mut remainder: u32 = 0;
    for &b in bytes[4..].iter().chain(&bytes[..4]) {
        let value = if b.is_ascii_digit() {
            u32::from(b - b'0')
        } else {
            u32::from(b - b'A') + 10
        };
        remainder = if value >= 10 {
            (remainder * 100 + value) % 97
        } else {
            (remainder * 10 + value) % 97
        };
    }
    remainder == 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ibans_are_checked_by_their_check_digits() {
        assert!(iban_is_valid("DE89370400440532013000"));
        assert!(iban_is_valid("GB82WEST12345698765432"));
        assert!(iban_is_valid("FR1420041010050500013M02606"));
        assert!(!iban_is_valid("DE89370400440532013001"), "one digit off");
        assert!(!iban_is_valid("DE8937040044"), "too short");
        assert!(!iban_is_valid("1289370400440532013000"), "no country");
    }

    #[test]
    fn bics_and_vat_ids_have_their_shape() {
        assert!(bic_shape("COBADEFFXXX") && bic_shape("COBADEFF"));
        assert!(!bic_shape("COBADEF") && !bic_shape("12BADEFFXXX"));
        assert!(vat_id_shape("DE123456789") && vat_id_shape("FRXX123456789"));
        assert!(!vat_id_shape("123456789") && !vat_id_shape("DE"));
    }
}
