//! Delivery of invoicing's queued emails — the invoice link, payment
//! reminders and receipts: decide what a job should send *now* (an invoice
//! paid since a reminder was queued sends nothing), and record what went out.

use std::sync::Arc;

use crate::invoicing::invoice::InvoiceStatus;
use crate::invoicing::ports::InvoicingStore;
use crate::invoicing::reminders::ReminderStatus;
use crate::kernel::clock::Clock;
use crate::kernel::errors::Unexpected;
use crate::messaging::delivery::{Notice, Outgoing, Prepared};
use crate::messaging::outbox::{Effect, Job};
use crate::privacy::{Processing, may_process};
use crate::{InvoiceId, TenantId};

/// Invoicing's side of the outbox workers.
#[derive(Clone)]
pub struct InvoiceDelivery {
    store: Arc<dyn InvoicingStore>,
    clock: Arc<dyn Clock>,
}

impl std::fmt::Debug for InvoiceDelivery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("InvoiceDelivery")
    }
}

impl InvoiceDelivery {
    /// The service on its ports.
    #[must_use]
    pub fn new(store: Arc<dyn InvoicingStore>, clock: Arc<dyn Clock>) -> Self {
        Self { store, clock }
    }

    /// Decides what an invoice email, payment reminder or receipt should
    /// send now; any other effect is skipped.
    ///
    /// # Errors
    /// [`Unexpected`] when storage fails (the job is retried).
    pub async fn prepare(&self, job: &Job) -> Result<Prepared, Unexpected> {
        let Some(tenant) = job.tenant_id else {
            return Ok(Prepared::Skip("the job names no organization"));
        };
        let invoice_id = match &job.effect {
            Effect::SendInvoiceEmail { invoice_id }
            | Effect::SendPaymentReminder { invoice_id, .. }
            | Effect::SendPaymentReceipt { invoice_id, .. } => *invoice_id,
            _ => return Ok(Prepared::Skip("not an invoice email")),
        };
        let uow = self.store.begin().await?;
        let Some(invoice) = uow.invoices().get(tenant, invoice_id).await? else {
            return Ok(Prepared::Skip("the invoice no longer exists"));
        };
        let Some(client) = uow.clients().get(tenant, invoice.content.client_id).await? else {
            return Ok(Prepared::Skip("the client no longer exists"));
        };
        let Some(to) = client.details.email.clone() else {
            return Ok(Prepared::Skip("the client has no email address"));
        };
        let Some(org) = uow.organization(tenant).await? else {
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
            | Effect::SendSubscriptionNotice { .. }
            | Effect::SendPrivacyRequestExtended { .. }
            | Effect::SendIncidentNotice { .. }
            | Effect::SendEmailChange { .. }
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
        let reply_to = uow.reply_to(tenant).await?;
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
        let now = self.clock.now();
        let uow = self.store.begin().await?;
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
            | Effect::SendSubscriptionNotice { .. }
            | Effect::SendPrivacyRequestExtended { .. }
            | Effect::SendIncidentNotice { .. }
            | Effect::SendEmailChange { .. }
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
        let uow = self.store.begin().await?;
        uow.reminders()
            .set_status(tenant, invoice, days_from_due, ReminderStatus::Cancelled, None, None)
            .await?;
        uow.commit().await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests;
