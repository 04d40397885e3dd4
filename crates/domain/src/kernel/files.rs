//! File storage as a port: uploaded files and generated archives kept as
//! objects under keys built only from ids.
//!
//! An [`ObjectKey`] is made from a tenant id and an object id, never from a
//! name a user typed, so a stored key cannot collide with another tenant's,
//! cannot climb out of its folder, and reveals nothing personal. The file's
//! original name and content type belong in the database row that points
//! at the key.

use std::fmt;
use std::path::Path;
use std::str::FromStr;

use async_trait::async_trait;
use uuid::Uuid;

use crate::kernel::ids::TenantId;

/// The first segment of every key.
const TENANTS: &str = "tenants";
/// The folder of a tenant's uploaded files.
const FILES: &str = "files";
/// The folder of a tenant's export archives.
const EXPORTS: &str = "exports";
/// The file extension of an export archive.
const ZIP: &str = ".zip";

/// Where one object is stored: `tenants/<tenant>/files/<file>` or
/// `tenants/<tenant>/exports/<export>.zip`, with ids as lowercase hyphenated
/// UUIDs. There is no constructor from free text other than
/// [`ObjectKey::parse`], which accepts exactly these two shapes.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ObjectKey {
    tenant: TenantId,
    text: String,
}

impl ObjectKey {
    /// The key of an uploaded file: `tenants/<tenant>/files/<file>`.
    #[must_use]
    pub fn tenant_file(tenant: TenantId, file: Uuid) -> Self {
        Self {
            tenant,
            text: format!(
                "{TENANTS}/{}/{FILES}/{}",
                tenant.as_uuid().hyphenated(),
                file.hyphenated()
            ),
        }
    }

    /// The key of an export archive: `tenants/<tenant>/exports/<export>.zip`.
    #[must_use]
    pub fn tenant_export(tenant: TenantId, export: Uuid) -> Self {
        Self {
            tenant,
            text: format!(
                "{TENANTS}/{}/{EXPORTS}/{}{ZIP}",
                tenant.as_uuid().hyphenated(),
                export.hyphenated()
            ),
        }
    }

    /// Reads a key back from stored text (a database column, a listing).
    ///
    /// # Errors
    /// [`InvalidObjectKey`] unless `text` is exactly one of the two shapes
    /// with canonical (lowercase, hyphenated) UUIDs.
    pub fn parse(text: &str) -> Result<Self, InvalidObjectKey> {
        let mut segments = text.split('/');
        let (Some(TENANTS), Some(tenant), Some(folder), Some(name), None) = (
            segments.next(),
            segments.next(),
            segments.next(),
            segments.next(),
            segments.next(),
        ) else {
            return Err(InvalidObjectKey("not of the form tenants/<tenant>/<folder>/<name>"));
        };
        let tenant = TenantId::from_uuid(canonical_uuid(tenant)?);
        let key = match folder {
            FILES => Self::tenant_file(tenant, canonical_uuid(name)?),
            EXPORTS => {
                let id = name
                    .strip_suffix(ZIP)
                    .ok_or(InvalidObjectKey("an export's name must end in .zip"))?;
                Self::tenant_export(tenant, canonical_uuid(id)?)
            }
            _ => return Err(InvalidObjectKey("unknown folder")),
        };
        Ok(key)
    }

    /// The tenant that owns the object.
    #[must_use]
    pub const fn tenant(&self) -> TenantId {
        self.tenant
    }

    /// The key as stored.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether the key lies under `prefix`.
    #[must_use]
    pub fn starts_with(&self, prefix: &KeyPrefix) -> bool {
        self.text.starts_with(prefix.as_str())
    }
}

impl fmt::Display for ObjectKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl FromStr for ObjectKey {
    type Err = InvalidObjectKey;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::parse(text)
    }
}

/// A folder of keys, for listing and bulk deletion: all of one tenant's
/// objects, or one kind of them. Always ends in `/`, so one tenant's prefix
/// never matches another tenant's keys.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct KeyPrefix(String);

impl KeyPrefix {
    /// Everything a tenant owns: `tenants/<tenant>/`.
    #[must_use]
    pub fn tenant(tenant: TenantId) -> Self {
        Self(format!("{TENANTS}/{}/", tenant.as_uuid().hyphenated()))
    }

    /// A tenant's uploaded files: `tenants/<tenant>/files/`.
    #[must_use]
    pub fn tenant_files(tenant: TenantId) -> Self {
        Self(format!("{TENANTS}/{}/{FILES}/", tenant.as_uuid().hyphenated()))
    }

    /// A tenant's export archives: `tenants/<tenant>/exports/`.
    #[must_use]
    pub fn tenant_exports(tenant: TenantId) -> Self {
        Self(format!("{TENANTS}/{}/{EXPORTS}/", tenant.as_uuid().hyphenated()))
    }

