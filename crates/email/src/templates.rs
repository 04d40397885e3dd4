//! The emails Fakturo sends, as pure functions from facts to content: each
//! returns a [`RenderedEmail`] with a subject, a plain-text part and an HTML
//! part that say the same thing.
//!
//! Values arrive already formatted as text (amounts like `200.56`, dates like
//! `2026-12-06`) so that the templates make no decisions about money or
//! time. Every value is HTML-escaped in the HTML part; the layout both parts
//! share lives in `letter`.

mod account;
mod incident;
mod invoice_sent;
mod letter;
mod payment_received;
mod payment_reminder;
mod privacy;
mod subscription;
mod work_update;

pub use account::{
    AccountLinkEmail, InvitationEmail, LinkKind, account_link, email_change_requested, invitation, sign_in_throttled,
};
pub use incident::{IncidentNoticeEmail, incident_notice};
pub use invoice_sent::{InvoiceSentEmail, invoice_sent};
pub use payment_received::{PaymentReceivedEmail, payment_received};
pub use payment_reminder::{PaymentReminderEmail, payment_reminder};
pub use privacy::{
    OverdueCaseLine, OverduePrivacyRequestsEmail, PolicyNoticeEmail, PrivacyRequestConfirmationEmail,
    PrivacyRequestExtendedEmail, ProductUpdateEmail, overdue_privacy_requests, policy_notice,
    privacy_request_confirmation, privacy_request_extended, product_update,
};
pub use subscription::{SubscriptionEvent, SubscriptionNoticeEmail, subscription_notice};
pub use work_update::{WorkUpdateEmail, work_update};

/// The content of one email, ready to go into an
/// [`EmailMessage`](fakturo_domain::messaging::ports::EmailMessage).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RenderedEmail {
    /// The subject line.
    pub subject: String,
    /// The plain-text part.
    pub text: String,
    /// The HTML part: a complete document with inline styles.
    pub html: String,
}

/// `text` safe to place in HTML content or a quoted attribute: `&`, `<`,
/// `>`, `"` and `'` become character references.
#[must_use]
pub fn html_escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            other => escaped.push(other),
        }
    }
    escaped
}

/// An amount with its currency code, as the emails show it: `200.56 EUR`.
#[must_use]
pub fn format_amount(amount: &str, currency: &str) -> String {
    format!("{} {}", amount.trim(), currency.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_neutralizes_markup() {
        assert_eq!(
            html_escape("<script>alert('x')</script>"),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"
        );
        assert_eq!(html_escape("Smith & \"Sons\""), "Smith &amp; &quot;Sons&quot;");
        assert_eq!(html_escape("&amp;"), "&amp;amp;");
        assert_eq!(html_escape("Zoë"), "Zoë");
    }

    #[test]
    fn amounts_carry_their_currency() {
        assert_eq!(format_amount("200.56", "EUR"), "200.56 EUR");
    }
}
