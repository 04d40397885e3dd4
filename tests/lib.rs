//! End-to-end tests of Fakturo live in `e2e/` as one test binary: each test
//! starts the real application in-process on port 0 (through the same
//! `Application::build_with_clock` that `main` uses) on SQLite and on
//! PostgreSQL, and talks to it over HTTP.
//!
//! This library holds test support shared with the adapter crates' and the
//! server binary's tests: a real SMTP server (aiosmtpd) and a real S3 API
//! (moto), each run as a child process, and the wiremock Stripe.

#![allow(clippy::expect_used, clippy::panic)]

#[path = "support/smtp_server.rs"]
pub mod smtp_server;

#[path = "support/moto_server.rs"]
pub mod moto_server;

#[path = "support/stripe_fake.rs"]
pub mod stripe_fake;
