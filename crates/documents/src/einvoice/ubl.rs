//! UBL 2.1 following Peppol BIS Billing 3.0: an `Invoice` (type code 380)
//! or a `CreditNote` (type code 381, positive amounts, `BillingReference` to
//! the corrected invoice). Elements are written in the order of the UBL 2.1
//! schemas.

use crate::format::{iso_date, xml_amount, xml_decimal, xml_rate};
use crate::model::{Document, DocumentKind, Party, TaxLine};

use super::xml::XmlWriter;
use super::{EInvoiceError, address_lines, check_einvoice, line_allowance, payment_means_code};

const CUSTOMIZATION_ID: &str = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0";
const PROFILE_ID: &str = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0";
const NS_INVOICE: &str = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2";
const NS_CREDIT_NOTE: &str = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2";
const NS_CAC: &str = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2";
const NS_CBC: &str = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2";

/// The document as a Peppol BIS Billing 3.0 UBL 2.1 `Invoice`, or
/// `CreditNote` for a credit note.
///
/// # Errors
/// - [`EInvoiceError::NotAnInvoice`] for a payment reminder.
/// - [`EInvoiceError::Invalid`] if [`Document::check`] fails.
/// - [`EInvoiceError::MissingElectronicAddress`] if a party has neither an
///   electronic address nor an email address (Peppol needs both endpoints).
/// - the other [`EInvoiceError`] variants for EN 16931 rules the document
///   breaks.
pub fn ubl(document: &Document) -> Result<String, EInvoiceError> {
    check_einvoice(document)?;
    for (party, role) in [(&document.seller, "seller"), (&document.buyer, "buyer")] {
        if party.effective_electronic_address().is_none() {
            return Err(EInvoiceError::MissingElectronicAddress { party: role });
        }
    }
    let credit = document.kind == DocumentKind::CreditNote;
    let (root, namespace) = if credit {
        ("CreditNote", NS_CREDIT_NOTE)
    } else {
        ("Invoice", NS_INVOICE)
    };
    let currency = document.currency.code();
    let mut lines = Vec::with_capacity(document.lines.len());
    for line in &document.lines {
        lines.push((line, line_allowance(line)?));
    }
    let mut w = XmlWriter::new();
    w.element_with(
        root,
        &[("xmlns", namespace), ("xmlns:cac", NS_CAC), ("xmlns:cbc", NS_CBC)],
        |w| {
            w.leaf("cbc:CustomizationID", CUSTOMIZATION_ID);
            w.leaf("cbc:ProfileID", PROFILE_ID);
            w.leaf("cbc:ID", &document.number);
            w.leaf("cbc:IssueDate", &iso_date(document.issue_date));
            if !credit {
                w.leaf_opt("cbc:DueDate", document.due_date.map(iso_date).as_deref());
            }
            let type_code = document.kind.type_code().unwrap_or("380");
            w.leaf(
                if credit {
                    "cbc:CreditNoteTypeCode"
                } else {
                    "cbc:InvoiceTypeCode"
                },
                type_code,
            );
            w.leaf_opt("cbc:Note", document.notes.as_deref());
            w.leaf("cbc:DocumentCurrencyCode", currency);
            w.leaf("cbc:BuyerReference", document.effective_buyer_reference());
            if let Some(preceding) = &document.preceding_invoice {
                w.element("cac:BillingReference", |w| {
                    w.element("cac:InvoiceDocumentReference", |w| {
                        w.leaf("cbc:ID", &preceding.number);
                        w.leaf("cbc:IssueDate", &iso_date(preceding.issue_date));
                    });
                });
            }
            w.element("cac:AccountingSupplierParty", |w| party(w, &document.seller));
            w.element("cac:AccountingCustomerParty", |w| party(w, &document.buyer));
            if let Some(date) = document.delivery_date {
                w.element("cac:Delivery", |w| {
                    w.leaf("cbc:ActualDeliveryDate", &iso_date(date));
                    w.element("cac:DeliveryLocation", |w| {
                        w.element("cac:Address", |w| {
                            w.element("cac:Country", |w| {
                                w.leaf("cbc:IdentificationCode", &document.buyer.country_code);
                            });
                        });
                    });
                });
            }
            if let Some(payment) = &document.payment {
                let (code, name) = payment_means_code(payment.iban.as_deref());
                w.element("cac:PaymentMeans", |w| {
                    w.leaf_with("cbc:PaymentMeansCode", &[("name", name)], code);
                    if credit {
                        w.leaf_opt("cbc:PaymentDueDate", document.due_date.map(iso_date).as_deref());
                    }
                    w.leaf_opt("cbc:PaymentID", payment.reference.as_deref());
                    if let Some(iban) = payment.iban.as_deref().filter(|iban| !iban.trim().is_empty()) {
                        w.element("cac:PayeeFinancialAccount", |w| {
                            w.leaf("cbc:ID", &compact(iban));
                            w.leaf_opt("cbc:Name", payment.account_holder.as_deref());
                            if let Some(bic) = payment.bic.as_deref().filter(|bic| !bic.trim().is_empty()) {
                                w.element("cac:FinancialInstitutionBranch", |w| w.leaf("cbc:ID", &compact(bic)));
                            }
                        });
                    }
                });
            }
            if let Some(terms) = document
                .payment
                .as_ref()
                .and_then(|p| p.terms_text.as_deref())
                .filter(|terms| !terms.trim().is_empty())
            {
                w.element("cac:PaymentTerms", |w| w.leaf("cbc:Note", terms));
            }
            w.element("cac:TaxTotal", |w| {
                w.leaf_with(
                    "cbc:TaxAmount",
                    &[("currencyID", currency)],
                    &xml_amount(document.tax_total),
                );
                for tax in &document.tax_breakdown {
                    tax_subtotal(w, tax, currency);
                }
            });
            w.element("cac:LegalMonetaryTotal", |w| {
                let amount = |w: &mut XmlWriter, name: &str, value| {
                    w.leaf_with(name, &[("currencyID", currency)], &xml_amount(value));
                };
                amount(w, "cbc:LineExtensionAmount", document.subtotal);
                amount(w, "cbc:TaxExclusiveAmount", document.subtotal);
                amount(w, "cbc:TaxInclusiveAmount", document.total);
                if !document.amount_paid.to_decimal().is_zero() {
                    amount(w, "cbc:PrepaidAmount", document.amount_paid);
                }
                amount(w, "cbc:PayableAmount", document.amount_due);
            });
            let (line_element, quantity_element) = if credit {
                ("cac:CreditNoteLine", "cbc:CreditedQuantity")
            } else {
                ("cac:InvoiceLine", "cbc:InvoicedQuantity")
            };
            for (index, (line, allowance)) in lines.iter().enumerate() {
                w.element(line_element, |w| {
                    w.leaf("cbc:ID", &(index + 1).to_string());
                    w.leaf_with(
                        quantity_element,
                        &[("unitCode", &line.unit_code)],
                        &xml_decimal(line.quantity),
                    );
                    w.leaf_with(
                        "cbc:LineExtensionAmount",
                        &[("currencyID", currency)],
                        &xml_amount(line.net_amount),
                    );
                    if let Some((base, allowance)) = allowance {
                        w.element("cac:AllowanceCharge", |w| {
                            w.leaf("cbc:ChargeIndicator", "false");
                            w.leaf("cbc:AllowanceChargeReasonCode", "95");
                            w.leaf("cbc:AllowanceChargeReason", "Discount");
                            w.leaf("cbc:MultiplierFactorNumeric", &xml_rate(line.discount_percent));
                            w.leaf_with("cbc:Amount", &[("currencyID", currency)], &xml_amount(*allowance));
                            w.leaf_with("cbc:BaseAmount", &[("currencyID", currency)], &xml_amount(*base));
                        });
                    }
                    w.element("cac:Item", |w| {
                        w.leaf("cbc:Name", &line.description);
                        w.element("cac:ClassifiedTaxCategory", |w| {
                            let category = line.category();
                            w.leaf("cbc:ID", category.code());
                            if category != crate::model::TaxCategory::OutsideScope {
                                w.leaf("cbc:Percent", &xml_rate(line.tax_rate));
                            }
                            vat_scheme(w);
                        });
                    });
                    w.element("cac:Price", |w| {
                        w.leaf_with(
                            "cbc:PriceAmount",
                            &[("currencyID", currency)],
                            &xml_decimal(line.unit_price),
                        );
                    });
                });
            }
        },
    );
    Ok(w.finish())
}

