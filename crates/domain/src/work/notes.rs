//! Notes on clients, invoices and jobs: free text by the organization's
//! users. A note belongs to the client of what it is about, so erasing the
//! client deletes it and exporting the client includes it.

use chrono::{DateTime, Utc};

use crate::{ClientId, TenantId, UserId};

/// What a note (or a file) is attached to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Subject {
    /// A client.
    Client(ClientId),
    /// An invoice.
    Invoice(crate::InvoiceId),
    /// A job.
    WorkOrder(uuid::Uuid),
    /// A note (files only).
    Note(uuid::Uuid),
}

impl Subject {
    /// The stable name of the kind.
    #[must_use]
    pub const fn kind(&self) -> &'static str {
        match self {
            Self::Client(_) => "client",
            Self::Invoice(_) => "invoice",
            Self::WorkOrder(_) => "job",
            Self::Note(_) => "note",
        }
    }

    /// The subject's id.
    #[must_use]
    pub fn id(&self) -> uuid::Uuid {
        match self {
            Self::Client(id) => id.as_uuid(),
            Self::Invoice(id) => id.as_uuid(),
            Self::WorkOrder(id) | Self::Note(id) => *id,
        }
    }

    /// Rebuilds a subject from its kind and id.
    #[must_use]
    pub fn from_parts(kind: &str, id: uuid::Uuid) -> Option<Self> {
        match kind {
            "client" => Some(Self::Client(ClientId::from_uuid(id))),
            "invoice" => Some(Self::Invoice(crate::InvoiceId::from_uuid(id))),
            "job" => Some(Self::WorkOrder(id)),
            "note" => Some(Self::Note(id)),
            _ => None,
        }
    }
}

/// A note.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note {
    /// The note's id.
    pub id: uuid::Uuid,
    /// The organization.
    pub tenant_id: TenantId,
    /// What it is about.
    pub subject: Subject,
    /// The client it concerns (that of its subject).
    pub client_id: ClientId,
    /// The text.
    pub body: String,
    /// Who wrote it.
    pub author_id: UserId,
    /// When.
    pub created_at: DateTime<Utc>,
}
