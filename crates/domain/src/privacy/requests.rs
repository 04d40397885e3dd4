//! Privacy requests (data-subject requests, GDPR Arts. 15–21 and the
//! CCPA): a person asks an organization (the controller) to see, correct,
//! erase, restrict, port or stop processing their data, or withdraws
//! consent. Each request is a tracked case with a deadline: one calendar
//! month from receipt (a received 31 January is due on 28 February),
//! extendable with a reason by at most two more months, reckoned in the
//! organization's time zone. Its status history and identity verification
//! are kept with it.
//!
//! Requests made without an account arrive as a [`PrivacySubmission`] that
//! counts only once its sender confirms it from their mailbox; they are
//! then routed to every organization whose clients use the address, or
//! become a case of the deployment's operator ([`OperatorPrivacyRequest`]).

mod deadline;
mod submission;

use chrono::{DateTime, NaiveDate, Utc};

pub use deadline::{DeadlineRule, MAX_EXTENSION_MONTHS, due_on};
pub use submission::{OperatorPrivacyRequest, PrivacySubmission, SUBMISSION_LIFETIME};

use crate::kernel::email::EmailAddress;
use crate::kernel::validation::{ValidationErrors, optional_text};
use crate::{ClientId, PrivacyRequestEventId, PrivacyRequestId, TenantId, UserId};

macro_rules! stable_names {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            /// Every value.
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// The stable name.
            #[must_use]
            pub const fn as_str(&self) -> &'static str {
                match self {
                    $(Self::$variant => $text),+
                }
            }

            /// Parses the stable name.
            #[must_use]
            pub fn parse(name: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|value| value.as_str() == name)
            }
        }
    };
}

stable_names!(
    /// What the person asks for.
    RequestType {
        /// A copy of their data (Art. 15; CCPA right to know).
        Access => "access",
        /// Correction of inaccurate data (Art. 16).
        Rectification => "rectification",
        /// Deletion (Art. 17; CCPA deletion).
        Erasure => "erasure",
        /// Restriction of processing (Art. 18).
        Restriction => "restriction",
        /// Objection to processing (Art. 21).
        Objection => "objection",
        /// Their data in a machine-readable format (Art. 20).
        Portability => "portability",
        /// Withdrawal of consent (Art. 7(3)).
        ConsentWithdrawal => "consent_withdrawal",
    }
);

stable_names!(
    /// Where a case stands.
    RequestStatus {
        /// Recorded, nobody works on it yet.
        Received => "received",
        /// Being worked on.
        InProgress => "in_progress",
        /// Answered.
        Completed => "completed",
        /// Refused, with the reason in the history.
        Rejected => "rejected",
    }
);

stable_names!(
    /// How the requester's identity was verified.
    IdentityMethod {
        /// They confirmed the request from a link sent to the address.
        EmailLink => "email_link",
        /// The request came from a contact the organization already knows.
        KnownContact => "known_contact",
        /// They showed a document.
        Document => "document",
        /// Another way, described in the note.
        Other => "other",
    }
);

stable_names!(
    /// How a case came in.
    RequestSource {
        /// Recorded by the organization (a person wrote or called them).
        Recorded => "recorded",
        /// Submitted through the public form and confirmed by email.
        PublicForm => "public_form",
    }
);

stable_names!(
    /// What a history entry records.
    EventKind {
        /// The case was opened.
        Received => "received",
        /// The status changed.
        StatusChanged => "status_changed",
        /// The deadline was extended.
        Extended => "extended",
        /// The requester's identity was verified.
        IdentityVerified => "identity_verified",
    }
);

impl RequestStatus {
    /// Whether the case still needs an answer.
    #[must_use]
    pub const fn is_open(&self) -> bool {
        matches!(self, Self::Received | Self::InProgress)
    }
}

/// A tenant's case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrivacyRequest {
    /// The case's id.
    pub id: PrivacyRequestId,
    /// The organization that must answer (the controller).
    pub tenant_id: TenantId,
    /// What the person asks for.
    pub request_type: RequestType,
    /// The person's address.
    pub subject_email: EmailAddress,
    /// What they wrote.
    pub details: String,
    /// The client the request is about, when known.
    pub client_id: Option<ClientId>,
    /// The organization the requester named (public form).
    pub organization_hint: Option<String>,
    /// The reference the requester gave, such as an invoice number (public form).
    pub client_reference: Option<String>,
    /// How it came in.
    pub source: RequestSource,
    /// Where it stands.
    pub status: RequestStatus,
    /// When it was received (for the public form: when it was confirmed).
    pub received_at: DateTime<Utc>,
    /// The day it is due, in the organization's time zone.
    pub due_on: NaiveDate,
    /// Months added to the first month (0 to 2).
    pub extension_months: u32,
    /// When the requester's identity was verified.
    pub identity_verified_at: Option<DateTime<Utc>>,
    /// How.
    pub identity_method: Option<IdentityMethod>,
    /// Who recorded it; `None` for the public form.
    pub created_by: Option<UserId>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

