//! Emails of the privacy promises: notices of a new privacy policy or
//! terms version, the operator's product updates (marketing, sent only with
//! consent, always with the way to withdraw it), the confirmation link of a
//! privacy request made without an account, and the owners' list of
//! overdue privacy requests (ids, types and dates: no requester's data).

use super::RenderedEmail;
use super::letter::Letter;

/// The product name that signs these emails.
const SIGNATURE: &str = "Fakturo";

/// The facts for [`policy_notice`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyNoticeEmail {
    /// The recipient's name.
    pub user_name: String,
    /// `privacy policy` or `terms of service`.
    pub policy_title: String,
    /// The new version.
    pub version: String,
    /// When it takes effect (`2027-01-15`).
    pub effective_on: String,
    /// Whether the change is material.
    pub material: bool,
    /// What changed.
    pub summary: String,
    /// Where to read and accept it.
    pub url: String,
}

/// A new version of a policy was published.
#[must_use]
pub fn policy_notice(email: &PolicyNoticeEmail) -> RenderedEmail {
    let mut paragraphs = vec![format!(
        "We have published a new version of our {} ({}). It takes effect on {}.",
        email.policy_title, email.version, email.effective_on
    )];
    if email.material {
        paragraphs.push(
            "This is a material change: please read it before it takes effect. If you do not agree, you can \
             export your data and close your account before then."
                .to_owned(),
        );
    }
    paragraphs.push(format!("What changes: {}", email.summary));
    Letter {
        subject: format!("Our {} changes on {}", email.policy_title, email.effective_on),
        greeting: format!("Hello {},", email.user_name),
        paragraphs,
        details: Vec::new(),
        action: Some(("Read the new version", email.url.clone())),
        signature: SIGNATURE.to_owned(),
    }
    .render()
}

/// The facts for [`product_update`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProductUpdateEmail {
    /// The recipient's name.
    pub user_name: String,
    /// The subject line.
    pub subject: String,
    /// The text, paragraphs separated by blank lines.
    pub body: String,
    /// Where the recipient manages (and withdraws) their consent.
    pub preferences_url: String,
}

/// The operator's product update.
#[must_use]
pub fn product_update(email: &ProductUpdateEmail) -> RenderedEmail {
    let mut paragraphs: Vec<String> = email
        .body
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect();
    paragraphs.push(
        "You receive this because you agreed to product news by email. Withdrawing takes one click, as \
         easy as agreeing was."
            .to_owned(),
    );
    Letter {
        subject: email.subject.clone(),
        greeting: format!("Hello {},", email.user_name),
        paragraphs,
        details: Vec::new(),
        action: Some(("Manage my consent", email.preferences_url.clone())),
        signature: SIGNATURE.to_owned(),
    }
    .render()
}

/// The facts for [`privacy_request_confirmation`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrivacyRequestConfirmationEmail {
    /// What was asked for, in words (`access to your data`).
    pub request: String,
    /// The link, with its token.
    pub url: String,
    /// Hours until it stops working.
    pub valid_hours: i64,
}

/// The link that makes a privacy request count.
#[must_use]
pub fn privacy_request_confirmation(email: &PrivacyRequestConfirmationEmail) -> RenderedEmail {
    Letter {
        subject: "Confirm your privacy request".to_owned(),
        greeting: "Hello,".to_owned(),
        paragraphs: vec![
            format!(
                "Someone, hopefully you, made a privacy request using this email address: {}. To protect \
                 your data, the request counts only once you confirm that this address is yours.",
                email.request
            ),
            format!(
                "The link works once, for {} hours. If you did not make this request, ignore this email: \
                 nothing happens.",
                email.valid_hours
            ),
        ],
        details: Vec::new(),
        action: Some(("Confirm my request", email.url.clone())),
        signature: SIGNATURE.to_owned(),
    }
    .render()
}

/// One overdue case in [`overdue_privacy_requests`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OverdueCaseLine {
    /// The case's id.
    pub reference: String,
    /// The request type's name.
    pub request_type: String,
    /// When it was received (`2026-11-22`).
    pub received_on: String,
    /// When it was due.
    pub due_on: String,
}

/// The facts for [`overdue_privacy_requests`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OverduePrivacyRequestsEmail {
    /// The owner's name.
    pub user_name: String,
    /// The organization.
    pub organization_name: String,
    /// The day of the list.
    pub on: String,
    /// The overdue cases.
    pub cases: Vec<OverdueCaseLine>,
    /// Where the cases are listed.
    pub url: String,
}

