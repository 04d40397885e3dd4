//! Data exports (access and portability, GDPR Arts. 15 and 20): the whole
//! organization, the signed-in user, or one client, as a ZIP archive with a
//! JSON file per entity, a CSV file per table, the stored files, and a
//! manifest with counts and data categories. Built in the background,
//! downloadable for a week.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::{ClientId, TenantId, UserId};

/// What an export covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportScope {
    /// Everything of the organization.
    Tenant,
    /// What concerns one user.
    User(UserId),
    /// What concerns one client.
    Client(ClientId),
}

impl ExportScope {
    /// The stable name.
    #[must_use]
    pub const fn as_str(&self) -> &'static str {
        match self {
            Self::Tenant => "tenant",
            Self::User(_) => "me",
            Self::Client(_) => "client",
        }
    }

    /// The person the export is about, if any.
    #[must_use]
    pub fn subject(&self) -> Option<Uuid> {
        match self {
            Self::Tenant => None,
            Self::User(user) => Some(user.as_uuid()),
            Self::Client(client) => Some(client.as_uuid()),
        }
    }

    /// Rebuilds a scope from its stored name and subject.
    #[must_use]
    pub fn from_stored(name: &str, subject: Option<Uuid>) -> Option<Self> {
        match (name, subject) {
            ("tenant", _) => Some(Self::Tenant),
            ("me", Some(user)) => Some(Self::User(UserId::from_uuid(user))),
            ("client", Some(client)) => Some(Self::Client(ClientId::from_uuid(client))),
            _ => None,
        }
    }
}

/// Where an export is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportStatus {
    /// Waiting for a worker.
    Pending,
    /// Ready to download.
    Ready,
    /// Failed; see the error.
    Failed,
}

impl ExportStatus {
    /// The stable name.
    #[must_use]
    pub const fn as_str(&self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Ready => "ready",
            Self::Failed => "failed",
        }
    }

    /// Parses the stable name.
    #[must_use]
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "pending" => Some(Self::Pending),
            "ready" => Some(Self::Ready),
            "failed" => Some(Self::Failed),
            _ => None,
        }
    }
}

/// An export.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Export {
    /// The export's id.
    pub id: Uuid,
    /// The organization.
    pub tenant_id: TenantId,
    /// What it covers.
    pub scope: ExportScope,
    /// Where it is.
    pub status: ExportStatus,
    /// Who asked for it.
    pub requested_by: UserId,
    /// When.
    pub requested_at: DateTime<Utc>,
    /// When the archive was ready (or the export failed).
    pub completed_at: Option<DateTime<Utc>>,
    /// Where the archive is stored.
    pub object_key: Option<String>,
    /// The archive's size.
    pub size_bytes: Option<u64>,
    /// The manifest (JSON): counts per table and categories.
    pub manifest: Option<String>,
    /// Why it failed.
    pub error: Option<String>,
    /// After this the archive is deleted.
    pub expires_at: DateTime<Utc>,
}
