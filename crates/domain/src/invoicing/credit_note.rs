//! Credit notes: documents of their own series that cancel a finalized
//! invoice by exactly negating it.

use crate::TenantId;
use chrono::{DateTime, Utc};

/// A credit note: a document of its own series that cancels an invoice by
/// exactly negating it (its lines are the invoice's with negated amounts).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CreditNote {
    /// The credit note's id.
    pub id: uuid::Uuid,
    /// The organization.
    pub tenant_id: TenantId,
    /// The cancelled invoice.
    pub invoice_id: crate::InvoiceId,
    /// Its number, from the `CN` series.
    pub number: String,
    /// Its date.
    pub issue_date: chrono::NaiveDate,
    /// Why the invoice was cancelled.
    pub reason: Option<String>,
    /// The negated totals.
    pub subtotal: crate::Money,
    /// The negated tax.
    pub tax_total: crate::Money,
    /// The negated total.
    pub total: crate::Money,
    /// When it was issued.
    pub created_at: DateTime<Utc>,
}
