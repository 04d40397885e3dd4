//! The words printed on the PDFs, in English and German. Sentences with
//! values in them are built here too, so the typst template only lays out
//! text it is given.

use crate::model::Language;

/// The fixed labels of one language.
pub(crate) struct Labels {
    pub invoice: &'static str,
    pub credit_note: &'static str,
    pub payment_reminder: &'static str,
    pub final_reminder: &'static str,
    pub invoice_number: &'static str,
    pub credit_note_number: &'static str,
    pub issue_date: &'static str,
    pub letter_date: &'static str,
    pub invoice_date: &'static str,
    pub due_date: &'static str,
    pub pay_by: &'static str,
    pub original_due_date: &'static str,
    pub days_overdue: &'static str,
    pub delivery_date: &'static str,
    pub buyer_reference: &'static str,
    pub bill_to: &'static str,
    pub position: &'static str,
    pub description: &'static str,
    pub quantity: &'static str,
    pub unit_price: &'static str,
    pub discount: &'static str,
    pub vat: &'static str,
    pub net: &'static str,
    pub subtotal: &'static str,
    pub tax_total: &'static str,
    pub total: &'static str,
    pub amount_paid: &'static str,
    pub amount_due: &'static str,
    pub amount_credited: &'static str,
    pub amount_outstanding: &'static str,
    pub invoice_total: &'static str,
    pub payment: &'static str,
    pub iban: &'static str,
    pub bic: &'static str,
    pub account_holder: &'static str,
    pub reference: &'static str,
    pub notes: &'static str,
    pub vat_id: &'static str,
    pub registration: &'static str,
    pub email: &'static str,
    pub page: &'static str,
    pub of: &'static str,
}

const EN: Labels = Labels {
    invoice: "Invoice",
    credit_note: "Credit note",
    payment_reminder: "Payment reminder",
    final_reminder: "Final reminder",
    invoice_number: "Invoice no.",
    credit_note_number: "Credit note no.",
    issue_date: "Issue date",
    letter_date: "Date",
    invoice_date: "Invoice date",
    due_date: "Due date",
    pay_by: "Please pay by",
    original_due_date: "Original due date",
    days_overdue: "Days overdue",
    delivery_date: "Delivery date",
    buyer_reference: "Your reference",
    bill_to: "Bill to",
    position: "#",
    description: "Description",
    quantity: "Qty",
    unit_price: "Unit price",
    discount: "Discount",
    vat: "VAT",
    net: "Amount",
    subtotal: "Subtotal",
    tax_total: "Total VAT",
    total: "Total",
    amount_paid: "Paid",
    amount_due: "Amount due",
    amount_credited: "Amount credited",
    amount_outstanding: "Amount outstanding",
    invoice_total: "Invoice total",
    payment: "Payment details",
    iban: "IBAN",
    bic: "BIC",
    account_holder: "Account holder",
    reference: "Reference",
    notes: "Notes",
    vat_id: "VAT ID",
    registration: "Registration",
    email: "Email",
    page: "Page",
    of: "of",
};

const DE: Labels = Labels {
    invoice: "Rechnung",
    credit_note: "Gutschrift",
    payment_reminder: "Zahlungserinnerung",
    final_reminder: "Letzte Mahnung",
    invoice_number: "Rechnungsnr.",
    credit_note_number: "Gutschriftsnr.",
    issue_date: "Rechnungsdatum",
    letter_date: "Datum",
    invoice_date: "Rechnungsdatum",
    due_date: "Fällig am",
    pay_by: "Zahlbar bis",
    original_due_date: "Ursprünglich fällig",
    days_overdue: "Tage überfällig",
    delivery_date: "Leistungsdatum",
    buyer_reference: "Ihre Referenz",
    bill_to: "Rechnungsempfänger",
    position: "Pos.",
    description: "Beschreibung",
    quantity: "Menge",
    unit_price: "Einzelpreis",
    discount: "Rabatt",
    vat: "USt.",
    net: "Betrag",
    subtotal: "Zwischensumme",
    tax_total: "Umsatzsteuer gesamt",
    total: "Gesamtbetrag",
    amount_paid: "Bezahlt",
    amount_due: "Offener Betrag",
    amount_credited: "Gutgeschriebener Betrag",
    amount_outstanding: "Offener Betrag",
    invoice_total: "Rechnungsbetrag",
    payment: "Zahlungsinformationen",
    iban: "IBAN",
    bic: "BIC",
    account_holder: "Kontoinhaber",
    reference: "Verwendungszweck",
    notes: "Hinweise",
    vat_id: "USt-IdNr.",
    registration: "Register",
    email: "E-Mail",
    page: "Seite",
    of: "von",
};

