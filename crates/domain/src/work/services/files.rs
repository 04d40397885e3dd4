//! Stored files: attached to a client, an invoice, a job or a note, their
//! bytes in the file store under a key made from ids only (never the file's
//! name), their record in the database. An upload stores the bytes first
//! and the record second; if the record cannot be written, the bytes are
//! deleted again, so nothing half-written survives.
//!
//! The upload policy lives here: a file larger than [`FileRules::max_bytes`]
//! is refused (before its bytes are even read, through
//! [`FileService::admit_size`]), and so is one whose bytes are not of its
//! declared type or are active content ([`accepted_type`]); the type stored
//! is the one its bytes show.

use std::sync::Arc;

use sha2::{Digest, Sha256};

use super::client_of;
use crate::FileId;
use crate::access::user::{Forbidden, Principal};
use crate::kernel::clock::Clock;
use crate::kernel::errors::{Unexpected, unexpected_from};
use crate::kernel::files::FileStore;
use crate::kernel::files::ObjectKey;
use crate::kernel::ids::IdGenerator;
use crate::kernel::pagination::{Page, PageRequest};
use crate::kernel::validation::{ValidationErrors, required_text};
use crate::work::content_type::{TypeRefusal, accepted_type};
use crate::work::files::StoredFile;
use crate::work::notes::Subject;
use crate::work::ports::WorkStore;

/// Limits of stored files.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileRules {
    /// The largest file.
    pub max_bytes: u64,
    /// What one organization may store in all.
    pub tenant_quota_bytes: u64,
}

/// A file as uploaded.
#[derive(Clone, PartialEq, Eq)]
pub struct Upload {
    /// The name it came with.
    pub name: String,
    /// The `Content-Type` it was declared with, if any.
    pub declared_type: Option<String>,
    /// The bytes.
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for Upload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Upload")
            .field("declared_type", &self.declared_type)
            .field("size", &self.bytes.len())
            .finish_non_exhaustive()
    }
}

