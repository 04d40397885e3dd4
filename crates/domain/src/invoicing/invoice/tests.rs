use chrono::{NaiveDate, TimeZone, Utc};
use uuid::Uuid;

use super::payment::PaymentRuleError;
use super::*;

fn eur() -> Currency {
    Currency::parse("EUR").unwrap()
}

fn line(quantity: &str, unit_price: &str, tax_rate: &str) -> LineFields {
    LineFields {
        description: "Work".into(),
        quantity: quantity.into(),
        unit_price: unit_price.into(),
        tax_rate: tax_rate.into(),
        discount_percent: None,
        product_id: None,
    }
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn draft(lines: Vec<LineFields>) -> Invoice {
    let content = InvoiceContent::parse(InvoiceFields {
        client_id: Some(ClientId::from_uuid(Uuid::nil())),
        currency: Some("EUR".into()),
        lines: Some(lines),
        ..InvoiceFields::default()
    })
    .unwrap();
    let now = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
    Invoice::draft(
        InvoiceId::from_uuid(Uuid::nil()),
        TenantId::from_uuid(Uuid::nil()),
        content,
        now,
    )
    .unwrap()
}

#[test]
fn line_errors_name_their_path() {
    let errors = InvoiceContent::parse(InvoiceFields {
        client_id: Some(ClientId::from_uuid(Uuid::nil())),
        currency: Some("EUR".into()),
        lines: Some(vec![line("1", "10", "19"), line("0", "1,5", "101")]),
        ..InvoiceFields::default()
    })
    .unwrap_err();
    let fields: Vec<_> = errors.errors().iter().map(|e| (e.field.as_str(), e.code)).collect();
    assert_eq!(
        fields,
        [
            ("lines[1].quantity", "out_of_range"),
            ("lines[1].unit_price", "invalid_decimal"),
            ("lines[1].tax_rate", "out_of_range")
        ]
    );
}

#[test]
fn due_date_and_terms_are_exclusive_and_ordered() {
    let errors = InvoiceContent::parse(InvoiceFields {
        client_id: Some(ClientId::from_uuid(Uuid::nil())),
        currency: Some("EUR".into()),
        issue_date: Some(Some(date(2026, 3, 10))),
        due_date: Some(Some(date(2026, 3, 1))),
        payment_terms_days: Some(Some(14)),
        ..InvoiceFields::default()
    })
    .unwrap_err();
    let codes: Vec<_> = errors.errors().iter().map(|e| e.code).collect();
    assert_eq!(codes, ["conflict", "before_issue_date"]);
}

#[test]
fn patching_the_due_date_drops_the_terms() {
    let content = draft(vec![line("1", "10", "19")]).content;
    let with_terms = content
        .patched(InvoiceFields {
            payment_terms_days: Some(Some(30)),
            ..InvoiceFields::default()
        })
        .unwrap();
    let with_due = with_terms
        .patched(InvoiceFields {
            due_date: Some(Some(date(2026, 4, 1))),
            ..InvoiceFields::default()
        })
        .unwrap();
    assert_eq!(with_due.payment_terms_days, None);
    assert_eq!(with_due.due_date, Some(date(2026, 4, 1)));
}

#[test]
fn finalization_sets_dates_and_freezes() {
    let mut invoice = draft(vec![line("2", "50", "19")]);
    let dates = invoice.finalization_dates(date(2026, 3, 5), 14).unwrap();
    assert_eq!(dates.issue_date, date(2026, 3, 5));
    assert_eq!(dates.due_date, date(2026, 3, 19));
    invoice.mark_finalized("INV-2026-0001".into(), dates, Utc::now_for_tests());
    assert_eq!(invoice.status, InvoiceStatus::Open);
    assert_eq!(
        invoice.finalization_dates(date(2026, 3, 5), 14),
        Err(FinalizeRuleError::NotDraft)
    );
    let frozen = invoice.content.clone();
    assert_eq!(
        invoice.replace_content(frozen, Utc::now_for_tests()),
        Err(FinalizeRuleError::NotDraft)
    );
    assert!(!invoice.is_overdue(date(2026, 3, 19)));
    assert!(invoice.is_overdue(date(2026, 3, 20)));
}

#[test]
fn empty_drafts_cannot_be_finalized() {
    let invoice = draft(vec![]);
    assert!(matches!(
        invoice.finalization_dates(date(2026, 3, 5), 14),
        Err(FinalizeRuleError::Incomplete(_))
    ));
}

#[test]
fn payments_move_the_status_and_refuse_overpayment() {
    let mut invoice = draft(vec![line("1", "100", "0")]);
    let now = Utc::now_for_tests();
    assert_eq!(
        invoice.apply_payment(Money::from_minor(1, eur()), now),
        Err(PaymentRuleError::NotFinalized)
    );
    let dates = invoice.finalization_dates(date(2026, 3, 5), 14).unwrap();
    invoice.mark_finalized("INV-2026-0001".into(), dates, now);
    invoice.apply_payment(Money::from_minor(4000, eur()), now).unwrap();
    assert_eq!(invoice.status, InvoiceStatus::PartiallyPaid);
    assert_eq!(invoice.balance_due().to_string(), "60.00");
    assert!(matches!(
        invoice.apply_payment(Money::from_minor(6001, eur()), now),
        Err(PaymentRuleError::Overpayment { .. })
    ));
    invoice.apply_payment(Money::from_minor(6000, eur()), now).unwrap();
    assert_eq!(invoice.status, InvoiceStatus::Paid);
    assert_eq!(
        invoice.apply_payment(Money::from_minor(1, eur()), now),
        Err(PaymentRuleError::NotPayable("paid"))
    );
}

/// A fixed instant for tests that do not care about time.
trait NowForTests {
    fn now_for_tests() -> chrono::DateTime<Utc>;
}

impl NowForTests for Utc {
    fn now_for_tests() -> chrono::DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 5, 12, 0, 0).unwrap()
    }
}

#[test]
fn drafts_have_no_public_link_even_with_a_token() {
    let mut invoice = draft(vec![line("1", "10", "19")]);
    invoice.delivery.public_token = Some("a-token-of-sixteen-chars".into());
    assert_eq!(invoice.public_link_token(), None);
    let dates = invoice.finalization_dates(date(2026, 3, 5), 14).unwrap();
    invoice.mark_finalized("INV-2026-0001".into(), dates, Utc::now_for_tests());
    assert_eq!(invoice.public_link_token(), Some("a-token-of-sixteen-chars"));
    invoice.delivery.public_token = None;
    assert_eq!(invoice.public_link_token(), None);
}
