//! The documents adapter: maps the domain's [`DocumentData`] into the
//! documents crate's model and renders it off the async runtime (typst
//! layout is CPU work of several milliseconds).
//!
//! - A finalized invoice or a credit note whose buyer's country is known
//!   renders as a Factur-X EN 16931 PDF/A-3 (the CII XML inside); without
//!   the country (EN 16931 BR-11 requires it), when another EN 16931 rule
//!   is missed, or with text PDF/A cannot embed, it is a plain PDF.
//! - A draft renders as a preview numbered `DRAFT`, never as an e-invoice;
//!   nor do a void invoice or an amount in a three-decimal currency.
//! - The reminder letter is a plain PDF.

pub mod processing_record;

use std::sync::{Arc, LazyLock};

use fakturo_documents::{
    Document, DocumentKind, DocumentLine, EInvoiceError, Language, Party, PaymentDetails, PrecedingInvoice,
    ReminderDetails, RenderError, RenderOptions, Renderer, TaxCategory, TaxLine,
};
use fakturo_domain::invoicing::invoice::{Invoice, InvoiceStatus};
use fakturo_domain::invoicing::services::{DocumentData, DocumentSubject};
use fakturo_domain::kernel::money::{Money, MoneyError};

/// The number a draft's preview shows.
pub const DRAFT_NUMBER: &str = "DRAFT";

/// Why a document could not be produced from stored data.
#[derive(Debug, thiserror::Error)]
pub enum DocumentFailure {
    /// EN 16931 needs something the stored data lacks (the message says what).
    #[error("{0}")]
    Incomplete(String),
    /// The stored data makes no valid document (the message says why:
    /// no lines, a credit note of a negative amount, …).
    #[error("{0}")]
    Invalid(String),
    /// The renderer failed.
    #[error(transparent)]
    Render(RenderError),
    /// An amount overflowed.
    #[error("an amount is out of range")]
    Money(#[from] MoneyError),
    /// The rendering task was cancelled.
    #[error("rendering was interrupted")]
    Interrupted,
}

impl From<RenderError> for DocumentFailure {
    fn from(error: RenderError) -> Self {
        match error {
            RenderError::Invalid(invalid) | RenderError::EInvoice(EInvoiceError::Invalid(invalid)) => {
                Self::Invalid(invalid.to_string())
            }
            other => Self::Render(other),
        }
    }
}

/// A rendered file.
#[derive(Clone, Debug)]
pub struct RenderedFile {
    /// The bytes.
    pub bytes: Vec<u8>,
    /// Its MIME type.
    pub content_type: &'static str,
    /// The file name to offer (from the document number only).
    pub file_name: String,
    /// Whether it is a Factur-X e-invoice.
    pub facturx: bool,
}

fn renderer() -> Result<&'static Renderer, RenderError> {
    static SHARED: LazyLock<Result<Renderer, RenderError>> = LazyLock::new(Renderer::new);
    SHARED.as_ref().map_err(Clone::clone)
}

/// Renders at once are bounded by the cores: a burst of downloads (the
/// public PDF needs no sign-in) queues instead of filling the blocking pool.
async fn render_permit() -> Result<tokio::sync::SemaphorePermit<'static>, DocumentFailure> {
    static RENDERS: LazyLock<tokio::sync::Semaphore> = LazyLock::new(|| {
        tokio::sync::Semaphore::new(std::thread::available_parallelism().map_or(2, std::num::NonZero::get))
    });
    RENDERS.acquire().await.map_err(|_| DocumentFailure::Interrupted)
}

/// Loads the fonts and the template now rather than on the first request.
///
/// # Errors
/// [`RenderError::Setup`] if an embedded asset is broken.
pub fn warm_up() -> Result<(), RenderError> {
    renderer().map(|_| ())
}

