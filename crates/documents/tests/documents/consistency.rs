//! `Document::check` and the e-invoice rules refuse inconsistent documents
//! with the rule's name, and the renderers refuse them too.

use fakturo_documents::{
    DocumentError, DocumentKind, EInvoiceError, RenderError, RenderOptions, TaxCategory, cii, render_facturx,
    render_pdf, ubl,
};
use fakturo_domain::kernel::money::{Currency, Money};

use crate::fixtures::{self, dec};

fn cents(minor: i64) -> Money {
    Money::from_minor(minor, Currency::EUR)
}

#[test]
fn the_fixtures_are_consistent() {
    for document in [
        fixtures::worked_example(),
        fixtures::credit_note(),
        fixtures::final_reminder(),
        fixtures::german(),
        fixtures::reverse_charge(),
        fixtures::long_invoice(),
    ] {
        assert_eq!(document.check(), Ok(()), "{}", document.number);
    }
}

#[test]
fn totals_that_do_not_add_up_are_refused_with_the_rule() {
    let mut document = fixtures::worked_example();
    document.subtotal = cents(18_065);
    assert!(matches!(document.check(), Err(DocumentError::SubtotalMismatch { .. })));

    let mut document = fixtures::worked_example();
    document.tax_total = cents(1_993);
    assert!(matches!(document.check(), Err(DocumentError::TaxTotalMismatch { .. })));

    let mut document = fixtures::worked_example();
    document.total = cents(20_057);
    assert!(matches!(document.check(), Err(DocumentError::TotalMismatch { .. })));

    let mut document = fixtures::worked_example();
    document.amount_due = cents(1);
    assert!(matches!(document.check(), Err(DocumentError::AmountDueMismatch { .. })));

    let mut document = fixtures::worked_example();
    document.tax_breakdown[0].tax_amount = cents(1_153);
    let error = document.check().unwrap_err();
    assert!(matches!(error, DocumentError::TaxAmountMismatch { .. }));
    assert!(error.to_string().contains("BR-CO-17"), "{error}");

    let mut document = fixtures::worked_example();
    document.lines[2].tax_rate = dec("7");
    assert!(matches!(
        document.check(),
        Err(DocumentError::TaxableAmountMismatch { .. })
    ));

    let mut document = fixtures::worked_example();
    document.lines[0].net_amount = Money::from_minor(5_997, Currency::parse("USD").unwrap());
    assert!(matches!(document.check(), Err(DocumentError::CurrencyMismatch { .. })));
}

#[test]
fn parties_units_categories_and_kinds_are_checked() {
    let mut document = fixtures::worked_example();
    document.buyer.country_code = "de".into();
    assert!(matches!(
        document.check(),
        Err(DocumentError::InvalidCountryCode { party: "buyer", .. })
    ));

    let mut document = fixtures::worked_example();
    document.lines[1].unit_code = "hours".into();
    assert!(matches!(
        document.check(),
        Err(DocumentError::InvalidUnitCode { line: 2, .. })
    ));

    let mut document = fixtures::reverse_charge();
    document.tax_breakdown[0].exemption_reason = None;
    document.tax_breakdown[0].exemption_reason_code = None;
    assert!(matches!(
        document.check(),
        Err(DocumentError::MissingExemptionReason { category: "AE" })
    ));

    let mut document = fixtures::worked_example();
    document.tax_breakdown[0].category = TaxCategory::ZeroRated;
    assert!(matches!(
        document.check(),
        Err(DocumentError::RateNotAllowed { category: "Z", .. })
    ));

    let mut document = fixtures::credit_note();
    document.preceding_invoice = None;
    assert_eq!(document.check(), Err(DocumentError::MissingPrecedingInvoice));

    let mut document = fixtures::credit_note();
    document.amount_paid = cents(10_000);
    document.amount_due = document.total.checked_sub(document.amount_paid).unwrap();
    assert_eq!(
        document.check(),
        Err(DocumentError::NegativeCreditNote { field: "amount due" })
    );

    let mut document = fixtures::final_reminder();
    if let DocumentKind::PaymentReminder(reminder) = &mut document.kind {
        reminder.days_overdue = 31;
    }
    assert_eq!(
        document.check(),
        Err(DocumentError::DaysOverdueMismatch {
            given: 31,
            expected: 30
        })
    );

    let mut document = fixtures::worked_example();
    document.lines.clear();
    assert_eq!(document.check(), Err(DocumentError::NoLines));
}

#[test]
fn renderers_refuse_what_check_refuses() {
    let mut document = fixtures::worked_example();
    document.total = cents(1);
    assert!(matches!(
        render_pdf(&document, &RenderOptions::default()),
        Err(RenderError::Invalid(DocumentError::TotalMismatch { .. }))
    ));
    assert!(matches!(
        render_facturx(&document),
        Err(RenderError::EInvoice(EInvoiceError::Invalid(
            DocumentError::TotalMismatch { .. }
        )))
    ));
    assert!(matches!(ubl(&document), Err(EInvoiceError::Invalid(_))));
    assert!(matches!(cii(&document), Err(EInvoiceError::Invalid(_))));
}

#[test]
fn e_invoice_rules_beyond_the_amounts() {
    let reminder = fixtures::final_reminder();
    assert_eq!(ubl(&reminder), Err(EInvoiceError::NotAnInvoice));
    assert_eq!(cii(&reminder), Err(EInvoiceError::NotAnInvoice));
    assert!(matches!(
        render_facturx(&reminder),
        Err(RenderError::EInvoice(EInvoiceError::NotAnInvoice))
    ));

    let mut document = fixtures::worked_example();
    document.seller.vat_id = None;
    assert_eq!(
        ubl(&document),
        Err(EInvoiceError::MissingVatId {
            category: "S",
            party: "seller",
            rule: "BR-S-02"
        })
    );
    document.seller.registration_id = None;
    assert_eq!(cii(&document), Err(EInvoiceError::MissingSellerIdentifier));

    let mut document = fixtures::reverse_charge();
    document.buyer.vat_id = None;
    assert!(matches!(
        ubl(&document),
        Err(EInvoiceError::MissingVatId { party: "buyer", .. })
    ));

    let mut document = fixtures::worked_example();
    document.due_date = None;
    document.payment = None;
    assert_eq!(cii(&document), Err(EInvoiceError::MissingDueDateOrTerms));

    let mut document = fixtures::worked_example();
    document.buyer.email = None;
    assert_eq!(
        ubl(&document),
        Err(EInvoiceError::MissingElectronicAddress { party: "buyer" })
    );
    assert!(
        cii(&document).is_ok(),
        "Factur-X does not need the buyer's electronic address"
    );
}
