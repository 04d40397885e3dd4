//! The messaging ports: enqueueing side effects inside a unit of work (the
//! outbox), the workers' queue that claims and completes them, and outgoing
//! email. Messages are composed by the caller (from the email adapter's
//! templates) and handed over complete; the mailer only delivers them.

use std::fmt;

use async_trait::async_trait;
use chrono::{DateTime, TimeDelta, Utc};

use crate::kernel::email::EmailAddress;
use crate::kernel::repository::RepositoryError;
use crate::messaging::outbox::{Job, JobId, JobStatus, NewJob};

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

/// A complete message, ready to deliver.
#[derive(Clone, PartialEq, Eq)]
pub struct EmailMessage {
    /// A stable id derived from the effect's idempotency key
    /// (`<key@domain>`), so a redelivered message is recognisably the same.
    pub message_id: String,
    /// The display name of the sender (the tenant's name); the address is the deployment's.
    pub from_name: String,
    /// Where replies go (the tenant's own address).
    pub reply_to: Option<EmailAddress>,
    /// The recipient.
    pub to: EmailAddress,
    /// The recipient's display name.
    pub to_name: Option<String>,
    /// The subject line.
    pub subject: String,
    /// The plain-text part.
    pub text: String,
    /// The HTML part.
    pub html: String,
    /// Files to attach.
    pub attachments: Vec<Attachment>,
}

/// A file attached to a message.
#[derive(Clone, PartialEq, Eq)]
pub struct Attachment {
    /// The file name shown to the recipient.
    pub file_name: String,
    /// The MIME type, such as `application/pdf`.
    pub content_type: String,
    /// The bytes.
    pub content: Vec<u8>,
}

impl fmt::Debug for EmailMessage {
    /// Redacted: recipients and contents are personal data.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EmailMessage")
            .field("message_id", &self.message_id)
            .field("attachments", &self.attachments.len())
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for Attachment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Attachment({}, {} bytes)", self.content_type, self.content.len())
    }
}

/// Why a message was not delivered.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// Worth retrying later: connection refused, timeout, 4xx from the server.
    #[error("temporary delivery failure: {0}")]
    Transient(String),
    /// Retrying will not help: the server refused the message or recipient (5xx).
    #[error("permanent delivery failure: {0}")]
    Permanent(String),
}

/// Delivers email.
#[async_trait]
pub trait Mailer: Send + Sync {
    /// Delivers one message.
    ///
    /// # Errors
    /// [`MailError::Transient`] when a retry may succeed,
    /// [`MailError::Permanent`] when it will not. Messages never appear in
    /// error texts.
    async fn send(&self, message: &EmailMessage) -> Result<(), MailError>;
}
