//! The storage adapter's one integration test binary: the same suite
//! against a local folder and against a real S3 API (moto's server), plus
//! how failures of the store are reported.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod failures;
mod local_folder;
mod suite;
mod support;
