//! Fakturo's file storage adapter: the
//! [`FileStore`](fakturo_domain::kernel::files::FileStore) port on the `object_store`
//! crate ([`ObjectFileStore`]), over a local folder (the embedded default,
//! `./data/files`) or any S3-compatible store, configured by
//! [`StorageSettings`]. (What an upload really is, from its bytes, is the
//! domain's `work::content_type`.)
//!
//! `object_store` and its HTTP stack stay inside this crate: the domain
//! sees keys, bytes and chunks, never an `object_store` type.

mod backends;
mod errors;
mod object_file_store;
mod settings;

pub use errors::SetupError;
pub use object_file_store::{ObjectFileStore, UPLOAD_PART_SIZE};
pub use settings::{DEFAULT_LOCAL_DIR, StorageBackend, StorageSettings};