/// The organization's privacy requests that are past their due date.
#[must_use]
pub fn overdue_privacy_requests(email: &OverduePrivacyRequestsEmail) -> RenderedEmail {
    let count = email.cases.len();
    let mut paragraphs = vec![format!(
        "As of {}, {} of {}'s privacy requests {} past {} due date. The law gives one month to answer \
         (extendable by two months with a reason, told to the requester).",
        email.on,
        count,
        email.organization_name,
        if count == 1 { "is" } else { "are" },
        if count == 1 { "its" } else { "their" },
    )];
    paragraphs.extend(email.cases.iter().map(|case| {
        format!(
            "{} request {}: received {}, due {}.",
            case.request_type, case.reference, case.received_on, case.due_on
        )
    }));
    Letter {
        subject: format!("{count} overdue privacy request(s) at {}", email.organization_name),
        greeting: format!("Hello {},", email.user_name),
        paragraphs,
        details: Vec::new(),
        action: Some(("Open the privacy requests", email.url.clone())),
        signature: SIGNATURE.to_owned(),
    }
    .render()
}

/// The facts for [`privacy_request_extended`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrivacyRequestExtendedEmail {
    /// The organization that answers.
    pub organization_name: String,
    /// What was asked for, in words (`access to your data`).
    pub request: String,
    /// When it was received (`2027-03-01`).
    pub received_on: String,
    /// The new due date.
    pub due_on: String,
    /// Why the organization needs longer.
    pub reason: String,
}

/// Tells a requester that the answer to their request will take longer, until when and why.
#[must_use]
pub fn privacy_request_extended(email: &PrivacyRequestExtendedEmail) -> RenderedEmail {
    Letter {
        subject: format!("Your privacy request to {}: more time needed", email.organization_name),
        greeting: "Hello,".to_owned(),
        paragraphs: vec![
            format!(
                "{} received your request for {} on {}. It needs more time to answer it fully, \
                 as the law allows for complex or numerous requests.",
                email.organization_name, email.request, email.received_on
            ),
            format!(
                "You will have the answer by {}. The reason: {}",
                email.due_on, email.reason
            ),
            "Reply to this email if you have questions; you may also contact your data protection authority."
                .to_owned(),
        ],
        details: vec![("Answer due by", email.due_on.clone())],
        action: None,
        signature: email.organization_name.clone(),
    }
    .render()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_extension_names_the_new_date_and_the_reason() {
        let rendered = privacy_request_extended(&PrivacyRequestExtendedEmail {
            organization_name: "Muster <GmbH>".into(),
            request: "access to your data".into(),
            received_on: "2027-03-01".into(),
            due_on: "2027-05-31".into(),
            reason: "Records in three systems.".into(),
        });
        for part in [&rendered.text, &rendered.html] {
            assert!(part.contains("2027-05-31"), "{part}");
            assert!(part.contains("Records in three systems."), "{part}");
        }
        assert!(rendered.html.contains("Muster &lt;GmbH&gt;"));
    }

    #[test]
    fn material_notices_say_so_and_name_the_date() {
        let notice = PolicyNoticeEmail {
            user_name: "Ada".into(),
            policy_title: "privacy policy".into(),
            version: "2027-01-15".into(),
            effective_on: "2027-01-15".into(),
            material: true,
            summary: "Files move to Backblaze B2 <EU>.".into(),
            url: "https://app.example/policies/privacy".into(),
        };
        let rendered = policy_notice(&notice);
        assert_eq!(rendered.subject, "Our privacy policy changes on 2027-01-15");
        assert!(rendered.text.contains("material change"));
        assert!(rendered.html.contains("Backblaze B2 &lt;EU&gt;"));
        let minor = policy_notice(&PolicyNoticeEmail {
            material: false,
            ..notice
        });
        assert!(!minor.text.contains("material change"));
    }

    #[test]
    fn product_updates_carry_the_way_out() {
        let rendered = product_update(&ProductUpdateEmail {
            user_name: "Ada".into(),
            subject: "New: recurring invoices".into(),
            body: "First paragraph.\n\nSecond paragraph.".into(),
            preferences_url: "https://app.example/settings/privacy".into(),
        });
        assert_eq!(rendered.subject, "New: recurring invoices");
        assert!(rendered.text.contains("Second paragraph."));
        assert!(rendered.text.contains("https://app.example/settings/privacy"));
    }

    #[test]
    fn confirmations_and_overdue_lists_hold_no_requester_data() {
        let confirmation = privacy_request_confirmation(&PrivacyRequestConfirmationEmail {
            request: "erasure of your data".into(),
            url: "https://app.example/privacy-requests/confirm#token=t".into(),
            valid_hours: 48,
        });
        assert!(confirmation.text.contains("48 hours"));
        assert!(confirmation.text.contains("#token=t"));
        let overdue = overdue_privacy_requests(&OverduePrivacyRequestsEmail {
            user_name: "Ada".into(),
            organization_name: "Muster".into(),
            on: "2026-12-23".into(),
            cases: vec![OverdueCaseLine {
                reference: "0190-abc".into(),
                request_type: "access".into(),
                received_on: "2026-11-22".into(),
                due_on: "2026-12-22".into(),
            }],
            url: "https://app.example/privacy/requests".into(),
        });
        assert!(overdue.subject.starts_with("1 overdue"));
        assert!(
            overdue
                .text
                .contains("access request 0190-abc: received 2026-11-22, due 2026-12-22.")
        );
        assert!(overdue.text.contains("is past its due date"));
    }
}
