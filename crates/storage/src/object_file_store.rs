//! [`ObjectFileStore`]: the [`FileStore`] port on the `object_store` crate,
//! over a local folder (the embedded default) or an S3-compatible store.
//!
//! Both backends go through the same code; only the construction differs
//! (see `backends`). Large files are uploaded in parts and read back as a
//! stream, so memory stays bounded by a few parts whatever the file size.

use std::fmt;
use std::path::Path;
use std::sync::Arc;

use async_trait::async_trait;
use bytes::Bytes;
use fakturo_domain::kernel::files::{ChunkSource, FileStore, FileStoreError, KeyPrefix, ObjectKey, ObjectReader};
use futures::stream::{BoxStream, StreamExt, TryStreamExt};
use object_store::path::Path as StorePath;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload, WriteMultipart};
use tokio::io::AsyncReadExt;

use crate::backends;
use crate::errors::{SetupError, from_read, from_source_file, from_write};
use crate::settings::{StorageBackend, StorageSettings};

/// Files larger than this are uploaded in parts of this size (S3 requires
/// at least 5 MiB for every part but the last).
pub const UPLOAD_PART_SIZE: usize = 8 * 1024 * 1024;
/// Parts uploaded at the same time; with the part being filled, memory for
/// an upload stays below `(UPLOAD_PARTS_IN_FLIGHT + 1) * UPLOAD_PART_SIZE`.
const UPLOAD_PARTS_IN_FLIGHT: usize = 2;
/// How much of the local file is read at a time.
const READ_BUFFER_SIZE: usize = 64 * 1024;

/// Files in a local folder or an S3-compatible bucket, through `object_store`.
#[derive(Clone)]
pub struct ObjectFileStore {
    store: Arc<dyn ObjectStore>,
    backend: StorageBackend,
}

impl ObjectFileStore {
    /// Builds the store that `settings` describe, after checking them.
    ///
    /// # Errors
    /// [`SetupError`] naming the key to fix: a missing or invalid S3 value,
    /// or a local folder that cannot be created.
    pub fn new(settings: &StorageSettings) -> Result<Self, SetupError> {
        let store = match settings.backend {
            StorageBackend::Local => backends::local(&settings.local_dir)?,
            StorageBackend::S3 => backends::s3(settings)?,
        };
        Ok(Self {
            store,
            backend: settings.backend,
        })
    }

    /// A store in the local folder `dir` (created if missing).
    ///
    /// # Errors
    /// [`SetupError::LocalDir`] if the folder cannot be created.
    pub fn local(dir: &Path) -> Result<Self, SetupError> {
        Ok(Self {
            store: backends::local(dir)?,
            backend: StorageBackend::Local,
        })
    }

    /// Which backend this is.
    #[must_use]
    pub const fn backend(&self) -> StorageBackend {
        self.backend
    }

    /// Checks that the store answers and the bucket exists (for start-up
    /// and readiness probes) by listing one page of keys.
    ///
    /// # Errors
    /// [`FileStoreError::Unavailable`] when the store cannot be reached,
    /// [`FileStoreError::Unexpected`] when it refuses the request (a
    /// missing bucket, wrong credentials).
    pub async fn check(&self) -> Result<(), FileStoreError> {
        let result = self.store.list_with_delimiter(None).await;
        result.map(|_| ()).map_err(from_write)
    }

    async fn put_in_parts(&self, location: &StorePath, file: &mut tokio::fs::File) -> Result<u64, FileStoreError> {
        let upload = self.store.put_multipart(location).await.map_err(from_write)?;
        let mut writer = WriteMultipart::new_with_chunk_size(upload, UPLOAD_PART_SIZE);
        let written = copy_into(file, &mut writer).await;
        match written {
            Ok(total) => {
                writer.finish().await.map_err(from_write)?;
                Ok(total)
            }
            Err(error) => {
                // Best effort: the upload failed already, and an unfinished
                // multipart upload is never visible under the key.
                let _ = writer.abort().await;
                Err(error)
            }
        }
    }
}

impl fmt::Debug for ObjectFileStore {
    /// Names the store (`AmazonS3(bucket)`, `LocalFileSystem(file:///…)`);
    /// never its credentials.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ObjectFileStore({})", self.store)
    }
}

/// Streams `file` into `writer`, waiting whenever enough parts are in flight.
async fn copy_into(file: &mut tokio::fs::File, writer: &mut WriteMultipart) -> Result<u64, FileStoreError> {
    let mut buffer = vec![0; READ_BUFFER_SIZE];
    let mut total: u64 = 0;
    loop {
        writer
            .wait_for_capacity(UPLOAD_PARTS_IN_FLIGHT)
            .await
            .map_err(from_write)?;
        let read = file.read(&mut buffer).await.map_err(from_source_file)?;
        let Some(chunk) = buffer.get(..read).filter(|chunk| !chunk.is_empty()) else {
            return Ok(total);
        };
        writer.write(chunk);
        total += chunk.len() as u64;
    }
}

