//! Documents to render: the API outline's worked example, a credit note and
//! a final payment reminder. Amounts come from the domain's totals rule, as
//! they will in the server. Shared with `examples/render_bench.rs`.

// Shared with an example, where the test-only lint allowances do not apply.
#![allow(dead_code, clippy::unwrap_used)]

use chrono::NaiveDate;
use fakturo_documents::{
    Document, DocumentKind, DocumentLine, Language, Party, PaymentDetails, PrecedingInvoice, ReminderDetails,
    TaxCategory, TaxLine,
};
use fakturo_domain::invoicing::invoice::compute_totals;
use fakturo_domain::invoicing::invoice::totals::PricedLine;
use fakturo_domain::kernel::money::{Currency, Money, parse_decimal};
use rust_decimal::Decimal;

/// A decimal from its plain text.
pub fn dec(text: &str) -> Decimal {
    parse_decimal(text).unwrap()
}

/// A date.
pub fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap()
}

/// The seller of every fixture.
pub fn seller() -> Party {
    Party {
        name: "Nordlicht Design GmbH".into(),
        address_lines: vec!["Hafenstraße 12".into()],
        postcode: "20457".into(),
        city: "Hamburg".into(),
        country_code: "DE".into(),
        vat_id: Some("DE123456789".into()),
        registration_id: Some("HRB 123456".into()),
        email: Some("billing@nordlicht.example".into()),
        electronic_address: None,
    }
}

/// The buyer of every fixture.
pub fn buyer() -> Party {
    Party {
        name: "Acme Widgets Ltd".into(),
        address_lines: vec!["Unit 4, Riverside Park".into(), "1 Mill Lane".into()],
        postcode: "80331".into(),
        city: "München".into(),
        country_code: "DE".into(),
        vat_id: Some("DE987654321".into()),
        registration_id: None,
        email: Some("accounts@acme.example".into()),
        electronic_address: None,
    }
}

/// A line: description, quantity, unit price, rate, discount.
pub type LineSpec<'a> = (&'a str, &'a str, &'a str, &'a str, &'a str);

