//! The two backends under test, with a view of what each really stored
//! (the folder's files, the bucket's keys) that bypasses the adapter, and
//! sample data.

use fakturo_domain::TenantId;
use fakturo_domain::kernel::files::{ObjectKey, ObjectReader};
use fakturo_storage::{ObjectFileStore, StorageBackend, StorageSettings};
use fakturo_tests::moto_server::{self, MotoServer};
use uuid::Uuid;

/// The bucket the S3 suite runs in.
pub const BUCKET: &str = "fakturo-test-files";

/// A store under test and what it writes to.
pub struct Backend {
    pub store: ObjectFileStore,
    target: Target,
}

enum Target {
    Folder(tempfile::TempDir),
    Bucket(MotoServer),
}

impl Backend {
    /// A store in a fresh temporary folder.
    pub fn local() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let settings = StorageSettings {
            local_dir: dir.path().join("files"),
            ..StorageSettings::default()
        };
        Self {
            store: ObjectFileStore::new(&settings).unwrap(),
            target: Target::Folder(dir),
        }
    }

    /// A store in a fresh bucket of a fresh moto server, or `None` when
    /// moto is not available (and not required).
    pub fn moto() -> Option<Self> {
        let server = MotoServer::start()?;
        server.create_bucket(BUCKET);
        Some(Self {
            store: ObjectFileStore::new(&s3_settings(&server, BUCKET)).unwrap(),
            target: Target::Bucket(server),
        })
    }

    /// How many parts an object was uploaded in, where the backend can
    /// tell (an S3 ETag ends in `-<parts>` after a multipart upload; a
    /// single put has none); `None` for the local folder.
    pub fn upload_parts(&self, key: &ObjectKey) -> Option<usize> {
        let Target::Bucket(server) = &self.target else {
            return None;
        };
        let etag = server.etag(BUCKET, key.as_str()).expect("the object exists");
        let parts = etag.trim_matches('"').split_once('-').map(|(_, parts)| parts);
        Some(parts.map_or(1, |parts| parts.parse().unwrap()))
    }

    /// Every key the backend holds, read without the adapter: the files
    /// under the folder (as `/`-separated relative paths), or the bucket's
    /// keys.
    pub fn stored_keys(&self) -> Vec<String> {
        let mut keys = match &self.target {
            Target::Folder(dir) => {
                let root = dir.path().join("files");
                let mut files = Vec::new();
                walk(&root, &root, &mut files);
                files
            }
            Target::Bucket(server) => server.keys(BUCKET),
        };
        keys.sort();
        keys
    }
}

/// Settings for `bucket` on `server`.
pub fn s3_settings(server: &MotoServer, bucket: &str) -> StorageSettings {
    StorageSettings {
        backend: StorageBackend::S3,
        s3_endpoint: server.endpoint(),
        s3_bucket: bucket.to_owned(),
        s3_region: moto_server::REGION.to_owned(),
        s3_access_key_id: moto_server::ACCESS_KEY_ID.to_owned(),
        s3_secret_access_key: moto_server::SECRET_ACCESS_KEY.to_owned(),
        s3_allow_http: true,
        ..StorageSettings::default()
    }
}

fn walk(root: &std::path::Path, dir: &std::path::Path, files: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries {
        let path = entry.unwrap().path();
        if path.is_dir() {
            walk(root, &path, files);
        } else {
            let relative = path.strip_prefix(root).unwrap();
            let segments: Vec<_> = relative.iter().map(|s| s.to_str().unwrap()).collect();
            files.push(segments.join("/"));
        }
    }
}

/// A fresh tenant.
pub fn tenant() -> TenantId {
    TenantId::from_uuid(Uuid::new_v4())
}

/// `len` bytes that cover every byte value and do not repeat in any short
/// period (a xorshift sequence), so a dropped, doubled or reordered chunk
/// shows.
pub fn binary(len: usize, seed: u64) -> Vec<u8> {
    let mut state = seed | 1;
    (0..len)
        .map(|index| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            if index < 256 {
                u8::try_from(index).unwrap()
            } else {
                state.to_le_bytes()[0]
            }
        })
        .collect()
}

/// Reads an opened object to the end; also returns the number of chunks
/// and the largest chunk's size.
pub async fn read_all(mut reader: ObjectReader) -> (Vec<u8>, usize, usize) {
    let mut bytes = Vec::new();
    let (mut chunks, mut largest) = (0, 0);
    while let Some(chunk) = reader.chunks.next_chunk().await.unwrap() {
        chunks += 1;
        largest = largest.max(chunk.len());
        bytes.extend_from_slice(&chunk);
    }
    (bytes, chunks, largest)
}