/// One entry of a case's history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrivacyRequestEvent {
    /// The entry's id (time-ordered).
    pub id: PrivacyRequestEventId,
    /// The organization.
    pub tenant_id: TenantId,
    /// The case.
    pub request_id: PrivacyRequestId,
    /// What it records.
    pub kind: EventKind,
    /// When.
    pub at: DateTime<Utc>,
    /// The status before (`None` when the case was opened).
    pub from_status: Option<RequestStatus>,
    /// The status after.
    pub to_status: RequestStatus,
    /// Who; `None` for the requester or Fakturo itself.
    pub by: Option<UserId>,
    /// Why, or how.
    pub note: Option<String>,
    /// The due date after this entry.
    pub due_on: NaiveDate,
}

/// Why a change was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CaseRuleError {
    /// The case is completed or rejected.
    #[error("the privacy request is {0} and can no longer change")]
    Closed(&'static str),
    /// Not a status one can move to from here.
    #[error("a privacy request cannot move from {from} to {to}")]
    InvalidTransition {
        /// The current status.
        from: &'static str,
        /// The requested one.
        to: &'static str,
    },
    /// The deadline was extended by the most allowed already.
    #[error(
        "the deadline can be extended by at most {MAX_EXTENSION_MONTHS} months in all; {remaining} month(s) remain"
    )]
    ExtensionLimit {
        /// Months still available.
        remaining: u32,
    },
    /// The requester's identity was verified already.
    #[error("the requester's identity was verified already")]
    AlreadyVerified,
    /// Invalid fields (a missing reason or note).
    #[error("invalid change: {0}")]
    Invalid(ValidationErrors),
}

impl PrivacyRequest {
    /// Whether the case is open past its due date on `today` (the organization's date).
    #[must_use]
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.status.is_open() && self.due_on < today
    }

    /// The day it was received, in the zone its dates are reckoned in.
    fn received_on(&self, zone: crate::tenancy::TimeZone) -> NaiveDate {
        zone.date_at(self.received_at)
    }

    /// Extends the deadline by `months` (1 or 2) for `reason`; returns the note to record.
    ///
    /// # Errors
    /// [`CaseRuleError`] when closed, without a reason, or beyond two months in all.
    pub fn extend(
        &mut self,
        months: u32,
        reason: &str,
        zone: crate::tenancy::TimeZone,
        rule: DeadlineRule,
        now: DateTime<Utc>,
    ) -> Result<String, CaseRuleError> {
        if !self.status.is_open() {
            return Err(CaseRuleError::Closed(self.status.as_str()));
        }
        let mut errors = ValidationErrors::new();
        let reason = errors.check("reason", crate::kernel::validation::required_text(reason, 2000));
        if !(1..=MAX_EXTENSION_MONTHS).contains(&months) {
            errors.add("months", "out_of_range", "must be 1 or 2");
        }
        let Some(reason) = reason.filter(|_| errors.is_empty()) else {
            return Err(CaseRuleError::Invalid(errors));
        };
        let remaining = MAX_EXTENSION_MONTHS - self.extension_months.min(MAX_EXTENSION_MONTHS);
        if months > remaining {
            return Err(CaseRuleError::ExtensionLimit { remaining });
        }
        self.extension_months += months;
        self.due_on = due_on(self.received_on(zone), self.extension_months, rule);
        self.updated_at = now;
        Ok(reason)
    }

    /// Moves the case to `to` (`in_progress`, `completed` or `rejected`);
    /// a rejection needs a note. Returns the previous status and the note.
    ///
    /// # Errors
    /// [`CaseRuleError`] when closed, not a valid move, or a rejection without a note.
    pub fn change_status(
        &mut self,
        to: RequestStatus,
        note: &str,
        now: DateTime<Utc>,
    ) -> Result<(RequestStatus, Option<String>), CaseRuleError> {
        let from = self.status;
        if !from.is_open() {
            return Err(CaseRuleError::Closed(from.as_str()));
        }
        if to == RequestStatus::Received || to == from {
            return Err(CaseRuleError::InvalidTransition {
                from: from.as_str(),
                to: to.as_str(),
            });
        }
        let mut errors = ValidationErrors::new();
        let note = errors.check("note", optional_text(note, 2000)).flatten();
        if to == RequestStatus::Rejected && note.is_none() && errors.is_empty() {
            errors.add("note", "required", "is required to reject a request: say why");
        }
        if !errors.is_empty() {
            return Err(CaseRuleError::Invalid(errors));
        }
        self.status = to;
        self.updated_at = now;
        Ok((from, note))
    }

    /// Records that the requester's identity was verified by `method`.
    ///
    /// # Errors
    /// [`CaseRuleError::AlreadyVerified`] or [`CaseRuleError::Closed`].
    pub fn verify_identity(&mut self, method: IdentityMethod, now: DateTime<Utc>) -> Result<(), CaseRuleError> {
        if !self.status.is_open() {
            return Err(CaseRuleError::Closed(self.status.as_str()));
        }
        if self.identity_verified_at.is_some() {
            return Err(CaseRuleError::AlreadyVerified);
        }
        self.identity_verified_at = Some(now);
        self.identity_method = Some(method);
        self.updated_at = now;
        Ok(())
    }
}

#[cfg(test)]
mod tests;
