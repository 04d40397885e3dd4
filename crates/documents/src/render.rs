//! PDF rendering with typst as a library. A [`Renderer`] parses the embedded
//! fonts, the standard library and the template once and keeps them (and
//! typst's memoized template evaluation) warm between renders; the free
//! functions [`render_pdf`] and [`render_facturx`] use one shared renderer.
//!
//! Determinism: the PDF's creation date is the document's issue date (00:00
//! UTC), its identifier a hash of the document kind and number, typst's
//! `today` is the issue date, and nothing reads the clock, the file system
//! or the environment, so the same [`Document`] gives byte-identical PDFs.

mod content;
pub(crate) mod error;
mod value;
mod world;

use std::sync::LazyLock;

use typst::diag::{SourceDiagnostic, Warned};
use typst::ecow::EcoVec;
use typst::foundations::Smart;
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use crate::einvoice::cii;
use crate::facturx;
use crate::model::Document;
use crate::report::Report;

pub use error::RenderError;
use value::Value;
use world::{Assets, RenderWorld};

/// typst memoizes layout work in process-wide caches. After every render,
/// entries the last `CACHE_MAX_AGE` renders did not use are dropped: this
/// bounds the memory in a long-running process while keeping what every
/// render shares (the evaluated template, font data). The sweep costs about
/// 0.7 ms with an age of 1 and twice that with 10; sweeping only every n
/// renders costs the same in total but makes every n-th render tens of
/// milliseconds slower.
const CACHE_MAX_AGE: usize = 1;

/// The paper size of the PDF.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum PaperSize {
    /// ISO A4, 210 × 297 mm.
    #[default]
    A4,
    /// US Letter, 8.5 × 11 in.
    Letter,
}

/// Presentation choices that are not part of the document.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RenderOptions {
    /// The paper size; A4 by default.
    pub paper: PaperSize,
}

/// Renders documents; keeps fonts, library and template parsed between
/// renders. Cheap to share: renders take `&self` and may run in parallel.
pub struct Renderer {
    assets: Assets,
}

impl std::fmt::Debug for Renderer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Renderer").finish_non_exhaustive()
    }
}

impl Renderer {
    /// Parses the embedded fonts and the template.
    ///
    /// # Errors
    /// [`RenderError::Setup`] if an embedded asset does not load.
    pub fn new() -> Result<Self, RenderError> {
        Ok(Self {
            assets: Assets::load()?,
        })
    }

    /// The document as a PDF: an invoice, a credit note or a payment
    /// reminder letter.
    ///
    /// # Errors
    /// - [`RenderError::Invalid`] if [`Document::check`] fails.
    /// - [`RenderError::Typst`] or [`RenderError::Pdf`] if typst fails.
    pub fn render_pdf(&self, document: &Document, options: &RenderOptions) -> Result<Vec<u8>, RenderError> {
        document.check()?;
        self.render(document, options, None)
    }

    /// The invoice or credit note as a Factur-X EN 16931 PDF/A-3b: the PDF
    /// with the CII XML attached as `factur-x.xml` (relationship
    /// `Alternative`, listed in the catalog's `/AF`) and the Factur-X XMP
    /// properties and extension schema in its metadata.
    ///
    /// # Errors
    /// - [`RenderError::EInvoice`] if the CII cannot be written (a reminder,
    ///   an inconsistent document, a broken EN 16931 rule).
    /// - [`RenderError::Pdf`] if PDF/A cannot be met, for example a character
    ///   the embedded fonts do not have.
    /// - [`RenderError::FacturX`] if the metadata cannot be added.
    pub fn render_facturx(&self, document: &Document, options: &RenderOptions) -> Result<Vec<u8>, RenderError> {
        let xml = cii(document)?;
        let pdf = self.render(document, options, Some(xml.into_bytes()))?;
        facturx::add_facturx_metadata(pdf)
    }

    /// The report as a PDF.
    ///
    /// # Errors
    /// [`RenderError::Typst`] or [`RenderError::Pdf`] if typst fails.
    pub fn render_report(&self, report: &Report) -> Result<Vec<u8>, RenderError> {
        let mut main = String::with_capacity(8192);
        main.push_str("#import \"/report.typ\": render-report\n#let data = ");
        report_data(report).write(&mut main);
        main.push_str("\n#render-report(data)\n");
        let world = RenderWorld::new(&self.assets, main, None, report.issued_on);
        let Warned { output, warnings: _ } = typst::compile::<PagedDocument>(&world);
        let paged = output.map_err(|errors| RenderError::Typst(messages(&errors)))?;
        let pdf_options = PdfOptions {
            ident: Smart::Custom(format!("fakturo/report/{}/{}", report.title, report.issued_on)),
            creator: Smart::Custom(Some("Fakturo".to_owned())),
            timestamp: world::to_datetime(report.issued_on).map(Timestamp::new_utc),
            ..PdfOptions::default()
        };
        let pdf = typst_pdf::pdf(&paged, &pdf_options).map_err(|errors| RenderError::Pdf(messages(&errors)));
        typst::comemo::evict(CACHE_MAX_AGE);
        pdf
    }

