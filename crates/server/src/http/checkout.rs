//! Paying an invoice online: the public page's **Pay** button (shown while
//! a balance is due and the organization connected Stripe) and
//! `POST /i/{token}/checkout`, which opens a Stripe Checkout Session on the
//! organization's own account for the balance due and answers 303 to it;
//! 409 with a page saying why when the invoice is paid, void or erased, or
//! Stripe is not connected.

use std::sync::Arc;

use fakturo_domain::billing::gateway::InvoiceCheckout;
use fakturo_domain::billing::services::{OpenCheckoutError, checkout_idempotency_key};
use fakturo_domain::invoicing::invoice::InvoiceStatus;
use fakturo_domain::invoicing::services::{PublicInvoice, PublicInvoiceError};
use poem::http::StatusCode;
use poem::web::{Data, Path};
use poem::{IntoResponse, Response, handler};

use fakturo_email::templates::html_escape as escape;

use super::AppState;
use super::pages::{failed, layout, not_found, page};

/// Why an invoice cannot be paid online, for the client.
fn unpayable(found: &PublicInvoice) -> Option<&'static str> {
    let invoice = &found.invoice.invoice;
    if found.client.privacy.erased_at.is_some() || invoice.hold.restricted {
        return Some("This invoice can no longer be paid online. Please contact the sender.");
    }
    match invoice.status {
        InvoiceStatus::Void => Some("This invoice was cancelled; there is nothing to pay."),
        InvoiceStatus::Paid => Some("This invoice is paid in full; there is nothing left to pay."),
        InvoiceStatus::Draft => Some("This invoice cannot be paid yet."),
        InvoiceStatus::Open | InvoiceStatus::PartiallyPaid if !invoice.balance_due().is_positive() => {
            Some("This invoice is paid in full; there is nothing left to pay.")
        }
        InvoiceStatus::Open | InvoiceStatus::PartiallyPaid => None,
    }
}

/// The Pay button, or nothing.
pub(super) async fn pay_form(state: &AppState, found: &PublicInvoice) -> String {
    if unpayable(found).is_some() {
        return String::new();
    }
    let tenant = found.invoice.invoice.tenant_id;
    match state.services.billing.connect.is_connected(tenant).await {
        Ok(true) => match &found.invoice.invoice.delivery.public_token {
            // Relative to /i/{token}: posts to /i/{token}/checkout.
            Some(token) => format!(
                "<form method=\"post\" action=\"{}/checkout\"><button type=\"submit\" id=\"pay\" \
                 style=\"font-size:1.1rem;padding:.6rem 1.6rem;border:0;border-radius:6px;background:#635bff;color:#fff\">\
                 Pay {} {}</button></form>",
                escape(token),
                found.invoice.invoice.balance_due(),
                found.invoice.invoice.content.currency.code()
            ),
            None => String::new(),
        },
        Ok(false) => String::new(),
        Err(error) => {
            tracing::error!(%error, "could not tell whether Stripe is connected");
            String::new()
        }
    }
}

fn refused(message: &str) -> Response {
    page(
        StatusCode::CONFLICT,
        &layout(
            "Online payment unavailable",
            &format!("<h1>Online payment unavailable</h1><p>{}</p>", escape(message)),
        ),
    )
}

/// `POST /i/:token/checkout`
#[handler]
pub async fn invoice_checkout(Path(token): Path<String>, state: Data<&Arc<AppState>>) -> Response {
    let found = match state.services.invoices.public_view(&token).await {
        Ok(found) => found,
        Err(PublicInvoiceError::NotFound) => return page(StatusCode::NOT_FOUND, &not_found()),
        Err(PublicInvoiceError::Unexpected(error)) => {
            tracing::error!(%error, "public invoice checkout failed");
            return page(StatusCode::INTERNAL_SERVER_ERROR, &failed());
        }
    };
    if let Some(message) = unpayable(&found) {
        return refused(message);
    }
    let invoice = &found.invoice.invoice;
    let billing = &state.services.billing;
    let key = match billing.keys.stripe_key(invoice.tenant_id).await {
        Ok(Some(key)) => key,
        Ok(None) => return refused("The sender does not take online payments. Please pay by bank transfer."),
        Err(error) => {
            tracing::error!(%error, "the Stripe key could not be opened");
            return page(StatusCode::INTERNAL_SERVER_ERROR, &failed());
        }
    };
    let balance = invoice.balance_due();
    let currency = invoice.content.currency.code().to_owned();
    let back = format!("{}/i/{}", state.settings.http.public_base(), token);
    let checkout = InvoiceCheckout {
        tenant: invoice.tenant_id,
        invoice: invoice.id,
        description: format!("Invoice {}", invoice.number.clone().unwrap_or_default()),
        amount_minor: balance.minor(),
        idempotency_key: checkout_idempotency_key(invoice.id, balance.minor(), &currency),
        currency,
        success_url: format!("{back}?paid=1"),
        cancel_url: back,
    };
    match billing.checkout.open(&key, &checkout).await {
        Ok(session) => match session.url {
            Some(url) => Response::builder()
                .status(StatusCode::SEE_OTHER)
                .header("Location", url)
                .header("Cache-Control", "no-store")
                .header("Referrer-Policy", "no-referrer")
                .finish(),
            None => refused("This payment is already being processed."),
        },
        Err(OpenCheckoutError::NothingDue) => refused("This invoice is paid in full; there is nothing left to pay."),
        Err(OpenCheckoutError::Provider(error)) => {
            tracing::warn!(%error, "Stripe refused or is unavailable for a checkout");
            page(
                StatusCode::SERVICE_UNAVAILABLE,
                &layout(
                    "Online payment unavailable",
                    "<h1>Online payment unavailable</h1><p>The payment page could not be opened. Please try again later.</p>",
                ),
            )
            .into_response()
        }
        Err(OpenCheckoutError::Unexpected(error)) => {
            tracing::error!(%error, "opening a checkout failed");
            page(StatusCode::INTERNAL_SERVER_ERROR, &failed())
        }
    }
}
