//! The email that carries a newly sent invoice to the client.

use super::letter::Letter;
use super::{RenderedEmail, format_amount};

/// The facts for [`invoice_sent`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvoiceSentEmail {
    /// The sender: the tenant's organization.
    pub organization_name: String,
    /// The recipient's name.
    pub client_name: String,
    /// The invoice number, such as `2026-0042`.
    pub invoice_number: String,
    /// The invoice total, such as `200.56`.
    pub total: String,
    /// The ISO 4217 code, such as `EUR`.
    pub currency: String,
    /// The due date, such as `2026-12-06`; empty when the invoice has none.
    pub due_date: String,
    /// The link to the invoice's public page.
    pub public_url: String,
}

/// A new invoice: its number, total and due date, and the link to it.
#[must_use]
pub fn invoice_sent(email: &InvoiceSentEmail) -> RenderedEmail {
    let total = format_amount(&email.total, &email.currency);
    let has_due_date = !email.due_date.trim().is_empty();
    let mut summary = format!(
        "{} has sent you invoice {} for {total}",
        email.organization_name, email.invoice_number
    );
    if has_due_date {
        summary.push_str(", due on ");
        summary.push_str(&email.due_date);
    }
    summary.push('.');
    let mut details = vec![("Invoice", email.invoice_number.clone()), ("Total", total)];
    if has_due_date {
        details.push(("Due date", email.due_date.clone()));
    }
    Letter {
        subject: format!("Invoice {} from {}", email.invoice_number, email.organization_name),
        greeting: format!("Hello {},", email.client_name),
        paragraphs: vec![
            summary,
            "You can view, download and print the invoice on its page.".to_owned(),
        ],
        details,
        action: Some(("View invoice", email.public_url.clone())),
        signature: email.organization_name.clone(),
    }
    .render()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn email() -> InvoiceSentEmail {
        InvoiceSentEmail {
            organization_name: "Acme <Tools> & Co".to_owned(),
            client_name: "Jane <script>alert(1)</script>".to_owned(),
            invoice_number: "2026-0042".to_owned(),
            total: "200.56".to_owned(),
            currency: "EUR".to_owned(),
            due_date: "2026-12-06".to_owned(),
            public_url: "https://fakturo.example/i/tok?x=1&y=2".to_owned(),
        }
    }

    #[test]
    fn both_parts_carry_the_link_the_total_and_the_due_date() {
        let rendered = invoice_sent(&email());
        assert_eq!(rendered.subject, "Invoice 2026-0042 from Acme <Tools> & Co");
        assert!(rendered.text.contains("https://fakturo.example/i/tok?x=1&y=2"));
        assert!(rendered.html.contains("https://fakturo.example/i/tok?x=1&amp;y=2"));
        for part in [&rendered.text, &rendered.html] {
            assert!(part.contains("200.56 EUR"), "{part}");
            assert!(part.contains("due on 2026-12-06"), "{part}");
            assert!(part.contains("2026-0042"), "{part}");
        }
    }

    #[test]
    fn names_are_escaped_in_html_only() {
        let rendered = invoice_sent(&email());
        assert!(rendered.text.contains("Hello Jane <script>alert(1)</script>,"));
        assert!(!rendered.html.contains("<script>"));
        assert!(
            rendered
                .html
                .contains("Hello Jane &lt;script&gt;alert(1)&lt;/script&gt;,")
        );
        assert!(rendered.html.contains("Acme &lt;Tools&gt; &amp; Co"));
    }

    #[test]
    fn an_invoice_without_a_due_date_does_not_mention_one() {
        let rendered = invoice_sent(&InvoiceSentEmail {
            due_date: String::new(),
            ..email()
        });
        assert!(rendered.text.contains("for 200.56 EUR."), "{}", rendered.text);
        assert!(!rendered.text.contains("Due"));
        assert!(!rendered.html.contains("Due"));
    }
}
