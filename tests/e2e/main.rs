//! The end-to-end test binary. One binary for all end-to-end tests keeps
//! link times down; add modules here rather than new test targets.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use fakturo_tests::stripe_fake as billing_fake;

mod accounts;
mod backups;
mod billing;
mod billing_browser;
mod billing_plans;
mod billing_reconcile;
mod clients;
mod concurrency;
mod consents;
mod credit_notes;
mod delivery;
mod documents;
mod erase_me;
mod errors;
mod files;
mod google;
mod idempotency;
mod incidents;
mod invoices;
mod isolation;
mod jobs_and_notes;
mod links;
mod logs;
mod openapi;
mod organization;
mod parallel_runners;
mod policies;
mod privacy;
mod privacy_requests;
mod processing_record;
mod profile;
mod public_privacy_requests;
mod recurring;
mod reminders;
mod retention_clocks;
mod roles;
mod route_matrix;
mod security;
mod smtp;
mod team;
mod webdriver;
