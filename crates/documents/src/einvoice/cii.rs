//! UN/CEFACT Cross Industry Invoice (D16B) for the Factur-X / ZUGFeRD
//! EN 16931 profile (guideline `urn:cen.eu:en16931:2017`). Credit notes are
//! type code 381 with positive amounts and an `InvoiceReferencedDocument`.
//! Elements are written in the order of the Factur-X EN 16931 schema.

use chrono::NaiveDate;

use crate::format::{compact_date, xml_amount, xml_decimal, xml_rate};
use crate::model::{Document, Party, TaxCategory};

use super::ubl::compact;
use super::xml::XmlWriter;
use super::{EInvoiceError, address_lines, check_einvoice, line_allowance, payment_means_code};

/// The Factur-X / ZUGFeRD EN 16931 profile's guideline identifier (BT-24).
pub const GUIDELINE_ID: &str = "urn:cen.eu:en16931:2017";
const NS_RSM: &str = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100";
const NS_QDT: &str = "urn:un:unece:uncefact:data:standard:QualifiedDataType:100";
const NS_RAM: &str = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100";
const NS_UDT: &str = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100";

/// The document as a CII `CrossIndustryInvoice` for Factur-X EN 16931.
///
/// # Errors
/// - [`EInvoiceError::NotAnInvoice`] for a payment reminder.
/// - [`EInvoiceError::Invalid`] if [`Document::check`] fails.
/// - the other [`EInvoiceError`] variants for EN 16931 rules the document
///   breaks.
pub fn cii(document: &Document) -> Result<String, EInvoiceError> {
    check_einvoice(document)?;
    let currency = document.currency.code();
    let mut lines = Vec::with_capacity(document.lines.len());
    for line in &document.lines {
        lines.push((line, line_allowance(line)?));
    }
    let namespaces = [
        ("xmlns:rsm", NS_RSM),
        ("xmlns:qdt", NS_QDT),
        ("xmlns:ram", NS_RAM),
        ("xmlns:udt", NS_UDT),
    ];
    let mut w = XmlWriter::new();
    w.element_with("rsm:CrossIndustryInvoice", &namespaces, |w| {
        w.element("rsm:ExchangedDocumentContext", |w| {
            w.element("ram:GuidelineSpecifiedDocumentContextParameter", |w| {
                w.leaf("ram:ID", GUIDELINE_ID);
            });
        });
        w.element("rsm:ExchangedDocument", |w| {
            w.leaf("ram:ID", &document.number);
            w.leaf("ram:TypeCode", document.kind.type_code().unwrap_or("380"));
            w.element("ram:IssueDateTime", |w| {
                date(w, "udt:DateTimeString", document.issue_date)
            });
            if let Some(notes) = document.notes.as_deref().filter(|notes| !notes.trim().is_empty()) {
                w.element("ram:IncludedNote", |w| w.leaf("ram:Content", notes));
            }
        });
        w.element("rsm:SupplyChainTradeTransaction", |w| {
            for (index, (line, allowance)) in lines.iter().enumerate() {
                w.element("ram:IncludedSupplyChainTradeLineItem", |w| {
                    w.element("ram:AssociatedDocumentLineDocument", |w| {
                        w.leaf("ram:LineID", &(index + 1).to_string());
                    });
                    w.element("ram:SpecifiedTradeProduct", |w| w.leaf("ram:Name", &line.description));
                    w.element("ram:SpecifiedLineTradeAgreement", |w| {
                        w.element("ram:NetPriceProductTradePrice", |w| {
                            w.leaf("ram:ChargeAmount", &xml_decimal(line.unit_price));
                        });
                    });
                    w.element("ram:SpecifiedLineTradeDelivery", |w| {
                        w.leaf_with(
                            "ram:BilledQuantity",
                            &[("unitCode", &line.unit_code)],
                            &xml_decimal(line.quantity),
                        );
                    });
                    w.element("ram:SpecifiedLineTradeSettlement", |w| {
                        w.element("ram:ApplicableTradeTax", |w| {
                            let category = line.category();
                            w.leaf("ram:TypeCode", "VAT");
                            w.leaf("ram:CategoryCode", category.code());
                            if category != TaxCategory::OutsideScope {
                                w.leaf("ram:RateApplicablePercent", &xml_rate(line.tax_rate));
                            }
                        });
                        if let Some((base, allowance)) = allowance {
                            w.element("ram:SpecifiedTradeAllowanceCharge", |w| {
                                w.element("ram:ChargeIndicator", |w| w.leaf("udt:Indicator", "false"));
                                w.leaf("ram:CalculationPercent", &xml_rate(line.discount_percent));
                                w.leaf("ram:BasisAmount", &xml_amount(*base));
                                w.leaf("ram:ActualAmount", &xml_amount(*allowance));
                                w.leaf("ram:ReasonCode", "95");
                                w.leaf("ram:Reason", "Discount");
                            });
                        }
                        w.element("ram:SpecifiedTradeSettlementLineMonetarySummation", |w| {
                            w.leaf("ram:LineTotalAmount", &xml_amount(line.net_amount));
                        });
                    });
                });
            }
            w.element("ram:ApplicableHeaderTradeAgreement", |w| {
                w.leaf("ram:BuyerReference", document.effective_buyer_reference());
                w.element("ram:SellerTradeParty", |w| trade_party(w, &document.seller));
                w.element("ram:BuyerTradeParty", |w| trade_party(w, &document.buyer));
            });
            // The schema requires the delivery element even when empty;
            // the Factur-X schematron then warns (PEPPOL-EN16931-R008).
            match document.delivery_date {
                Some(delivery) => w.element("ram:ApplicableHeaderTradeDelivery", |w| {
                    w.element("ram:ShipToTradeParty", |w| {
                        w.element("ram:PostalTradeAddress", |w| {
                            w.leaf("ram:CountryID", &document.buyer.country_code);
                        });
                    });
                    w.element("ram:ActualDeliverySupplyChainEvent", |w| {
                        w.element("ram:OccurrenceDateTime", |w| date(w, "udt:DateTimeString", delivery));
                    });
                }),
                None => w.empty("ram:ApplicableHeaderTradeDelivery"),
            }
            w.element("ram:ApplicableHeaderTradeSettlement", |w| {
                settlement(w, document, currency)
            });
        });
    });
    Ok(w.finish())
}

