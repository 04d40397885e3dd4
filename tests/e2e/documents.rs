//! Documents over HTTP: the invoice PDF (Factur-X once finalized) shows
//! number, lines and totals in a real PDF reader (poppler), renders the same
//! bytes twice and travels with the invoice email and the public page; the
//! UBL and the Factur-X pass the independent checker
//! (`crates/documents/tests/check_einvoice.py`); the credit note and the
//! final reminder letter have PDFs; drafts are previews, never e-invoices.
//!
//! poppler (`pdftotext`, `pdftoppm`) and the checker's Python are optional
//! locally and required with `FAKTURO_REQUIRE_DOCUMENT_CHECKER=1` (CI).

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::TimeDelta;
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::on_both_backends;
use crate::support::{Account, TestApp};

on_both_backends!(
    invoice_documents_are_complete_and_checked,
    documents_need_the_data_they_show,
    deductions_currencies_and_erasure,
);

const REQUIRE: &str = "FAKTURO_REQUIRE_DOCUMENT_CHECKER";

fn required() -> bool {
    std::env::var(REQUIRE).is_ok_and(|v| v == "1")
}

/// A downloaded file: status, content type, disposition, bytes.
struct Download {
    status: StatusCode,
    content_type: String,
    disposition: String,
    bytes: Vec<u8>,
}

async fn download(app: &TestApp, path: &str, token: Option<&str>) -> Download {
    let mut request = app.http.get(format!("{}{path}", app.base));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let (content_type, disposition) = (header("content-type"), header("content-disposition"));
    let status = response.status();
    Download {
        status,
        content_type,
        disposition,
        bytes: response.bytes().await.unwrap().to_vec(),
    }
}

fn scratch_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("fakturo-documents-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn tool(program: &str) -> bool {
    let found = Command::new(program).arg("-v").output().is_ok();
    assert!(found || !required(), "{program} is missing and {REQUIRE}=1");
    if !found {
        println!("skipped: {program} is not installed");
    }
    found
}

