//! Turns a prepared email (facts from the domain) into a complete message
//! with the email adapter's templates.

use fakturo_domain::ports::EmailMessage;
use fakturo_domain::services::delivery::{Notice, Outgoing};
use fakturo_email::templates::{self, InvoiceSentEmail, PaymentReceivedEmail, PaymentReminderEmail, RenderedEmail};
use sha2::{Digest, Sha256};

/// The complete message for `outgoing`.
pub(super) fn message(outgoing: &Outgoing, public_base: &str, sender_address: &str) -> EmailMessage {
    let organization_name = outgoing.from_name.clone();
    let client_name = outgoing.to_name.clone();
    let link = |token: &str| format!("{public_base}/i/{token}");
    let rendered: RenderedEmail = match &outgoing.notice {
        Notice::InvoiceSent {
            invoice_number,
            total,
            due_date,
            public_token,
        } => templates::invoice_sent(&InvoiceSentEmail {
            organization_name,
            client_name,
            invoice_number: invoice_number.clone(),
            total: total.to_string(),
            currency: total.currency().code().to_owned(),
            due_date: due_date.map(|d| d.to_string()).unwrap_or_default(),
            public_url: link(public_token),
        }),
        Notice::PaymentReminder {
            invoice_number,
            balance_due,
            due_date,
            days_from_due,
            public_token,
        } => templates::payment_reminder(&PaymentReminderEmail {
            organization_name,
            client_name,
            invoice_number: invoice_number.clone(),
            balance_due: balance_due.to_string(),
            currency: balance_due.currency().code().to_owned(),
            due_date: due_date.to_string(),
            days_overdue: i64::from(*days_from_due),
            public_url: link(public_token),
        }),
        Notice::PaymentReceived {
            invoice_number,
            amount,
            paid_on,
            balance_due,
        } => templates::payment_received(&PaymentReceivedEmail {
            organization_name,
            client_name,
            invoice_number: invoice_number.clone(),
            amount: amount.to_string(),
            currency: amount.currency().code().to_owned(),
            paid_on: paid_on.to_string(),
            balance_due: balance_due.to_string(),
        }),
    };
    EmailMessage {
        message_id: message_id(&outgoing.message_key, sender_address),
        from_name: outgoing.from_name.clone(),
        reply_to: outgoing.reply_to.clone(),
        to: outgoing.to.clone(),
        to_name: Some(outgoing.to_name.clone()),
        subject: rendered.subject,
        text: rendered.text,
        html: rendered.html,
        attachments: Vec::new(),
    }
}

/// `<digest@domain>`: the same job always yields the same Message-ID.
fn message_id(key: &str, sender_address: &str) -> String {
    let domain = sender_address.rsplit_once('@').map_or("fakturo.invalid", |(_, d)| d);
    let digest: String = Sha256::digest(key.as_bytes())
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("<{digest}@{domain}>")
}