/// The PDF of `data`: Factur-X where possible, see the module docs.
///
/// # Errors
/// See [`DocumentFailure`].
pub async fn pdf(data: Arc<DocumentData>) -> Result<RenderedFile, DocumentFailure> {
    let _permit = render_permit().await?;
    tokio::task::spawn_blocking(move || {
        let document = document(&data)?;
        let facturx = einvoice_gap(&data).is_none()
            && !matches!(data.subject, DocumentSubject::ReminderLetter(_))
            // A cancelled invoice is no longer a claim: never a machine-readable one.
            && !(data.invoice.status == InvoiceStatus::Void && matches!(data.subject, DocumentSubject::Invoice));
        let renderer = renderer()?;
        let options = RenderOptions::default();
        // An invoice that misses an EN 16931 rule (a seller without a VAT
        // id, say) or holds text PDF/A cannot embed (scripts the fonts lack)
        // is still an invoice: it gets the plain PDF.
        let (bytes, facturx) = match facturx.then(|| renderer.render_facturx(&document, &options)) {
            Some(Ok(bytes)) => (bytes, true),
            Some(Err(RenderError::EInvoice(error))) if !matches!(error, EInvoiceError::Invalid(_)) => {
                (renderer.render_pdf(&document, &options)?, false)
            }
            Some(Err(RenderError::Pdf(_))) => (renderer.render_pdf(&document, &options)?, false),
            Some(Err(error)) => return Err(error.into()),
            None => (renderer.render_pdf(&document, &options)?, false),
        };
        Ok(RenderedFile {
            bytes,
            content_type: "application/pdf",
            file_name: format!("{}.pdf", data.file_stem()),
            facturx,
        })
    })
    .await
    .map_err(|_| DocumentFailure::Interrupted)?
}

/// The UBL 2.1 (Peppol BIS Billing 3.0) e-invoice of a finalized invoice
/// or credit note.
///
/// # Errors
/// [`DocumentFailure::Incomplete`] for a draft or a buyer without a country.
pub async fn ubl(data: Arc<DocumentData>) -> Result<RenderedFile, DocumentFailure> {
    if let Some(gap) = einvoice_gap(&data) {
        return Err(DocumentFailure::Incomplete(gap));
    }
    let _permit = render_permit().await?;
    tokio::task::spawn_blocking(move || {
        let document = document(&data)?;
        let xml = fakturo_documents::ubl(&document).map_err(|error| match error {
            EInvoiceError::Invalid(invalid) => DocumentFailure::Invalid(invalid.to_string()),
            rule => DocumentFailure::Incomplete(rule.to_string()),
        })?;
        Ok(RenderedFile {
            bytes: xml.into_bytes(),
            content_type: "application/xml",
            file_name: format!("{}.xml", data.file_stem()),
            facturx: false,
        })
    })
    .await
    .map_err(|_| DocumentFailure::Interrupted)?
}

/// Why `data` cannot be an EN 16931 e-invoice before the rules of the
/// documents crate are even asked, if it cannot.
fn einvoice_gap(data: &DocumentData) -> Option<String> {
    let currency = data.invoice.content.currency;
    if data.is_draft() {
        Some("a draft is not an e-invoice; finalize it first".to_owned())
    } else if data.buyer.country.is_none() {
        Some("EN 16931 requires the buyer's country (BR-11); set the client's country".to_owned())
    } else if currency.minor_units() > 2 {
        Some(format!(
            "EN 16931 allows amounts with at most two decimals (BR-DEC); {} has {}",
            currency.code(),
            currency.minor_units()
        ))
    } else {
        None
    }
}

