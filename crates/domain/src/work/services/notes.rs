//! Notes on clients, invoices and jobs. A note belongs to the client of its
//! subject, which is resolved here (and must exist in the organization).

use std::sync::Arc;

use super::client_of;
use crate::access::user::{Forbidden, Principal};
use crate::kernel::clock::Clock;
use crate::kernel::errors::{Unexpected, unexpected_from};
use crate::kernel::files::FileStore;
use crate::kernel::ids::IdGenerator;
use crate::kernel::pagination::{Page, PageRequest};
use crate::kernel::validation::{ValidationErrors, required_text};
use crate::work::notes::{Note, Subject};
use crate::work::ports::WorkStore;

/// Why a note could not be written or read.
#[derive(Debug, thiserror::Error)]
pub enum NoteError {
    /// The role may not write.
    #[error(transparent)]
    Forbidden(#[from] Forbidden),
    /// The client, invoice or job does not exist in the organization.
    #[error("no such {0}")]
    SubjectNotFound(&'static str),
    /// An empty or over-long note.
    #[error("invalid note: {0}")]
    Invalid(ValidationErrors),
    /// Storage failed.
    #[error(transparent)]
    Unexpected(Unexpected),
}

unexpected_from!(NoteError);

/// Note use cases.
#[derive(Clone)]
pub struct NoteService {
    store: Arc<dyn WorkStore>,
    clock: Arc<dyn Clock>,
    ids: Arc<dyn IdGenerator>,
    files: Arc<dyn FileStore>,
}

impl NoteService {
    /// The service on the work store.
    #[must_use]
    pub fn new(
        store: Arc<dyn WorkStore>,
        clock: Arc<dyn Clock>,
        ids: Arc<dyn IdGenerator>,
        files: Arc<dyn FileStore>,
    ) -> Self {
        Self {
            store,
            clock,
            ids,
            files,
        }
    }

    /// Writes a note about `subject`.
    ///
    /// # Errors
    /// See [`NoteError`].
    pub async fn add(&self, who: &Principal, subject: Subject, body: &str) -> Result<Note, NoteError> {
        let writer = who.writer("write notes")?;
        let body = required_text(body, 20_000).map_err(|e| {
            let mut errors = ValidationErrors::new();
            errors.add("body", crate::kernel::validation::HasCode::code(&e), e.to_string());
            NoteError::Invalid(errors)
        })?;
        let uow = self.store.begin().await?;
        let client_id = client_of(uow.as_ref(), writer.tenant(), subject)
            .await?
            .ok_or(NoteError::SubjectNotFound(subject.kind()))?;
        let note = Note {
            id: self.ids.new_uuid(),
            tenant_id: writer.tenant(),
            subject,
            client_id,
            body,
            author_id: writer.user(),
            created_at: self.clock.now(),
        };
        uow.notes().insert(&note).await?;
        uow.commit().await?;
        Ok(note)
    }

    /// A page of the notes about `subject`, newest first.
    ///
    /// # Errors
    /// See [`NoteError`].
    pub async fn list(&self, who: &Principal, subject: Subject, page: PageRequest) -> Result<Page<Note>, NoteError> {
        let tenant = who.reader().tenant();
        let uow = self.store.begin().await?;
        if client_of(uow.as_ref(), tenant, subject).await?.is_none() {
            return Err(NoteError::SubjectNotFound(subject.kind()));
        }
        Ok(uow.notes().list(tenant, subject, page).await?)
    }
}

impl NoteService {
    /// Deletes a note and the files attached to it.
    ///
    /// # Errors
    /// [`NoteError::SubjectNotFound`] (`"note"`) when there is no such note.
    pub async fn delete(&self, who: &Principal, id: uuid::Uuid) -> Result<(), NoteError> {
        let tenant = who.writer("delete notes")?.tenant();
        let uow = self.store.begin().await?;
        if uow.notes().get(tenant, id).await?.is_none() {
            return Err(NoteError::SubjectNotFound("note"));
        }
        super::remove_subject_content(uow.as_ref(), self.files.as_ref(), tenant, Subject::Note(id)).await?;
        uow.notes().delete(tenant, id).await?;
        uow.commit().await?;
        Ok(())
    }
}
