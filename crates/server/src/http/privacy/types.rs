//! The request and response bodies of the privacy operations.

use chrono::{DateTime, NaiveDate, Utc};
use poem::Body;
use poem_openapi::payload::{Binary, Json};
use poem_openapi::{ApiResponse, Object};
use uuid::Uuid;

/// One stored column.
#[derive(Object)]
pub(super) struct DataMapColumn {
    pub(super) name: String,
    /// Such as `account_profile`, `customer_content`, `accounting_records`.
    pub(super) category: String,
    /// `controller` or `processor`.
    pub(super) role: String,
    /// Whether the column holds personal data.
    pub(super) personal: bool,
    /// Whether data exports include it (secrets and digests never are).
    pub(super) exported: bool,
    /// How long it is kept and what happens then.
    pub(super) retention: String,
}

/// One table.
#[derive(Object)]
pub(super) struct DataMapTable {
    pub(super) table: String,
    /// Whether rows belong to one organization.
    pub(super) tenant_data: bool,
    pub(super) columns: Vec<DataMapColumn>,
}

/// Every stored field.
#[derive(Object)]
pub(super) struct DataMap {
    pub(super) tables: Vec<DataMapTable>,
}

/// An export to build.
#[derive(Object)]
#[oai(deny_unknown_fields)]
pub(super) struct ExportRequest {
    /// `tenant` (owners and admins), `me`, or `client` (owners and admins, with `client_id`).
    pub(super) scope: String,
    pub(super) client_id: Option<Uuid>,
}

/// An export.
#[derive(Object)]
pub(super) struct ExportView {
    pub(super) id: Uuid,
    /// `tenant`, `me` or `client`.
    pub(super) scope: String,
    pub(super) subject_id: Option<Uuid>,
    /// `pending`, `ready` or `failed`.
    pub(super) status: String,
    pub(super) requested_at: DateTime<Utc>,
    pub(super) completed_at: Option<DateTime<Utc>>,
    pub(super) size_bytes: Option<u64>,
    /// After this the archive is deleted.
    pub(super) expires_at: DateTime<Utc>,
    /// The manifest (counts per table, data categories) once ready.
    pub(super) manifest: Option<serde_json::Value>,
    /// Where to download the archive once ready.
    pub(super) download_url: Option<String>,
}

/// An erasure request's details.
#[derive(Object)]
#[oai(deny_unknown_fields)]
pub(super) struct EraseRequest {
    /// The privacy request this erasure answers, if any.
    pub(super) privacy_request_id: Option<Uuid>,
}

/// One line of an erasure report.
#[derive(Object)]
pub(super) struct ErasedItemView {
    pub(super) what: String,
    pub(super) count: u64,
}

/// What was kept, why and until when.
#[derive(Object)]
pub(super) struct RetainedItemView {
    pub(super) what: String,
    pub(super) count: u64,
    pub(super) legal_basis: String,
    /// The last day it is kept; the sweeper deletes it after.
    pub(super) until: NaiveDate,
}

/// What an erasure deleted, anonymized and kept.
#[derive(Object)]
pub(super) struct ErasureView {
    /// The erasure record's id.
    pub(super) id: Uuid,
    pub(super) deleted: Vec<ErasedItemView>,
    pub(super) anonymized: Vec<ErasedItemView>,
    pub(super) retained: Vec<RetainedItemView>,
}

/// The user's password, to confirm erasing their account.
#[derive(Object)]
#[oai(deny_unknown_fields)]
pub(super) struct EraseMeRequest {
    #[oai(write_only)]
    pub(super) password: String,
}

/// What erasing an account deleted and kept.
#[derive(Object)]
pub(super) struct UserErasureView {
    /// The erased account's id: what the organization's records still name, a pseudonym.
    pub(super) user_id: Uuid,
    pub(super) deleted: Vec<ErasedItemView>,
    /// Kept with the person's details stripped.
    pub(super) pseudonymized: Vec<ErasedItemView>,
    /// What stays and why.
    pub(super) retained: Vec<String>,
}

/// A client's objections.
#[derive(Object)]
#[oai(deny_unknown_fields)]
pub(super) struct ObjectionsBody {
    /// Consent-based purposes objected to: `analytics`, `marketing_email`, `ai_processing`.
    pub(super) purposes: Vec<String>,
    /// Objection to payment reminders and courtesy emails (the invoice itself still goes).
    pub(super) contact: bool,
}

/// A client's privacy state.
#[derive(Object)]
pub(super) struct ClientPrivacyView {
    pub(super) client_id: Uuid,
    pub(super) restricted: bool,
    pub(super) objections: Vec<String>,
    pub(super) objects_to_contact: bool,
    pub(super) erased_at: Option<DateTime<Utc>>,
}

/// The owner's password, to confirm closing the account.
#[derive(Object)]
#[oai(deny_unknown_fields)]
pub(super) struct CloseRequest {
    #[oai(write_only)]
    pub(super) password: String,
}

/// A closed account's timetable.
#[derive(Object)]
pub(super) struct Closed {
    pub(super) closed_at: DateTime<Utc>,
    /// Until then export and reopening are possible; after it everything is purged.
    pub(super) purge_after: DateTime<Utc>,
}

#[derive(ApiResponse)]
pub(super) enum ExportAccepted {
    /// The export is being built.
    #[oai(status = 202)]
    Accepted(Json<ExportView>),
}

#[derive(ApiResponse)]
pub(super) enum Archive {
    /// The ZIP archive.
    #[oai(status = 200, content_type = "application/zip")]
    Zip(
        Binary<Body>,
        #[oai(header = "Content-Disposition")] String,
        #[oai(header = "Content-Length")] u64,
    ),
}

#[derive(ApiResponse)]
pub(super) enum ClosureAccepted {
    /// The account is closed; the purge is scheduled.
    #[oai(status = 202)]
    Accepted(Json<Closed>),
}

#[derive(ApiResponse)]
pub(super) enum Reopened {
    /// The account is open again.
    #[oai(status = 204)]
    Reopened,
}
