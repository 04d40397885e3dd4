//! What a queued email says, as facts, and who it goes to: each area's
//! delivery service prepares an [`Outgoing`] for its own effects (or skips
//! one whose reason is gone); the email adapter renders it.

use chrono::{DateTime, NaiveDate, Utc};

use crate::PrivacyRequestId;
use crate::kernel::email::EmailAddress;
use crate::kernel::money::Money;
use crate::messaging::outbox::AccountEmail;
use crate::privacy::policies::PolicyKind;
use crate::privacy::requests::RequestType;

/// What an email says, as facts; the email adapter renders it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Notice {
    /// A finalized invoice is ready.
    InvoiceSent {
        /// The invoice number.
        invoice_number: String,
        /// The total.
        total: Money,
        /// The due date.
        due_date: Option<NaiveDate>,
        /// The token of the public page.
        public_token: String,
    },
    /// An unpaid invoice is coming due or overdue.
    PaymentReminder {
        /// The invoice number.
        invoice_number: String,
        /// What is still due.
        balance_due: Money,
        /// The due date.
        due_date: NaiveDate,
        /// Days from the due date (negative: before it).
        days_from_due: i32,
        /// The token of the public page.
        public_token: String,
    },
    /// A job moved to a new status.
    WorkUpdate {
        /// The job's title.
        title: String,
        /// Its new status.
        status: crate::work::WorkStatus,
        /// When it starts, if planned.
        scheduled_start: Option<DateTime<Utc>>,
        /// Where it is done.
        address: Option<String>,
    },
    /// A payment was recorded.
    PaymentReceived {
        /// The invoice number.
        invoice_number: String,
        /// The payment.
        amount: Money,
        /// When it arrived.
        paid_on: NaiveDate,
        /// What is still due after it.
        balance_due: Money,
    },
    /// A single-use link for a user of Fakturo (sign in, reset, verify).
    AccountLink {
        /// Which email.
        email: AccountEmail,
        /// The token the link carries.
        token: String,
        /// Minutes until the link stops working.
        valid_minutes: i64,
    },
    /// Sign-ins to the user's account were throttled for some network.
    SignInThrottled,
    /// A change of the account's address was asked for (to the old address).
    EmailChangeRequested,
    /// An invitation to join an organization.
    Invitation {
        /// The organization's name.
        organization_name: String,
        /// The role offered.
        role: String,
        /// The token the link carries.
        token: String,
        /// Days until the link stops working.
        valid_days: i64,
    },
    /// The operator's product update (marketing email: only with consent).
    ProductUpdate {
        /// The subject line.
        subject: String,
        /// The text.
        body: String,
    },
    /// A new version of a policy was published.
    PolicyChanged {
        /// Which policy.
        kind: PolicyKind,
        /// The new version.
        version: String,
        /// When it takes effect.
        effective_at: DateTime<Utc>,
        /// Whether the change is material.
        material: bool,
        /// What changed.
        summary: String,
    },
    /// The link that confirms a privacy request sent without an account.
    PrivacyRequestConfirmation {
        /// What was asked for.
        request_type: RequestType,
        /// The token the link carries.
        token: String,
        /// Hours until the link stops working.
        valid_hours: i64,
    },
    /// A privacy request's deadline was extended (to its requester).
    PrivacyRequestExtended {
        /// The organization that answers.
        organization_name: String,
        /// What was asked for.
        request_type: RequestType,
        /// The organization's day it was received.
        received_on: NaiveDate,
        /// The new due date.
        due_on: NaiveDate,
        /// Why.
        reason: String,
    },
    /// News of the organization's subscription, for an owner.
    Subscription {
        /// The organization's name.
        organization_name: String,
        /// What happened.
        notice: crate::billing::notices::SubscriptionNotice,
    },
    /// A personal data breach that affects the recipient (Art. 34).
    Incident(Box<IncidentLetter>),
    /// The organization's privacy requests open past their due date.
    OverduePrivacyRequests {
        /// The organization's name.
        organization_name: String,
        /// The organization's day of the list.
        on: NaiveDate,
        /// The overdue cases, oldest due first.
        cases: Vec<OverdueCase>,
    },
}

/// What an incident notice says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IncidentLetter {
    /// The incident's reference.
    pub reference: crate::IncidentId,
    /// The recipient's organization.
    pub organization_name: String,
    /// Whether the recipient is told as an owner of that organization.
    pub as_owner: bool,
    /// When the breach was discovered.
    pub discovered_at: DateTime<Utc>,
    /// What happened.
    pub nature: String,
    /// The categories of data concerned.
    pub categories: Vec<crate::privacy::retention::DataCategory>,
    /// The likely consequences.
    pub consequences: String,
    /// The measures taken or proposed.
    pub measures: String,
}

/// One overdue privacy request in a notice (no personal data: ids and dates).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OverdueCase {
    /// The case.
    pub id: PrivacyRequestId,
    /// What was asked for.
    pub request_type: RequestType,
    /// The organization's day it was received.
    pub received_on: NaiveDate,
    /// When it was due.
    pub due_on: NaiveDate,
}

/// An email ready to render and deliver.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outgoing {
    /// The client's address.
    pub to: EmailAddress,
    /// The recipient's name; empty when unknown.
    pub to_name: String,
    /// The sender's display name: the tenant's name.
    pub from_name: String,
    /// Replies go to the tenant's owner.
    pub reply_to: Option<EmailAddress>,
    /// The message id's local part, from the job's idempotency key.
    pub message_key: String,
    /// What the email says.
    pub notice: Notice,
}

/// What a job should do now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Prepared {
    /// Deliver this.
    Send(Outgoing),
    /// Nothing to send any more, for this reason.
    Skip(&'static str),
}
