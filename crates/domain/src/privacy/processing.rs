//! The one decision every processing path asks before it touches a person's
//! data for anything optional: [`may_process`]. Consent-based purposes
//! (analytics, marketing email, AI processing) need a current grant and no
//! objection; processing under legitimate interest (payment reminders,
//! courtesy emails such as receipts) stops on restriction or objection;
//! what the law requires (issuing and delivering a finalized invoice that
//! the client must receive) always proceeds but is still recorded as such.
//!
//! Callers build a [`SubjectState`] from what they know about the person:
//! a user's consent ledger, or a client's restriction and objection flags.

use std::collections::BTreeSet;
use std::fmt;

/// Purposes that need the person's consent. Stable names; new purposes are
/// added, never renamed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ConsentPurpose {
    /// Optional analytics (cookies, product usage statistics).
    Analytics,
    /// Marketing and newsletter email.
    MarketingEmail,
    /// Processing by AI models (e.g. purchase-order extraction); never used for training.
    AiProcessing,
}

impl ConsentPurpose {
    /// Every purpose.
    pub const ALL: [Self; 3] = [Self::Analytics, Self::MarketingEmail, Self::AiProcessing];

    /// The stable name.
    #[must_use]
    pub const fn as_str(&self) -> &'static str {
        match self {
            Self::Analytics => "analytics",
            Self::MarketingEmail => "marketing_email",
            Self::AiProcessing => "ai_processing",
        }
    }

    /// Parses the stable name.
    #[must_use]
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == name)
    }
}

impl fmt::Display for ConsentPurpose {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a processing path is about to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Processing {
    /// Something that needs consent.
    Consented(ConsentPurpose),
    /// A payment reminder to a client (legitimate interest).
    PaymentReminder,
    /// An email the law does not require, such as a payment receipt.
    CourtesyEmail,
    /// What the law requires (delivering a finalized invoice); always allowed.
    LegallyRequired,
}

/// What is known about the person the data is about.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SubjectState {
    /// Purposes with a current grant.
    pub granted: BTreeSet<ConsentPurpose>,
    /// Processing is restricted (GDPR Art. 18): only storage and what the law requires.
    pub restricted: bool,
    /// Purposes the person objected to (GDPR Art. 21).
    pub objections: BTreeSet<ConsentPurpose>,
    /// The person objected to payment reminders and courtesy emails.
    pub objects_to_contact: bool,
}

/// Why processing may not happen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// No current consent for the purpose.
    #[error("no current consent for {0}")]
    NoConsent(ConsentPurpose),
    /// The person objected.
    #[error("the person objected to this processing")]
    Objected,
    /// Processing of the person's data is restricted.
    #[error("processing of the person's data is restricted")]
    Restricted,
}

/// The decision. Every optional processing path calls this and nothing else.
///
/// # Errors
/// [`Refusal`] saying why the processing may not happen.
pub fn may_process(processing: Processing, subject: &SubjectState) -> Result<(), Refusal> {
    match processing {
        Processing::LegallyRequired => Ok(()),
        _ if subject.restricted => Err(Refusal::Restricted),
        Processing::Consented(purpose) => {
            if subject.objections.contains(&purpose) {
                Err(Refusal::Objected)
            } else if subject.granted.contains(&purpose) {
                Ok(())
            } else {
                Err(Refusal::NoConsent(purpose))
            }
        }
        Processing::PaymentReminder | Processing::CourtesyEmail => {
            if subject.objects_to_contact {
                Err(Refusal::Objected)
            } else {
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn consented_purposes_need_a_current_grant_and_no_objection() {
        let mut subject = SubjectState::default();
        let marketing = Processing::Consented(ConsentPurpose::MarketingEmail);
        assert_eq!(
            may_process(marketing, &subject),
            Err(Refusal::NoConsent(ConsentPurpose::MarketingEmail))
        );
        subject.granted.insert(ConsentPurpose::MarketingEmail);
        assert_eq!(may_process(marketing, &subject), Ok(()));
        subject.objections.insert(ConsentPurpose::MarketingEmail);
        assert_eq!(may_process(marketing, &subject), Err(Refusal::Objected));
    }

    #[test]
    fn restriction_stops_everything_but_what_the_law_requires() {
        let subject = SubjectState {
            granted: ConsentPurpose::ALL.into_iter().collect(),
            restricted: true,
            ..SubjectState::default()
        };
        for processing in [
            Processing::Consented(ConsentPurpose::Analytics),
            Processing::PaymentReminder,
            Processing::CourtesyEmail,
        ] {
            assert_eq!(may_process(processing, &subject), Err(Refusal::Restricted));
        }
        assert_eq!(may_process(Processing::LegallyRequired, &subject), Ok(()));
    }

    #[test]
    fn reminders_need_no_consent_but_stop_on_objection() {
        let mut subject = SubjectState::default();
        assert_eq!(may_process(Processing::PaymentReminder, &subject), Ok(()));
        subject.objects_to_contact = true;
        assert_eq!(
            may_process(Processing::PaymentReminder, &subject),
            Err(Refusal::Objected)
        );
        assert_eq!(may_process(Processing::LegallyRequired, &subject), Ok(()));
    }

    #[test]
    fn purpose_names_round_trip() {
        for purpose in ConsentPurpose::ALL {
            assert_eq!(ConsentPurpose::parse(purpose.as_str()), Some(purpose));
        }
    }
}
