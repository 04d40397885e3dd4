//! The owners' notices about their organization's subscription: a renewal
//! payment failed, the subscription will end, it ended. Service notices: they
//! go to every owner whatever their marketing choices.

use super::RenderedEmail;
use super::letter::Letter;

const SIGNATURE: &str = "Fakturo";

/// What happened to the subscription.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SubscriptionEvent {
    /// A renewal payment failed; the provider retries.
    PaymentFailed,
    /// It ends on this day (`2027-01-01`).
    WillEnd(String),
    /// It ended; with the day the data will be purged if the closure window
    /// started, else the organization is read-only.
    Ended(Option<String>),
}

/// The facts for [`subscription_notice`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SubscriptionNoticeEmail {
    /// The owner's name.
    pub user_name: String,
    /// The organization.
    pub organization_name: String,
    /// What happened.
    pub event: SubscriptionEvent,
    /// Where the owner manages the subscription.
    pub url: String,
}

/// A notice to an owner about the organization's subscription.
#[must_use]
pub fn subscription_notice(email: &SubscriptionNoticeEmail) -> RenderedEmail {
    let organization = &email.organization_name;
    let (subject, paragraphs, action) = match &email.event {
        SubscriptionEvent::PaymentFailed => (
            format!("A payment for {organization}'s subscription failed"),
            vec![
                format!(
                    "The latest payment for {organization}'s Fakturo subscription did not go through. \
                     The payment provider will try again; until then everything keeps working."
                ),
                "Please check the payment method on file so that the subscription continues.".to_owned(),
            ],
            "Update the payment method",
        ),
        SubscriptionEvent::WillEnd(on) => (
            format!("{organization}'s subscription ends on {on}"),
            vec![
                format!("{organization}'s Fakturo subscription is set to end on {on}."),
                "After that the organization's data can still be read and exported, but nothing new can be \
                 created. Resume the subscription before then to keep working as today."
                    .to_owned(),
            ],
            "Manage the subscription",
        ),
        SubscriptionEvent::Ended(None) => (
            format!("{organization}'s subscription has ended"),
            vec![
                format!("{organization}'s Fakturo subscription has ended."),
                "The organization is now read-only: its invoices, clients and files can still be read and \
                 exported, privacy requests are still answered, and subscribing again lifts the limit."
                    .to_owned(),
            ],
            "Subscribe again",
        ),
        SubscriptionEvent::Ended(Some(purge_on)) => (
            format!("{organization}'s subscription has ended and the account is closing"),
            vec![
                format!("{organization}'s Fakturo subscription has ended, and the account is now closed."),
                format!(
                    "Until {purge_on} the data can still be exported and the account reopened; after that day \
                     it is deleted, except what the law requires us to keep."
                ),
            ],
            "Export or reopen",
        ),
    };
    Letter {
        subject,
        greeting: format!("Hello {},", email.user_name),
        paragraphs,
        details: Vec::new(),
        action: Some((action, email.url.clone())),
        signature: SIGNATURE.to_owned(),
    }
    .render()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(event: SubscriptionEvent) -> RenderedEmail {
        subscription_notice(&SubscriptionNoticeEmail {
            user_name: "Ada".to_owned(),
            organization_name: "Muster <GmbH>".to_owned(),
            event,
            url: "https://app.example/settings/billing".to_owned(),
        })
    }

    #[test]
    fn each_notice_says_what_happened_and_what_follows() {
        let failed = render(SubscriptionEvent::PaymentFailed);
        assert_eq!(failed.subject, "A payment for Muster <GmbH>'s subscription failed");
        let ending = render(SubscriptionEvent::WillEnd("2027-01-01".to_owned()));
        assert!(ending.text.contains("set to end on 2027-01-01"), "{}", ending.text);
        let read_only = render(SubscriptionEvent::Ended(None));
        assert!(read_only.text.contains("now read-only"), "{}", read_only.text);
        let closing = render(SubscriptionEvent::Ended(Some("2027-02-01".to_owned())));
        assert!(closing.text.contains("Until 2027-02-01"), "{}", closing.text);
        for rendered in [&failed, &ending, &read_only, &closing] {
            assert!(rendered.html.contains("Muster &lt;GmbH&gt;"), "{}", rendered.html);
            assert!(rendered.text.contains("https://app.example/settings/billing"));
        }
    }
}
