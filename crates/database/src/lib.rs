//! Fakturo's database adapter: the domain's storage ports implemented with
//! sea-orm, on SQLite (the embedded default) and PostgreSQL (production).
//!
//! [`SqlStore`] opens units of work; each is one database transaction whose
//! repositories (one file per port under `repositories/`) convert between
//! sea-orm entities and domain types. Library errors are translated at this
//! seam ([`errors`]) and never reach the domain.

mod connection;
pub mod data_map;
mod entities;
mod errors;
mod repositories;
pub mod scratch;
mod store;
mod units;

pub use connection::{Backend, ConnectError, DatabaseSettings, check_schema, connect, migrate};
pub use data_map::SqlDataMap;
pub use store::{SqlStore, SqlUnitOfWork};
