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
mod value;
mod world;

use std::sync::LazyLock;

use typst::diag::{SourceDiagnostic, Warned};
use typst::ecow::EcoVec;
use typst::foundations::Smart;
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use crate::check::DocumentError;
use crate::einvoice::{EInvoiceError, cii};
use crate::facturx;
use crate::model::Document;

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

/// Why a PDF could not be rendered.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RenderError {
    /// The document's amounts or content are inconsistent.
    #[error(transparent)]
    Invalid(#[from] DocumentError),
    /// The document cannot be a Factur-X e-invoice.
    #[error(transparent)]
    EInvoice(#[from] EInvoiceError),
    /// The renderer could not be set up (an embedded asset is broken).
    #[error("the renderer could not be set up: {0}")]
    Setup(String),
    /// typst refused the template or data; a bug in this crate.
    #[error("typst could not lay out the document: {0}")]
    Typst(String),
    /// The PDF export failed, for example because PDF/A forbids a character
    /// the embedded fonts cannot show.
    #[error("the PDF could not be written: {0}")]
    Pdf(String),
    /// The Factur-X metadata could not be added to the PDF.
    #[error("the Factur-X metadata could not be added: {0}")]
    FacturX(String),
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
