//! Building the two `object_store` backends from checked settings: a
//! `LocalFileSystem` rooted at a folder, and an `AmazonS3` client for any
//! S3-compatible store.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use object_store::ObjectStore;
use object_store::aws::AmazonS3Builder;
use object_store::local::LocalFileSystem;
use object_store::{BackoffConfig, ClientOptions, RetryConfig};

use crate::errors::SetupError;
use crate::settings::StorageSettings;

/// Retries of one request before an error is reported: enough to ride out
/// a blip, few enough that a dead store is reported within seconds (jobs
/// retry later on their own).
const MAX_RETRIES: usize = 3;
/// The longest a request and its retries may take together.
const RETRY_TIMEOUT: Duration = Duration::from_secs(30);
/// The longest wait for a connection to the store.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// The longest wait for one request (a part upload of 8 MiB included).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(120);

/// A `LocalFileSystem` rooted at `dir`, which is created if missing. Empty
/// folders are removed when their last file is deleted.
pub(crate) fn local(dir: &Path) -> Result<Arc<dyn ObjectStore>, SetupError> {
    if dir.as_os_str().is_empty() {
        return Err(SetupError::Missing {
            key: "storage.local_dir",
        });
    }
    let created = std::fs::create_dir_all(dir).and_then(|()| std::fs::canonicalize(dir));
    let root = created.map_err(|source| SetupError::LocalDir {
        path: dir.to_path_buf(),
        source,
    })?;
    let store = LocalFileSystem::new_with_prefix(root)
        .map_err(SetupError::ObjectStore)?
        .with_automatic_cleanup(true);
    Ok(Arc::new(store))
}

/// An S3 client for the bucket in `settings`, after checking every key it
/// needs. Credentials come from the settings only (never from the
/// environment or an instance metadata service).
pub(crate) fn s3(settings: &StorageSettings) -> Result<Arc<dyn ObjectStore>, SetupError> {
    let bucket = required("storage.s3_bucket", &settings.s3_bucket)?;
    check_bucket_name(bucket)?;
    let region = required("storage.s3_region", &settings.s3_region)?;
    if !region
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        return Err(invalid(
            "storage.s3_region",
            "a region is lowercase letters, digits and hyphens, such as eu-central-1",
        ));
    }
    let access_key_id = required("storage.s3_access_key_id", &settings.s3_access_key_id)?;
    let secret_access_key = required("storage.s3_secret_access_key", &settings.s3_secret_access_key)?;

    let mut builder = AmazonS3Builder::new()
        .with_bucket_name(bucket)
        .with_region(region)
        .with_access_key_id(access_key_id)
        .with_secret_access_key(secret_access_key)
        .with_allow_http(settings.s3_allow_http)
        .with_retry(RetryConfig {
            backoff: BackoffConfig::default(),
            max_retries: MAX_RETRIES,
            retry_timeout: RETRY_TIMEOUT,
        })
        .with_client_options(
            ClientOptions::new()
                .with_allow_http(settings.s3_allow_http)
                .with_connect_timeout(CONNECT_TIMEOUT)
                .with_timeout(REQUEST_TIMEOUT),
        );
    let endpoint = settings.s3_endpoint.trim();
    if !endpoint.is_empty() {
        check_endpoint(endpoint, settings.s3_allow_http)?;
        builder = builder.with_endpoint(endpoint.trim_end_matches('/'));
    }
    let store = builder.build().map_err(SetupError::ObjectStore)?;
    Ok(Arc::new(store))
}

fn required<'a>(key: &'static str, value: &'a str) -> Result<&'a str, SetupError> {
    let value = value.trim();
    if value.is_empty() {
        Err(SetupError::Missing { key })
    } else {
        Ok(value)
    }
}

fn invalid(key: &'static str, reason: &str) -> SetupError {
    SetupError::Invalid {
        key,
        reason: reason.to_owned(),
    }
}

/// S3's bucket naming rules: 3 to 63 lowercase letters, digits, dots and
/// hyphens, starting and ending with a letter or digit.
fn check_bucket_name(bucket: &str) -> Result<(), SetupError> {
    let allowed = bucket
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-');
    let ends_ok = bucket.starts_with(|c: char| c.is_ascii_alphanumeric())
        && bucket.ends_with(|c: char| c.is_ascii_alphanumeric());
    if (3..=63).contains(&bucket.len()) && allowed && ends_ok {
        Ok(())
    } else {
        Err(invalid(
            "storage.s3_bucket",
            "a bucket name is 3 to 63 lowercase letters, digits, dots and hyphens",
        ))
    }
}

