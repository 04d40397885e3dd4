//! Notes on clients, invoices and jobs.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use fakturo_domain::work::notes::{Note, Subject};
use fakturo_domain::{ClientId, InvoiceId};
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, Object, OpenApi};
use uuid::Uuid;

use super::auth::Auth;
use super::pagination::page_request;
use super::problem::ApiError;
use super::{ApiTags, AppState};

pub struct NotesApi {
    state: Arc<AppState>,
}

impl NotesApi {
    pub fn new(state: Arc<AppState>) -> Self {
        Self { state }
    }

    async fn add(&self, auth: Auth, subject: Subject, body: NoteCreate) -> Result<NoteCreated, ApiError> {
        let who = self.state.authenticate(auth).await?;
        let note = self
            .state
            .services
            .notes
            .add(&who.principal, subject, &body.body)
            .await?;
        Ok(NoteCreated::Created(Json(view(note))))
    }

    async fn list(
        &self,
        auth: Auth,
        subject: Subject,
        limit: Option<u32>,
        cursor: Option<String>,
    ) -> Result<Json<NoteList>, ApiError> {
        let who = self.state.authenticate(auth).await?;
        let page = page_request(limit, cursor.as_deref())?;
        let found = self.state.services.notes.list(&who.principal, subject, page).await?;
        Ok(Json(NoteList {
            data: found.items.into_iter().map(view).collect(),
            next_cursor: found.next_cursor,
        }))
    }
}

/// A new note.
#[derive(Object)]
#[oai(deny_unknown_fields)]
struct NoteCreate {
    /// The text, up to 20,000 characters.
    body: String,
}

/// A note.
#[derive(Object)]
struct NoteView {
    id: Uuid,
    /// `client`, `invoice` or `job`.
    attached_to_type: String,
    attached_to_id: Uuid,
    /// The client the note concerns.
    client_id: Uuid,
    body: String,
    /// The user who wrote it.
    author_id: Uuid,
    created_at: DateTime<Utc>,
}

/// A page of notes, newest first.
#[derive(Object)]
struct NoteList {
    data: Vec<NoteView>,
    /// Pass as `cursor` for the next page; `null` on the last page.
    next_cursor: Option<String>,
}

#[derive(ApiResponse)]
enum NoteCreated {
    /// The new note.
    #[oai(status = 201)]
    Created(Json<NoteView>),
}

#[derive(ApiResponse)]
enum NoteDeleted {
    /// The note and the files attached to it are gone.
    #[oai(status = 204)]
    Deleted,
}

fn view(note: Note) -> NoteView {
    NoteView {
        id: note.id,
        attached_to_type: note.subject.kind().to_owned(),
        attached_to_id: note.subject.id(),
        client_id: note.client_id.as_uuid(),
        body: note.body,
        author_id: note.author_id.as_uuid(),
        created_at: note.created_at,
    }
}

#[OpenApi(prefix_path = "/api/v1", tag = "ApiTags::Content")]
impl NotesApi {
    /// Write a note about a client.
    #[oai(path = "/clients/:id/notes", method = "post", operation_id = "create_client_note")]
    async fn create_client_note(
        &self,
        auth: Auth,
        id: Path<Uuid>,
        body: Json<NoteCreate>,
    ) -> Result<NoteCreated, ApiError> {
        self.add(auth, Subject::Client(ClientId::from_uuid(id.0)), body.0).await
    }

    /// The notes about a client, newest first.
    #[oai(path = "/clients/:id/notes", method = "get", operation_id = "list_client_notes")]
    async fn list_client_notes(
        &self,
        auth: Auth,
        id: Path<Uuid>,
        /// Page size, 1 to 100 (default 50).
        #[oai(validator(minimum(value = "1"), maximum(value = "100")))]
        limit: Query<Option<u32>>,
        /// The `next_cursor` of the previous page.
        cursor: Query<Option<String>>,
    ) -> Result<Json<NoteList>, ApiError> {
        self.list(auth, Subject::Client(ClientId::from_uuid(id.0)), limit.0, cursor.0)
            .await
    }

    /// Write a note about an invoice.
    #[oai(path = "/invoices/:id/notes", method = "post", operation_id = "create_invoice_note")]
    async fn create_invoice_note(
        &self,
        auth: Auth,
        id: Path<Uuid>,
        body: Json<NoteCreate>,
    ) -> Result<NoteCreated, ApiError> {
        self.add(auth, Subject::Invoice(InvoiceId::from_uuid(id.0)), body.0)
            .await
    }

    /// The notes about an invoice, newest first.
    #[oai(path = "/invoices/:id/notes", method = "get", operation_id = "list_invoice_notes")]
    async fn list_invoice_notes(
        &self,
        auth: Auth,
        id: Path<Uuid>,
        /// Page size, 1 to 100 (default 50).
        #[oai(validator(minimum(value = "1"), maximum(value = "100")))]
        limit: Query<Option<u32>>,
        /// The `next_cursor` of the previous page.
        cursor: Query<Option<String>>,
    ) -> Result<Json<NoteList>, ApiError> {
        self.list(auth, Subject::Invoice(InvoiceId::from_uuid(id.0)), limit.0, cursor.0)
            .await
    }

    /// Write a note about a job.
    #[oai(path = "/jobs/:id/notes", method = "post", operation_id = "create_job_note")]
    async fn create_job_note(
        &self,
        auth: Auth,
        id: Path<Uuid>,
        body: Json<NoteCreate>,
    ) -> Result<NoteCreated, ApiError> {
        self.add(auth, Subject::WorkOrder(id.0), body.0).await
    }

    /// The notes about a job, newest first.
    #[oai(path = "/jobs/:id/notes", method = "get", operation_id = "list_job_notes")]
    async fn list_job_notes(
        &self,
        auth: Auth,
        id: Path<Uuid>,
        /// Page size, 1 to 100 (default 50).
        #[oai(validator(minimum(value = "1"), maximum(value = "100")))]
        limit: Query<Option<u32>>,
        /// The `next_cursor` of the previous page.
        cursor: Query<Option<String>>,
    ) -> Result<Json<NoteList>, ApiError> {
        self.list(auth, Subject::WorkOrder(id.0), limit.0, cursor.0).await
    }

    /// Delete a note and the files attached to it.
    #[oai(path = "/notes/:id", method = "delete", operation_id = "delete_note")]
    async fn delete(&self, auth: Auth, id: Path<Uuid>) -> Result<NoteDeleted, ApiError> {
        let who = self.state.authenticate(auth).await?;
        self.state.services.notes.delete(&who.principal, id.0).await?;
        Ok(NoteDeleted::Deleted)
    }
}
