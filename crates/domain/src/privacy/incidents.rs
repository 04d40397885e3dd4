//! The incident register (GDPR Arts. 33–34): every personal data breach
//! the operator learns of is recorded with what happened, which data and
//! roughly how many people and records it touched, its likely consequences
//! and the measures taken or proposed, and which organizations it affects
//! (named ones, or all). The supervisory authority must be told within 72
//! hours of discovery: [`Incident::authority_due_at`] is that instant and
//! [`Incident::overdue`] is true from it until the notification is
//! recorded. An incident moves open → notified (the authority was told) →
//! closed; every change appends to its history, which is never rewritten.
//! The people affected are told by service notices (not marketing: no
//! consent gates them), one per recipient.

mod lifecycle;
#[cfg(test)]
mod tests;

use chrono::{DateTime, TimeDelta, Utc};
use uuid::Uuid;

use crate::kernel::validation::ValidationErrors;
use crate::privacy::retention::DataCategory;
use crate::{IncidentId, TenantId, UserId};

/// From discovery to the authority's notification (Art. 33(1)).
pub const AUTHORITY_DEADLINE: TimeDelta = TimeDelta::hours(72);

/// The longest free text of an incident's fields.
pub const MAX_TEXT: usize = 4000;

/// The longest authority reference.
pub const MAX_REFERENCE: usize = 200;

/// Where an incident stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum IncidentStatus {
    /// Recorded; the authority has not been told yet.
    Open,
    /// The authority was notified.
    Notified,
    /// Handled; the record is kept.
    Closed,
}

impl IncidentStatus {
    /// Every status.
    pub const ALL: [Self; 3] = [Self::Open, Self::Notified, Self::Closed];

    /// The stable name.
    #[must_use]
    pub const fn as_str(&self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Notified => "notified",
            Self::Closed => "closed",
        }
    }

    /// Parses the stable name.
    #[must_use]
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|status| status.as_str() == name)
    }
}

/// Which organizations an incident affects.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AffectedTenants {
    /// Every organization of the deployment.
    All,
    /// These organizations (at least one, no repeats).
    Some(Vec<TenantId>),
}

impl AffectedTenants {
    /// Whether the organization is affected.
    #[must_use]
    pub fn includes(&self, tenant: TenantId) -> bool {
        match self {
            Self::All => true,
            Self::Some(tenants) => tenants.contains(&tenant),
        }
    }
}

/// What is known of a breach: the facts Art. 33(3) asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IncidentFacts {
    /// What happened.
    pub nature: String,
    /// The categories of personal data concerned (the data map's).
    pub categories: Vec<DataCategory>,
    /// About how many people are affected.
    pub people_affected: u64,
    /// About how many records are affected.
    pub records_affected: u64,
    /// The likely consequences.
    pub consequences: String,
    /// The measures taken or proposed.
    pub measures: String,
}

/// The authority's notification.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuthorityNotification {
    /// When the authority was notified.
    pub at: DateTime<Utc>,
    /// The authority's case number or the submission's reference.
    pub reference: String,
}

/// One incident of the register.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Incident {
    /// The incident's id.
    pub id: IncidentId,
    /// When the operator became aware of the breach: the 72-hour clock starts here.
    pub discovered_at: DateTime<Utc>,
    /// When it was recorded.
    pub opened_at: DateTime<Utc>,
    /// What is known.
    pub facts: IncidentFacts,
    /// Which organizations it affects.
    pub affected: AffectedTenants,
    /// Where it stands.
    pub status: IncidentStatus,
    /// The authority's notification, once recorded.
    pub authority: Option<AuthorityNotification>,
    /// When it was closed.
    pub closed_at: Option<DateTime<Utc>>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

/// What an entry of an incident's history records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UpdateKind {
    /// The incident was recorded.
    Opened,
    /// Facts changed.
    Updated,
    /// The authority's notification was recorded.
    AuthorityNotified,
    /// Notices to the people affected were queued.
    PeopleNotified,
    /// The incident was closed.
    Closed,
}

impl UpdateKind {
    /// Every kind.
    pub const ALL: [Self; 5] = [
        Self::Opened,
        Self::Updated,
        Self::AuthorityNotified,
        Self::PeopleNotified,
        Self::Closed,
    ];

    /// The stable name.
    #[must_use]
    pub const fn as_str(&self) -> &'static str {
        match self {
            Self::Opened => "opened",
            Self::Updated => "updated",
            Self::AuthorityNotified => "authority_notified",
            Self::PeopleNotified => "people_notified",
            Self::Closed => "closed",
        }
    }

    /// Parses the stable name.
    #[must_use]
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == name)
    }
}

/// One entry of an incident's history (append-only).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IncidentUpdate {
    /// The entry's id.
    pub id: Uuid,
    /// The incident.
    pub incident_id: IncidentId,
    /// When it was recorded.
    pub at: DateTime<Utc>,
    /// What happened.
    pub kind: UpdateKind,
    /// The fields that changed (`nature`, `people_affected`, …), if any.
    pub changed: Vec<String>,
    /// The operator's note, or what was done.
    pub note: Option<String>,
}

/// A notice to one person about an incident: recorded once per recipient.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IncidentNotice {
    /// The recipient's organization.
    pub tenant_id: TenantId,
    /// The incident.
    pub incident_id: IncidentId,
    /// The recipient.
    pub user_id: UserId,
    /// Whether they were told as an owner of an affected organization.
    pub as_owner: bool,
    /// When the notice was queued.
    pub queued_at: DateTime<Utc>,
}

/// A new incident, as the operator describes it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IncidentDraft {
    /// When the breach was discovered.
    pub discovered_at: Option<DateTime<Utc>>,
    /// What happened.
    pub nature: String,
    /// Data category names (`account_profile`, `customer_content`, …).
    pub categories: Vec<String>,
    /// About how many people.
    pub people_affected: u64,
    /// About how many records.
    pub records_affected: u64,
    /// The likely consequences.
    pub consequences: String,
    /// The measures taken or proposed.
    pub measures: String,
    /// The organizations affected; empty means all.
    pub tenants: Vec<TenantId>,
}

/// Changes to an incident's facts; `None` keeps a field.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IncidentChanges {
    /// What happened.
    pub nature: Option<String>,
    /// Data category names.
    pub categories: Option<Vec<String>>,
    /// About how many people.
    pub people_affected: Option<u64>,
    /// About how many records.
    pub records_affected: Option<u64>,
    /// The likely consequences.
    pub consequences: Option<String>,
    /// The measures taken or proposed.
    pub measures: Option<String>,
}

/// Why the register refuses a change of an incident.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum IncidentRuleError {
    /// A field is invalid.
    #[error("invalid incident: {0}")]
    Invalid(ValidationErrors),
    /// A closed incident changes no more.
    #[error("the incident is closed")]
    Closed,
    /// The authority's notification is recorded already.
    #[error("the authority's notification is recorded already")]
    AlreadyNotified,
    /// An incident the authority was not told of is closed only with a note
    /// saying why no notification was required (GDPR Art. 33(1)).
    #[error(
        "the authority's notification is not recorded: record it, or close with a note saying why none was \
         required (the breach is unlikely to result in a risk, Art. 33(1))"
    )]
    NotNotified,
}
