//! The receipt sent when a payment is recorded against an invoice.

use super::letter::Letter;
use super::{RenderedEmail, format_amount};

/// The facts for [`payment_received`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaymentReceivedEmail {
    /// The sender: the tenant's organization.
    pub organization_name: String,
    /// The recipient's name.
    pub client_name: String,
    /// The invoice number.
    pub invoice_number: String,
    /// The amount paid, such as `80.56`.
    pub amount: String,
    /// The ISO 4217 code of both amounts, such as `EUR`.
    pub currency: String,
    /// The payment date, such as `2026-12-01`.
    pub paid_on: String,
    /// What remains to pay after this payment, such as `0.00`.
    pub balance_due: String,
}

/// A thank-you for a payment, saying whether the invoice is now paid in full.
#[must_use]
pub fn payment_received(email: &PaymentReceivedEmail) -> RenderedEmail {
    let number = &email.invoice_number;
    let amount = format_amount(&email.amount, &email.currency);
    let balance = format_amount(&email.balance_due, &email.currency);
    let standing = if is_zero(&email.balance_due) {
        format!("Invoice {number} is now paid in full.")
    } else {
        format!("A balance of {balance} remains due on invoice {number}.")
    };
    Letter {
        subject: format!("Payment received for invoice {number}"),
        greeting: format!("Hello {},", email.client_name),
        paragraphs: vec![
            format!(
                "Thank you: {} received your payment of {amount} for invoice {number} on {}.",
                email.organization_name, email.paid_on
            ),
            standing,
        ],
        details: vec![
            ("Invoice", number.clone()),
            ("Payment", amount),
            ("Paid on", email.paid_on.clone()),
            ("Balance due", balance),
        ],
        action: None,
        signature: email.organization_name.clone(),
    }
    .render()
}

/// Whether a formatted amount (`0.00`, `0`, `-0.00`) is zero.
fn is_zero(amount: &str) -> bool {
    let mut digits = amount.chars().filter(char::is_ascii_digit).peekable();
    digits.peek().is_some() && digits.all(|digit| digit == '0')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn receipt(balance_due: &str) -> RenderedEmail {
        payment_received(&PaymentReceivedEmail {
            organization_name: "Acme & Co".to_owned(),
            client_name: "Jane".to_owned(),
            invoice_number: "2026-0042".to_owned(),
            amount: "80.56".to_owned(),
            currency: "EUR".to_owned(),
            paid_on: "2026-12-01".to_owned(),
            balance_due: balance_due.to_owned(),
        })
    }

    #[test]
    fn both_parts_carry_the_amounts_and_the_date() {
        let rendered = receipt("120.00");
        assert_eq!(rendered.subject, "Payment received for invoice 2026-0042");
        for part in [&rendered.text, &rendered.html] {
            assert!(part.contains("80.56 EUR"), "{part}");
            assert!(part.contains("2026-12-01"), "{part}");
            assert!(part.contains("A balance of 120.00 EUR remains due"), "{part}");
        }
        assert!(rendered.html.contains("Acme &amp; Co"));
    }

    #[test]
    fn a_zero_balance_reads_as_paid_in_full() {
        let rendered = receipt("0.00");
        for part in [&rendered.text, &rendered.html] {
            assert!(part.contains("Invoice 2026-0042 is now paid in full."), "{part}");
        }
        assert!(is_zero("0") && is_zero("-0.00") && !is_zero("0.01") && !is_zero(""));
    }
}
