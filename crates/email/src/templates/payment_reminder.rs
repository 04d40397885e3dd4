//! The reminder about an unpaid invoice, worded for before, on and after
//! the due date.

use std::cmp::Ordering;

use super::letter::{Letter, days};
use super::{RenderedEmail, format_amount};

/// The facts for [`payment_reminder`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaymentReminderEmail {
    /// The sender: the tenant's organization.
    pub organization_name: String,
    /// The recipient's name.
    pub client_name: String,
    /// The invoice number.
    pub invoice_number: String,
    /// What is still to pay, such as `120.00`.
    pub balance_due: String,
    /// The ISO 4217 code, such as `EUR`.
    pub currency: String,
    /// The due date, such as `2026-12-06`.
    pub due_date: String,
    /// Days past the due date: negative before it, zero on it.
    pub days_overdue: i64,
    /// The link to the invoice's public page.
    pub public_url: String,
}

/// A reminder to pay: "is due on …" before the due date, "is due today" on
/// it, "was due on …, N days ago" after it.
#[must_use]
pub fn payment_reminder(email: &PaymentReminderEmail) -> RenderedEmail {
    let number = &email.invoice_number;
    let due_date = &email.due_date;
    let (subject, when) = match email.days_overdue.cmp(&0) {
        Ordering::Less => (
            format!("Reminder: invoice {number} is due on {due_date}"),
            format!("is due on {due_date}, in {}", days(email.days_overdue.saturating_neg())),
        ),
        Ordering::Equal => (
            format!("Reminder: invoice {number} is due today"),
            format!("is due today, {due_date}"),
        ),
        Ordering::Greater => (
            format!("Overdue: invoice {number} was due on {due_date}"),
            format!("was due on {due_date}, {} ago", days(email.days_overdue)),
        ),
    };
    let balance = format_amount(&email.balance_due, &email.currency);
    Letter {
        subject,
        greeting: format!("Hello {},", email.client_name),
        paragraphs: vec![
            format!(
                "This is a reminder that invoice {number} from {} {when}. The balance due is {balance}.",
                email.organization_name
            ),
            "If you have already paid, thank you, and please disregard this message.".to_owned(),
        ],
        details: vec![
            ("Invoice", number.clone()),
            ("Balance due", balance),
            ("Due date", due_date.clone()),
        ],
        action: Some(("View invoice", email.public_url.clone())),
        signature: email.organization_name.clone(),
    }
    .render()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reminder(days_overdue: i64) -> RenderedEmail {
        payment_reminder(&PaymentReminderEmail {
            organization_name: "Acme".to_owned(),
            client_name: "Jane".to_owned(),
            invoice_number: "2026-0042".to_owned(),
            balance_due: "120.00".to_owned(),
            currency: "EUR".to_owned(),
            due_date: "2026-12-06".to_owned(),
            days_overdue,
            public_url: "https://fakturo.example/i/tok".to_owned(),
        })
    }

    #[test]
    fn before_the_due_date_it_counts_down() {
        let rendered = reminder(-3);
        assert_eq!(rendered.subject, "Reminder: invoice 2026-0042 is due on 2026-12-06");
        for part in [&rendered.text, &rendered.html] {
            assert!(part.contains("is due on 2026-12-06, in 3 days."), "{part}");
        }
        assert!(reminder(-1).text.contains("in 1 day."));
    }

    #[test]
    fn on_the_due_date_it_says_today() {
        let rendered = reminder(0);
        assert_eq!(rendered.subject, "Reminder: invoice 2026-0042 is due today");
        for part in [&rendered.text, &rendered.html] {
            assert!(part.contains("is due today, 2026-12-06."), "{part}");
        }
    }

    #[test]
    fn after_the_due_date_it_counts_the_days() {
        let rendered = reminder(14);
        assert_eq!(rendered.subject, "Overdue: invoice 2026-0042 was due on 2026-12-06");
        for part in [&rendered.text, &rendered.html] {
            assert!(part.contains("was due on 2026-12-06, 14 days ago."), "{part}");
        }
        assert!(reminder(1).text.contains("1 day ago."));
    }

    #[test]
    fn both_parts_carry_the_balance_and_the_link() {
        let rendered = reminder(5);
        for part in [&rendered.text, &rendered.html] {
            assert!(part.contains("120.00 EUR"), "{part}");
            assert!(part.contains("https://fakturo.example/i/tok"), "{part}");
        }
    }
}
