//! Delivery of queued emails, the workers' side of the outbox: decide what
//! a job should send *now* (an invoice paid since a reminder was queued
//! sends nothing), and record what went out. Rendering and transport are
//! adapters; this decides the facts.

use chrono::{DateTime, NaiveDate, Utc};

mod account;
mod privacy;
mod work;

use super::Ports;
use crate::invoicing::invoice::InvoiceStatus;
use crate::invoicing::reminders::ReminderStatus;
use crate::kernel::email::EmailAddress;
use crate::kernel::errors::Unexpected;
use crate::kernel::money::Money;
use crate::messaging::outbox::{AccountEmail, Effect, Job};
use crate::privacy::policies::PolicyKind;
use crate::privacy::requests::RequestType;
use crate::privacy::{Processing, may_process};
use crate::{InvoiceId, PrivacyRequestId, TenantId};

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

/// Delivery use cases for workers.
#[derive(Clone, Debug)]
pub struct DeliveryService {
    ports: Ports,
}

impl DeliveryService {
    /// The service on `ports`.
    #[must_use]
    pub fn new(ports: Ports) -> Self {
        Self { ports }
    }

    /// Decides what the job should send now.
    ///
    /// # Errors
    /// [`Unexpected`] when storage fails (the job is retried).
    pub async fn prepare(&self, job: &Job) -> Result<Prepared, Unexpected> {
        if let Effect::SendPrivacyRequestConfirmation { submission_id } = &job.effect {
            return self.prepare_privacy_confirmation(job, *submission_id).await;
        }
        let Some(tenant) = job.tenant_id else {
            return Ok(Prepared::Skip("the job names no organization"));
        };
        let invoice_id = match &job.effect {
            Effect::SendInvoiceEmail { invoice_id }
            | Effect::SendPaymentReminder { invoice_id, .. }
            | Effect::SendPaymentReceipt { invoice_id, .. } => *invoice_id,
            Effect::SendAccountEmail { user_id, email } => {
                return self.prepare_account_email(job, tenant, *user_id, *email).await;
            }
            Effect::SendInvitation { invitation_id } => {
                return self.prepare_invitation(job, tenant, *invitation_id).await;
            }
            Effect::BuildExport { .. } => return Ok(Prepared::Skip("not an email")),
            Effect::SendProductUpdate { user_id, subject, body } => {
                return self.prepare_product_update(job, tenant, *user_id, subject, body).await;
            }
            Effect::SendPolicyNotice {
                user_id,
                policy,
                version,
            } => {
                return self
                    .prepare_policy_notice(job, tenant, *user_id, *policy, version)
                    .await;
            }
            Effect::SendOverduePrivacyRequests { owner_id, on } => {
                return self.prepare_overdue_privacy_requests(job, tenant, *owner_id, *on).await;
            }
            Effect::SendWorkUpdate { work_order_id, status } => {
                return self.prepare_work_update(job, tenant, *work_order_id, *status).await;
            }
            Effect::SendPrivacyRequestConfirmation { .. } => {
                return Ok(Prepared::Skip("not an organization's email"));
            }
        };
        let uow = self.ports.store.begin().await?;
        let Some(invoice) = uow.invoices().get(tenant, invoice_id).await? else {
            return Ok(Prepared::Skip("the invoice no longer exists"));
        };
        let Some(client) = uow.clients().get(tenant, invoice.content.client_id).await? else {
            return Ok(Prepared::Skip("the client no longer exists"));
        };
        let Some(to) = client.details.email.clone() else {
            return Ok(Prepared::Skip("the client has no email address"));
        };
        let Some(org) = uow.organizations().get(tenant).await? else {
            return Ok(Prepared::Skip("the organization no longer exists"));
        };
        let number = invoice.number.clone().unwrap_or_default();
        let token = invoice.delivery.public_token.clone().unwrap_or_default();
        let notice = match &job.effect {
            Effect::SendInvoiceEmail { .. } => {
                if matches!(invoice.status, InvoiceStatus::Draft | InvoiceStatus::Void) {
                    return Ok(Prepared::Skip("the invoice is not sendable"));
                }
                // Delivering an issued invoice is what the law requires; the
                // decision says so (and stays the one place that decides).
                if may_process(Processing::LegallyRequired, &client.subject_state()).is_err() {
                    return Ok(Prepared::Skip("processing is not allowed"));
                }
                Notice::InvoiceSent {
                    invoice_number: number,
                    total: invoice.totals().total,
                    due_date: invoice.content.due_date,
                    public_token: token,
                }
            }
            Effect::SendPaymentReminder { days_from_due, .. } => {
                let refused = invoice.hold.restricted
                    || may_process(Processing::PaymentReminder, &client.subject_state()).is_err();
                if !invoice.status.is_payable() || !client.details.reminders_enabled || refused {
                    drop(uow);
                    self.cancel_reminder(tenant, invoice.id, *days_from_due).await?;
                    return Ok(Prepared::Skip(
                        "the invoice is settled or the client takes no reminders",
                    ));
                }
                let Some(due_date) = invoice.content.due_date else {
                    return Ok(Prepared::Skip("the invoice has no due date"));
                };
                Notice::PaymentReminder {
                    invoice_number: number,
                    balance_due: invoice.balance_due(),
                    due_date,
                    days_from_due: *days_from_due,
                    public_token: token,
                }
            }
            Effect::SendAccountEmail { .. }
            | Effect::SendInvitation { .. }
            | Effect::BuildExport { .. }
            | Effect::SendProductUpdate { .. }
            | Effect::SendPolicyNotice { .. }
            | Effect::SendPrivacyRequestConfirmation { .. }
            | Effect::SendOverduePrivacyRequests { .. }
            | Effect::SendWorkUpdate { .. } => {
                return Ok(Prepared::Skip("not an invoice email"));
            }
            Effect::SendPaymentReceipt { payment_id, .. } => {
                if may_process(Processing::CourtesyEmail, &client.subject_state()).is_err() {
                    return Ok(Prepared::Skip("the client restricted processing or objected"));
                }
                let Some(payment) = uow.invoices().payment(tenant, *payment_id).await? else {
                    return Ok(Prepared::Skip("the payment no longer exists"));
                };
                Notice::PaymentReceived {
                    invoice_number: number,
                    amount: payment.amount,
                    paid_on: payment.paid_on,
                    balance_due: invoice.balance_due(),
                }
            }
        };
        let reply_to = uow.users().first_owner(tenant).await?.map(|owner| owner.email);
        Ok(Prepared::Send(Outgoing {
            to,
            to_name: client.details.name,
            from_name: org.name,
            reply_to,
            message_key: job.idempotency_key.clone(),
            notice,
        }))
    }