/// The PDF's text with whitespace folded, after checking that pdftoppm
/// draws page 1; `None` without poppler.
fn pdf_text(path: &Path) -> Option<String> {
    if !tool("pdftoppm") || !tool("pdftotext") {
        return None;
    }
    let png = path.with_extension("page");
    let drawn = Command::new("pdftoppm")
        .args(["-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile"])
        .arg(path)
        .arg(&png)
        .status()
        .unwrap();
    assert!(drawn.success(), "pdftoppm could not draw {}", path.display());
    let png = png.with_extension("page.png");
    assert!(std::fs::metadata(&png).unwrap().len() > 1000, "page 1 is a picture");
    let output = Command::new("pdftotext")
        .arg("-layout")
        .arg(path)
        .arg("-")
        .output()
        .unwrap();
    assert!(output.status.success(), "pdftotext failed on {}", path.display());
    let text = String::from_utf8_lossy(&output.stdout);
    Some(text.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// The names of the files embedded in a PDF (poppler's `pdfdetach`);
/// `None` without poppler.
fn embedded_files(path: &Path) -> Option<String> {
    if !tool("pdfdetach") {
        return None;
    }
    let output = Command::new("pdfdetach").arg("-list").arg(path).output().unwrap();
    assert!(output.status.success(), "pdfdetach failed on {}", path.display());
    Some(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// Runs the independent checker over `files`; skipped without its Python.
fn check_einvoices(files: &[PathBuf]) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let python = std::env::var_os("FAKTURO_TEST_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join(".venv-test/bin/python"));
    let usable = Command::new(&python)
        .args(["-c", "import facturx, lxml, pypdf"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !usable {
        assert!(!required(), "no factur-x checker and {REQUIRE}=1");
        println!("skipped: no factur-x checker");
        return;
    }
    let script = root.join("crates/documents/tests/check_einvoice.py");
    let output = Command::new(&python).arg(&script).args(files).output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "the checker failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        !stdout.contains("SKIP") || !required(),
        "a check was skipped:\n{stdout}"
    );
}

async fn seller_details(app: &TestApp, owner: &Account) {
    let saved = app
        .call(
            Method::PATCH,
            "/api/v1/organization",
            Some(&owner.token),
            Some(
                json!({"address": "Hafenstraße 12", "postcode": "20457", "city": "Hamburg",
                        "vat_id": "DE123456789", "email": "billing@muster.example",
                        "iban": "DE89 3704 0044 0532 0130 00", "bic": "COBADEFFXXX"}),
            ),
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{:?}", saved.body);
}

async fn buyer(app: &TestApp, owner: &Account, country: Option<&str>) -> String {
    let created = app
        .post(
            "/api/v1/clients",
            &owner.token,
            json!({"name": "Acme Widgets Ltd", "email": "accounts@acme.example",
                   "address": "Unit 4, Riverside Park\n80331 München", "country": country,
                   "tax_id": "DE987654321"}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    created.str("id")
}

async fn finalized(app: &TestApp, owner: &Account, client: &str) -> String {
    let id = app.worked_example(owner, client).await.str("id");
    let done = app
        .post(&format!("/api/v1/invoices/{id}/finalize"), &owner.token, json!({}))
        .await;
    assert_eq!(done.status, StatusCode::OK, "{:?}", done.body);
    id
}

fn save(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// The bytes of the first `application/pdf` part of an email.
fn pdf_attachment(email: &str) -> Option<(String, Vec<u8>)> {
    let mail = mailparse::parse_mail(email.as_bytes()).unwrap();
    let mut parts = vec![&mail];
    let mut found = None;
    while let Some(part) = parts.pop() {
        if part.ctype.mimetype == "application/pdf" {
            let name = part
                .get_content_disposition()
                .params
                .get("filename")
                .cloned()
                .unwrap_or_default();
            found = Some((name, part.get_body_raw().unwrap()));
        }
        parts.extend(part.subparts.iter());
    }
    found
}

async fn invoice_documents_are_complete_and_checked(app: TestApp) {
    let owner = app.signup("documents@content.example").await;
    seller_details(&app, &owner).await;
    let client = buyer(&app, &owner, Some("DE")).await;
    let draft = app.worked_example(&owner, &client).await.str("id");
    let invoice = finalized(&app, &owner, &client).await;
    let overdue = finalized(&app, &owner, &client).await;
    let dir = scratch_dir();

    // The finalized invoice: a Factur-X PDF, the same bytes every time.
    let pdf = download(&app, &format!("/api/v1/invoices/{invoice}/pdf"), Some(&owner.token)).await;
    assert_eq!(pdf.status, StatusCode::OK, "{}", String::from_utf8_lossy(&pdf.bytes));
    assert_eq!(pdf.content_type, "application/pdf");
    assert_eq!(pdf.disposition, "attachment; filename=\"INV-2026-0001.pdf\"");
    assert!(pdf.bytes.starts_with(b"%PDF-"));
    let again = download(&app, &format!("/api/v1/invoices/{invoice}/pdf"), Some(&owner.token)).await;
    assert!(again.bytes == pdf.bytes, "the same invoice renders the same bytes");
    let pdf_path = save(&dir, "INV-2026-0001.facturx.pdf", &pdf.bytes);
    if let Some(embedded) = embedded_files(&pdf_path) {
        assert!(embedded.contains("factur-x.xml"), "a Factur-X PDF: {embedded}");
    }
    if let Some(text) = pdf_text(&pdf_path) {
        for expected in [
            "INV-2026-0001",
            "Design work",
            "Travel",
            "Stickers",
            "180.64",
            "19.92",
            "200.56",
            "Muster Design GmbH",
            "Acme Widgets Ltd",
            "80331",
            "DE89 3704 0044 0532 0130 00",
        ] {
            assert!(text.contains(expected), "{expected:?} missing from the PDF:\n{text}");
        }
    }
    let ubl = download(&app, &format!("/api/v1/invoices/{invoice}/ubl"), Some(&owner.token)).await;
    assert_eq!(ubl.status, StatusCode::OK, "{}", String::from_utf8_lossy(&ubl.bytes));
    assert_eq!(ubl.content_type, "application/xml");
    let ubl_text = String::from_utf8(ubl.bytes.clone()).unwrap();
    assert!(ubl_text.contains("<cbc:ID>INV-2026-0001</cbc:ID>"), "{ubl_text}");
    assert!(ubl_text.contains("<cbc:PayableAmount currencyID=\"EUR\">200.56</cbc:PayableAmount>"));
    let ubl_path = save(&dir, "INV-2026-0001.ubl.xml", &ubl.bytes);

    // A draft is a preview, never an e-invoice.
    let preview = download(&app, &format!("/api/v1/invoices/{draft}/pdf"), Some(&owner.token)).await;
    assert_eq!(preview.status, StatusCode::OK);
    assert_eq!(preview.disposition, "attachment; filename=\"draft.pdf\"");
    if let Some(text) = pdf_text(&save(&dir, "draft.pdf", &preview.bytes)) {
        assert!(text.contains("DRAFT") && text.contains("Draft preview"), "{text}");
    }
    let draft_ubl = app.get(&format!("/api/v1/invoices/{draft}/ubl"), &owner.token).await;
    assert_eq!(
        (draft_ubl.status, draft_ubl.code()),
        (StatusCode::CONFLICT, "einvoice_incomplete")
    );

    // The email carries the same PDF; the public page links to it.
    let sent = app
        .post(&format!("/api/v1/invoices/{invoice}/send"), &owner.token, json!({}))
        .await;
    assert_eq!(sent.status, StatusCode::ACCEPTED, "{:?}", sent.body);
    app.drain_jobs().await;
    let email = app.emails_to("accounts@acme.example").pop().expect("the invoice email");
    let (name, attached) = pdf_attachment(&email).expect("a PDF attachment");
    assert_eq!(name, "INV-2026-0001.pdf");
    assert!(attached == pdf.bytes, "the attachment is the invoice's PDF");
    let public_url = sent.str("public_url");
    let token = public_url.rsplit('/').next().unwrap();
    let page = app.http.get(format!("{}/i/{token}", app.base)).send().await.unwrap();
    assert!(page.text().await.unwrap().contains(&format!("href=\"{token}/pdf\"")));
    let public = download(&app, &format!("/i/{token}/pdf"), None).await;
    assert_eq!(public.status, StatusCode::OK);
    assert!(public.bytes == pdf.bytes);
    let unknown = download(&app, "/i/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/pdf", None).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);

    // Voiding: the credit note's PDF and UBL.
    let note = app
        .post(
            &format!("/api/v1/invoices/{invoice}/void"),
            &owner.token,
            json!({"reason": "Ordered twice."}),
        )
        .await;
    assert_eq!(note.status, StatusCode::CREATED, "{:?}", note.body);
    assert_eq!(note.str("number"), "CN-2026-0001");
    let note_id = note.str("id");
    let note_pdf = download(&app, &format!("/api/v1/credit-notes/{note_id}/pdf"), Some(&owner.token)).await;
    assert_eq!(
        note_pdf.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&note_pdf.bytes)
    );
    assert_eq!(note_pdf.disposition, "attachment; filename=\"CN-2026-0001.pdf\"");
    let note_pdf_path = save(&dir, "CN-2026-0001.facturx.pdf", &note_pdf.bytes);
    if let Some(text) = pdf_text(&note_pdf_path) {
        for expected in ["CN-2026-0001", "INV-2026-0001", "200.56", "Ordered twice."] {
            assert!(
                text.contains(expected),
                "{expected:?} missing from the credit note:\n{text}"
            );
        }
    }
    let note_ubl = download(&app, &format!("/api/v1/credit-notes/{note_id}/ubl"), Some(&owner.token)).await;
    assert_eq!(
        note_ubl.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&note_ubl.bytes)
    );
    assert!(String::from_utf8_lossy(&note_ubl.bytes).contains("<CreditNote"));
    let note_ubl_path = save(&dir, "CN-2026-0001.ubl.xml", &note_ubl.bytes);
    // The final reminder letter: only once the due date has passed.
    let early = app
        .get(&format!("/api/v1/invoices/{overdue}/reminder-letter"), &owner.token)
        .await;
    assert_eq!(
        (early.status, early.code()),
        (StatusCode::CONFLICT, "invoice_not_overdue")
    );
    app.clock.advance(TimeDelta::days(40));
    let letter = download(
        &app,
        &format!("/api/v1/invoices/{overdue}/reminder-letter"),
        Some(&owner.token),
    )
    .await;
    assert_eq!(
        letter.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&letter.bytes)
    );
    assert_eq!(
        letter.disposition,
        "attachment; filename=\"reminder-INV-2026-0002.pdf\""
    );
    if let Some(text) = pdf_text(&save(&dir, "reminder.pdf", &letter.bytes)) {
        assert!(text.contains("INV-2026-0002") && text.contains("200.56"), "{text}");
    }

    // A void invoice is still the invoice that was issued.
    let void_pdf = download(&app, &format!("/api/v1/invoices/{invoice}/pdf"), Some(&owner.token)).await;
    assert_eq!(void_pdf.status, StatusCode::OK);
    let void_letter = app
        .get(&format!("/api/v1/invoices/{invoice}/reminder-letter"), &owner.token)
        .await;
    assert_eq!(void_letter.code(), "invoice_not_overdue");

    check_einvoices(&[pdf_path, ubl_path, note_pdf_path, note_ubl_path]);

    // Another organization sees none of it.
    let stranger = app.signup("stranger@content.example").await;
    for path in [
        format!("/api/v1/invoices/{invoice}/pdf"),
        format!("/api/v1/invoices/{invoice}/ubl"),
        format!("/api/v1/invoices/{invoice}/reminder-letter"),
    ] {
        let foreign = app.get(&path, &stranger.token).await;
        assert_eq!(
            (foreign.status, foreign.code()),
            (StatusCode::NOT_FOUND, "invoice_not_found"),
            "{path}"
        );
    }
    for path in [
        format!("/api/v1/credit-notes/{note_id}/pdf"),
        format!("/api/v1/credit-notes/{note_id}/ubl"),
    ] {
        let foreign = app.get(&path, &stranger.token).await;
        assert_eq!(
            (foreign.status, foreign.code()),
            (StatusCode::NOT_FOUND, "credit_note_not_found"),
            "{path}"
        );
    }
    let _ = std::fs::remove_dir_all(dir);
}

async fn documents_need_the_data_they_show(app: TestApp) {
    let owner = app.signup("incomplete@content.example").await;
    // No seller VAT id yet and a client without a country: the PDF is a
    // plain one, the UBL says which rule is missing.
    let client = buyer(&app, &owner, None).await;
    let invoice = finalized(&app, &owner, &client).await;
    let pdf = download(&app, &format!("/api/v1/invoices/{invoice}/pdf"), Some(&owner.token)).await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert!(pdf.bytes.starts_with(b"%PDF-"));
    let no_country = app.get(&format!("/api/v1/invoices/{invoice}/ubl"), &owner.token).await;
    assert_eq!(
        (no_country.status, no_country.code()),
        (StatusCode::CONFLICT, "einvoice_incomplete")
    );
    assert!(
        no_country.body["detail"].as_str().unwrap().contains("BR-11"),
        "{:?}",
        no_country.body
    );

    let with_country = buyer(&app, &owner, Some("DE")).await;
    let second = finalized(&app, &owner, &with_country).await;
    let no_seller_id = app.get(&format!("/api/v1/invoices/{second}/ubl"), &owner.token).await;
    assert_eq!(no_seller_id.code(), "einvoice_incomplete");
    assert!(
        no_seller_id.body["detail"].as_str().unwrap().contains("BR-CO-26"),
        "{:?}",
        no_seller_id.body
    );
    let plain = download(&app, &format!("/api/v1/invoices/{second}/pdf"), Some(&owner.token)).await;
    assert_eq!(plain.status, StatusCode::OK);

    // Every role reads documents; unknown ids are 404.
    let accountant = app.join(&owner, "books@content.example", "accountant").await;
    let read = download(
        &app,
        &format!("/api/v1/invoices/{invoice}/pdf"),
        Some(&accountant.token),
    )
    .await;
    assert_eq!(read.status, StatusCode::OK);
    let missing = app
        .get(&format!("/api/v1/invoices/{}/pdf", uuid::Uuid::new_v4()), &owner.token)
        .await;
    assert_eq!(missing.code(), "invoice_not_found");
    let missing_note = app
        .get(
            &format!("/api/v1/credit-notes/{}/pdf", uuid::Uuid::new_v4()),
            &owner.token,
        )
        .await;
    assert_eq!(missing_note.code(), "credit_note_not_found");
}

async fn invoice_with(
    app: &TestApp,
    owner: &Account,
    client: &str,
    currency: &str,
    lines: serde_json::Value,
) -> String {
    let created = app
        .post(
            "/api/v1/invoices",
            &owner.token,
            json!({"client_id": client, "currency": currency, "lines": lines}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    let id = created.str("id");
    let done = app
        .post(&format!("/api/v1/invoices/{id}/finalize"), &owner.token, json!({}))
        .await;
    assert_eq!(done.status, StatusCode::OK, "{:?}", done.body);
    id
}

async fn deductions_currencies_and_erasure(app: TestApp) {
    let owner = app.signup("odd@content.example").await;
    seller_details(&app, &owner).await;
    let client = buyer(&app, &owner, Some("DE")).await;
    let dir = scratch_dir();

    // A deduction line (negative price) is a negative quantity in the
    // e-invoice (BR-27: no negative item price); both pass the checker.
    let deduction = invoice_with(
        &app,
        &owner,
        &client,
        "EUR",
        json!([{"description": "Website", "quantity": "1", "unit_price": "100.00", "tax_rate": "19"},
               {"description": "Loyalty discount", "quantity": "1", "unit_price": "-20.00", "tax_rate": "19"}]),
    )
    .await;
    let ubl = download(&app, &format!("/api/v1/invoices/{deduction}/ubl"), Some(&owner.token)).await;
    assert_eq!(ubl.status, StatusCode::OK, "{}", String::from_utf8_lossy(&ubl.bytes));
    let xml = String::from_utf8(ubl.bytes.clone()).unwrap();
    assert!(!xml.contains("<cbc:PriceAmount currencyID=\"EUR\">-"), "{xml}");
    assert!(
        xml.contains("<cbc:PayableAmount currencyID=\"EUR\">95.20</cbc:PayableAmount>"),
        "{xml}"
    );
    let pdf = download(&app, &format!("/api/v1/invoices/{deduction}/pdf"), Some(&owner.token)).await;
    assert_eq!(pdf.status, StatusCode::OK);
    check_einvoices(&[
        save(&dir, "deduction.ubl.xml", &ubl.bytes),
        save(&dir, "deduction.facturx.pdf", &pdf.bytes),
    ]);

    // Three decimals are beyond EN 16931: a plain PDF, and the UBL says why.
    let dinars = invoice_with(
        &app,
        &owner,
        &client,
        "BHD",
        json!([{"description": "Consulting", "quantity": "2", "unit_price": "12.125", "tax_rate": "10"}]),
    )
    .await;
    let plain = download(&app, &format!("/api/v1/invoices/{dinars}/pdf"), Some(&owner.token)).await;
    assert_eq!(plain.status, StatusCode::OK);
    if let Some(embedded) = embedded_files(&save(&dir, "dinars.pdf", &plain.bytes)) {
        assert!(!embedded.contains("factur-x.xml"), "{embedded}");
    }
    let refused = app.get(&format!("/api/v1/invoices/{dinars}/ubl"), &owner.token).await;
    assert_eq!(refused.code(), "einvoice_incomplete");
    assert!(
        refused.body["detail"].as_str().unwrap().contains("BR-DEC"),
        "{:?}",
        refused.body
    );

    // Data that makes no valid document is a 409, not a failure.
    let empty = app
        .post(
            "/api/v1/invoices",
            &owner.token,
            json!({"client_id": client, "currency": "EUR", "lines": []}),
        )
        .await;
    assert_eq!(empty.status, StatusCode::CREATED, "{:?}", empty.body);
    let empty = empty.str("id");
    let no_lines = app.get(&format!("/api/v1/invoices/{empty}/pdf"), &owner.token).await;
    assert_eq!(
        (no_lines.status, no_lines.code()),
        (StatusCode::CONFLICT, "document_invalid")
    );
    let mixed = invoice_with(
        &app,
        &owner,
        &client,
        "EUR",
        json!([{"description": "Books", "quantity": "1", "unit_price": "100.00", "tax_rate": "7"},
               {"description": "Returned software", "quantity": "1", "unit_price": "-50.00", "tax_rate": "19"}]),
    )
    .await;
    let note = app
        .post(&format!("/api/v1/invoices/{mixed}/void"), &owner.token, json!({}))
        .await;
    assert_eq!(note.status, StatusCode::CREATED, "{:?}", note.body);
    let note_pdf = app
        .get(&format!("/api/v1/credit-notes/{}/pdf", note.str("id")), &owner.token)
        .await;
    // Its tax total is negative (7 % on 100 less 19 % on 50), which a credit
    // note cannot carry: the answer says so instead of failing.
    assert_eq!(
        (note_pdf.status, note_pdf.code()),
        (StatusCode::CONFLICT, "document_invalid"),
        "{:?}",
        note_pdf.body
    );

    // A void invoice's PDF is no e-invoice any more.
    let void_pdf = download(&app, &format!("/api/v1/invoices/{mixed}/pdf"), Some(&owner.token)).await;
    assert_eq!(void_pdf.status, StatusCode::OK);
    if let Some(embedded) = embedded_files(&save(&dir, "void.pdf", &void_pdf.bytes)) {
        assert!(!embedded.contains("factur-x.xml"), "{embedded}");
    }

    // After erasure the kept invoice is the organization's only: the public
    // page and PDF are gone and the client is not dunned.
    let sent = app
        .post(&format!("/api/v1/invoices/{deduction}/send"), &owner.token, json!({}))
        .await;
    assert_eq!(sent.status, StatusCode::ACCEPTED, "{:?}", sent.body);
    let public_url = sent.str("public_url");
    let token = public_url.rsplit('/').next().unwrap();
    assert_eq!(
        download(&app, &format!("/i/{token}/pdf"), None).await.status,
        StatusCode::OK
    );
    let erased = app
        .post(&format!("/api/v1/clients/{client}/erase"), &owner.token, json!({}))
        .await;
    assert_eq!(erased.status, StatusCode::OK, "{:?}", erased.body);
    assert_eq!(
        download(&app, &format!("/i/{token}/pdf"), None).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        download(&app, &format!("/i/{token}"), None).await.status,
        StatusCode::NOT_FOUND
    );
    let kept = download(&app, &format!("/api/v1/invoices/{deduction}/pdf"), Some(&owner.token)).await;
    assert_eq!(kept.status, StatusCode::OK, "the organization keeps its copy");
    app.clock.advance(TimeDelta::days(40));
    let letter = app
        .get(&format!("/api/v1/invoices/{deduction}/reminder-letter"), &owner.token)
        .await;
    assert_eq!(
        (letter.status, letter.code()),
        (StatusCode::CONFLICT, "invoice_restricted")
    );
    let _ = std::fs::remove_dir_all(dir);
}
