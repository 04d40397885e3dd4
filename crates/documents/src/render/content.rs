//! What the PDF shows: a [`Document`] turned into the template's `data`
//! dictionary, every number and date already formatted for the document's
//! language, every label already translated.

use fakturo_domain::kernel::money::Money;

use crate::format::{human_amount, human_date, human_money, human_number, human_percent, human_price};
use crate::labels::{self, Labels};
use crate::model::{Document, DocumentKind, Party, ReminderDetails};

use super::value::Value;
use super::{PaperSize, RenderOptions};

/// Where the Factur-X XML is attached, as the template names it.
pub(crate) const ATTACHMENT_PATH: &str = "/factur-x.xml";

/// The template's `data` for `document`.
pub(crate) fn template_data(document: &Document, options: &RenderOptions, attach_xml: bool) -> Value {
    let language = document.language;
    let labels = labels::labels(language);
    let title = match &document.kind {
        DocumentKind::Invoice => labels.invoice.to_owned(),
        DocumentKind::CreditNote => labels.credit_note.to_owned(),
        DocumentKind::PaymentReminder(reminder) => labels::reminder_title(language, reminder.level, reminder.is_final),
    };
    let subtitle = match (&document.kind, &document.preceding_invoice) {
        (DocumentKind::CreditNote, Some(preceding)) => Value::str(labels::credit_note_reference(
            language,
            &preceding.number,
            &human_date(preceding.issue_date, language),
        )),
        _ => Value::None,
    };
    let reminder = match &document.kind {
        DocumentKind::PaymentReminder(reminder) => reminder_text(document, reminder),
        _ => Value::None,
    };
    let table = match document.kind {
        DocumentKind::PaymentReminder(_) => Value::None,
        _ => line_table(document, labels),
    };
    let attachment = if attach_xml {
        Value::Dict(vec![
            ("path", Value::str(ATTACHMENT_PATH)),
            ("description", Value::str("Factur-X invoice (EN 16931)")),
        ])
    } else {
        Value::None
    };
    let foreign = document.seller.country_code != document.buyer.country_code;
    let letter = matches!(document.kind, DocumentKind::PaymentReminder(_));
    Value::Dict(vec![
        ("lang", Value::str(language.code())),
        (
            "paper",
            Value::str(match options.paper {
                PaperSize::A4 => "a4",
                PaperSize::Letter => "us-letter",
            }),
        ),
        ("title", Value::str(title)),
        ("number", Value::str(&document.number)),
        ("subtitle", subtitle),
        ("meta", pairs(meta(document, labels))),
        ("seller", party(&document.seller, labels, foreign)),
        ("buyer", party(&document.buyer, labels, foreign)),
        ("sender-line", Value::str(sender_line(&document.seller))),
        (
            "bill-to",
            if letter {
                Value::None
            } else {
                Value::str(labels.bill_to)
            },
        ),
        ("table", table),
        ("reminder", reminder),
        ("totals", totals(document, labels)),
        ("payment", payment(document, labels)),
        (
            "notes",
            match document.notes.as_deref().filter(|notes| !notes.trim().is_empty()) {
                Some(notes) => Value::Dict(vec![("title", Value::str(labels.notes)), ("text", Value::str(notes))]),
                None => Value::None,
            },
        ),
        ("footer", footer(document, labels)),
        ("page-label", Value::str(labels.page)),
        ("of-label", Value::str(labels.of)),
        ("attachment", attachment),
    ])
}

fn meta(document: &Document, labels: &Labels) -> Vec<(String, String)> {
    let language = document.language;
    let date = |value| human_date(value, language);
    let mut rows = Vec::new();
    match &document.kind {
        DocumentKind::Invoice => rows.push((labels.invoice_number.to_owned(), document.number.clone())),
        DocumentKind::CreditNote => rows.push((labels.credit_note_number.to_owned(), document.number.clone())),
        DocumentKind::PaymentReminder(_) => {}
    }
    if let DocumentKind::PaymentReminder(reminder) = &document.kind {
        rows.push((labels.letter_date.to_owned(), date(document.issue_date)));
        rows.push((labels.invoice_number.to_owned(), document.number.clone()));
        rows.push((labels.invoice_date.to_owned(), date(reminder.invoice_issue_date)));
        rows.push((labels.original_due_date.to_owned(), date(reminder.original_due_date)));
        rows.push((labels.days_overdue.to_owned(), reminder.days_overdue.to_string()));
        if let Some(due) = document.due_date {
            rows.push((labels.pay_by.to_owned(), date(due)));
        }
    } else {
        rows.push((labels.issue_date.to_owned(), date(document.issue_date)));
        if let Some(delivery) = document.delivery_date {
            rows.push((labels.delivery_date.to_owned(), date(delivery)));
        }
        if let Some(due) = document.due_date {
            rows.push((labels.due_date.to_owned(), date(due)));
        }
    }
    if let Some(reference) = document.buyer_reference.as_deref().filter(|r| !r.trim().is_empty()) {
        rows.push((labels.buyer_reference.to_owned(), reference.to_owned()));
    }
    rows
}

