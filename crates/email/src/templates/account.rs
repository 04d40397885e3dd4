//! Emails to Fakturo's own users about their account: magic sign-in links,
//! password resets, address verification, invitations, and the notice that
//! sign-ins were throttled. Links carry a single-use token and say how long
//! they work.

use super::RenderedEmail;
use super::letter::Letter;

/// The product name that signs account emails.
const SIGNATURE: &str = "Fakturo";

/// Which account link.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkKind {
    /// A magic sign-in link.
    SignIn,
    /// A link to choose a new password.
    PasswordReset,
    /// A link that confirms the address.
    EmailVerification,
    /// A link that confirms a new address the account moves to.
    EmailChange,
}

/// The facts for [`account_link`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountLinkEmail {
    /// The recipient's name.
    pub user_name: String,
    /// Which link.
    pub kind: LinkKind,
    /// The link, with its token.
    pub url: String,
    /// Minutes until it stops working.
    pub valid_minutes: i64,
}

fn validity(minutes: i64) -> String {
    match minutes {
        m if m >= 24 * 60 && m % (24 * 60) == 0 => match m / (24 * 60) {
            1 => "1 day".to_owned(),
            days => format!("{days} days"),
        },
        m if m >= 60 && m % 60 == 0 => match m / 60 {
            1 => "1 hour".to_owned(),
            hours => format!("{hours} hours"),
        },
        m => format!("{m} minutes"),
    }
}

/// A single-use account link.
#[must_use]
pub fn account_link(email: &AccountLinkEmail) -> RenderedEmail {
    let valid = validity(email.valid_minutes);
    let (subject, intro, label) = match email.kind {
        LinkKind::SignIn => (
            "Your sign-in link",
            "Someone, hopefully you, asked for a link to sign in to Fakturo.",
            "Sign in",
        ),
        LinkKind::PasswordReset => (
            "Reset your password",
            "Someone, hopefully you, asked to reset the password of your Fakturo account. Choosing a new \
             password signs you out everywhere.",
            "Choose a new password",
        ),
        LinkKind::EmailVerification => (
            "Confirm your email address",
            "Please confirm that this is your email address.",
            "Confirm my address",
        ),
        LinkKind::EmailChange => (
            "Confirm your new email address",
            "Someone, hopefully you, asked to move a Fakturo account to this address. The account keeps its \
             old address until this one is confirmed.",
            "Confirm the new address",
        ),
    };
    Letter {
        subject: subject.to_owned(),
        greeting: format!("Hello {},", email.user_name),
        paragraphs: vec![
            intro.to_owned(),
            format!("The link works once, for {valid}. If you did not ask for it, ignore this email: nothing changes."),
        ],
        details: Vec::new(),
        action: Some((label, email.url.clone())),
        signature: SIGNATURE.to_owned(),
    }
    .render()
}

/// The owner learns that repeated wrong passwords slowed down sign-ins.
#[must_use]
pub fn sign_in_throttled(user_name: &str, reset_url: &str) -> RenderedEmail {
    Letter {
        subject: "Repeated failed sign-ins to your account".to_owned(),
        greeting: format!("Hello {user_name},"),
        paragraphs: vec![
            "Someone entered a wrong password for your Fakturo account many times, so further attempts from \
             their network are slowed down for a while. You can still sign in as usual."
                .to_owned(),
            "If this was not you, consider choosing a new password.".to_owned(),
        ],
        details: Vec::new(),
        action: Some(("Reset my password", reset_url.to_owned())),
        signature: SIGNATURE.to_owned(),
    }
    .render()
}

/// The old address learns that the account is asked to move to another.
#[must_use]
pub fn email_change_requested(user_name: &str, reset_url: &str) -> RenderedEmail {
    Letter {
        subject: "A change of your account's email address was requested".to_owned(),
        greeting: format!("Hello {user_name},"),
        paragraphs: vec![
            "Someone signed in to your Fakturo account asked to change its email address. The change takes \
             effect only once it is confirmed from the new address; until then nothing changes."
                .to_owned(),
            "If this was not you, choose a new password now: that signs out everyone else.".to_owned(),
        ],
        details: Vec::new(),
        action: Some(("Choose a new password", reset_url.to_owned())),
        signature: SIGNATURE.to_owned(),
    }
    .render()
}

/// The facts for [`invitation`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvitationEmail {
    /// The inviting organization.
    pub organization_name: String,
    /// The role offered.
    pub role: String,
    /// The link, with its token.
    pub url: String,
    /// Days until it stops working.
    pub valid_days: i64,
}

/// An invitation to join an organization.
#[must_use]
pub fn invitation(email: &InvitationEmail) -> RenderedEmail {
    Letter {
        subject: format!("{} invites you to Fakturo", email.organization_name),
        greeting: "Hello,".to_owned(),
        paragraphs: vec![
            format!(
                "{} invites you to work with them on Fakturo as {} {}.",
                email.organization_name,
                if email.role.starts_with(['a', 'e', 'i', 'o', 'u']) {
                    "an"
                } else {
                    "a"
                },
                email.role
            ),
            format!("The link works once, for {}.", validity(email.valid_days * 24 * 60)),
        ],
        details: Vec::new(),
        action: Some(("Accept the invitation", email.url.clone())),
        signature: email.organization_name.clone(),
    }
    .render()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_say_how_long_they_work_and_carry_the_token() {
        let rendered = account_link(&AccountLinkEmail {
            user_name: "Ada <3".into(),
            kind: LinkKind::SignIn,
            url: "https://app.example/sign-in/link#token=abc&x".into(),
            valid_minutes: 15,
        });
        assert_eq!(rendered.subject, "Your sign-in link");
        assert!(rendered.text.contains("https://app.example/sign-in/link#token=abc&x"));
        assert!(rendered.html.contains("#token=abc&amp;x"));
        assert!(rendered.text.contains("15 minutes"));
        assert!(rendered.html.contains("Ada &lt;3"));
        assert_eq!(validity(2 * 24 * 60), "2 days");
        assert_eq!(validity(60), "1 hour");
    }

    #[test]
    fn invitations_name_the_organization_and_role() {
        let rendered = invitation(&InvitationEmail {
            organization_name: "Muster & Co".into(),
            role: "accountant".into(),
            url: "https://app.example/invitations/accept#token=t".into(),
            valid_days: 7,
        });
        assert!(rendered.subject.contains("Muster & Co"));
        assert!(rendered.text.contains("as an accountant"));
        assert!(rendered.text.contains("7 days"));
    }
}
