//! The end-to-end test binary. One binary for all end-to-end tests keeps
//! link times down; add modules here rather than new test targets.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

mod accounts;
mod clients;
mod concurrency;
mod delivery;
mod errors;
mod idempotency;
mod invoices;
mod isolation;
mod logs;
mod openapi;
mod parallel_runners;
mod recurring;
mod reminders;
mod roles;
mod smtp;
