//! A file store in memory that remembers what it was asked to delete, and
//! can be told to fail deletions (to show what a failed erasure leaves).

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

use async_trait::async_trait;

use crate::kernel::files::{ChunkSource, FileStore, FileStoreError, KeyPrefix, ObjectKey, ObjectReader};

/// Objects in memory, with a record of every deletion asked for.
#[derive(Debug, Default)]
pub struct MemoryFiles {
    objects: Mutex<BTreeMap<ObjectKey, Vec<u8>>>,
    deleted: Mutex<Vec<ObjectKey>>,
    deleted_prefixes: Mutex<Vec<KeyPrefix>>,
    fail_deletes: AtomicBool,
}

fn guard<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl MemoryFiles {
    /// An empty store.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Stores `bytes` under `key` directly (to arrange a test).
    pub fn insert(&self, key: &ObjectKey, bytes: &[u8]) {
        guard(&self.objects).insert(key.clone(), bytes.to_vec());
    }

    /// Whether an object is stored under `key`.
    #[must_use]
    pub fn contains(&self, key: &ObjectKey) -> bool {
        guard(&self.objects).contains_key(key)
    }

    /// The keys of the stored objects, in key order.
    #[must_use]
    pub fn keys(&self) -> Vec<ObjectKey> {
        guard(&self.objects).keys().cloned().collect()
    }

    /// Every key [`FileStore::delete`] was called with, in order.
    #[must_use]
    pub fn deleted(&self) -> Vec<ObjectKey> {
        guard(&self.deleted).clone()
    }

    /// Every prefix [`FileStore::delete_prefix`] was called with, in order.
    #[must_use]
    pub fn deleted_prefixes(&self) -> Vec<KeyPrefix> {
        guard(&self.deleted_prefixes).clone()
    }

    /// Makes deletions fail with [`FileStoreError::Unavailable`] (deleting nothing).
    pub fn fail_deletes(&self, fail: bool) {
        self.fail_deletes.store(fail, Ordering::SeqCst);
    }

    fn check_deletes(&self) -> Result<(), FileStoreError> {
        if self.fail_deletes.load(Ordering::SeqCst) {
            return Err(FileStoreError::Unavailable("deletions are failing".into()));
        }
        Ok(())
    }
}

struct OneChunk(Option<Vec<u8>>);

#[async_trait]
impl ChunkSource for OneChunk {
    async fn next_chunk(&mut self) -> Result<Option<Vec<u8>>, FileStoreError> {
        Ok(self.0.take())
    }
}

#[async_trait]
impl FileStore for MemoryFiles {
    async fn put(&self, key: &ObjectKey, bytes: Vec<u8>) -> Result<(), FileStoreError> {
        guard(&self.objects).insert(key.clone(), bytes);
        Ok(())
    }

    async fn put_file(&self, key: &ObjectKey, path: &Path) -> Result<u64, FileStoreError> {
        let bytes = std::fs::read(path).map_err(|e| FileStoreError::Unexpected(Box::new(e)))?;
        let size = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
        guard(&self.objects).insert(key.clone(), bytes);
        Ok(size)
    }

    async fn get(&self, key: &ObjectKey) -> Result<Vec<u8>, FileStoreError> {
        guard(&self.objects).get(key).cloned().ok_or(FileStoreError::NotFound)
    }

    async fn open(&self, key: &ObjectKey) -> Result<ObjectReader, FileStoreError> {
        let bytes = self.get(key).await?;
        Ok(ObjectReader {
            size: u64::try_from(bytes.len()).unwrap_or(u64::MAX),
            chunks: Box::new(OneChunk(Some(bytes))),
        })
    }

    async fn size(&self, key: &ObjectKey) -> Result<u64, FileStoreError> {
        let bytes = self.get(key).await?;
        Ok(u64::try_from(bytes.len()).unwrap_or(u64::MAX))
    }

    async fn delete(&self, key: &ObjectKey) -> Result<(), FileStoreError> {
        self.check_deletes()?;
        guard(&self.deleted).push(key.clone());
        guard(&self.objects).remove(key);
        Ok(())
    }

    async fn list(&self, prefix: &KeyPrefix) -> Result<Vec<ObjectKey>, FileStoreError> {
        Ok(guard(&self.objects)
            .keys()
            .filter(|k| k.starts_with(prefix))
            .cloned()
            .collect())
    }

    async fn delete_prefix(&self, prefix: &KeyPrefix) -> Result<u64, FileStoreError> {
        self.check_deletes()?;
        guard(&self.deleted_prefixes).push(prefix.clone());
        let mut objects = guard(&self.objects);
        let before = objects.len();
        objects.retain(|k, _| !k.starts_with(prefix));
        Ok(u64::try_from(before - objects.len()).unwrap_or(u64::MAX))
    }
}
