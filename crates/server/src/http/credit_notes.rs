//! Voiding invoices and the credit notes it issues.

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use fakturo_domain::InvoiceId;
use fakturo_domain::invoicing::credit_note::CreditNote;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, Object, OpenApi};
use uuid::Uuid;

use super::auth::Auth;
use super::decimal::DecimalString;
use super::pagination::page_request;
use super::problem::ApiError;
use super::{ApiTags, AppState};

pub struct CreditNotesApi {
    state: Arc<AppState>,
}

impl CreditNotesApi {
    pub fn new(state: Arc<AppState>) -> Self {
        Self { state }
    }
}

/// Why the invoice is voided (optional; printed on the credit note).
#[derive(Object)]
#[oai(deny_unknown_fields)]
struct VoidRequest {
    /// Up to 1,000 characters.
    reason: Option<String>,
}

/// A credit note: it cancels its invoice by exactly negating it.
#[derive(Object)]
struct CreditNoteView {
    id: Uuid,
    /// From the credit note series, such as `CN-2026-0001`.
    number: String,
    /// The cancelled invoice (now `void`).
    invoice_id: Uuid,
    issue_date: NaiveDate,
    reason: Option<String>,
    /// ISO 4217.
    currency: String,
    /// The invoice's subtotal, negated.
    subtotal: DecimalString,
    /// The invoice's tax, negated.
    tax_total: DecimalString,
    /// The invoice's total, negated.
    total: DecimalString,
    created_at: DateTime<Utc>,
}

/// A page of credit notes, newest first.
#[derive(Object)]
struct CreditNoteList {
    data: Vec<CreditNoteView>,
    /// Pass as `cursor` for the next page; `null` on the last page.
    next_cursor: Option<String>,
}

#[derive(ApiResponse)]
enum Voided {
    /// The invoice is void; this is its credit note.
    #[oai(status = 201)]
    Created(Json<CreditNoteView>),
}

fn view(note: CreditNote) -> CreditNoteView {
    CreditNoteView {
        id: note.id,
        number: note.number,
        invoice_id: note.invoice_id.as_uuid(),
        issue_date: note.issue_date,
        reason: note.reason,
        currency: note.total.currency().code().to_owned(),
        subtotal: note.subtotal.to_string().into(),
        tax_total: note.tax_total.to_string().into(),
        total: note.total.to_string().into(),
        created_at: note.created_at,
    }
}

#[OpenApi(prefix_path = "/api/v1", tag = "ApiTags::Invoices")]
impl CreditNotesApi {
    /// Void a finalized invoice: issues a credit note of the `CN` series that
    /// negates it. Drafts answer 409 `invoice_not_finalized` (delete them instead).
    #[oai(path = "/invoices/:id/void", method = "post", operation_id = "void_invoice")]
    async fn void(&self, auth: Auth, id: Path<Uuid>, body: Json<VoidRequest>) -> Result<Voided, ApiError> {
        let who = self.state.authenticate(auth).await?;
        let note = self
            .state
            .services
            .credit_notes
            .void(&who.principal, InvoiceId::from_uuid(id.0), body.0.reason.as_deref())
            .await?;
        Ok(Voided::Created(Json(view(note))))
    }

    /// List credit notes, newest first.
    #[oai(path = "/credit-notes", method = "get", operation_id = "list_credit_notes")]
    async fn list(
        &self,
        auth: Auth,
        /// Page size, 1 to 100 (default 50).
        #[oai(validator(minimum(value = "1"), maximum(value = "100")))]
        limit: Query<Option<u32>>,
        /// The `next_cursor` of the previous page.
        cursor: Query<Option<String>>,
    ) -> Result<Json<CreditNoteList>, ApiError> {
        let who = self.state.authenticate(auth).await?;
        let page = page_request(limit.0, cursor.0.as_deref())?;
        let found = self.state.services.credit_notes.list(&who.principal, page).await?;
        Ok(Json(CreditNoteList {
            data: found.items.into_iter().map(view).collect(),
            next_cursor: found.next_cursor,
        }))
    }

    /// One credit note.
    #[oai(path = "/credit-notes/:id", method = "get", operation_id = "get_credit_note")]
    async fn get(&self, auth: Auth, id: Path<Uuid>) -> Result<Json<CreditNoteView>, ApiError> {
        let who = self.state.authenticate(auth).await?;
        let note = self.state.services.credit_notes.get(&who.principal, id.0).await?;
        Ok(Json(view(note)))
    }
}
