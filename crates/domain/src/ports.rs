//! The unit of work spanning every area, while the areas move to units of
//! their own.

pub mod store;

pub use store::{Store, UnitOfWork};
