//! Requests from people without an account. A [`PrivacySubmission`] is
//! what the public form received: it counts for nothing until its sender
//! follows the single-use link emailed to the address (only the link
//! token's digest is stored), and it expires after [`SUBMISSION_LIFETIME`].
//! Once confirmed, it becomes a case of every organization whose clients
//! use the address, or, when none does, an [`OperatorPrivacyRequest`]: a
//! case of the deployment's operator, who controls account data.

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};

use super::{IdentityMethod, RequestStatus, RequestType};
use crate::PrivacySubmissionId;
use crate::kernel::email::EmailAddress;
use crate::kernel::tokens::TokenDigest;

/// How long a confirmation link works (and an unconfirmed submission lives).
pub const SUBMISSION_LIFETIME: TimeDelta = TimeDelta::days(2);

/// A request from the public form, waiting for confirmation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrivacySubmission {
    /// The submission's id.
    pub id: PrivacySubmissionId,
    /// What the person asks for.
    pub request_type: RequestType,
    /// Their address: where the link goes, and what routes the request.
    pub email: EmailAddress,
    /// The organization they named, if any.
    pub organization_hint: Option<String>,
    /// A reference they gave (an invoice number), if any.
    pub client_reference: Option<String>,
    /// What they wrote.
    pub details: String,
    /// The digest of the current confirmation link's token; set when the email is prepared.
    pub token_digest: Option<TokenDigest>,
    /// When it was submitted.
    pub submitted_at: DateTime<Utc>,
    /// When the link stops working.
    pub expires_at: DateTime<Utc>,
    /// When it was confirmed.
    pub confirmed_at: Option<DateTime<Utc>>,
}

/// A confirmed request that concerns no organization's clients: the
/// operator's case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OperatorPrivacyRequest {
    /// The case's id.
    pub id: crate::PrivacyRequestId,
    /// What the person asks for.
    pub request_type: RequestType,
    /// Their address.
    pub subject_email: EmailAddress,
    /// The organization they named, if any.
    pub organization_hint: Option<String>,
    /// A reference they gave, if any.
    pub client_reference: Option<String>,
    /// What they wrote.
    pub details: String,
    /// Where it stands.
    pub status: RequestStatus,
    /// When it was confirmed (received).
    pub received_at: DateTime<Utc>,
    /// When it is due (reckoned in UTC).
    pub due_on: NaiveDate,
    /// When the identity was verified (the confirmation).
    pub identity_verified_at: Option<DateTime<Utc>>,
    /// How.
    pub identity_method: Option<IdentityMethod>,
}