/// Why a file could not be stored, read or deleted.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    /// The role may not write.
    #[error(transparent)]
    Forbidden(#[from] Forbidden),
    /// No such file in the organization.
    #[error("no such file")]
    NotFound,
    /// The client, invoice, job or note does not exist in the organization.
    #[error("no such {0}")]
    SubjectNotFound(&'static str),
    /// Larger than the limit.
    #[error("the file is larger than the limit of {max} bytes")]
    TooLarge {
        /// The limit.
        max: u64,
    },
    /// The bytes are not of an accepted type, or not of the declared one.
    #[error(transparent)]
    Type(#[from] TypeRefusal),
    /// The organization's storage is full.
    #[error("the organization's storage quota of {quota} bytes would be exceeded")]
    QuotaExceeded {
        /// The quota.
        quota: u64,
    },
    /// An empty file or a bad name.
    #[error("invalid file: {0}")]
    Invalid(ValidationErrors),
    /// Storage failed.
    #[error(transparent)]
    Unexpected(Unexpected),
}

unexpected_from!(FileError);

impl From<crate::kernel::files::FileStoreError> for FileError {
    fn from(error: crate::kernel::files::FileStoreError) -> Self {
        Self::Unexpected(Unexpected(Box::new(error)))
    }
}

/// File use cases.
#[derive(Clone)]
pub struct FileService {
    store: Arc<dyn WorkStore>,
    clock: Arc<dyn Clock>,
    ids: Arc<dyn IdGenerator>,
    files: Arc<dyn FileStore>,
    rules: FileRules,
}

impl FileService {
    /// The service on the work store with these limits.
    #[must_use]
    pub fn new(
        store: Arc<dyn WorkStore>,
        clock: Arc<dyn Clock>,
        ids: Arc<dyn IdGenerator>,
        files: Arc<dyn FileStore>,
        rules: FileRules,
    ) -> Self {
        Self {
            store,
            clock,
            ids,
            files,
            rules,
        }
    }

    /// The limits in force.
    #[must_use]
    pub fn rules(&self) -> FileRules {
        self.rules
    }

    /// Whether a file of `size` bytes may be uploaded at all: asked before
    /// its bytes are read.
    ///
    /// # Errors
    /// [`FileError::TooLarge`].
    pub fn admit_size(&self, size: u64) -> Result<(), FileError> {
        if size > self.rules.max_bytes {
            return Err(FileError::TooLarge {
                max: self.rules.max_bytes,
            });
        }
        Ok(())
    }

    /// Stores a file attached to `subject`, as the type its bytes show. The
    /// file itself is checked first (size, then type), then the role.
    ///
    /// # Errors
    /// See [`FileError`].
    pub async fn upload(&self, who: &Principal, subject: Subject, upload: Upload) -> Result<StoredFile, FileError> {
        let size = u64::try_from(upload.bytes.len()).unwrap_or(u64::MAX);
        self.admit_size(size)?;
        let content_type = accepted_type(upload.declared_type.as_deref(), &upload.bytes)?;
        let writer = who.writer("upload files")?;
        let tenant = writer.tenant();
        let mut errors = ValidationErrors::new();
        // Only the last path segment: a name is shown, never used as a path.
        let base = upload.name.rsplit(['/', '\\']).next().unwrap_or_default();
        let name = errors.check("file", required_text(base, 255));
        if size == 0 {
            errors.add("file", "empty", "must not be empty");
        }
        let Some(name) = name.filter(|_| errors.is_empty()) else {
            return Err(FileError::Invalid(errors));
        };
        let client_id = {
            let uow = self.store.begin().await?;
            let client = client_of(uow.as_ref(), tenant, subject)
                .await?
                .ok_or(FileError::SubjectNotFound(subject.kind()))?;
            let used = uow.files().total_bytes(tenant).await?;
            if used.saturating_add(size) > self.rules.tenant_quota_bytes {
                return Err(FileError::QuotaExceeded {
                    quota: self.rules.tenant_quota_bytes,
                });
            }
            client
        };
        let file = StoredFile {
            id: FileId::from_uuid(self.ids.new_uuid()),
            tenant_id: tenant,
            subject,
            client_id,
            name,
            content_type: content_type.to_owned(),
            size_bytes: size,
            sha256: Sha256::digest(&upload.bytes)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect(),
            uploaded_by: writer.user(),
            created_at: self.clock.now(),
        };
        let key = ObjectKey::tenant_file(tenant, file.id.as_uuid());
        self.files.put(&key, upload.bytes).await?;
        if let Err(error) = self.record(&file).await {
            if let Err(cleanup) = self.files.delete(&key).await {
                return Err(FileError::Unexpected(Unexpected(Box::new(cleanup))));
            }
            return Err(error);
        }
        Ok(file)
    }

    async fn record(&self, file: &StoredFile) -> Result<(), FileError> {
        let uow = self.store.begin().await?;
        uow.files().insert(file).await?;
        uow.commit().await?;
        Ok(())
    }

    /// One file's record.
    ///
    /// # Errors
    /// [`FileError::NotFound`].
    pub async fn get(&self, who: &Principal, id: FileId) -> Result<StoredFile, FileError> {
        let uow = self.store.begin().await?;
        uow.files()
            .get(who.reader().tenant(), id)
            .await?
            .ok_or(FileError::NotFound)
    }

    /// A page of files (attached to `subject`, if given), newest first.
    ///
    /// # Errors
    /// [`FileError::Unexpected`].
    pub async fn list(
        &self,
        who: &Principal,
        subject: Option<Subject>,
        page: PageRequest,
    ) -> Result<Page<StoredFile>, FileError> {
        let uow = self.store.begin().await?;
        Ok(uow.files().list(who.reader().tenant(), subject, page).await?)
    }

    /// A file's record and where its bytes are.
    ///
    /// # Errors
    /// [`FileError::NotFound`].
    pub async fn content(&self, who: &Principal, id: FileId) -> Result<(StoredFile, ObjectKey), FileError> {
        let file = self.get(who, id).await?;
        let key = ObjectKey::tenant_file(file.tenant_id, file.id.as_uuid());
        Ok((file, key))
    }

    /// Deletes a file: its record and its bytes. The bytes go before the
    /// record's deletion commits, so a failure leaves a record to delete
    /// again, never bytes without a record.
    ///
    /// # Errors
    /// See [`FileError`].
    pub async fn delete(&self, who: &Principal, id: FileId) -> Result<(), FileError> {
        let tenant = who.writer("delete files")?.tenant();
        let uow = self.store.begin().await?;
        if !uow.files().delete(tenant, id).await? {
            return Err(FileError::NotFound);
        }
        self.files.delete(&ObjectKey::tenant_file(tenant, id.as_uuid())).await?;
        uow.commit().await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests;