fn party(party: &Party, labels: &Labels, show_country: bool) -> Value {
    let mut lines: Vec<Value> = party.street_lines().map(Value::str).collect();
    let city = format!("{} {}", party.postcode.trim(), party.city.trim());
    if !city.trim().is_empty() {
        lines.push(Value::str(city.trim()));
    }
    if show_country {
        let country = isocountry::CountryCode::for_alpha2(&party.country_code)
            .map_or_else(|_| party.country_code.clone(), |code| code.name().to_owned());
        lines.push(Value::str(country));
    }
    let mut contact = Vec::new();
    if let Some(vat_id) = party.vat_id.as_deref().filter(|id| !id.trim().is_empty()) {
        contact.push(Value::str(format!("{}: {vat_id}", labels.vat_id)));
    }
    Value::Dict(vec![
        ("name", Value::str(&party.name)),
        ("lines", Value::Array(lines)),
        ("contact", Value::Array(contact)),
    ])
}

/// The small return-address line above the addressee.
fn sender_line(seller: &Party) -> String {
    let mut parts = vec![seller.name.trim().to_owned()];
    parts.extend(seller.street_lines().map(str::to_owned));
    let city = format!("{} {}", seller.postcode.trim(), seller.city.trim());
    if !city.trim().is_empty() {
        parts.push(city.trim().to_owned());
    }
    parts.join(" · ")
}

fn line_table(document: &Document, labels: &Labels) -> Value {
    let language = document.language;
    let minor_units = document.currency.minor_units();
    let with_discount = document.lines.iter().any(|line| line.has_discount());
    let mut header = vec![labels.position, labels.description, labels.quantity, labels.unit_price];
    if with_discount {
        header.push(labels.discount);
    }
    header.extend([labels.vat, labels.net]);
    let rows = document
        .lines
        .iter()
        .enumerate()
        .map(|(index, line)| {
            let unit = labels::unit_name(language, &line.unit_code, line.quantity);
            let quantity = human_number(line.quantity, language);
            let quantity = if unit.is_empty() {
                quantity
            } else {
                format!("{quantity}\u{a0}{unit}")
            };
            let mut row = vec![
                Value::str((index + 1).to_string()),
                Value::str(&line.description),
                Value::str(quantity),
                Value::str(human_price(line.unit_price, minor_units, language)),
            ];
            if with_discount {
                row.push(Value::str(if line.has_discount() {
                    human_percent(line.discount_percent, language)
                } else {
                    String::new()
                }));
            }
            row.push(Value::str(human_percent(line.tax_rate, language)));
            row.push(Value::str(human_amount(line.net_amount, language)));
            Value::Array(row)
        })
        .collect();
    Value::Dict(vec![
        ("header", Value::Array(header.into_iter().map(Value::str).collect())),
        ("rows", Value::Array(rows)),
    ])
}

