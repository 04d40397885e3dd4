//! Fakturo's documents: the invoice, credit note and payment reminder PDFs
//! (typst as a library, fonts embedded), the EN 16931 e-invoices (UBL 2.1
//! for Peppol BIS Billing 3.0, CII for Factur-X / ZUGFeRD EN 16931) and the
//! Factur-X PDF/A-3 that carries the CII inside the PDF; and reports (such
//! as the record of processing activities) in the same style.
//!
//! The input is a [`Document`] whose amounts the caller already computed
//! (the domain's totals rule); [`Document::check`] verifies that they agree.
//! Rendering is deterministic: the same document gives the same bytes.
//!
//! ```text
//! render_pdf(&document, &RenderOptions::default())   -> PDF bytes
//! render_facturx(&document)                          -> PDF/A-3b bytes with factur-x.xml
//! ubl(&document) / cii(&document)                    -> XML text
//! ```

mod check;
mod einvoice;
mod facturx;
mod format;
mod labels;
mod model;
mod render;
mod report;

pub use check::DocumentError;
pub use einvoice::{EInvoiceError, cii, ubl};
pub use model::{
    Document, DocumentKind, DocumentLine, ElectronicAddress, Language, Party, PaymentDetails, PrecedingInvoice,
    ReminderDetails, TaxCategory, TaxLine,
};
pub use render::{PaperSize, RenderError, RenderOptions, Renderer, render_facturx, render_pdf, render_report};
pub use report::{Report, ReportSection, ReportTable};