fn check_endpoint(endpoint: &str, allow_http: bool) -> Result<(), SetupError> {
    if endpoint.starts_with("https://") {
        return Ok(());
    }
    if endpoint.starts_with("http://") {
        return if allow_http {
            Ok(())
        } else {
            Err(invalid(
                "storage.s3_endpoint",
                "a plain http:// endpoint needs storage.s3_allow_http = true (for local test servers only)",
            ))
        };
    }
    Err(invalid("storage.s3_endpoint", "the endpoint must start with https://"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::StorageBackend;

    fn s3_settings() -> StorageSettings {
        StorageSettings {
            backend: StorageBackend::S3,
            s3_endpoint: "https://s3.example.com".to_owned(),
            s3_bucket: "fakturo-files".to_owned(),
            s3_region: "eu-central-1".to_owned(),
            s3_access_key_id: "AKIAEXAMPLE".to_owned(),
            s3_secret_access_key: "wJalrXUtnFEMI-secret".to_owned(),
            ..StorageSettings::default()
        }
    }

    fn error_of(settings: &StorageSettings) -> String {
        match s3(settings) {
            Ok(_) => panic!("accepted: {settings:?}"),
            Err(error) => error.to_string(),
        }
    }

    #[test]
    fn complete_s3_settings_build_a_client_that_does_not_print_the_secret() {
        let store = crate::ObjectFileStore::new(&s3_settings()).unwrap();
        let printed = format!("{store:?}");
        assert!(printed.contains("fakturo-files"), "{printed}");
        assert!(!printed.contains("wJalrXUtnFEMI-secret"), "{printed}");
        let aws = StorageSettings {
            s3_endpoint: String::new(),
            ..s3_settings()
        };
        assert!(s3(&aws).is_ok());
    }

    #[test]
    fn every_missing_s3_key_is_named() {
        for (key, clear) in [
            (
                "storage.s3_bucket",
                (|s| s.s3_bucket.clear()) as fn(&mut StorageSettings),
            ),
            ("storage.s3_region", |s| s.s3_region.clear()),
            ("storage.s3_access_key_id", |s| s.s3_access_key_id.clear()),
            ("storage.s3_secret_access_key", |s| {
                s.s3_secret_access_key = "  ".to_owned()
            }),
        ] {
            let mut settings = s3_settings();
            clear(&mut settings);
            assert_eq!(error_of(&settings), format!("{key} must be set"));
        }
    }

    #[test]
    fn invalid_s3_values_are_named_without_the_secret() {
        let bad_bucket = StorageSettings {
            s3_bucket: "Fakturo_Files".to_owned(),
            ..s3_settings()
        };
        assert!(error_of(&bad_bucket).starts_with("storage.s3_bucket is invalid"));
        let bad_region = StorageSettings {
            s3_region: "EU Central".to_owned(),
            ..s3_settings()
        };
        assert!(error_of(&bad_region).starts_with("storage.s3_region is invalid"));
        let plain_http = StorageSettings {
            s3_endpoint: "http://127.0.0.1:9000".to_owned(),
            ..s3_settings()
        };
        let error = error_of(&plain_http);
        assert!(error.starts_with("storage.s3_endpoint is invalid"), "{error}");
        assert!(error.contains("storage.s3_allow_http"), "{error}");
        assert!(!error.contains("wJalrXUtnFEMI-secret"));
        let allowed = StorageSettings {
            s3_allow_http: true,
            ..plain_http
        };
        assert!(s3(&allowed).is_ok());
        let no_scheme = StorageSettings {
            s3_endpoint: "s3.example.com".to_owned(),
            ..s3_settings()
        };
        assert!(error_of(&no_scheme).starts_with("storage.s3_endpoint is invalid"));
    }

    #[test]
    fn the_local_folder_is_created_and_must_be_named() {
        let temp = tempfile::tempdir().unwrap();
        let dir = temp.path().join("data/files");
        assert!(local(&dir).is_ok());
        assert!(dir.is_dir());
        assert!(matches!(
            local(Path::new("")),
            Err(SetupError::Missing {
                key: "storage.local_dir"
            })
        ));
        let file = temp.path().join("a-file");
        std::fs::write(&file, b"x").unwrap();
        let error = local(&file.join("below")).err().unwrap();
        assert!(error.to_string().starts_with("storage.local_dir:"), "{error}");
    }
}
