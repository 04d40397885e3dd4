//! The client's public view of a finalized invoice, `GET /i/{token}`: a
//! server-rendered HTML page reached through an unguessable token. Drafts,
//! unknown and malformed tokens all answer the same 404 page. The page is
//! never cached, indexed, framed or leaked through the Referer header.
//! `GET /i/{token}/pdf` is the same invoice as a PDF.

use std::fmt::Write as _;
use std::sync::Arc;

use fakturo_domain::invoicing::services::{PublicInvoice, PublicInvoiceError};
use poem::http::StatusCode;
use poem::web::{Data, Path};
use poem::{IntoResponse, Response, handler};

use fakturo_email::templates::html_escape as escape;

use super::AppState;
use super::pages::{failed, layout, not_found, page};

/// `GET /i/:token`
#[handler]
pub async fn invoice_page(Path(token): Path<String>, state: Data<&Arc<AppState>>) -> Response {
    match state.services.invoices.public_view(&token).await {
        Ok(found) => {
            let pay = super::checkout::pay_form(&state, &found).await;
            page(StatusCode::OK, &render(&found, &pay))
        }
        Err(PublicInvoiceError::NotFound) => page(StatusCode::NOT_FOUND, &not_found()),
        Err(PublicInvoiceError::Unexpected(error)) => {
            tracing::error!(%error, "public invoice page failed");
            page(StatusCode::INTERNAL_SERVER_ERROR, &failed())
        }
    }
}

/// `GET /i/:token/pdf`: the same invoice as a PDF (Factur-X when the data
/// allows); 404 exactly where the page is.
#[handler]
pub async fn invoice_pdf(Path(token): Path<String>, state: Data<&Arc<AppState>>) -> Response {
    let found = match state.services.documents.public_invoice(&token).await {
        Ok(Some(found)) => found,
        Ok(None) => return page(StatusCode::NOT_FOUND, &not_found()),
        Err(error) => {
            tracing::error!(%error, "public invoice PDF failed");
            return page(StatusCode::INTERNAL_SERVER_ERROR, &failed());
        }
    };
    match crate::documents::pdf(Arc::new(found)).await {
        Ok(file) => {
            let disposition = super::documents::disposition(&file);
            file.bytes
                .with_content_type(file.content_type)
                .with_header("Content-Disposition", disposition)
                .with_header("Cache-Control", "no-store")
                .with_header("Referrer-Policy", "no-referrer")
                .with_header("X-Robots-Tag", "noindex, nofollow")
                .with_header("X-Content-Type-Options", "nosniff")
                .into_response()
        }
        Err(error) => {
            tracing::error!(%error, "public invoice PDF could not be rendered");
            page(StatusCode::INTERNAL_SERVER_ERROR, &failed())
        }
    }
}

fn multiline(text: &str) -> String {
    escape(text).replace('\n', "<br>")
}

fn render(found: &PublicInvoice, pay: &str) -> String {
    let invoice = &found.invoice.invoice;
    let org = &found.organization;
    let client = &found.client.details;
    let totals = invoice.totals();
    let currency = invoice.content.currency.code();
    let number = invoice.number.clone().unwrap_or_default();
    let (status_class, status_text) = if invoice.status == fakturo_domain::invoicing::invoice::InvoiceStatus::Void {
        ("void", "Cancelled")
    } else if found.invoice.overdue {
        ("overdue", "Overdue")
    } else {
        match invoice.status {
            fakturo_domain::invoicing::invoice::InvoiceStatus::Paid => ("paid", "Paid"),
            fakturo_domain::invoicing::invoice::InvoiceStatus::PartiallyPaid => ("open", "Partially paid"),
            _ => ("open", "Open"),
        }
    };
    let mut body = String::new();
    let _ = write!(
        body,
        "<p class=\"muted\">{org_name}</p><h1>Invoice {number}</h1><span class=\"status {status_class}\">{status_text}</span>",
        org_name = escape(&org.name),
        number = escape(&number),
    );
    let _ = write!(
        body,
        "<div class=\"parties\"><div><strong>From</strong><br>{org_name}<br>{org_country}</div>\
         <div><strong>Bill to</strong><br>{client_name}{client_address}{client_tax}</div>\
         <div><strong>Issued</strong> {issue}<br><strong>Due</strong> {due}</div></div>",
        org_name = escape(&org.name),
        org_country = escape(org.country.code()),
        client_name = escape(&client.name),
        client_address = client
            .address
            .as_deref()
            .map(|a| format!("<br>{}", multiline(a)))
            .unwrap_or_default(),
        client_tax = client
            .tax_id
            .as_deref()
            .map(|t| format!("<br>Tax ID {}", escape(t)))
            .unwrap_or_default(),
        issue = invoice.content.issue_date.map(|d| d.to_string()).unwrap_or_default(),
        due = invoice.content.due_date.map(|d| d.to_string()).unwrap_or_default(),
    );
    body.push_str(
        "<table><thead><tr><th>Description</th><th class=\"num\">Quantity</th><th class=\"num\">Unit price</th>\
         <th class=\"num\">Tax</th><th class=\"num\">Amount</th></tr></thead><tbody>",
    );
    for (line, amounts) in invoice.content.lines.iter().zip(&totals.lines) {
        let discount = if line.discount_percent.is_zero() {
            String::new()
        } else {
            format!("<br><span class=\"muted\">less {} %</span>", line.discount_percent)
        };
        let _ = write!(
            body,
            "<tr><td>{}{discount}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{} %</td><td class=\"num\">{} {currency}</td></tr>",
            multiline(&line.description),
            line.quantity,
            line.unit_price,
            line.tax_rate,
            amounts.net,
        );
    }
    body.push_str("</tbody></table><table class=\"totals\">");
    let _ = write!(
        body,
        "<tr><td>Subtotal</td><td class=\"num\">{} {currency}</td></tr>",
        totals.subtotal
    );
    for group in &totals.tax_breakdown {
        let _ = write!(
            body,
            "<tr><td>Tax {} % on {} {currency}</td><td class=\"num\">{} {currency}</td></tr>",
            group.rate, group.taxable, group.tax
        );
    }
    let _ = write!(
        body,
        "<tr><td>Tax total</td><td class=\"num\">{} {currency}</td></tr>",
        totals.tax_total
    );
    let _ = write!(
        body,
        "<tr class=\"total\"><td>Total</td><td class=\"num\">{} {currency}</td></tr>",
        totals.total
    );
    if invoice.amount_paid.is_positive() {
        let _ = write!(
            body,
            "<tr><td>Paid</td><td class=\"num\">{} {currency}</td></tr>",
            invoice.amount_paid
        );
        let _ = write!(
            body,
            "<tr><td><strong>Balance due</strong></td><td class=\"num\"><strong>{} {currency}</strong></td></tr>",
            invoice.balance_due()
        );
    }
    body.push_str("</table>");
    body.push_str(pay);
    if let Some(notes) = &invoice.content.notes {
        let _ = write!(body, "<p>{}</p>", multiline(notes));
    }
    if let Some(token) = &invoice.delivery.public_token {
        // Relative to /i/{token}: resolves to /i/{token}/pdf.
        let _ = write!(
            body,
            "<p><a href=\"{}/pdf\" download>Download the PDF</a></p>",
            escape(token)
        );
    }
    layout(&format!("Invoice {number} from {}", org.name), &body)
}
