//! The `[storage]` settings: which backend keeps the files, and how to
//! reach it. A plain serde struct so the server can embed it in its
//! configuration; [`ObjectFileStore::new`](crate::ObjectFileStore::new)
//! validates it and names the offending key when a value is wrong.
//!
//! Empty strings mean "not set", as elsewhere in Fakturo's TOML files
//! (TOML has no null).

use std::fmt;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// Where files go when nothing else is configured.
pub const DEFAULT_LOCAL_DIR: &str = "./data/files";

/// `[storage]`
#[derive(Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct StorageSettings {
    /// `local` (a folder; the default) or `s3`.
    pub backend: StorageBackend,
    /// The folder of the `local` backend; created if missing.
    pub local_dir: PathBuf,
    /// The S3 API's base URL, such as `https://s3.eu-central-1.amazonaws.com`
    /// or `http://127.0.0.1:9000`; empty for AWS itself.
    pub s3_endpoint: String,
    /// The bucket (it must exist).
    pub s3_bucket: String,
    /// The region, such as `eu-central-1` (`us-east-1` for most
    /// S3-compatible servers).
    pub s3_region: String,
    /// The access key id.
    pub s3_access_key_id: String,
    /// The secret access key; never printed.
    pub s3_secret_access_key: String,
    /// Allow a plain `http://` endpoint (local test servers only).
    pub s3_allow_http: bool,
}

impl Default for StorageSettings {
    /// The local folder `./data/files`; no S3.
    fn default() -> Self {
        Self {
            backend: StorageBackend::Local,
            local_dir: PathBuf::from(DEFAULT_LOCAL_DIR),
            s3_endpoint: String::new(),
            s3_bucket: String::new(),
            s3_region: String::new(),
            s3_access_key_id: String::new(),
            s3_secret_access_key: String::new(),
            s3_allow_http: false,
        }
    }
}

impl fmt::Debug for StorageSettings {
    /// The secret access key is not printed.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let secret = if self.s3_secret_access_key.is_empty() {
            ""
        } else {
            "<redacted>"
        };
        f.debug_struct("StorageSettings")
            .field("backend", &self.backend)
            .field("local_dir", &self.local_dir)
            .field("s3_endpoint", &self.s3_endpoint)
            .field("s3_bucket", &self.s3_bucket)
            .field("s3_region", &self.s3_region)
            .field("s3_access_key_id", &self.s3_access_key_id)
            .field("s3_secret_access_key", &secret)
            .field("s3_allow_http", &self.s3_allow_http)
            .finish()
    }
}

/// Which store keeps the files.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum StorageBackend {
    /// A folder on this machine (the embedded default; one server only).
    #[default]
    Local,
    /// Any S3-compatible object store (production; many servers).
    S3,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_is_the_local_folder() {
        let settings: StorageSettings = serde_json::from_str("{}").unwrap();
        assert_eq!(settings, StorageSettings::default());
        assert_eq!(settings.backend, StorageBackend::Local);
        assert_eq!(settings.local_dir, PathBuf::from("./data/files"));
    }

    #[test]
    fn an_s3_section_is_read_and_unknown_keys_are_refused() {
        let settings: StorageSettings = serde_json::from_str(
            r#"{"backend": "s3", "s3_bucket": "fakturo", "s3_region": "eu-central-1",
                "s3_access_key_id": "AKIA", "s3_secret_access_key": "hunter2", "s3_allow_http": true}"#,
        )
        .unwrap();
        assert_eq!(settings.backend, StorageBackend::S3);
        assert_eq!(settings.s3_bucket, "fakturo");
        assert!(settings.s3_allow_http);

        let unknown = serde_json::from_str::<StorageSettings>(r#"{"s3_buckett": "x"}"#).unwrap_err();
        assert!(unknown.to_string().contains("s3_buckett"), "{unknown}");
        assert!(serde_json::from_str::<StorageSettings>(r#"{"backend": "gcs"}"#).is_err());
    }

    #[test]
    fn debug_does_not_print_the_secret() {
        let settings = StorageSettings {
            backend: StorageBackend::S3,
            s3_access_key_id: "AKIAEXAMPLE".to_owned(),
            s3_secret_access_key: "wJalrXUtnFEMI-secret".to_owned(),
            ..StorageSettings::default()
        };
        let printed = format!("{settings:?}");
        assert!(!printed.contains("wJalrXUtnFEMI-secret"), "{printed}");
        assert!(printed.contains("<redacted>"), "{printed}");
        assert!(printed.contains("AKIAEXAMPLE"), "{printed}");
    }
}
