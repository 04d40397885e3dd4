//! Jobs of contractors (called work orders in code, since "job" is the
//! background queue): what is to be done for a client, where and when, and
//! how far it got. A status change tells the client, when they take
//! courtesy emails.

use chrono::{DateTime, Utc};

use crate::kernel::validation::{ValidationErrors, optional_text, required_text};
use crate::{ClientId, TenantId};

/// A work order's id.
pub type WorkOrderId = uuid::Uuid;

/// Where a job is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkStatus {
    /// Offered, not yet agreed.
    Quote,
    /// Agreed and planned.
    Scheduled,
    /// Being done.
    InProgress,
    /// Finished.
    Done,
    /// Called off.
    Cancelled,
}

impl WorkStatus {
    /// The stable name.
    #[must_use]
    pub const fn as_str(&self) -> &'static str {
        match self {
            Self::Quote => "quote",
            Self::Scheduled => "scheduled",
            Self::InProgress => "in_progress",
            Self::Done => "done",
            Self::Cancelled => "cancelled",
        }
    }

    /// Parses the stable name.
    #[must_use]
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "quote" => Some(Self::Quote),
            "scheduled" => Some(Self::Scheduled),
            "in_progress" => Some(Self::InProgress),
            "done" => Some(Self::Done),
            "cancelled" => Some(Self::Cancelled),
            _ => None,
        }
    }
}

/// A job.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkOrder {
    /// The job's id.
    pub id: WorkOrderId,
    /// The organization.
    pub tenant_id: TenantId,
    /// For whom.
    pub client_id: ClientId,
    /// What, briefly.
    pub title: String,
    /// What, in detail.
    pub description: Option<String>,
    /// Where it stands.
    pub status: WorkStatus,
    /// When it starts.
    pub scheduled_start: Option<DateTime<Utc>>,
    /// When it ends.
    pub scheduled_end: Option<DateTime<Utc>>,
    /// Where it is done.
    pub address: Option<String>,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

/// Unvalidated fields of a job; for an update `None` keeps a field.
#[derive(Clone, Debug, Default)]
pub struct WorkOrderFields {
    /// See [`WorkOrder::client_id`].
    pub client_id: Option<ClientId>,
    /// See [`WorkOrder::title`].
    pub title: Option<String>,
    /// See [`WorkOrder::description`] (`Some(None)` clears).
    pub description: Option<Option<String>>,
    /// See [`WorkOrder::status`].
    pub status: Option<String>,
    /// See [`WorkOrder::scheduled_start`] (`Some(None)` clears).
    pub scheduled_start: Option<Option<DateTime<Utc>>>,
    /// See [`WorkOrder::scheduled_end`] (`Some(None)` clears).
    pub scheduled_end: Option<Option<DateTime<Utc>>>,
    /// See [`WorkOrder::address`] (`Some(None)` clears).
    pub address: Option<Option<String>>,
}

impl WorkOrder {
    /// Applies `fields` to this job (or to a new one), checking every field.
    ///
    /// # Errors
    /// [`ValidationErrors`] naming every invalid field.
    pub fn apply(&mut self, fields: WorkOrderFields) -> Result<(), ValidationErrors> {
        let mut errors = ValidationErrors::new();
        if let Some(client) = fields.client_id {
            self.client_id = client;
        }
        if let Some(title) = fields.title
            && let Some(title) = errors.check("title", required_text(&title, 200))
        {
            self.title = title;
        }
        if let Some(description) = fields.description {
            self.description = errors
                .check(
                    "description",
                    optional_text(description.as_deref().unwrap_or_default(), 10_000),
                )
                .flatten();
        }
        if let Some(status) = fields.status {
            match WorkStatus::parse(&status) {
                Some(status) => self.status = status,
                None => errors.add(
                    "status",
                    "invalid_status",
                    "must be quote, scheduled, in_progress, done or cancelled",
                ),
            }
        }
        if let Some(start) = fields.scheduled_start {
            self.scheduled_start = start;
        }
        if let Some(end) = fields.scheduled_end {
            self.scheduled_end = end;
        }
        if let Some(address) = fields.address {
            self.address = errors
                .check("address", optional_text(address.as_deref().unwrap_or_default(), 1_000))
                .flatten();
        }
        if let (Some(start), Some(end)) = (self.scheduled_start, self.scheduled_end)
            && end < start
        {
            errors.add("scheduled_end", "before_start", "must not be before scheduled_start");
        }
        errors.into_result(())
    }
}