    fn render(
        &self,
        document: &Document,
        options: &RenderOptions,
        attachment: Option<Vec<u8>>,
    ) -> Result<Vec<u8>, RenderError> {
        let archival = attachment.is_some();
        let data = content::template_data(document, options, archival);
        let mut main = String::with_capacity(4096);
        main.push_str("#import \"/template.typ\": render\n#let data = ");
        data.write(&mut main);
        main.push_str("\n#render(data)\n");
        let world = RenderWorld::new(&self.assets, main, attachment, document.issue_date);
        let Warned { output, warnings: _ } = typst::compile::<PagedDocument>(&world);
        let paged = output.map_err(|errors| RenderError::Typst(messages(&errors)))?;
        let standards = if archival {
            PdfStandards::new(&[PdfStandard::A_3b]).map_err(|error| RenderError::Setup(error.message().to_string()))?
        } else {
            PdfStandards::default()
        };
        let pdf_options = PdfOptions {
            ident: Smart::Custom(format!("fakturo/{}/{}", document.kind.slug(), document.number)),
            creator: Smart::Custom(Some("Fakturo".to_owned())),
            timestamp: world::to_datetime(document.issue_date).map(Timestamp::new_utc),
            standards,
            ..PdfOptions::default()
        };
        let pdf = typst_pdf::pdf(&paged, &pdf_options).map_err(|errors| RenderError::Pdf(messages(&errors)));
        typst::comemo::evict(CACHE_MAX_AGE);
        pdf
    }
}

/// The report as a PDF, with the shared renderer.
///
/// # Errors
/// As [`Renderer::new`] and [`Renderer::render_report`].
pub fn render_report(report: &Report) -> Result<Vec<u8>, RenderError> {
    shared()?.render_report(report)
}

/// The report as the template's data: rows cut or padded to the header.
fn report_data(report: &Report) -> Value {
    let strings = |lines: &[String]| Value::Array(lines.iter().map(Value::str).collect());
    let sections = report
        .sections
        .iter()
        .map(|section| {
            let table = section.table.as_ref().map_or(Value::None, |table| {
                let width = table.header.len();
                let rows = table
                    .rows
                    .iter()
                    .map(|row| {
                        let mut cells: Vec<Value> = row.iter().take(width).map(Value::str).collect();
                        cells.resize(width, Value::str(""));
                        Value::Array(cells)
                    })
                    .collect();
                Value::Dict(vec![("header", strings(&table.header)), ("rows", Value::Array(rows))])
            });
            Value::Dict(vec![
                ("heading", Value::str(&section.heading)),
                ("paragraphs", strings(&section.paragraphs)),
                ("table", table),
            ])
        })
        .collect();
    Value::Dict(vec![
        ("title", Value::str(&report.title)),
        ("author", Value::str(&report.author)),
        ("author-lines", strings(&report.author_lines)),
        ("subtitle", Value::opt_str(report.subtitle.clone())),
        ("issued", Value::str(report.issued_on.format("%Y-%m-%d").to_string())),
        ("sections", Value::Array(sections)),
    ])
}

/// The document as a PDF, with the shared renderer.
///
/// # Errors
/// As [`Renderer::new`] and [`Renderer::render_pdf`].
pub fn render_pdf(document: &Document, options: &RenderOptions) -> Result<Vec<u8>, RenderError> {
    shared()?.render_pdf(document, options)
}

/// The invoice or credit note as a Factur-X EN 16931 PDF/A-3b on A4, with
/// the shared renderer.
///
/// # Errors
/// As [`Renderer::new`] and [`Renderer::render_facturx`].
pub fn render_facturx(document: &Document) -> Result<Vec<u8>, RenderError> {
    shared()?.render_facturx(document, &RenderOptions::default())
}

fn shared() -> Result<&'static Renderer, RenderError> {
    static SHARED: LazyLock<Result<Renderer, RenderError>> = LazyLock::new(Renderer::new);
    SHARED.as_ref().map_err(Clone::clone)
}

fn messages(errors: &EcoVec<SourceDiagnostic>) -> String {
    errors
        .iter()
        .map(|error| {
            let hints: Vec<&str> = error.hints.iter().map(|hint| hint.v.as_str()).collect();
            if hints.is_empty() {
                error.message.to_string()
            } else {
                format!("{} (hint: {})", error.message, hints.join("; "))
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}
