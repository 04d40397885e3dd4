//! The rows of an invoice: the header model written from a domain invoice,
//! and a domain invoice read back from its header and lines.

use fakturo_domain::invoicing::invoice::{Delivery, Invoice, InvoiceContent, InvoiceLine, InvoiceStatus, LegalHold};
use fakturo_domain::kernel::money::{Currency, Money, parse_decimal};
use fakturo_domain::kernel::repository::RepositoryError;
use fakturo_domain::{ClientId, InvoiceId, RecurringInvoiceId, TenantId};

use crate::entities::{invoice, invoice_line};
use crate::errors::corrupt;
use crate::repositories::sql_invoice_repository::INVOICE_SERIES;

pub(crate) fn header_model(inv: &Invoice) -> Result<invoice::Model, RepositoryError> {
    let totals = inv.totals();
    Ok(invoice::Model {
        tenant_id: inv.tenant_id.as_uuid(),
        id: inv.id.as_uuid(),
        client_id: inv.content.client_id.as_uuid(),
        series: INVOICE_SERIES.to_owned(),
        number: inv.number.clone(),
        status: inv.status.as_str().to_owned(),
        currency: inv.content.currency.code().to_owned(),
        issue_date: inv.content.issue_date,
        due_date: inv.content.due_date,
        payment_terms_days: inv
            .content
            .payment_terms_days
            .map(i32::try_from)
            .transpose()
            .map_err(|e| corrupt("invoices.payment_terms_days", e))?,
        notes: inv.content.notes.clone(),
        subtotal_minor: totals.subtotal.minor(),
        tax_total_minor: totals.tax_total.minor(),
        total_minor: totals.total.minor(),
        amount_paid_minor: inv.amount_paid.minor(),
        finalized_at: inv.finalized_at,
        created_at: inv.created_at,
        updated_at: inv.updated_at,
        public_token: inv.delivery.public_token.clone(),
        sent_at: inv.delivery.sent_at,
        sent_to: inv.delivery.sent_to.clone(),
        recurring_invoice_id: inv.recurring_invoice_id.map(|id| id.as_uuid()),
        buyer: inv
            .buyer
            .as_ref()
            .map(serde_json::to_string)
            .transpose()
            .map_err(|e| corrupt("invoices.buyer", e))?,
        restricted: inv.hold.restricted,
        legal_hold_until: inv.hold.until,
    })
}

pub(crate) fn into_domain(header: invoice::Model, lines: Vec<invoice_line::Model>) -> Result<Invoice, RepositoryError> {
    let currency = Currency::parse(&header.currency).map_err(|e| corrupt("invoices.currency", e))?;
    let decimal = |what: &str, text: &str| parse_decimal(text).map_err(|e| corrupt(what, e));
    let lines = lines
        .into_iter()
        .map(|line| {
            Ok(InvoiceLine {
                quantity: decimal("invoice_lines.quantity", &line.quantity)?,
                unit_price: decimal("invoice_lines.unit_price", &line.unit_price)?,
                tax_rate: decimal("invoice_lines.tax_rate", &line.tax_rate)?,
                discount_percent: decimal("invoice_lines.discount_percent", &line.discount_percent)?,
                description: line.description,
                product_id: line.product_id,
            })
        })
        .collect::<Result<Vec<_>, RepositoryError>>()?;
    let content = InvoiceContent {
        client_id: ClientId::from_uuid(header.client_id),
        currency,
        issue_date: header.issue_date,
        due_date: header.due_date,
        payment_terms_days: header
            .payment_terms_days
            .map(u32::try_from)
            .transpose()
            .map_err(|e| corrupt("invoices.payment_terms_days", e))?,
        notes: header.notes,
        lines,
    };
    let status = InvoiceStatus::parse(&header.status).ok_or_else(|| corrupt("invoices.status", "unknown status"))?;
    let delivery = Delivery {
        public_token: header.public_token,
        sent_at: header.sent_at,
        sent_to: header.sent_to,
    };
    let recurring_invoice_id = header.recurring_invoice_id.map(RecurringInvoiceId::from_uuid);
    let mut invoice = Invoice::new(
        InvoiceId::from_uuid(header.id),
        TenantId::from_uuid(header.tenant_id),
        header.number,
        status,
        content,
        Money::from_minor(header.amount_paid_minor, currency),
        header.finalized_at,
        header.created_at,
        header.updated_at,
    )
    .map_err(|e| corrupt("invoice totals", e))?;
    if invoice.totals().total.minor() != header.total_minor {
        return Err(corrupt("invoices.total_minor", "stored total differs from the lines"));
    }
    invoice.delivery = delivery;
    invoice.recurring_invoice_id = recurring_invoice_id;
    invoice.buyer = header
        .buyer
        .as_deref()
        .map(serde_json::from_str)
        .transpose()
        .map_err(|e| corrupt("invoices.buyer", e))?;
    invoice.hold = LegalHold {
        restricted: header.restricted,
        until: header.legal_hold_until,
    };
    Ok(invoice)
}
