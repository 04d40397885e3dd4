//! Delivery of queued emails, the workers' side of the outbox: decide what
//! a job should send *now* (an invoice paid since a reminder was queued
//! sends nothing), and record what went out. Rendering and transport are
//! adapters; this decides the facts.

use chrono::NaiveDate;

use super::Ports;
use super::errors::Unexpected;
use crate::email::EmailAddress;
use crate::invoice::InvoiceStatus;
use crate::jobs::{Effect, Job};
use crate::money::Money;
use crate::reminders::ReminderStatus;
use crate::{InvoiceId, TenantId};

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
}

/// An email ready to render and deliver.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outgoing {
    /// The client's address.
    pub to: EmailAddress,
    /// The client's name.
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
        let Some(tenant) = job.tenant_id else {
            return Ok(Prepared::Skip("the job names no organization"));
        };
        let uow = self.ports.store.begin().await?;
        let invoice_id = match &job.effect {
            Effect::SendInvoiceEmail { invoice_id }
            | Effect::SendPaymentReminder { invoice_id, .. }
            | Effect::SendPaymentReceipt { invoice_id, .. } => *invoice_id,
        };
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
                Notice::InvoiceSent {
                    invoice_number: number,
                    total: invoice.totals().total,
                    due_date: invoice.content.due_date,
                    public_token: token,
                }
            }
            Effect::SendPaymentReminder { days_from_due, .. } => {
                if !invoice.status.is_payable() || !client.details.reminders_enabled {
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
            Effect::SendPaymentReceipt { payment_id, .. } => {
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
            Effect::SendPaymentReceipt { .. } => {}
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