    /// The prefix as stored, ending in `/`.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for KeyPrefix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Text that is not an [`ObjectKey`]; says which rule it broke, never the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid object key: {0}")]
pub struct InvalidObjectKey(&'static str);

/// A UUID in its one canonical spelling, so that parsing and printing a key
/// give back the same text.
fn canonical_uuid(text: &str) -> Result<Uuid, InvalidObjectKey> {
    Uuid::try_parse(text)
        .ok()
        .filter(|uuid| uuid.hyphenated().to_string() == text)
        .ok_or(InvalidObjectKey("an id is not a lowercase hyphenated UUID"))
}

/// Why a file operation failed.
#[derive(Debug, thiserror::Error)]
pub enum FileStoreError {
    /// No object is stored under the key.
    #[error("no such object")]
    NotFound,
    /// The store could not be reached or answered with a server error;
    /// retrying later may succeed.
    #[error("the file store is unavailable: {0}")]
    Unavailable(String),
    /// Anything else: refused credentials, a full disk, a bug.
    #[error("the file store failed")]
    Unexpected(#[source] Box<dyn std::error::Error + Send + Sync>),
}

/// An object opened for reading piece by piece, so that a download is
/// passed on without holding the whole object in memory.
#[async_trait]
pub trait ChunkSource: Send {
    /// The next piece of the object, or `None` after the last one.
    ///
    /// # Errors
    /// [`FileStoreError::Unavailable`] if the connection broke off (the
    /// download is then incomplete and must be started again),
    /// [`FileStoreError::Unexpected`] otherwise.
    async fn next_chunk(&mut self) -> Result<Option<Vec<u8>>, FileStoreError>;
}

/// An object opened with [`FileStore::open`].
pub struct ObjectReader {
    /// The object's size in bytes (for `Content-Length`).
    pub size: u64,
    /// Its bytes, in order.
    pub chunks: Box<dyn ChunkSource>,
}

impl fmt::Debug for ObjectReader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ObjectReader")
            .field("size", &self.size)
            .finish_non_exhaustive()
    }
}

/// Keeps files: uploads, generated documents, export archives.
///
/// Writes replace whatever the key held before, atomically: a reader sees
/// the old object or the new one, never a mix.
#[async_trait]
pub trait FileStore: Send + Sync {
    /// Stores `bytes` under `key`.
    ///
    /// # Errors
    /// [`FileStoreError::Unavailable`] when a retry may succeed,
    /// [`FileStoreError::Unexpected`] otherwise; nothing was stored then.
    async fn put(&self, key: &ObjectKey, bytes: Vec<u8>) -> Result<(), FileStoreError>;

    /// Stores the contents of the local file at `path` under `key`,
    /// streaming it (in parts, for large files) so memory stays bounded.
    /// Returns the number of bytes stored.
    ///
    /// # Errors
    /// [`FileStoreError::Unavailable`] when a retry may succeed,
    /// [`FileStoreError::Unexpected`] otherwise, including when the local
    /// file cannot be read; nothing was stored then.
    async fn put_file(&self, key: &ObjectKey, path: &Path) -> Result<u64, FileStoreError>;

    /// Reads a whole object into memory; for small objects only (use
    /// [`FileStore::open`] for anything that may be large).
    ///
    /// # Errors
    /// [`FileStoreError::NotFound`] if no object is stored under `key`,
    /// [`FileStoreError::Unavailable`] when a retry may succeed,
    /// [`FileStoreError::Unexpected`] otherwise.
    async fn get(&self, key: &ObjectKey) -> Result<Vec<u8>, FileStoreError>;

    /// Opens an object for reading in chunks.
    ///
    /// # Errors
    /// [`FileStoreError::NotFound`] if no object is stored under `key`,
    /// [`FileStoreError::Unavailable`] when a retry may succeed,
    /// [`FileStoreError::Unexpected`] otherwise.
    async fn open(&self, key: &ObjectKey) -> Result<ObjectReader, FileStoreError>;

    /// The size of an object in bytes.
    ///
    /// # Errors
    /// [`FileStoreError::NotFound`] if no object is stored under `key`,
    /// [`FileStoreError::Unavailable`] when a retry may succeed,
    /// [`FileStoreError::Unexpected`] otherwise.
    async fn size(&self, key: &ObjectKey) -> Result<u64, FileStoreError>;

    /// Deletes an object. Deleting a key that holds nothing succeeds, so a
    /// retried deletion is harmless.
    ///
    /// # Errors
    /// [`FileStoreError::Unavailable`] when a retry may succeed,
    /// [`FileStoreError::Unexpected`] otherwise.
    async fn delete(&self, key: &ObjectKey) -> Result<(), FileStoreError>;

