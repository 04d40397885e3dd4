//! Privacy: the one processing decision ([`may_process`]), data categories
//! and retention, the data map, the consent ledger, policy versions, privacy
//! requests, exports, erasure, the closure window, the incident register,
//! and the record of processing activities generated from them.

pub mod consent;
pub mod data_map;
pub mod exports;
pub mod incidents;
pub mod policies;
pub mod ports;
pub mod processing;
pub mod processing_record;
pub mod requests;
pub mod retention;
pub mod services;
#[cfg(any(test, feature = "testing"))]
pub mod testing;

pub use processing::{ConsentPurpose, Processing, Refusal, SubjectState, may_process};
