//! The UBL and CII of the worked example and of a credit note say what the
//! document says, in the syntax's formats, with user text escaped.

use fakturo_documents::{DocumentKind, cii, ubl};

use crate::fixtures;

fn assert_contains_all(xml: &str, expected: &[&str]) {
    for fragment in expected {
        assert!(xml.contains(fragment), "{fragment:?} missing from:\n{xml}");
    }
}

#[test]
fn ubl_of_the_worked_example_is_a_peppol_invoice() {
    let xml = ubl(&fixtures::worked_example()).unwrap();
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Invoice xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2\""));
    assert_contains_all(
        &xml,
        &[
            "<cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0</cbc:CustomizationID>",
            "<cbc:ProfileID>urn:fdc:peppol.eu:2017:poacc:billing:01:1.0</cbc:ProfileID>",
            "<cbc:ID>INV-2026-0001</cbc:ID>",
            "<cbc:IssueDate>2026-01-15</cbc:IssueDate>",
            "<cbc:DueDate>2026-01-29</cbc:DueDate>",
            "<cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>",
            "<cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>",
            "<cbc:BuyerReference>INV-2026-0001</cbc:BuyerReference>",
            "<cbc:EndpointID schemeID=\"EM\">billing@nordlicht.example</cbc:EndpointID>",
            "<cbc:EndpointID schemeID=\"EM\">accounts@acme.example</cbc:EndpointID>",
            "<cbc:CompanyID>DE123456789</cbc:CompanyID>",
            "<cbc:PaymentMeansCode name=\"SEPA credit transfer\">58</cbc:PaymentMeansCode>",
            "<cbc:ID>DE89370400440532013000</cbc:ID>",
            "<cbc:Note>Payable within 14 days without deduction.</cbc:Note>",
            "<cbc:TaxAmount currencyID=\"EUR\">19.92</cbc:TaxAmount>",
            "<cbc:TaxableAmount currencyID=\"EUR\">60.64</cbc:TaxableAmount>",
            "<cbc:TaxAmount currencyID=\"EUR\">11.52</cbc:TaxAmount>",
            "<cbc:TaxableAmount currencyID=\"EUR\">120.00</cbc:TaxableAmount>",
            "<cbc:TaxAmount currencyID=\"EUR\">8.40</cbc:TaxAmount>",
            "<cbc:LineExtensionAmount currencyID=\"EUR\">180.64</cbc:LineExtensionAmount>",
            "<cbc:TaxInclusiveAmount currencyID=\"EUR\">200.56</cbc:TaxInclusiveAmount>",
            "<cbc:PayableAmount currencyID=\"EUR\">200.56</cbc:PayableAmount>",
            "<cbc:InvoicedQuantity unitCode=\"C62\">1.5</cbc:InvoicedQuantity>",
            "<cbc:PriceAmount currencyID=\"EUR\">0.333</cbc:PriceAmount>",
            "<cbc:LineExtensionAmount currencyID=\"EUR\">0.67</cbc:LineExtensionAmount>",
        ],
    );
    assert!(!xml.contains("PrepaidAmount"), "nothing was prepaid");
}

#[test]
fn cii_of_the_worked_example_is_a_factur_x_en_16931_invoice() {
    let xml = cii(&fixtures::worked_example()).unwrap();
    assert_contains_all(
        &xml,
        &[
            "<rsm:CrossIndustryInvoice xmlns:rsm=\"urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100\"",
            "<ram:ID>urn:cen.eu:en16931:2017</ram:ID>",
            "<ram:TypeCode>380</ram:TypeCode>",
            "<udt:DateTimeString format=\"102\">20260115</udt:DateTimeString>",
            "<ram:BilledQuantity unitCode=\"C62\">1.5</ram:BilledQuantity>",
            "<ram:ChargeAmount>0.333</ram:ChargeAmount>",
            "<ram:IBANID>DE89370400440532013000</ram:IBANID>",
            "<ram:BICID>COBADEFFXXX</ram:BICID>",
            "<ram:ID schemeID=\"VA\">DE123456789</ram:ID>",
            "<ram:CalculatedAmount>11.52</ram:CalculatedAmount>",
            "<ram:BasisAmount>60.64</ram:BasisAmount>",
            "<ram:TaxTotalAmount currencyID=\"EUR\">19.92</ram:TaxTotalAmount>",
            "<ram:GrandTotalAmount>200.56</ram:GrandTotalAmount>",
            "<ram:DuePayableAmount>200.56</ram:DuePayableAmount>",
            "<udt:DateTimeString format=\"102\">20260129</udt:DateTimeString>",
        ],
    );
}

#[test]
fn a_credit_note_is_type_381_with_positive_amounts_and_references_the_invoice() {
    let note = fixtures::credit_note();
    assert_eq!(note.kind, DocumentKind::CreditNote);
    let xml = ubl(&note).unwrap();
    assert!(xml.contains("<CreditNote xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2\""));
    assert_contains_all(
        &xml,
        &[
            "<cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>",
            "<cac:BillingReference>",
            "<cac:InvoiceDocumentReference>",
            "<cac:CreditNoteLine>",
            "<cbc:CreditedQuantity unitCode=\"C62\">1</cbc:CreditedQuantity>",
            "<cbc:PayableAmount currencyID=\"EUR\">24.50</cbc:PayableAmount>",
            "<cbc:MultiplierFactorNumeric>10</cbc:MultiplierFactorNumeric>",
            "<cbc:Amount currencyID=\"EUR\">0.07</cbc:Amount>",
            "<cbc:BaseAmount currencyID=\"EUR\">0.67</cbc:BaseAmount>",
        ],
    );
    let reference = xml.split("<cac:InvoiceDocumentReference>").nth(1).unwrap();
    let folded: String = reference.split_whitespace().collect();
    assert!(folded.starts_with("<cbc:ID>INV-2026-0001</cbc:ID><cbc:IssueDate>2026-01-15</cbc:IssueDate>"));
    assert!(!xml.contains(">-"), "credit notes carry positive amounts");
    let xml = cii(&note).unwrap();
    assert_contains_all(
        &xml,
        &[
            "<ram:TypeCode>381</ram:TypeCode>",
            "<ram:InvoiceReferencedDocument>",
            "<ram:IssuerAssignedID>INV-2026-0001</ram:IssuerAssignedID>",
            "<qdt:DateTimeString format=\"102\">20260115</qdt:DateTimeString>",
            "<ram:DuePayableAmount>24.50</ram:DuePayableAmount>",
        ],
    );
    assert!(!xml.contains(">-"), "credit notes carry positive amounts");
}

#[test]
fn user_text_is_escaped_and_unrepresentable_characters_dropped() {
    let mut document = fixtures::worked_example();
    document.lines[0].description = "Fish & <Chips> \"special\" \u{1}".into();
    document.seller.name = "A&B <GmbH>".into();
    for xml in [ubl(&document).unwrap(), cii(&document).unwrap()] {
        assert!(xml.contains("Fish &amp; &lt;Chips&gt; \"special\" <"), "{xml}");
        assert!(xml.contains("A&amp;B &lt;GmbH&gt;"), "{xml}");
        assert!(!xml.contains('\u{1}'));
    }
}