fn totals(document: &Document, labels: &Labels) -> Value {
    let language = document.language;
    let amount = |money: Money| human_amount(money, language);
    let row = |label: &str, value: String, strong: bool| {
        Value::Array(vec![Value::str(label), Value::str(value), Value::Bool(strong)])
    };
    let mut rows = Vec::new();
    let paid = !document.amount_paid.to_decimal().is_zero();
    match &document.kind {
        DocumentKind::PaymentReminder(_) => {
            rows.push(row(labels.invoice_total, human_money(document.total, language), false));
            rows.push(row(
                labels.amount_paid,
                human_money(document.amount_paid, language),
                false,
            ));
            rows.push(row(
                labels.amount_outstanding,
                human_money(document.amount_due, language),
                true,
            ));
        }
        kind => {
            rows.push(row(labels.subtotal, amount(document.subtotal), false));
            for tax in &document.tax_breakdown {
                let mut label = labels::vat_on(
                    language,
                    &human_percent(tax.rate, language),
                    &amount(tax.taxable_amount),
                );
                if let Some(reason) = tax.exemption_reason.as_deref().filter(|r| !r.trim().is_empty()) {
                    label = format!("{label} ({reason})");
                }
                rows.push(row(&label, amount(tax.tax_amount), false));
            }
            if document.tax_breakdown.len() > 1 {
                rows.push(row(labels.tax_total, amount(document.tax_total), false));
            }
            let credit = *kind == DocumentKind::CreditNote;
            let total_label = if credit { labels.amount_credited } else { labels.total };
            rows.push(row(total_label, human_money(document.total, language), true));
            if !credit || paid {
                rows.push(row(labels.amount_paid, amount(document.amount_paid), false));
                rows.push(row(labels.amount_due, human_money(document.amount_due, language), true));
            }
        }
    }
    Value::Array(rows)
}

fn reminder_text(document: &Document, reminder: &ReminderDetails) -> Value {
    let language = document.language;
    let intro = labels::reminder_intro(
        language,
        &document.number,
        &human_date(reminder.invoice_issue_date, language),
        &human_date(reminder.original_due_date, language),
        reminder.days_overdue,
    );
    let pay_by = document.due_date.map(|date| human_date(date, language));
    let request = labels::reminder_request(
        language,
        &human_money(document.amount_due, language),
        pay_by.as_deref(),
        reminder.is_final,
    );
    Value::Dict(vec![("intro", Value::str(intro)), ("request", Value::str(request))])
}

fn payment(document: &Document, labels: &Labels) -> Value {
    let Some(payment) = &document.payment else {
        return Value::None;
    };
    let mut rows = Vec::new();
    let fields = [
        (labels.account_holder, payment.account_holder.as_deref()),
        (labels.iban, payment.iban.as_deref()),
        (labels.bic, payment.bic.as_deref()),
        (labels.reference, payment.reference.as_deref()),
    ];
    for (label, value) in fields {
        if let Some(value) = value.filter(|v| !v.trim().is_empty()) {
            rows.push((label.to_owned(), value.to_owned()));
        }
    }
    // A reminder states its own deadline; the invoice's terms would
    // contradict it.
    let terms = match document.kind {
        DocumentKind::PaymentReminder(_) => Value::None,
        _ => Value::opt_str(payment.terms_text.as_deref()),
    };
    if rows.is_empty() && terms == Value::None {
        return Value::None;
    }
    Value::Dict(vec![
        ("title", Value::str(labels.payment)),
        ("rows", pairs(rows)),
        ("terms", terms),
    ])
}

fn footer(document: &Document, labels: &Labels) -> Value {
    let seller = &document.seller;
    let mut address = vec![Value::str(&seller.name)];
    address.extend(seller.street_lines().map(Value::str));
    address.push(Value::str(
        format!("{} {}", seller.postcode.trim(), seller.city.trim()).trim(),
    ));
    let mut ids = Vec::new();
    let labelled = [
        (labels.vat_id, seller.vat_id.as_deref()),
        (labels.registration, seller.registration_id.as_deref()),
        (labels.email, seller.email.as_deref()),
    ];
    for (label, value) in labelled {
        if let Some(value) = value.filter(|v| !v.trim().is_empty()) {
            ids.push(Value::str(format!("{label}: {value}")));
        }
    }
    let mut columns = vec![Value::Array(address)];
    if !ids.is_empty() {
        columns.push(Value::Array(ids));
    }
    if let Some(payment) = &document.payment {
        let bank: Vec<Value> = [
            (labels.iban, payment.iban.as_deref()),
            (labels.bic, payment.bic.as_deref()),
        ]
        .into_iter()
        .filter_map(|(label, value)| {
            value
                .filter(|v| !v.trim().is_empty())
                .map(|v| Value::str(format!("{label}: {v}")))
        })
        .collect();
        if !bank.is_empty() {
            columns.push(Value::Array(bank));
        }
    }
    Value::Array(columns)
}

fn pairs(rows: Vec<(String, String)>) -> Value {
    Value::Array(
        rows.into_iter()
            .map(|(label, value)| Value::Array(vec![Value::Str(label), Value::Str(value)]))
            .collect(),
    )
}
