//! The PDFs: the worked example's content, a picture of page 1,
//! determinism, typst injection, the credit note and the reminder letter.

use fakturo_documents::{Document, PaperSize, RenderOptions, Renderer, render_pdf};

use crate::fixtures;
use crate::support::{first_page_png, folded, pdf_text, write_artifact};

#[test]
fn the_worked_example_shows_its_number_lines_and_totals() {
    let pdf = render_pdf(&fixtures::worked_example(), &RenderOptions::default()).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let path = write_artifact("worked-example.pdf", &pdf);
    if let Some(png) = first_page_png(&path) {
        println!("page 1: {}", png.display());
    }
    let Some(text) = pdf_text(&path) else { return };
    let text = folded(&text);
    for expected in [
        "Invoice",
        "INV-2026-0001",
        "Design work",
        "Travel",
        "Stickers",
        "59.97",
        "120.00",
        "0.67",
        "180.64",
        "11.52",
        "8.40",
        "19.92",
        "200.56 EUR",
        "DE89 3704 0044 0532 0130 00",
        "Nordlicht Design GmbH",
        "Acme Widgets Ltd",
        "DE123456789",
        "15 January 2026",
        "29 January 2026",
    ] {
        assert!(text.contains(expected), "{expected:?} missing from:\n{text}");
    }
}

/// The text of `document`'s PDF, whitespace folded, or `None` without
/// poppler; the PDF and a PNG of page 1 are kept as `name`.
fn rendered_text(name: &str, document: &Document, options: &RenderOptions) -> Option<String> {
    let pdf = render_pdf(document, options).unwrap();
    let path = write_artifact(&format!("{name}.pdf"), &pdf);
    first_page_png(&path)?;
    pdf_text(&path).map(|text| folded(&text))
}

fn assert_shows(text: &str, expected: &[&str]) {
    for fragment in expected {
        assert!(text.contains(fragment), "{fragment:?} missing from:\n{text}");
    }
}

#[test]
fn the_same_document_renders_to_the_same_bytes() {
    let document = fixtures::worked_example();
    let options = RenderOptions::default();
    let first = render_pdf(&document, &options).unwrap();
    let second = render_pdf(&document, &options).unwrap();
    let fresh = Renderer::new().unwrap().render_pdf(&document, &options).unwrap();
    assert_eq!(first, second);
    assert_eq!(first, fresh, "a new renderer gives the same bytes");
    let text = String::from_utf8_lossy(&first);
    assert!(text.contains("D:20260115000000"), "the creation date is the issue date");
    let mut other = document.clone();
    other.number = "INV-2026-0002".into();
    assert_ne!(render_pdf(&other, &options).unwrap(), first);
}

#[test]
fn typst_syntax_in_user_text_renders_literally() {
    let attacks = [
        r#"#panic("injected")"#,
        "*not bold* _not emph_ $x^2$",
        r"[link] ] [ \ \n <label> @ref",
        r#""); #panic("x"); (""#,
        "// not a comment /* nor this */",
        "```raw``` ~ -- --- 'single'",
        "#{ 1 + 1 } #set text(fill: red) #import \"/template.typ\"",
    ];
    let mut document = fixtures::worked_example();
    for (line, attack) in document.lines.iter_mut().zip(attacks) {
        line.description = attack.to_owned();
    }
    document.buyer.name = "Evil #strong[Corp] <x>".into();
    document.notes = Some(attacks[3..].join(" | "));
    let Some(text) = rendered_text("injection", &document, &RenderOptions::default()) else {
        return;
    };
    assert_shows(&text, &attacks[..3]);
    assert_shows(&text, &attacks[3..]);
    assert_shows(&text, &["Evil #strong[Corp] <x>"]);
}

#[test]
fn a_credit_note_names_the_invoice_it_corrects() {
    let Some(text) = rendered_text("credit-note", &fixtures::credit_note(), &RenderOptions::default()) else {
        return;
    };
    assert_shows(
        &text,
        &[
            "Credit note",
            "CN-2026-0001",
            "This credit note corrects invoice INV-2026-0001 of 15 January 2026.",
            "Design work (refund of one hour)",
            "Discount",
            "10 %",
            "Amount credited 24.50 EUR",
        ],
    );
    assert!(!text.contains("-24.50"), "credit notes show positive amounts");
}

#[test]
fn the_final_reminder_states_the_overdue_invoice_and_how_to_pay() {
    let Some(text) = rendered_text("final-reminder", &fixtures::final_reminder(), &RenderOptions::default()) else {
        return;
    };
    assert_shows(
        &text,
        &[
            "Final reminder",
            "INV-2026-0001",
            "15 January 2026",
            "29 January 2026",
            "Original due date 29 January 2026",
            "Days overdue 30",
            "is now 30 days overdue",
            "Invoice total 200.56 EUR",
            "Paid 50.00 EUR",
            "Amount outstanding 150.56 EUR",
            "by 10 March 2026",
            "final reminder",
            "DE89 3704 0044 0532 0130 00",
        ],
    );
}

#[test]
fn german_labels_numbers_and_dates() {
    let Some(text) = rendered_text("german", &fixtures::german(), &RenderOptions::default()) else {
        return;
    };
    assert_shows(
        &text,
        &[
            "Rechnung",
            "Rechnungsnr. INV-2026-0001",
            "15.01.2026",
            "Leistungsdatum 12.01.2026",
            "Ihre Referenz PO-4711",
            "0,333",
            "USt. 19 % auf 60,64 11,52",
            "Gesamtbetrag 200,56 EUR",
            "USt-IdNr.: DE123456789",
        ],
    );
}

#[test]
fn long_invoices_break_across_pages_and_letter_paper_is_letter_sized() {
    let options = RenderOptions {
        paper: PaperSize::Letter,
    };
    let pdf = render_pdf(&fixtures::long_invoice(), &options).unwrap();
    let parsed = lopdf::Document::load_mem(&pdf).unwrap();
    let pages = parsed.get_pages();
    assert!(pages.len() >= 2, "{} pages", pages.len());
    let first = parsed.get_dictionary(pages[&1]).unwrap();
    let media_box: Vec<f32> = first
        .get(b"MediaBox")
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_float().unwrap())
        .collect();
    assert_eq!(media_box, [0.0, 0.0, 612.0, 792.0]);
    let path = write_artifact("long-invoice.pdf", &pdf);
    let Some(text) = pdf_text(&path) else { return };
    let text = folded(&text);
    let last = pages.len();
    assert_shows(
        &text,
        &[
            &format!("Page {last} of {last}"),
            "Support ticket #70: analysis and fix",
            "5,040.00",
        ],
    );
}

#[test]
fn a_reverse_charge_invoice_abroad_shows_countries_units_discounts_and_the_reason() {
    let Some(text) = rendered_text("reverse-charge", &fixtures::reverse_charge(), &RenderOptions::default()) else {
        return;
    };
    assert_shows(
        &text,
        &[
            "Société Exemple SARL",
            "France",
            "Germany",
            "VAT ID: FR12345678901",
            "12 h",
            "1 day",
            "Discount",
            "1,083.00",
            "VAT 0 % on 1,883.00 (Reverse charge)",
            "1,883.00 EUR",
        ],
    );
}