    /// Records a delivered email: the invoice's last delivery, or the reminder's status.
    ///
    /// # Errors
    /// [`Unexpected`] when storage fails.
    pub async fn delivered(&self, job: &Job, outgoing: &Outgoing) -> Result<(), Unexpected> {
        let Some(tenant) = job.tenant_id else {
            return Ok(());
        };
        let now = self.ports.clock.now();
        let uow = self.ports.store.begin().await?;
        match &job.effect {
            Effect::SendInvoiceEmail { invoice_id } => {
                if let Some(mut invoice) = uow.invoices().get(tenant, *invoice_id).await? {
                    invoice.delivery.sent_at = Some(now);
                    invoice.delivery.sent_to = Some(outgoing.to.to_string());
                    uow.invoices()
                        .set_delivery(tenant, invoice.id, &invoice.delivery)
                        .await?;
                }
            }
            Effect::SendPaymentReminder {
                invoice_id,
                days_from_due,
            } => {
                let recipient = outgoing.to.to_string();
                uow.reminders()
                    .set_status(
                        tenant,
                        *invoice_id,
                        *days_from_due,
                        ReminderStatus::Sent,
                        Some(&recipient),
                        Some(now),
                    )
                    .await?;
            }
            Effect::SendPaymentReceipt { .. }
            | Effect::SendAccountEmail { .. }
            | Effect::SendInvitation { .. }
            | Effect::BuildExport { .. }
            | Effect::SendProductUpdate { .. }
            | Effect::SendPolicyNotice { .. }
            | Effect::SendPrivacyRequestConfirmation { .. }
            | Effect::SendOverduePrivacyRequests { .. }
            | Effect::SendWorkUpdate { .. } => {}
        }
        uow.commit().await?;
        Ok(())
    }

    async fn cancel_reminder(
        &self,
        tenant: TenantId,
        invoice: InvoiceId,
        days_from_due: i32,
    ) -> Result<(), Unexpected> {
        let uow = self.ports.store.begin().await?;
        uow.reminders()
            .set_status(tenant, invoice, days_from_due, ReminderStatus::Cancelled, None, None)
            .await?;
        uow.commit().await?;
        Ok(())
    }
}