#[async_trait]
impl FileStore for ObjectFileStore {
    async fn put(&self, key: &ObjectKey, bytes: Vec<u8>) -> Result<(), FileStoreError> {
        let location = key_path(key)?;
        self.store
            .put(&location, PutPayload::from(bytes))
            .await
            .map(|_| ())
            .map_err(from_write)
    }

    async fn put_file(&self, key: &ObjectKey, path: &Path) -> Result<u64, FileStoreError> {
        let location = key_path(key)?;
        let mut file = tokio::fs::File::open(path).await.map_err(from_source_file)?;
        let size = file.metadata().await.map_err(from_source_file)?.len();
        if size > UPLOAD_PART_SIZE as u64 {
            return self.put_in_parts(&location, &mut file).await;
        }
        let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(UPLOAD_PART_SIZE));
        file.read_to_end(&mut bytes).await.map_err(from_source_file)?;
        let stored = bytes.len() as u64;
        self.store
            .put(&location, PutPayload::from(bytes))
            .await
            .map_err(from_write)?;
        Ok(stored)
    }

    async fn get(&self, key: &ObjectKey) -> Result<Vec<u8>, FileStoreError> {
        let location = key_path(key)?;
        let result = self.store.get(&location).await.map_err(from_read)?;
        let bytes = result.bytes().await.map_err(from_read)?;
        Ok(Vec::from(bytes))
    }

    async fn open(&self, key: &ObjectKey) -> Result<ObjectReader, FileStoreError> {
        let location = key_path(key)?;
        let result = self.store.get(&location).await.map_err(from_read)?;
        Ok(ObjectReader {
            size: result.meta.size,
            chunks: Box::new(StreamChunks(result.into_stream())),
        })
    }

    async fn size(&self, key: &ObjectKey) -> Result<u64, FileStoreError> {
        let location = key_path(key)?;
        let meta = self.store.head(&location).await.map_err(from_read)?;
        Ok(meta.size)
    }

    async fn delete(&self, key: &ObjectKey) -> Result<(), FileStoreError> {
        let location = key_path(key)?;
        match self.store.delete(&location).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(error) => Err(from_write(error)),
        }
    }

    async fn list(&self, prefix: &KeyPrefix) -> Result<Vec<ObjectKey>, FileStoreError> {
        let location = prefix_path(prefix)?;
        let metas: Vec<_> = self
            .store
            .list(Some(&location))
            .try_collect()
            .await
            .map_err(from_write)?;
        let mut keys = metas
            .iter()
            .map(|meta| ObjectKey::parse(meta.location.as_ref()))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|error| FileStoreError::Unexpected(Box::new(error)))?;
        keys.sort();
        Ok(keys)
    }

    async fn delete_prefix(&self, prefix: &KeyPrefix) -> Result<u64, FileStoreError> {
        let location = prefix_path(prefix)?;
        // The whole listing first: deleting while listing would change the
        // folders (local) or pages (S3) being walked.
        let locations: Vec<_> = self
            .store
            .list(Some(&location))
            .map_ok(|meta| meta.location)
            .try_collect()
            .await
            .map_err(from_write)?;
        let mut deleted = self
            .store
            .delete_stream(futures::stream::iter(locations.into_iter().map(Ok)).boxed());
        let mut count = 0;
        while let Some(result) = deleted.next().await {
            match result {
                Ok(_) => count += 1,
                // Deleted meanwhile by someone else: not ours to count.
                Err(object_store::Error::NotFound { .. }) => {}
                Err(error) => return Err(from_write(error)),
            }
        }
        Ok(count)
    }
}

/// A download: `object_store`'s byte stream as the port's chunk source.
struct StreamChunks(BoxStream<'static, object_store::Result<Bytes>>);

#[async_trait]
impl ChunkSource for StreamChunks {
    async fn next_chunk(&mut self) -> Result<Option<Vec<u8>>, FileStoreError> {
        while let Some(chunk) = self.0.next().await {
            let chunk = chunk.map_err(from_read)?;
            if !chunk.is_empty() {
                return Ok(Some(Vec::from(chunk)));
            }
        }
        Ok(None)
    }
}

/// The `object_store` path of a key. Keys are built from ids only, so this
/// never fails in practice; if it did, it would be a bug.
fn key_path(key: &ObjectKey) -> Result<StorePath, FileStoreError> {
    StorePath::parse(key.as_str()).map_err(|error| FileStoreError::Unexpected(Box::new(error)))
}

/// The `object_store` path of a prefix; `object_store` matches prefixes
/// segment by segment, so `tenants/<a>` never covers `tenants/<ab>`.
fn prefix_path(prefix: &KeyPrefix) -> Result<StorePath, FileStoreError> {
    StorePath::parse(prefix.as_str().trim_end_matches('/')).map_err(|error| FileStoreError::Unexpected(Box::new(error)))
}