/// The documents crate's model of `data`.
///
/// # Errors
/// [`DocumentFailure::Money`] when an amount overflows.
pub fn document(data: &DocumentData) -> Result<Document, DocumentFailure> {
    let invoice = &data.invoice;
    let org = &data.organization;
    let totals = invoice.totals();
    let currency = invoice.content.currency;
    let seller_country = org.country.code();
    let seller = Party {
        name: org.name.clone(),
        address_lines: lines_of(org.profile.address.as_deref()),
        postcode: org.profile.postcode.clone().unwrap_or_default(),
        city: org.profile.city.clone().unwrap_or_default(),
        country_code: seller_country.to_owned(),
        vat_id: org.profile.vat_id.clone(),
        registration_id: None,
        email: org.profile.email.clone(),
        electronic_address: None,
    };
    let buyer = buyer_party(data, seller_country);
    let lines = invoice
        .content
        .lines
        .iter()
        .zip(&totals.lines)
        .map(|(line, amounts)| {
            // EN 16931 forbids a negative item price (BR-27): a deduction
            // is a negative quantity at a positive price, same net amount.
            let (quantity, unit_price) = if line.unit_price.is_sign_negative() {
                (-line.quantity, -line.unit_price)
            } else {
                (line.quantity, line.unit_price)
            };
            let mut out = DocumentLine::new(
                line.description.clone(),
                quantity,
                unit_price,
                line.tax_rate,
                amounts.net,
            );
            out.discount_percent = line.discount_percent;
            out
        })
        .collect();
    let tax_breakdown = totals
        .tax_breakdown
        .iter()
        .map(|group| TaxLine::new(TaxCategory::for_rate(group.rate), group.rate, group.taxable, group.tax))
        .collect();
    let number = invoice.number.clone().unwrap_or_else(|| DRAFT_NUMBER.to_owned());
    let (issue_date, due_date) = dates(invoice, org.default_payment_terms_days);
    let payment = Some(PaymentDetails {
        iban: org.profile.iban.as_deref().map(grouped),
        bic: org.profile.bic.clone(),
        account_holder: org.profile.iban.as_ref().map(|_| org.name.clone()),
        reference: invoice.number.clone(),
        terms_text: invoice
            .content
            .payment_terms_days
            .filter(|days| *days > 0)
            .map(|days| format!("Payable within {days} days")),
    });
    let mut document = Document {
        kind: DocumentKind::Invoice,
        number,
        issue_date,
        due_date: Some(due_date),
        delivery_date: None,
        currency,
        seller,
        buyer,
        lines,
        tax_breakdown,
        subtotal: totals.subtotal,
        tax_total: totals.tax_total,
        total: totals.total,
        amount_paid: invoice.amount_paid,
        amount_due: totals.total.checked_sub(invoice.amount_paid)?,
        payment,
        preceding_invoice: None,
        notes: invoice.content.notes.clone(),
        buyer_reference: None,
        language: language(data.buyer_locale.as_deref()),
    };
    match &data.subject {
        DocumentSubject::Invoice => {
            if data.is_draft() {
                document.notes = Some(match document.notes.take() {
                    Some(notes) => format!("Draft preview, not an invoice.\n{notes}"),
                    None => "Draft preview, not an invoice.".to_owned(),
                });
            }
        }
        DocumentSubject::CreditNote(note) => {
            // Credit notes carry positive amounts; the type says they are credits.
            document.kind = DocumentKind::CreditNote;
            document.number = note.number.clone();
            document.issue_date = note.issue_date;
            document.due_date = None;
            document.amount_paid = Money::zero(currency);
            document.amount_due = totals.total;
            document.preceding_invoice = invoice.number.clone().map(|number| PrecedingInvoice {
                number,
                issue_date: issue_date_of(invoice),
            });
            if let Some(payment) = &mut document.payment {
                payment.reference = Some(note.number.clone());
                // BR-CO-25: a positive amount needs terms (or a due date).
                payment.terms_text = Some(match &invoice.number {
                    Some(number) => format!("Cancels invoice {number} in full."),
                    None => "Cancels the invoice in full.".to_owned(),
                });
            }
            document.notes = note.reason.clone();
        }
        DocumentSubject::ReminderLetter(letter) => {
            document.kind = DocumentKind::PaymentReminder(ReminderDetails {
                level: letter.level,
                is_final: true,
                invoice_issue_date: issue_date_of(invoice),
                original_due_date: letter.original_due_date,
                days_overdue: letter.days_overdue,
            });
            document.issue_date = letter.date;
            document.due_date = Some(letter.pay_by);
            document.notes = None;
        }
    }
    Ok(document)
}

fn issue_date_of(invoice: &Invoice) -> chrono::NaiveDate {
    invoice
        .content
        .issue_date
        .unwrap_or_else(|| invoice.created_at.date_naive())
}

/// The issue and due dates; a draft without them previews as if finalized
/// on the day it was created.
fn dates(invoice: &Invoice, default_terms: u32) -> (chrono::NaiveDate, chrono::NaiveDate) {
    let issue = issue_date_of(invoice);
    (issue, invoice.content.due_date_for(issue, default_terms))
}

