//! EN 16931 e-invoices: [`ubl`] writes a UBL 2.1 `Invoice` or `CreditNote`
//! following Peppol BIS Billing 3.0, [`cii`] a UN/CEFACT CII D16B
//! `CrossIndustryInvoice` for the Factur-X / ZUGFeRD EN 16931 profile.
//!
//! Both run [`Document::check`] first and then the business rules that only
//! e-invoices need (seller identifiers, VAT ids per category, due date or
//! terms, electronic addresses for Peppol), so a document that passes is
//! written, and one that would be rejected downstream is refused here with
//! the rule's name.

mod cii;
mod ubl;
mod xml;

pub use cii::cii;
pub use ubl::ubl;

use crate::check::DocumentError;
use crate::model::{Document, DocumentKind, TaxCategory};

/// Why an e-invoice could not be written.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EInvoiceError {
    /// The document's amounts or content are inconsistent.
    #[error(transparent)]
    Invalid(#[from] DocumentError),
    /// Payment reminders have no EN 16931 representation.
    #[error("a payment reminder is not an invoice and has no EN 16931 form")]
    NotAnInvoice,
    /// The seller has neither a VAT id nor a registration id (BR-CO-26).
    #[error("the seller needs a VAT identifier or a legal registration identifier (BR-CO-26)")]
    MissingSellerIdentifier,
    /// A VAT category requires a party's VAT id (BR-S-02, BR-AE-02, …).
    #[error("VAT category {category} requires the {party}'s VAT identifier ({rule})")]
    MissingVatId {
        /// The category code.
        category: &'static str,
        /// `seller` or `buyer`.
        party: &'static str,
        /// The EN 16931 rule.
        rule: &'static str,
    },
    /// Category `O` forbids VAT identifiers (BR-O-02..04).
    #[error("VAT category O (outside the scope of VAT) forbids the {party}'s VAT identifier (BR-O-02)")]
    VatIdNotAllowed {
        /// `seller` or `buyer`.
        party: &'static str,
    },
    /// Category `O` cannot be combined with other categories (BR-O-11..14).
    #[error("VAT category O cannot be combined with other VAT categories (BR-O-11)")]
    MixedOutsideScope,
    /// Category `K` needs the date of supply (BR-IC-11).
    #[error("an intra-community supply needs the delivery date (BR-IC-11)")]
    MissingDeliveryDate,
    /// An amount is due but neither a due date nor payment terms are given
    /// (BR-CO-25).
    #[error("an amount is due, so a due date or payment terms are needed (BR-CO-25)")]
    MissingDueDateOrTerms,
    /// Peppol needs an electronic address for both parties
    /// (PEPPOL-EN16931-R010, R020).
    #[error("the {party} needs an electronic address or an email address for Peppol (BT-34, BT-49)")]
    MissingElectronicAddress {
        /// `seller` or `buyer`.
        party: &'static str,
    },
}

/// The e-invoice rules shared by UBL and CII.
fn check_einvoice(document: &Document) -> Result<(), EInvoiceError> {
    if matches!(document.kind, DocumentKind::PaymentReminder(_)) {
        return Err(EInvoiceError::NotAnInvoice);
    }
    document.check()?;
    let seller_vat = has_text(document.seller.vat_id.as_deref());
    let buyer_vat = has_text(document.buyer.vat_id.as_deref());
    if !seller_vat && !has_text(document.seller.registration_id.as_deref()) {
        return Err(EInvoiceError::MissingSellerIdentifier);
    }
    let categories: Vec<TaxCategory> = document.tax_breakdown.iter().map(|tax| tax.category).collect();
    if categories.contains(&TaxCategory::OutsideScope) {
        if categories.iter().any(|category| *category != TaxCategory::OutsideScope) {
            return Err(EInvoiceError::MixedOutsideScope);
        }
        if seller_vat {
            return Err(EInvoiceError::VatIdNotAllowed { party: "seller" });
        }
        if buyer_vat {
            return Err(EInvoiceError::VatIdNotAllowed { party: "buyer" });
        }
    }
    for category in categories {
        let (seller_rule, buyer_rule) = match category {
            TaxCategory::Standard => ("BR-S-02", None),
            TaxCategory::ZeroRated => ("BR-Z-02", None),
            TaxCategory::Exempt => ("BR-E-02", None),
            TaxCategory::Export => ("BR-G-02", None),
            TaxCategory::ReverseCharge => ("BR-AE-02", Some("BR-AE-02")),
            TaxCategory::IntraCommunity => ("BR-IC-02", Some("BR-IC-02")),
            TaxCategory::OutsideScope => continue,
        };
        if !seller_vat {
            return Err(EInvoiceError::MissingVatId {
                category: category.code(),
                party: "seller",
                rule: seller_rule,
            });
        }
        let buyer_identified = buyer_vat || has_text(document.buyer.registration_id.as_deref());
        if let Some(rule) = buyer_rule
            && !buyer_identified
        {
            return Err(EInvoiceError::MissingVatId {
                category: category.code(),
                party: "buyer",
                rule,
            });
        }
        if category == TaxCategory::IntraCommunity && document.delivery_date.is_none() {
            return Err(EInvoiceError::MissingDeliveryDate);
        }
    }
    let has_terms = document
        .payment
        .as_ref()
        .is_some_and(|payment| has_text(payment.terms_text.as_deref()));
    if document.amount_due.is_positive() && document.due_date.is_none() && !has_terms {
        return Err(EInvoiceError::MissingDueDateOrTerms);
    }
    Ok(())
}

fn has_text(text: Option<&str>) -> bool {
    text.is_some_and(|text| !text.trim().is_empty())
}

/// The first three non-empty address lines.
fn address_lines(party: &crate::model::Party) -> [Option<&str>; 3] {
    let mut lines = party.street_lines();
    [lines.next(), lines.next(), lines.next()]
}

/// The payment means code (UNCL4461): 58 SEPA credit transfer with an IBAN,
/// else 1 (instrument not defined).
fn payment_means_code(iban: Option<&str>) -> (&'static str, &'static str) {
    if has_text(iban) {
        ("58", "SEPA credit transfer")
    } else {
        ("1", "Instrument not defined")
    }
}

/// A discounted line's allowance (BG-27): the base `round(quantity × price)`
/// and the allowance `base − net`, so that base minus allowance is exactly
/// the line's net amount.
fn line_allowance(
    line: &crate::model::DocumentLine,
) -> Result<
    Option<(
        fakturo_domain::kernel::money::Money,
        fakturo_domain::kernel::money::Money,
    )>,
    EInvoiceError,
> {
    if !line.has_discount() {
        return Ok(None);
    }
    let currency = line.net_amount.currency();
    let gross = line
        .quantity
        .checked_mul(line.unit_price)
        .ok_or(DocumentError::Overflow)?;
    let base = fakturo_domain::kernel::money::Money::round(gross, currency).map_err(|_| DocumentError::Overflow)?;
    let allowance = base.checked_sub(line.net_amount).map_err(|_| DocumentError::Overflow)?;
    Ok(Some((base, allowance)))
}
