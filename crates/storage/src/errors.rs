//! The adapter's errors: [`SetupError`] for a store that cannot be built
//! from its settings, and the translation of `object_store`'s errors into
//! the port's [`FileStoreError`] at the seam.
//!
//! A failed connection, a timeout or a 5xx/429 answer (after the client's
//! own retries) is [`FileStoreError::Unavailable`]; a missing object is
//! [`FileStoreError::NotFound`] where the port promises it; everything else
//! is [`FileStoreError::Unexpected`] with the original error as its source.

use std::error::Error as StdError;
use std::io;
use std::path::PathBuf;

use fakturo_domain::kernel::files::FileStoreError;
use object_store::client::HttpError;

/// Why a file store could not be built from its settings. Each variant
/// names the settings key to fix.
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    /// A key that the chosen backend needs is empty.
    #[error("{key} must be set")]
    Missing {
        /// The settings key, such as `storage.s3_bucket`.
        key: &'static str,
    },
    /// A key holds a value that cannot work.
    #[error("{key} is invalid: {reason}")]
    Invalid {
        /// The settings key.
        key: &'static str,
        /// What is wrong with it (never the value of a secret).
        reason: String,
    },
    /// The local folder does not exist and cannot be created.
    #[error("storage.local_dir: the folder {} cannot be created", path.display())]
    LocalDir {
        /// The folder.
        path: PathBuf,
        /// Why not.
        #[source]
        source: io::Error,
    },
    /// `object_store` refused the configuration.
    #[error("the object store could not be set up")]
    ObjectStore(#[source] object_store::Error),
}

/// Translates an error of a read (`get`, `open`, `size`): a missing object
/// is [`FileStoreError::NotFound`].
pub(crate) fn from_read(error: object_store::Error) -> FileStoreError {
    match error {
        object_store::Error::NotFound { .. } => FileStoreError::NotFound,
        other => from_other(other),
    }
}

/// Translates an error of a write, a listing or a deletion. `NotFound` has
/// no meaning for these (an S3 store answers 404 when the bucket is
/// missing), so it is unexpected.
pub(crate) fn from_write(error: object_store::Error) -> FileStoreError {
    from_other(error)
}

/// An error of the local file handed to `put_file`.
pub(crate) fn from_source_file(error: io::Error) -> FileStoreError {
    FileStoreError::Unexpected(Box::new(error))
}

fn from_other(error: object_store::Error) -> FileStoreError {
    match transient_cause(&error) {
        Some(cause) => FileStoreError::Unavailable(cause),
        None => FileStoreError::Unexpected(Box::new(error)),
    }
}

/// What makes `error` worth retrying, if anything: a transport failure
/// (connection refused or reset, timeout) or a server-side status
/// (5xx, 429).
///
/// `object_store` exposes transport failures as [`HttpError`] in the source
/// chain, but keeps the status of a failed response in a private type; its
/// text ("Server returned non-2xx status code: 503 Service Unavailable")
/// is the only way to read it. The storage tests run against a server that
/// answers 503 so a change of that text is caught.
fn transient_cause(error: &object_store::Error) -> Option<String> {
    let mut current: Option<&(dyn StdError + 'static)> = Some(error);
    while let Some(cause) = current {
        if let Some(http) = cause.downcast_ref::<HttpError>() {
            return Some(format!("the request to the object store failed ({:?})", http.kind()));
        }
        if let Some(status) = response_status(&cause.to_string()) {
            return (status >= 500 || status == 429).then(|| format!("the object store answered with status {status}"));
        }
        current = cause.source();
    }
    None
}

/// The HTTP status in `object_store`'s text for a failed response.
fn response_status(text: &str) -> Option<u16> {
    const MARKER: &str = "Server returned non-2xx status code: ";
    let (_, after) = text.split_once(MARKER)?;
    after.get(..3)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_status_is_read_from_object_stores_text() {
        assert_eq!(
            response_status(
                "Error performing GET http://x/y in 1s - Server returned non-2xx status code: 503 Service Unavailable: <Error/>"
            ),
            Some(503)
        );
        assert_eq!(response_status("Server returned non-2xx status code: 4"), None);
        assert_eq!(response_status("Server returned error response: <Error/>"), None);
    }

    #[test]
    fn a_missing_object_is_not_found_only_when_reading() {
        let missing = || object_store::Error::NotFound {
            path: "tenants/x/files/y".to_owned(),
            source: "gone".into(),
        };
        assert!(matches!(from_read(missing()), FileStoreError::NotFound));
        assert!(matches!(from_write(missing()), FileStoreError::Unexpected(_)));
    }

    #[test]
    fn other_errors_are_unexpected() {
        let error = object_store::Error::Generic {
            store: "LocalFileSystem",
            source: Box::new(io::Error::new(io::ErrorKind::PermissionDenied, "denied")),
        };
        assert!(matches!(from_read(error), FileStoreError::Unexpected(_)));
    }
}
