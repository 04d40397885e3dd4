//! Tests of the real `fakturo` binary, run as a child process on a scratch
//! database (SQLite file and PostgreSQL): what only a process can show, such
//! as surviving `kill -9`. One test binary for all of them; add modules here.
//! Cargo builds the server binary for this target (`CARGO_BIN_EXE_fakturo`),
//! so it is always the build under test.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod server;

mod webhook_crash;
