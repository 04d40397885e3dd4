//! The crate's one integration test binary (one binary links faster than
//! many): the PDFs, the e-invoices, the Factur-X PDF/A-3 and the independent
//! Python checker.
//!
//! Set `FAKTURO_DOCUMENTS_ARTIFACTS=DIR` to keep every rendered file in DIR;
//! `FAKTURO_REQUIRE_DOCUMENT_CHECKER=1` turns a missing poppler or Python
//! checker from a skip into a failure.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod checker;
mod consistency;
mod einvoice;
mod facturx;
mod fixtures;
mod pdf;
mod support;
