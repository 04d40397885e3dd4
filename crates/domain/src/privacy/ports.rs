//! The privacy ports: exports and the rows they stream, erasure records,
//! legal holds and the retention sweeper's work, the consent ledger,
//! consented analytics, policy versions, privacy requests, and the
//! declarations of the data map.

mod data_map;
mod data_rights;
mod incidents;
mod records;

pub use data_map::DataMapSource;
pub use data_rights::{
    ErasureRecord, ErasureRepository, Expiry, ExportRepository, ExportTable, RetentionRepository, RowSink,
    UserErasureOutcome, UserErasureRepository,
};
pub use incidents::IncidentRepository;
pub use records::{
    AnalyticsRepository, ConsentRepository, PolicyRepository, PrivacyRequestFilter, PrivacyRequestRepository,
    PrivacySubmissionRepository, SubmissionConfirmation,
};
mod unit;

pub use unit::{PrivacyStore, PrivacyUnit, RemovedAttachments};
