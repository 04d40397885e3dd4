//! Stored files' records: what was uploaded, attached to what, for which
//! client. The bytes live in the file store.

use crate::work::notes::Subject;
use crate::{ClientId, FileId, TenantId, UserId};
use chrono::{DateTime, Utc};

/// A stored file's record (the bytes live in the file store).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredFile {
    /// The file's id (its object key is made from it).
    pub id: FileId,
    /// The organization.
    pub tenant_id: TenantId,
    /// What it is attached to.
    pub subject: Subject,
    /// The client it concerns.
    pub client_id: ClientId,
    /// The name it was uploaded with (shown, never used as a key).
    pub name: String,
    /// The MIME type its bytes were recognised as.
    pub content_type: String,
    /// Its size.
    pub size_bytes: u64,
    /// Its SHA-256, hex.
    pub sha256: String,
    /// Who uploaded it.
    pub uploaded_by: UserId,
    /// When.
    pub created_at: DateTime<Utc>,
}
