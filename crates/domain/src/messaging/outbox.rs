//! Background jobs: side effects (emails now; webhooks and exports later)
//! recorded in the same transaction as the data that causes them — the
//! transactional outbox — and performed afterwards by workers, at least
//! once. Each job carries an idempotency key, unique in storage, so
//! enqueueing the same effect twice records it once and performing it twice
//! is recognisably the same effect.

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::privacy::policies::PolicyKind;
use crate::{InvitationId, InvoiceId, PaymentId, PrivacySubmissionId, TenantId, UserId};

/// The account emails Fakturo sends to its own users.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountEmail {
    /// A magic sign-in link.
    LoginLink,
    /// A link to choose a new password.
    PasswordReset,
    /// A link that confirms the email address.
    EmailVerification,
    /// A notice that sign-ins to the account were throttled.
    SignInThrottled,
    /// A link that confirms the new address an account moves to (sent by
    /// [`Effect::SendEmailChange`], which names the address).
    EmailChange,
    /// A notice to the old address that a change was asked for.
    EmailChangeRequested,
}

/// A job's id.
pub type JobId = Uuid;

/// What a job does. Stored as JSON; variants are added, never renamed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Effect {
    /// Email the client a link to a finalized invoice.
    SendInvoiceEmail {
        /// The invoice.
        invoice_id: InvoiceId,
    },
    /// Email the client a payment reminder for an unpaid invoice.
    SendPaymentReminder {
        /// The invoice.
        invoice_id: InvoiceId,
        /// Days from the due date this reminder belongs to (negative: before).
        days_from_due: i32,
    },
    /// Email the client a receipt for a payment.
    SendPaymentReceipt {
        /// The invoice.
        invoice_id: InvoiceId,
        /// The payment.
        payment_id: PaymentId,
    },
    /// Email a user about their account. Links carry a single-use token
    /// made when the email is sent, so no token waits in the queue.
    SendAccountEmail {
        /// The user.
        user_id: UserId,
        /// Which email.
        email: AccountEmail,
    },
    /// Email the new address of a user a link that moves the account there.
    SendEmailChange {
        /// The user.
        user_id: UserId,
        /// The address asked for.
        new_email: String,
    },
    /// Email an invitation link (a fresh token replaces any earlier link).
    SendInvitation {
        /// The invitation.
        invitation_id: InvitationId,
    },
    /// Build the archive of a data export.
    BuildExport {
        /// The export.
        export_id: uuid::Uuid,
    },
    /// Email a user the operator's product update, if they consent to
    /// marketing email when it is sent.
    SendProductUpdate {
        /// The user.
        user_id: UserId,
        /// The subject line.
        subject: String,
        /// The text.
        body: String,
    },
    /// Tell a user about a newly published policy version.
    SendPolicyNotice {
        /// The user.
        user_id: UserId,
        /// Which policy.
        policy: PolicyKind,
        /// Which version.
        version: String,
    },
    /// Email the sender of a public privacy request its confirmation link
    /// (a fresh token replaces any earlier link). The job names no tenant.
    SendPrivacyRequestConfirmation {
        /// The submission.
        submission_id: PrivacySubmissionId,
    },
    /// Tell a client that their job moved to a new status.
    SendWorkUpdate {
        /// The job.
        work_order_id: uuid::Uuid,
        /// The status it moved to.
        status: crate::work::WorkStatus,
    },
    /// Tell the person who made a privacy request that its deadline was
    /// extended, until when and why.
    SendPrivacyRequestExtended {
        /// The case.
        request_id: crate::PrivacyRequestId,
        /// The history entry of the extension (its reason and new date).
        event_id: crate::PrivacyRequestEventId,
    },
    /// Tell an owner about the organization's subscription: a failed
    /// payment, a coming end, the end.
    SendSubscriptionNotice {
        /// The owner.
        owner_id: UserId,
        /// What to tell.
        notice: crate::billing::notices::SubscriptionNotice,
    },
    /// Tell a person affected by a personal data breach about it (a
    /// service notice, Art. 34: no consent gates it).
    SendIncidentNotice {
        /// The incident.
        incident_id: crate::IncidentId,
        /// The recipient.
        user_id: UserId,
    },
    /// Tell an owner which of the organization's privacy requests are overdue.
    SendOverduePrivacyRequests {
        /// The owner.
        owner_id: UserId,
        /// The organization's day the list is for.
        on: NaiveDate,
    },
}