fn party(w: &mut XmlWriter, party: &Party) {
    w.element("cac:Party", |w| {
        if let Some(address) = party.effective_electronic_address() {
            w.leaf_with("cbc:EndpointID", &[("schemeID", &address.scheme)], &address.identifier);
        }
        w.element("cac:PostalAddress", |w| {
            let [first, second, third] = address_lines(party);
            w.leaf_opt("cbc:StreetName", first);
            w.leaf_opt("cbc:AdditionalStreetName", second);
            w.leaf("cbc:CityName", &party.city);
            w.leaf("cbc:PostalZone", &party.postcode);
            if let Some(third) = third {
                w.element("cac:AddressLine", |w| w.leaf("cbc:Line", third));
            }
            w.element("cac:Country", |w| w.leaf("cbc:IdentificationCode", &party.country_code));
        });
        if let Some(vat_id) = party.vat_id.as_deref().filter(|id| !id.trim().is_empty()) {
            w.element("cac:PartyTaxScheme", |w| {
                w.leaf("cbc:CompanyID", &compact(vat_id));
                vat_scheme(w);
            });
        }
        w.element("cac:PartyLegalEntity", |w| {
            w.leaf("cbc:RegistrationName", &party.name);
            w.leaf_opt("cbc:CompanyID", party.registration_id.as_deref());
        });
        if let Some(email) = party.email.as_deref().filter(|email| !email.trim().is_empty()) {
            w.element("cac:Contact", |w| w.leaf("cbc:ElectronicMail", email));
        }
    });
}

fn tax_subtotal(w: &mut XmlWriter, tax: &TaxLine, currency: &str) {
    w.element("cac:TaxSubtotal", |w| {
        w.leaf_with(
            "cbc:TaxableAmount",
            &[("currencyID", currency)],
            &xml_amount(tax.taxable_amount),
        );
        w.leaf_with(
            "cbc:TaxAmount",
            &[("currencyID", currency)],
            &xml_amount(tax.tax_amount),
        );
        w.element("cac:TaxCategory", |w| {
            w.leaf("cbc:ID", tax.category.code());
            if tax.category != crate::model::TaxCategory::OutsideScope {
                w.leaf("cbc:Percent", &xml_rate(tax.rate));
            }
            w.leaf_opt("cbc:TaxExemptionReasonCode", tax.exemption_reason_code.as_deref());
            w.leaf_opt("cbc:TaxExemptionReason", tax.exemption_reason.as_deref());
            vat_scheme(w);
        });
    });
}

fn vat_scheme(w: &mut XmlWriter) {
    w.element("cac:TaxScheme", |w| w.leaf("cbc:ID", "VAT"));
}

/// An identifier without spaces (IBANs and VAT ids are often written
/// grouped).
pub(super) fn compact(identifier: &str) -> String {
    identifier.chars().filter(|c| !c.is_whitespace()).collect()
}
