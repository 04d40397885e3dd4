//! The notice of a personal data breach to a person it affects (GDPR Art.
//! 34): what happened, which data, the likely consequences and what is
//! done, in clear and plain language. A service notice: it goes to everyone
//! affected, whatever they decided about marketing email.

use super::RenderedEmail;
use super::letter::Letter;

/// The facts for [`incident_notice`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IncidentNoticeEmail {
    /// The recipient's name.
    pub user_name: String,
    /// The recipient's organization.
    pub organization_name: String,
    /// Whether the recipient is told as an owner of that organization.
    pub as_owner: bool,
    /// The incident's reference.
    pub reference: String,
    /// When it was discovered (`2027-05-01 10:00 UTC`).
    pub discovered_at: String,
    /// What happened.
    pub nature: String,
    /// The data concerned, in words (`account profile, customer content`).
    pub categories: String,
    /// The likely consequences.
    pub consequences: String,
    /// The measures taken or proposed.
    pub measures: String,
}

/// Tells a person about a breach that affects their data.
#[must_use]
pub fn incident_notice(email: &IncidentNoticeEmail) -> RenderedEmail {
    let mut paragraphs = vec![
        format!(
            "We are writing to tell you about a security incident that affects personal data held for {} on \
             Fakturo. We discovered it on {}.",
            email.organization_name, email.discovered_at
        ),
        format!("What happened: {}", email.nature),
        format!("The data concerned: {}.", email.categories),
        format!("What this may mean for you: {}", email.consequences),
        format!("What we have done and will do: {}", email.measures),
    ];
    if email.as_owner {
        paragraphs.push(format!(
            "You receive this as an owner of {}. The incident is listed, with its updates, in your organization's \
             incident register (GET /api/v1/privacy/incidents), so you can meet your own duties towards your \
             clients and your supervisory authority.",
            email.organization_name
        ));
    }
    paragraphs.push(
        "This is a service notice that the law requires us to send; it is not marketing and does not depend on \
         your email preferences. Reply to this email with any question, quoting the reference below."
            .to_owned(),
    );
    Letter {
        subject: "Important: a security incident affecting your data".to_owned(),
        greeting: format!("Hello {},", email.user_name),
        paragraphs,
        details: vec![
            ("Reference", email.reference.clone()),
            ("Discovered", email.discovered_at.clone()),
        ],
        action: None,
        signature: "Fakturo".to_owned(),
    }
    .render()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn notice(as_owner: bool) -> IncidentNoticeEmail {
        IncidentNoticeEmail {
            user_name: "Ada".into(),
            organization_name: "Muster <GmbH>".into(),
            as_owner,
            reference: "0190-abc".into(),
            discovered_at: "2027-05-01 10:00 UTC".into(),
            nature: "A backup was readable.".into(),
            categories: "account profile".into(),
            consequences: "Phishing is possible.".into(),
            measures: "Keys rotated.".into(),
        }
    }

    #[test]
    fn a_notice_says_what_happened_and_what_is_done_in_both_parts() {
        let rendered = incident_notice(&notice(false));
        for part in [&rendered.text, &rendered.html] {
            for fact in [
                "A backup was readable.",
                "Phishing is possible.",
                "Keys rotated.",
                "0190-abc",
            ] {
                assert!(part.contains(fact), "{fact} missing from {part}");
            }
            assert!(!part.contains("as an owner"), "{part}");
        }
        assert!(rendered.html.contains("Muster &lt;GmbH&gt;"));
    }

    #[test]
    fn owners_are_told_where_the_register_is() {
        let rendered = incident_notice(&notice(true));
        assert!(rendered.text.contains("as an owner of Muster <GmbH>"));
        assert!(rendered.text.contains("/api/v1/privacy/incidents"));
    }
}
