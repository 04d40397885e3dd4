//! Documents: the invoice PDF (Factur-X EN 16931 PDF/A-3 once finalized),
//! the UBL e-invoice (Peppol BIS Billing 3.0), the credit note's PDF and
//! UBL, and the final payment reminder letter. Every role may download
//! them; nothing is stored, each is rendered from the stored invoice, and
//! the same invoice gives the same bytes.

use std::sync::Arc;

use fakturo_domain::InvoiceId;
use fakturo_domain::invoicing::services::DocumentData;
use fakturo_domain::kernel::errors::Unexpected;
use poem_openapi::param::Path;
use poem_openapi::payload::Binary;
use poem_openapi::{ApiResponse, OpenApi};
use uuid::Uuid;

use super::auth::Auth;
use super::problem::{ApiError, ErrorCode};
use super::{ApiTags, AppState};
use crate::documents::{self, DocumentFailure, RenderedFile};

pub struct DocumentsApi {
    state: Arc<AppState>,
}

impl DocumentsApi {
    pub fn new(state: Arc<AppState>) -> Self {
        Self { state }
    }
}

#[derive(ApiResponse)]
enum Pdf {
    /// The PDF, as an attachment named after the document number.
    #[oai(status = 200, content_type = "application/pdf")]
    File(
        Binary<Vec<u8>>,
        #[oai(header = "Content-Disposition")] String,
        #[oai(header = "Cache-Control")] String,
    ),
}

#[derive(ApiResponse)]
enum Xml {
    /// The UBL 2.1 XML, as an attachment named after the document number.
    #[oai(status = 200, content_type = "application/xml")]
    File(
        Binary<Vec<u8>>,
        #[oai(header = "Content-Disposition")] String,
        #[oai(header = "Cache-Control")] String,
    ),
}

/// `attachment; filename="INV-2026-0001.pdf"` (the name holds only
/// letters, digits, `-` and `_` before the extension).
pub(super) fn disposition(file: &RenderedFile) -> String {
    format!("attachment; filename=\"{}\"", file.file_name)
}

/// The problem for a document that could not be produced.
pub(super) fn failure(error: DocumentFailure) -> ApiError {
    match error {
        DocumentFailure::Incomplete(message) => ApiError::new(ErrorCode::EinvoiceIncomplete, message),
        DocumentFailure::Invalid(message) => ApiError::new(ErrorCode::DocumentInvalid, message),
        other => ApiError::unexpected(&Unexpected(Box::new(other))),
    }
}

async fn pdf(data: DocumentData) -> Result<Pdf, ApiError> {
    let file = documents::pdf(Arc::new(data)).await.map_err(failure)?;
    let disposition = disposition(&file);
    Ok(Pdf::File(Binary(file.bytes), disposition, "private, no-store".into()))
}

async fn ubl(data: DocumentData) -> Result<Xml, ApiError> {
    let file = documents::ubl(Arc::new(data)).await.map_err(failure)?;
    let disposition = disposition(&file);
    Ok(Xml::File(Binary(file.bytes), disposition, "private, no-store".into()))
}

impl DocumentsApi {
    async fn invoice(&self, auth: Auth, id: Uuid) -> Result<DocumentData, ApiError> {
        let who = self.state.authenticate(auth).await?;
        let documents = &self.state.services.documents;
        Ok(documents.invoice(&who.principal, InvoiceId::from_uuid(id)).await?)
    }

    async fn credit_note(&self, auth: Auth, id: Uuid) -> Result<DocumentData, ApiError> {
        let who = self.state.authenticate(auth).await?;
        let documents = &self.state.services.documents;
        Ok(documents.credit_note(&who.principal, id).await?)
    }
}

#[OpenApi(prefix_path = "/api/v1", tag = "ApiTags::Invoices")]
impl DocumentsApi {
    /// The invoice as a PDF. A finalized invoice is a Factur-X EN 16931
    /// PDF/A-3 with the CII XML embedded (a plain PDF when the data misses an
    /// EN 16931 rule, such as a client without a country); a draft is a
    /// preview numbered `DRAFT`.
    #[oai(path = "/invoices/:id/pdf", method = "get", operation_id = "invoice_pdf")]
    async fn invoice_pdf(&self, auth: Auth, id: Path<Uuid>) -> Result<Pdf, ApiError> {
        pdf(self.invoice(auth, id.0).await?).await
    }

    /// The finalized invoice as a UBL 2.1 e-invoice (Peppol BIS Billing 3.0).
    /// 409 `einvoice_incomplete` names the EN 16931 rule the data misses
    /// (a draft, a client without a country, a seller without a VAT id …).
    #[oai(path = "/invoices/:id/ubl", method = "get", operation_id = "invoice_ubl")]
    async fn invoice_ubl(&self, auth: Auth, id: Path<Uuid>) -> Result<Xml, ApiError> {
        ubl(self.invoice(auth, id.0).await?).await
    }

    /// The final payment reminder (dunning letter) of an unpaid invoice past
    /// its due date: the amount outstanding and a new deadline a week from
    /// today. 409 `invoice_not_overdue` otherwise.
    #[oai(
        path = "/invoices/:id/reminder-letter",
        method = "get",
        operation_id = "invoice_reminder_letter"
    )]
    async fn reminder_letter(&self, auth: Auth, id: Path<Uuid>) -> Result<Pdf, ApiError> {
        let who = self.state.authenticate(auth).await?;
        let data = self
            .state
            .services
            .documents
            .reminder_letter(&who.principal, InvoiceId::from_uuid(id.0))
            .await?;
        pdf(data).await
    }

    /// The credit note as a PDF (Factur-X, type 381, when the data allows).
    #[oai(path = "/credit-notes/:id/pdf", method = "get", operation_id = "credit_note_pdf")]
    async fn credit_note_pdf(&self, auth: Auth, id: Path<Uuid>) -> Result<Pdf, ApiError> {
        pdf(self.credit_note(auth, id.0).await?).await
    }

    /// The credit note as a UBL 2.1 `CreditNote` (Peppol BIS Billing 3.0).
    #[oai(path = "/credit-notes/:id/ubl", method = "get", operation_id = "credit_note_ubl")]
    async fn credit_note_ubl(&self, auth: Auth, id: Path<Uuid>) -> Result<Xml, ApiError> {
        ubl(self.credit_note(auth, id.0).await?).await
    }
}
