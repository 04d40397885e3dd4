//! The shared kernel: values every area uses — exact money, typed ids, email
//! addresses, document numbering patterns, pagination, validation — and the
//! few ports every area needs: the clock, new ids, object storage, and the
//! storage layer's error.

pub mod clock;
pub mod email;
pub mod errors;
pub mod files;
pub mod ids;
pub mod money;
pub mod numbering;
pub mod pagination;
pub mod repository;
pub mod secrets;
pub mod tokens;
pub mod validation;

pub use clock::{Clock, ManualClock};
pub use email::EmailAddress;
pub use errors::Unexpected;
pub use ids::IdGenerator;
pub use repository::RepositoryError;