/// An IBAN as people read it, in groups of four (`DE89 3704 …`); the
/// e-invoices write it compact again.
fn grouped(iban: &str) -> String {
    let compact: Vec<char> = iban.chars().filter(|c| !c.is_whitespace()).collect();
    compact
        .chunks(4)
        .map(|group| group.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

fn language(locale: Option<&str>) -> Language {
    match locale.map(|l| l.get(..2).unwrap_or_default().to_ascii_lowercase()) {
        Some(code) if code == "de" => Language::De,
        _ => Language::En,
    }
}

fn lines_of(text: Option<&str>) -> Vec<String> {
    text.unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The buyer: the address's last line is read as "postcode city" when it
/// starts with a token holding a digit (`80331 München`, `SW1A 1AA London`
/// stays whole); otherwise every line is a street line.
fn buyer_party(data: &DocumentData, seller_country: &str) -> Party {
    let mut address_lines = lines_of(data.buyer.address.as_deref());
    let (postcode, city) = split_postcode_and_city(&mut address_lines);
    Party {
        name: data.buyer.name.clone(),
        address_lines,
        postcode,
        city,
        // Without a country the plain PDF treats the buyer as domestic (and
        // prints no country); e-invoices refuse (see the module docs).
        country_code: data.buyer.country.clone().unwrap_or_else(|| seller_country.to_owned()),
        vat_id: data.buyer.tax_id.clone(),
        registration_id: None,
        email: data.buyer_email.clone(),
        electronic_address: None,
    }
}

/// Takes `80331 München` off the end of `lines` as postcode and city; a
/// postcode of two parts (`SW1A 2AA London`, `1012 AB Amsterdam`) stays whole.
fn split_postcode_and_city(lines: &mut Vec<String>) -> (String, String) {
    let Some(last) = lines.last() else {
        return (String::new(), String::new());
    };
    let tokens: Vec<&str> = last.split_whitespace().collect();
    let has_digit = |t: &str| t.chars().any(|c| c.is_ascii_digit());
    let postal = |t: &str| t.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    if tokens.len() < 2 || !has_digit(tokens[0]) || !postal(tokens[0]) {
        return (String::new(), String::new());
    }
    let dutch = tokens[0].len() == 4
        && tokens[0].chars().all(|c| c.is_ascii_digit())
        && tokens[1].len() == 2
        && tokens[1].chars().all(|c| c.is_ascii_uppercase());
    let two_parts = tokens.len() >= 3 && postal(tokens[1]) && (has_digit(tokens[1]) || dutch);
    let split = if two_parts { 2 } else { 1 };
    let found = (tokens[..split].join(" "), tokens[split..].join(" "));
    lines.pop();
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locales_pick_the_language() {
        assert_eq!(language(Some("de-AT")), Language::De);
        assert_eq!(language(Some("DE")), Language::De);
        assert_eq!(language(Some("en-GB")), Language::En);
        assert_eq!(language(Some("x")), Language::En);
        assert_eq!(language(None), Language::En);
    }

    #[test]
    fn ibans_print_in_groups_of_four() {
        assert_eq!(grouped("DE89370400440532013000"), "DE89 3704 0044 0532 0130 00");
        assert_eq!(grouped("DE89 3704 0044 0532 0130 00"), "DE89 3704 0044 0532 0130 00");
        assert_eq!(grouped(""), "");
    }

    #[test]
    fn address_lines_split_off_postcode_and_city() {
        let mut lines = lines_of(Some(" Unit 4 \n\n1 Mill Lane\n80331 München "));
        assert_eq!(lines, vec!["Unit 4", "1 Mill Lane", "80331 München"]);
        assert_eq!(
            split_postcode_and_city(&mut lines),
            ("80331".to_owned(), "München".to_owned())
        );
        assert_eq!(lines, vec!["Unit 4", "1 Mill Lane"]);
        let mut no_postcode = lines_of(Some("Rue de Rivoli 1\nParis"));
        assert_eq!(
            split_postcode_and_city(&mut no_postcode),
            (String::new(), String::new())
        );
        assert_eq!(no_postcode.len(), 2);
        let mut london = lines_of(Some("10 Downing St\nSW1A 2AA London"));
        assert_eq!(
            split_postcode_and_city(&mut london),
            ("SW1A 2AA".to_owned(), "London".to_owned())
        );
        let mut amsterdam = lines_of(Some("Dam 1\n1012 AB Amsterdam"));
        assert_eq!(
            split_postcode_and_city(&mut amsterdam),
            ("1012 AB".to_owned(), "Amsterdam".to_owned())
        );
        let mut frankfurt = lines_of(Some("Zeil 5\n60313 Frankfurt am Main"));
        assert_eq!(
            split_postcode_and_city(&mut frankfurt),
            ("60313".to_owned(), "Frankfurt am Main".to_owned())
        );
    }
}
