//! Stored files: uploaded (multipart) and attached to a client, an invoice,
//! a job or a note; their metadata, their bytes, their deletion.
//!
//! This layer only reads the multipart body; the file service decides. An
//! upload is refused before anything is stored when it is larger than
//! `files.max_upload_bytes` (413), when its bytes are not what its declared
//! type says (415 `content_type_mismatch`: a PNG sent as `application/pdf`),
//! or when it is active content a browser would run (415
//! `unsupported_file_type`: HTML, SVG). Bytes are always served as an
//! attachment with `X-Content-Type-Options: nosniff`.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use fakturo_domain::FileId;
use fakturo_domain::kernel::validation::ValidationErrors;
use fakturo_domain::work::files::StoredFile;
use fakturo_domain::work::notes::Subject;
use fakturo_domain::work::services::files::Upload as FileUpload;
use poem::Body;
use poem::http::StatusCode;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::{Binary, Json, Response};
use poem_openapi::types::multipart::Upload;
use poem_openapi::{ApiResponse, Multipart, Object, OpenApi};
use uuid::Uuid;

use super::auth::Auth;
use super::pagination::page_request;
use super::privacy::stream;
use super::problem::{ApiError, ErrorCode};
use super::{ApiTags, AppState};

pub struct FilesApi {
    state: Arc<AppState>,
}

impl FilesApi {
    pub fn new(state: Arc<AppState>) -> Self {
        Self { state }
    }
}

/// A file to store.
#[derive(Debug, Multipart)]
struct FileCreate {
    /// The file; its part's `Content-Type` must match its bytes.
    file: Upload,
    /// `client`, `invoice`, `job` or `note`.
    attached_to_type: String,
    /// The id of the client, invoice, job or note.
    attached_to_id: Uuid,
}

/// A stored file's metadata.
#[derive(Object)]
struct FileView {
    id: Uuid,
    /// The name it was uploaded with (shown only; never part of where it is stored).
    name: String,
    /// The type its bytes were recognised as.
    content_type: String,
    size_bytes: u64,
    /// SHA-256 of the bytes, hex.
    sha256: String,
    /// `client`, `invoice`, `job` or `note`.
    attached_to_type: String,
    attached_to_id: Uuid,
    /// The client the file concerns.
    client_id: Uuid,
    uploaded_by: Uuid,
    created_at: DateTime<Utc>,
    /// Where its bytes are downloaded.
    content_url: String,
}

/// A page of files, newest first.
#[derive(Object)]
struct FileList {
    data: Vec<FileView>,
    /// Pass as `cursor` for the next page; `null` on the last page.
    next_cursor: Option<String>,
}

#[derive(ApiResponse)]
enum FileCreated {
    /// The stored file.
    #[oai(status = 201)]
    Created(Json<FileView>),
}

#[derive(ApiResponse)]
enum FileDeleted {
    /// The file's record and bytes are gone.
    #[oai(status = 204)]
    Deleted,
}

#[derive(ApiResponse)]
enum FileContent {
    /// The bytes, as an attachment, with the type they were recognised as.
    #[oai(status = 200, content_type = "application/octet-stream")]
    Bytes(
        Binary<Body>,
        #[oai(header = "Content-Length")] u64,
        #[oai(header = "Content-Disposition")] String,
    ),
}

fn view(file: StoredFile) -> FileView {
    FileView {
        content_url: format!("/api/v1/files/{}/content", file.id),
        id: file.id.as_uuid(),
        name: file.name,
        content_type: file.content_type,
        size_bytes: file.size_bytes,
        sha256: file.sha256,
        attached_to_type: file.subject.kind().to_owned(),
        attached_to_id: file.subject.id(),
        client_id: file.client_id.as_uuid(),
        uploaded_by: file.uploaded_by.as_uuid(),
        created_at: file.created_at,
    }
}

fn subject(kind: &str, id: Uuid) -> Result<Subject, ApiError> {
    Subject::from_parts(kind.trim(), id).ok_or_else(|| {
        ApiError::validation(
            StatusCode::UNPROCESSABLE_ENTITY,
            &ValidationErrors::single(
                "attached_to_type",
                "invalid_attached_to_type",
                "must be client, invoice, job or note",
            ),
        )
    })
}