    /// The keys of every object under `prefix`, in key order.
    ///
    /// # Errors
    /// [`FileStoreError::Unavailable`] when a retry may succeed,
    /// [`FileStoreError::Unexpected`] otherwise, including when an object
    /// under the prefix has a key that [`ObjectKey::parse`] refuses.
    async fn list(&self, prefix: &KeyPrefix) -> Result<Vec<ObjectKey>, FileStoreError>;

    /// Deletes every object under `prefix` and returns how many there were.
    /// Objects outside the prefix (another tenant's) are never touched.
    ///
    /// # Errors
    /// [`FileStoreError::Unavailable`] when a retry may succeed,
    /// [`FileStoreError::Unexpected`] otherwise; some objects may have been
    /// deleted then, and calling it again finishes the job.
    async fn delete_prefix(&self, prefix: &KeyPrefix) -> Result<u64, FileStoreError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    const TENANT: &str = "0191f1a2-3b4c-7d5e-8f60-718293a4b5c6";
    const FILE: &str = "0191f1a2-9999-7aaa-8bbb-ccccdddd0001";

    fn tenant() -> TenantId {
        TENANT.parse().unwrap()
    }

    #[test]
    fn keys_are_built_from_ids_only() {
        let file = Uuid::parse_str(FILE).unwrap();
        assert_eq!(
            ObjectKey::tenant_file(tenant(), file).as_str(),
            format!("tenants/{TENANT}/files/{FILE}")
        );
        assert_eq!(
            ObjectKey::tenant_export(tenant(), file).to_string(),
            format!("tenants/{TENANT}/exports/{FILE}.zip")
        );
        assert_eq!(KeyPrefix::tenant(tenant()).as_str(), format!("tenants/{TENANT}/"));
        assert_eq!(
            KeyPrefix::tenant_files(tenant()).as_str(),
            format!("tenants/{TENANT}/files/")
        );
        assert_eq!(
            KeyPrefix::tenant_exports(tenant()).as_str(),
            format!("tenants/{TENANT}/exports/")
        );
    }

    #[test]
    fn keys_parse_back_to_themselves() {
        let file = Uuid::parse_str(FILE).unwrap();
        for key in [
            ObjectKey::tenant_file(tenant(), file),
            ObjectKey::tenant_export(tenant(), file),
        ] {
            let parsed = ObjectKey::parse(key.as_str()).unwrap();
            assert_eq!(parsed, key);
            assert_eq!(parsed.tenant(), tenant());
            assert!(parsed.starts_with(&KeyPrefix::tenant(tenant())));
        }
        assert_eq!(
            format!("tenants/{TENANT}/files/{FILE}").parse::<ObjectKey>().unwrap(),
            ObjectKey::tenant_file(tenant(), file)
        );
    }

    #[test]
    fn anything_but_the_two_shapes_is_refused() {
        let upper = FILE.to_uppercase();
        let simple = FILE.replace('-', "");
        for text in [
            String::new(),
            "tenants".to_owned(),
            format!("tenants/{TENANT}/"),
            format!("tenants/{TENANT}/files/"),
            format!("tenants/{TENANT}/files/Invoice 2026-0042.pdf"),
            format!("tenants/{TENANT}/files/../../etc/passwd"),
            format!("tenants/{TENANT}/files/{FILE}/x"),
            format!("tenants/{TENANT}/files/{FILE}.zip"),
            format!("tenants/{TENANT}/files/{upper}"),
            format!("tenants/{TENANT}/files/{simple}"),
            format!("tenants/{TENANT}/exports/{FILE}"),
            format!("tenants/{TENANT}/exports/{FILE}.tar"),
            format!("tenants/{TENANT}/avatars/{FILE}"),
            format!("tenants/not-a-uuid/files/{FILE}"),
            format!("/tenants/{TENANT}/files/{FILE}"),
            format!("tenants//{TENANT}/files/{FILE}"),
            format!("users/{TENANT}/files/{FILE}"),
            format!("tenants/{TENANT}/files/{{{FILE}}}"),
        ] {
            assert!(ObjectKey::parse(&text).is_err(), "{text:?} was accepted");
        }
    }

    #[test]
    fn one_tenants_prefix_never_covers_another_tenants_keys() {
        let other: TenantId = "0191f1a2-3b4c-7d5e-8f60-718293a4b5c7".parse().unwrap();
        let key = ObjectKey::tenant_file(other, Uuid::parse_str(FILE).unwrap());
        assert!(!key.starts_with(&KeyPrefix::tenant(tenant())));
        assert!(key.starts_with(&KeyPrefix::tenant(other)));
        assert!(key.starts_with(&KeyPrefix::tenant_files(other)));
        assert!(!key.starts_with(&KeyPrefix::tenant_exports(other)));
    }

    #[test]
    fn an_invalid_key_error_does_not_repeat_the_text() {
        let error = ObjectKey::parse("tenants/x/files/Müller.pdf").unwrap_err();
        assert!(!error.to_string().contains("Müller"), "{error}");
    }
}
