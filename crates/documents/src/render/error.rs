//! Why a document could not be rendered.

use crate::check::DocumentError;
use crate::einvoice::EInvoiceError;

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
