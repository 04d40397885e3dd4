//! The storage layer's error, as every repository port reports it: adapters
//! translate their library's errors into it at the seam.

/// An error of the storage layer, translated at the adapter's seam.
#[derive(Debug, thiserror::Error)]
pub enum RepositoryError {
    /// A unique constraint refused the write; names the constraint.
    #[error("a row with the same unique key already exists ({constraint})")]
    Duplicate {
        /// The constraint or index that refused it.
        constraint: String,
    },
    /// The row changed under us (a lost race); retrying may succeed.
    #[error("the row was changed by a concurrent transaction")]
    Conflict,
    /// Stored data that the domain cannot read back (a bug or manual edit).
    #[error("stored data is invalid: {0}")]
    Corrupt(String),
    /// Anything else: connection lost, timeout, a bug.
    #[error("storage failed")]
    Unexpected(#[source] Box<dyn std::error::Error + Send + Sync>),
}
