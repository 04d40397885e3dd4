//! The email adapter's one integration test binary: the file mailer against
//! a real folder, the SMTP mailer against a real aiosmtpd server.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod file_mailer;
mod smtp;
mod support;
