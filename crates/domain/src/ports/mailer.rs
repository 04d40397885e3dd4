//! Outgoing email as a port. Messages are composed by the caller (from the
//! templates of the email adapter) and handed over complete; the adapter
//! only delivers them.

use std::fmt;

use async_trait::async_trait;

use crate::email::EmailAddress;

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