/// The labels of `language`.
pub(crate) fn labels(language: Language) -> &'static Labels {
    match language {
        Language::En => &EN,
        Language::De => &DE,
    }
}

/// "VAT 19 % on 60.64".
pub(crate) fn vat_on(language: Language, rate: &str, taxable: &str) -> String {
    match language {
        Language::En => format!("VAT {rate} on {taxable}"),
        Language::De => format!("USt. {rate} auf {taxable}"),
    }
}

/// The line under a credit note's title naming the corrected invoice.
pub(crate) fn credit_note_reference(language: Language, number: &str, date: &str) -> String {
    match language {
        Language::En => format!("This credit note corrects invoice {number} of {date}."),
        Language::De => format!("Diese Gutschrift korrigiert die Rechnung {number} vom {date}."),
    }
}

/// The opening paragraph of a payment reminder.
pub(crate) fn reminder_intro(language: Language, number: &str, date: &str, due: &str, days: u32) -> String {
    match language {
        Language::En => format!(
            "According to our records, invoice {number} of {date} was due for payment on {due} and is now {days} days overdue. \
             Perhaps this has escaped your attention."
        ),
        Language::De => format!(
            "Nach unseren Unterlagen war die Rechnung {number} vom {date} am {due} zur Zahlung fällig und ist nun seit {days} Tagen überfällig. \
             Vielleicht ist Ihnen dies entgangen."
        ),
    }
}

/// The request to pay in a payment reminder, with or without a deadline.
pub(crate) fn reminder_request(language: Language, amount: &str, pay_by: Option<&str>, is_final: bool) -> String {
    let mut text = match (language, pay_by) {
        (Language::En, Some(date)) => {
            format!("Please transfer the outstanding amount of {amount} by {date} at the latest.")
        }
        (Language::En, None) => format!("Please transfer the outstanding amount of {amount} without delay."),
        (Language::De, Some(date)) => {
            format!("Bitte überweisen Sie den offenen Betrag von {amount} spätestens bis zum {date}.")
        }
        (Language::De, None) => format!("Bitte überweisen Sie den offenen Betrag von {amount} umgehend."),
    };
    if is_final {
        text.push(' ');
        text.push_str(match language {
            Language::En => "This is our final reminder before we take further steps to recover the amount.",
            Language::De => {
                "Dies ist unsere letzte Mahnung, bevor wir weitere Schritte zur Einziehung der Forderung einleiten."
            }
        });
    }
    text.push(' ');
    text.push_str(match language {
        Language::En => "If you have paid in the meantime, please disregard this letter.",
        Language::De => "Sollten Sie die Zahlung inzwischen veranlasst haben, betrachten Sie dieses Schreiben bitte als gegenstandslos.",
    });
    text
}

/// The reminder's title with its level ("Payment reminder (2nd notice)").
pub(crate) fn reminder_title(language: Language, level: u32, is_final: bool) -> String {
    let labels = labels(language);
    if is_final {
        return labels.final_reminder.to_owned();
    }
    if level <= 1 {
        return labels.payment_reminder.to_owned();
    }
    match language {
        Language::En => {
            let suffix = match level % 10 {
                2 if level % 100 != 12 => "nd",
                3 if level % 100 != 13 => "rd",
                _ => "th",
            };
            format!("{} ({level}{suffix} notice)", labels.payment_reminder)
        }
        Language::De => format!("{}. Mahnung", level),
    }
}

/// A short name for a UN/ECE recommendation 20 unit, printed after the
/// quantity; empty for `C62` ("one"), the code itself when unknown.
pub(crate) fn unit_name(language: Language, code: &str, quantity: rust_decimal::Decimal) -> String {
    let one = quantity.abs() == rust_decimal::Decimal::ONE;
    let pick = |singular: &'static str, plural: &'static str| if one { singular } else { plural };
    let (en, de) = match code {
        "C62" | "EA" => ("", ""),
        "H87" => ("pcs", "Stk."),
        "HUR" => ("h", "Std."),
        "MIN" => ("min", "Min."),
        "DAY" => (pick("day", "days"), pick("Tag", "Tage")),
        "WEE" => (pick("week", "weeks"), pick("Woche", "Wochen")),
        "MON" => (pick("month", "months"), pick("Monat", "Monate")),
        "ANN" => (pick("year", "years"), pick("Jahr", "Jahre")),
        "KGM" => ("kg", "kg"),
        "GRM" => ("g", "g"),
        "MTR" => ("m", "m"),
        "KMT" => ("km", "km"),
        "MTK" => ("m²", "m²"),
        "LTR" => ("l", "l"),
        "KWH" => ("kWh", "kWh"),
        "LS" => ("lump sum", "pauschal"),
        other => (other, other),
    };
    match language {
        Language::En => en.to_owned(),
        Language::De => de.to_owned(),
    }
}