/// A document of `kind` whose amounts the domain computes from `specs`.
pub fn document(kind: DocumentKind, number: &str, specs: &[LineSpec<'_>]) -> Document {
    let currency = Currency::EUR;
    let priced: Vec<PricedLine> = specs
        .iter()
        .map(|(_, quantity, price, rate, discount)| PricedLine {
            quantity: dec(quantity),
            unit_price: dec(price),
            tax_rate: dec(rate),
            discount_percent: dec(discount),
        })
        .collect();
    let totals = compute_totals(&priced, currency).unwrap();
    let lines = specs
        .iter()
        .zip(&priced)
        .zip(&totals.lines)
        .map(|(((description, ..), priced), amounts)| {
            let mut line = DocumentLine::new(
                *description,
                priced.quantity,
                priced.unit_price,
                priced.tax_rate,
                amounts.net,
            );
            line.discount_percent = priced.discount_percent;
            line
        })
        .collect();
    let tax_breakdown = totals
        .tax_breakdown
        .iter()
        .map(|group| TaxLine::new(TaxCategory::for_rate(group.rate), group.rate, group.taxable, group.tax))
        .collect();
    Document {
        kind,
        number: number.into(),
        issue_date: date(2026, 1, 15),
        due_date: Some(date(2026, 1, 29)),
        delivery_date: Some(date(2026, 1, 12)),
        currency,
        seller: seller(),
        buyer: buyer(),
        lines,
        tax_breakdown,
        subtotal: totals.subtotal,
        tax_total: totals.tax_total,
        total: totals.total,
        amount_paid: Money::zero(currency),
        amount_due: totals.total,
        payment: Some(PaymentDetails {
            iban: Some("DE89 3704 0044 0532 0130 00".into()),
            bic: Some("COBADEFFXXX".into()),
            account_holder: Some("Nordlicht Design GmbH".into()),
            reference: Some(number.into()),
            terms_text: Some("Payable within 14 days without deduction.".into()),
        }),
        preceding_invoice: None,
        notes: Some("Thank you for your business.".into()),
        buyer_reference: None,
        language: Language::En,
    }
}

/// The API outline's worked example: 3 × 19.99 @ 19 %, 1.5 × 80.00 @ 7 %,
/// 2 × 0.333 @ 19 % → subtotal 180.64, tax 19.92, total 200.56.
pub fn worked_example() -> Document {
    document(
        DocumentKind::Invoice,
        "INV-2026-0001",
        &[
            ("Design work", "3", "19.99", "19", "0"),
            ("Travel", "1.5", "80.00", "7", "0"),
            ("Stickers", "2", "0.333", "19", "0"),
        ],
    )
}

/// A credit note for part of the worked example, with a discounted line.
pub fn credit_note() -> Document {
    let mut note = document(
        DocumentKind::CreditNote,
        "CN-2026-0001",
        &[
            ("Design work (refund of one hour)", "1", "19.99", "19", "0"),
            ("Stickers, misprinted", "2", "0.333", "19", "10"),
        ],
    );
    note.preceding_invoice = Some(PrecedingInvoice {
        number: "INV-2026-0001".into(),
        issue_date: date(2026, 1, 15),
    });
    note.issue_date = date(2026, 1, 20);
    note.due_date = None;
    note.delivery_date = None;
    note.payment = Some(PaymentDetails {
        terms_text: Some("The amount will be refunded to your account within 14 days.".into()),
        ..PaymentDetails::default()
    });
    note.notes = None;
    note
}

/// The final reminder about the worked example, 30 days after its due date,
/// with 50.00 paid.
pub fn final_reminder() -> Document {
    let mut reminder = worked_example();
    reminder.kind = DocumentKind::PaymentReminder(ReminderDetails {
        level: 3,
        is_final: true,
        invoice_issue_date: date(2026, 1, 15),
        original_due_date: date(2026, 1, 29),
        days_overdue: 30,
    });
    reminder.issue_date = date(2026, 2, 28);
    reminder.due_date = Some(date(2026, 3, 10));
    reminder.amount_paid = Money::from_minor(5000, Currency::EUR);
    reminder.amount_due = reminder.total.checked_sub(reminder.amount_paid).unwrap();
    reminder.notes = None;
    reminder
}

/// The worked example in German.
pub fn german() -> Document {
    let mut document = worked_example();
    document.language = Language::De;
    document.buyer_reference = Some("PO-4711".into());
    document
}

/// A reverse-charge invoice to a French business: category AE at 0 % with
/// its exemption reason, and a discounted line.
pub fn reverse_charge() -> Document {
    let mut document = document(
        DocumentKind::Invoice,
        "INV-2026-0002",
        &[
            ("Consulting, January", "12", "95.00", "0", "5"),
            ("Workshop day", "1", "800", "0", "0"),
        ],
    );
    for line in &mut document.lines {
        line.tax_category = Some(TaxCategory::ReverseCharge);
        line.unit_code = "HUR".into();
    }
    if let Some(line) = document.lines.get_mut(1) {
        line.unit_code = "DAY".into();
    }
    for tax in &mut document.tax_breakdown {
        tax.category = TaxCategory::ReverseCharge;
        tax.exemption_reason = Some("Reverse charge".into());
        tax.exemption_reason_code = Some("VATEX-EU-AE".into());
    }
    document.buyer = Party {
        name: "Société Exemple SARL".into(),
        address_lines: vec!["12 rue de la Paix".into()],
        postcode: "75002".into(),
        city: "Paris".into(),
        country_code: "FR".into(),
        vat_id: Some("FR12345678901".into()),
        registration_id: None,
        email: Some("compta@exemple.example".into()),
        electronic_address: None,
    };
    document
}

/// An invoice long enough for three pages.
pub fn long_invoice() -> Document {
    let descriptions: Vec<String> = (1..=70)
        .map(|n| format!("Support ticket #{n}: analysis and fix"))
        .collect();
    let specs: Vec<LineSpec<'_>> = descriptions
        .iter()
        .map(|description| (description.as_str(), "0.75", "96.00", "19", "0"))
        .collect();
    document(DocumentKind::Invoice, "INV-2026-0003", &specs)
}