/// `attachment` with an ASCII fallback name and the exact name in RFC 8187 form.
fn disposition(name: &str) -> String {
    let fallback: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut encoded = String::new();
    for byte in name.bytes() {
        if byte.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    format!("attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

#[OpenApi(prefix_path = "/api/v1", tag = "ApiTags::Content")]
impl FilesApi {
    /// Store a file attached to a client, an invoice, a job or a note.
    /// Larger than the limit: 413; bytes that are not what the part's
    /// `Content-Type` says: 415; beyond the plan's storage: 402 `plan_limit_reached`.
    #[oai(path = "/files", method = "post", operation_id = "create_file")]
    async fn create(&self, auth: Auth, form: FileCreate) -> Result<FileCreated, ApiError> {
        let who = self.state.authenticate(auth).await?;
        let subject = subject(&form.attached_to_type, form.attached_to_id)?;
        let files = &self.state.services.files;
        let size = u64::try_from(form.file.size()).unwrap_or(u64::MAX);
        files.admit_size(size)?;
        if who.principal.writer("upload files").is_ok() {
            // The plan's storage (402 `plan_limit_reached`); roles are checked by the service.
            let need = fakturo_domain::billing::Need::StorageBytes(size);
            self.state
                .services
                .billing
                .require(who.principal.tenant_id, need)
                .await?;
        }
        let name = form.file.file_name().unwrap_or_default().to_owned();
        let declared_type = form.file.content_type().map(str::to_owned);
        let bytes = form
            .file
            .into_vec()
            .await
            .map_err(|_| ApiError::new(ErrorCode::InvalidRequest, "The uploaded file could not be read."))?;
        let upload = FileUpload {
            name,
            declared_type,
            bytes,
        };
        let file = files.upload(&who.principal, subject, upload).await?;
        Ok(FileCreated::Created(Json(view(file))))
    }

    /// List files (attached to one thing, when given), newest first.
    #[oai(path = "/files", method = "get", operation_id = "list_files")]
    async fn list(
        &self,
        auth: Auth,
        /// With `attached_to_id`: `client`, `invoice`, `job` or `note`.
        attached_to_type: Query<Option<String>>,
        /// With `attached_to_type`.
        attached_to_id: Query<Option<Uuid>>,
        /// Page size, 1 to 100 (default 50).
        #[oai(validator(minimum(value = "1"), maximum(value = "100")))]
        limit: Query<Option<u32>>,
        /// The `next_cursor` of the previous page.
        cursor: Query<Option<String>>,
    ) -> Result<Json<FileList>, ApiError> {
        let who = self.state.authenticate(auth).await?;
        let page = page_request(limit.0, cursor.0.as_deref())?;
        let filter = match (attached_to_type.0, attached_to_id.0) {
            (Some(kind), Some(id)) => Some(subject(&kind, id)?),
            (None, None) => None,
            _ => {
                return Err(ApiError::validation(
                    StatusCode::BAD_REQUEST,
                    &ValidationErrors::single(
                        "attached_to_type",
                        "incomplete_filter",
                        "attached_to_type and attached_to_id go together",
                    ),
                ));
            }
        };
        let found = self.state.services.files.list(&who.principal, filter, page).await?;
        Ok(Json(FileList {
            data: found.items.into_iter().map(view).collect(),
            next_cursor: found.next_cursor,
        }))
    }

    /// A file's metadata.
    #[oai(path = "/files/:id", method = "get", operation_id = "get_file")]
    async fn get(&self, auth: Auth, id: Path<Uuid>) -> Result<Json<FileView>, ApiError> {
        let who = self.state.authenticate(auth).await?;
        let file = self
            .state
            .services
            .files
            .get(&who.principal, FileId::from_uuid(id.0))
            .await?;
        Ok(Json(view(file)))
    }

    /// A file's bytes, as an attachment.
    #[oai(path = "/files/:id/content", method = "get", operation_id = "download_file")]
    async fn content(&self, auth: Auth, id: Path<Uuid>) -> Result<Response<FileContent>, ApiError> {
        let who = self.state.authenticate(auth).await?;
        let (file, key) = self
            .state
            .services
            .files
            .content(&who.principal, FileId::from_uuid(id.0))
            .await?;
        let reader = self
            .state
            .files
            .open(&key)
            .await
            .map_err(|e| ApiError::unexpected(&fakturo_domain::kernel::errors::Unexpected(Box::new(e))))?;
        let content = FileContent::Bytes(Binary(stream(reader.chunks)), reader.size, disposition(&file.name));
        Ok(Response::new(content)
            .header("Content-Type", file.content_type)
            .header("X-Content-Type-Options", "nosniff"))
    }

    /// Delete a file: its record and its bytes.
    #[oai(path = "/files/:id", method = "delete", operation_id = "delete_file")]
    async fn delete(&self, auth: Auth, id: Path<Uuid>) -> Result<FileDeleted, ApiError> {
        let who = self.state.authenticate(auth).await?;
        self.state
            .services
            .files
            .delete(&who.principal, FileId::from_uuid(id.0))
            .await?;
        Ok(FileDeleted::Deleted)
    }
}