fn settlement(w: &mut XmlWriter, document: &Document, currency: &str) {
    let payment = document.payment.as_ref();
    w.leaf_opt("ram:PaymentReference", payment.and_then(|p| p.reference.as_deref()));
    w.leaf("ram:InvoiceCurrencyCode", currency);
    if let Some(payment) = payment {
        let (code, _) = payment_means_code(payment.iban.as_deref());
        w.element("ram:SpecifiedTradeSettlementPaymentMeans", |w| {
            w.leaf("ram:TypeCode", code);
            if let Some(iban) = payment.iban.as_deref().filter(|iban| !iban.trim().is_empty()) {
                w.element("ram:PayeePartyCreditorFinancialAccount", |w| {
                    w.leaf("ram:IBANID", &compact(iban));
                    w.leaf_opt("ram:AccountName", payment.account_holder.as_deref());
                });
                if let Some(bic) = payment.bic.as_deref().filter(|bic| !bic.trim().is_empty()) {
                    w.element("ram:PayeeSpecifiedCreditorFinancialInstitution", |w| {
                        w.leaf("ram:BICID", &compact(bic));
                    });
                }
            }
        });
    }
    for tax in &document.tax_breakdown {
        w.element("ram:ApplicableTradeTax", |w| {
            w.leaf("ram:CalculatedAmount", &xml_amount(tax.tax_amount));
            w.leaf("ram:TypeCode", "VAT");
            w.leaf_opt("ram:ExemptionReason", tax.exemption_reason.as_deref());
            w.leaf("ram:BasisAmount", &xml_amount(tax.taxable_amount));
            w.leaf("ram:CategoryCode", tax.category.code());
            w.leaf_opt("ram:ExemptionReasonCode", tax.exemption_reason_code.as_deref());
            if tax.category != TaxCategory::OutsideScope {
                w.leaf("ram:RateApplicablePercent", &xml_rate(tax.rate));
            }
        });
    }
    let terms = payment
        .and_then(|p| p.terms_text.as_deref())
        .filter(|terms| !terms.trim().is_empty());
    if terms.is_some() || document.due_date.is_some() {
        w.element("ram:SpecifiedTradePaymentTerms", |w| {
            w.leaf_opt("ram:Description", terms);
            if let Some(due) = document.due_date {
                w.element("ram:DueDateDateTime", |w| date(w, "udt:DateTimeString", due));
            }
        });
    }
    w.element("ram:SpecifiedTradeSettlementHeaderMonetarySummation", |w| {
        w.leaf("ram:LineTotalAmount", &xml_amount(document.subtotal));
        w.leaf("ram:TaxBasisTotalAmount", &xml_amount(document.subtotal));
        w.leaf_with(
            "ram:TaxTotalAmount",
            &[("currencyID", currency)],
            &xml_amount(document.tax_total),
        );
        w.leaf("ram:GrandTotalAmount", &xml_amount(document.total));
        if !document.amount_paid.to_decimal().is_zero() {
            w.leaf("ram:TotalPrepaidAmount", &xml_amount(document.amount_paid));
        }
        w.leaf("ram:DuePayableAmount", &xml_amount(document.amount_due));
    });
    if let Some(preceding) = &document.preceding_invoice {
        w.element("ram:InvoiceReferencedDocument", |w| {
            w.leaf("ram:IssuerAssignedID", &preceding.number);
            w.element("ram:FormattedIssueDateTime", |w| {
                date(w, "qdt:DateTimeString", preceding.issue_date);
            });
        });
    }
}

fn trade_party(w: &mut XmlWriter, party: &Party) {
    w.leaf("ram:Name", &party.name);
    if let Some(registration) = party.registration_id.as_deref().filter(|id| !id.trim().is_empty()) {
        w.element("ram:SpecifiedLegalOrganization", |w| w.leaf("ram:ID", registration));
    }
    w.element("ram:PostalTradeAddress", |w| {
        let [first, second, third] = address_lines(party);
        w.leaf("ram:PostcodeCode", &party.postcode);
        w.leaf_opt("ram:LineOne", first);
        w.leaf_opt("ram:LineTwo", second);
        w.leaf_opt("ram:LineThree", third);
        w.leaf("ram:CityName", &party.city);
        w.leaf("ram:CountryID", &party.country_code);
    });
    if let Some(address) = party.effective_electronic_address() {
        w.element("ram:URIUniversalCommunication", |w| {
            w.leaf_with("ram:URIID", &[("schemeID", &address.scheme)], &address.identifier);
        });
    }
    if let Some(vat_id) = party.vat_id.as_deref().filter(|id| !id.trim().is_empty()) {
        w.element("ram:SpecifiedTaxRegistration", |w| {
            w.leaf_with("ram:ID", &[("schemeID", "VA")], &compact(vat_id));
        });
    }
}

fn date(w: &mut XmlWriter, element: &str, value: NaiveDate) {
    w.leaf_with(element, &[("format", "102")], &compact_date(value));
}