impl Effect {
    /// The stable kind name, for listings.
    #[must_use]
    pub fn kind(&self) -> &'static str {
        match self {
            Self::SendInvoiceEmail { .. } => "send_invoice_email",
            Self::SendPaymentReminder { .. } => "send_payment_reminder",
            Self::SendPaymentReceipt { .. } => "send_payment_receipt",
            Self::SendAccountEmail { .. } => "send_account_email",
            Self::SendEmailChange { .. } => "send_email_change",
            Self::SendInvitation { .. } => "send_invitation",
            Self::BuildExport { .. } => "build_export",
            Self::SendProductUpdate { .. } => "send_product_update",
            Self::SendPolicyNotice { .. } => "send_policy_notice",
            Self::SendPrivacyRequestConfirmation { .. } => "send_privacy_request_confirmation",
            Self::SendOverduePrivacyRequests { .. } => "send_overdue_privacy_requests",
            Self::SendWorkUpdate { .. } => "send_work_update",
            Self::SendSubscriptionNotice { .. } => "send_subscription_notice",
            Self::SendPrivacyRequestExtended { .. } => "send_privacy_request_extended",
            Self::SendIncidentNotice { .. } => "send_incident_notice",
        }
    }
}

/// Where a job is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum JobStatus {
    /// Waiting for its `run_at`.
    Pending,
    /// Claimed by a worker until `locked_until`.
    Running,
    /// Performed.
    Done,
    /// Failed `max_attempts` times, or permanently; kept with its last error.
    Dead,
}

impl JobStatus {
    /// The stable name used in storage and listings.
    #[must_use]
    pub const fn as_str(&self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Running => "running",
            Self::Done => "done",
            Self::Dead => "dead",
        }
    }

    /// Parses the stable name.
    #[must_use]
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "pending" => Some(Self::Pending),
            "running" => Some(Self::Running),
            "done" => Some(Self::Done),
            "dead" => Some(Self::Dead),
            _ => None,
        }
    }
}

/// A job to enqueue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewJob {
    /// A fresh id.
    pub id: JobId,
    /// The tenant the effect concerns.
    pub tenant_id: Option<TenantId>,
    /// What to do.
    pub effect: Effect,
    /// Unique per effect: a second enqueue with the same key is ignored.
    pub idempotency_key: String,
    /// Not before this instant.
    pub run_at: DateTime<Utc>,
    /// Attempts before the job is parked as dead.
    pub max_attempts: u32,
}

/// A stored job.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Job {
    /// The job's id.
    pub id: JobId,
    /// The tenant the effect concerns.
    pub tenant_id: Option<TenantId>,
    /// What to do.
    pub effect: Effect,
    /// Unique per effect.
    pub idempotency_key: String,
    /// Where it is.
    pub status: JobStatus,
    /// Attempts started so far (including a running one).
    pub attempts: u32,
    /// Attempts before it is parked as dead.
    pub max_attempts: u32,
    /// Not before this instant.
    pub run_at: DateTime<Utc>,
    /// A running job's claim expires then (a crashed worker's job is taken again).
    pub locked_until: Option<DateTime<Utc>>,
    /// The error of the last failed attempt.
    pub last_error: Option<String>,
    /// When it was enqueued.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

/// The default number of attempts.
pub const DEFAULT_MAX_ATTEMPTS: u32 = 8;

/// How long to wait before attempt `attempts + 1`: 30 s doubling per
/// attempt, at most six hours.
#[must_use]
pub fn backoff(attempts: u32) -> TimeDelta {
    let exponent = attempts.saturating_sub(1).min(20);
    let seconds = 30_i64.saturating_mul(1_i64 << exponent);
    TimeDelta::seconds(seconds.min(6 * 3600))
}

/// What to do with a job whose attempt failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AfterFailure {
    /// Try again at this instant.
    RetryAt(DateTime<Utc>),
    /// Park it as dead.
    Bury,
}

impl Job {
    /// Decides the next step after a failed attempt at `now`.
    #[must_use]
    pub fn after_failure(&self, now: DateTime<Utc>, permanent: bool) -> AfterFailure {
        if permanent || self.attempts >= self.max_attempts {
            AfterFailure::Bury
        } else {
            AfterFailure::RetryAt(now + backoff(self.attempts))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_is_capped() {
        assert_eq!(backoff(1), TimeDelta::seconds(30));
        assert_eq!(backoff(2), TimeDelta::seconds(60));
        assert_eq!(backoff(5), TimeDelta::seconds(480));
        assert_eq!(backoff(40), TimeDelta::hours(6));
    }

    #[test]
    fn effects_are_stored_as_tagged_json() {
        let effect = Effect::SendInvoiceEmail {
            invoice_id: InvoiceId::from_uuid(Uuid::nil()),
        };
        let json = serde_json::to_string(&effect).unwrap();
        assert_eq!(
            json,
            r#"{"kind":"send_invoice_email","invoice_id":"00000000-0000-0000-0000-000000000000"}"#
        );
        assert_eq!(serde_json::from_str::<Effect>(&json).unwrap(), effect);
    }
}
