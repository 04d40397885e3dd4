//! Job storage: enqueueing inside a unit of work (the outbox), and the
//! queue operations workers use outside any business transaction.

use async_trait::async_trait;
use chrono::{DateTime, TimeDelta, Utc};

use super::store::RepositoryError;
use crate::jobs::{Job, JobId, JobStatus, NewJob};

/// Enqueueing, inside the unit of work whose data causes the effect.
#[async_trait]
pub trait JobRepository: Send + Sync {
    /// Records a job; `false` (and nothing written) if a job with the same
    /// idempotency key exists.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn enqueue(&self, job: &NewJob) -> Result<bool, RepositoryError>;
}

/// The workers' side of the queue. Each method is its own short transaction.
#[async_trait]
pub trait JobQueue: Send + Sync {
    /// Claims up to `limit` due jobs for `worker` until `now + lease`: pending
    /// jobs whose `run_at` has come, and running jobs whose claim expired (a
    /// crashed worker). Race-free: two workers never claim the same job
    /// (`UPDATE … RETURNING`, with `FOR UPDATE SKIP LOCKED` on PostgreSQL).
    /// Each claim counts as an attempt.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn claim(
        &self,
        worker: &str,
        now: DateTime<Utc>,
        lease: TimeDelta,
        limit: u32,
    ) -> Result<Vec<Job>, RepositoryError>;

    /// Marks a claimed job done.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn complete(&self, id: JobId, now: DateTime<Utc>) -> Result<(), RepositoryError>;

    /// Records a failed attempt: back to pending at `retry_at`, or dead when `None`.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn fail(
        &self,
        id: JobId,
        error: &str,
        retry_at: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Result<(), RepositoryError>;

    /// Jobs with this status, oldest first, at most `limit`.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] or `Corrupt`.
    async fn list(&self, status: JobStatus, limit: u32) -> Result<Vec<Job>, RepositoryError>;

    /// Puts a dead job back in the queue with a fresh set of attempts; `false` if it is not dead.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`].
    async fn retry(&self, id: JobId, now: DateTime<Utc>) -> Result<bool, RepositoryError>;
}
