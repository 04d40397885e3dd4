//! Recording a payment against a finalized invoice, and listing them.

use super::{InvoiceService, InvoiceView, ListPaymentsError, RecordPaymentError, issuer, today};
use crate::InvoiceId;
use crate::PaymentId;
use crate::access::user::Principal;
use crate::invoicing::invoice::Invoice;
use crate::invoicing::invoice::payment::{Payment, PaymentFields, PaymentInput};
use crate::invoicing::ports::InvoicingUnit;
use crate::invoicing::services::issuing;
use crate::kernel::pagination::{Page, PageRequest};
use crate::kernel::repository::RepositoryError;
use crate::messaging::outbox::Effect;

impl InvoiceService {
    /// Records a payment and updates the invoice's status.
    ///
    /// # Errors
    /// See [`RecordPaymentError`].
    pub async fn record_payment(
        &self,
        who: &Principal,
        id: InvoiceId,
        fields: PaymentFields,
    ) -> Result<(Payment, InvoiceView), RecordPaymentError> {
        let writer = who.writer("record payments")?;
        let uow = self.store.begin().await?;
        let mut invoice = uow
            .invoices()
            .get_for_update(writer.tenant(), id)
            .await?
            .ok_or(RecordPaymentError::NotFound)?;
        let today = today(self.clock.as_ref(), &issuer(uow.as_ref(), writer.tenant()).await?);
        let input =
            PaymentInput::parse(fields, invoice.content.currency, today).map_err(RecordPaymentError::Invalid)?;
        let now = self.clock.now();
        invoice.apply_payment(input.amount, now)?;
        let payment = Payment {
            id: PaymentId::from_uuid(self.ids.new_uuid()),
            tenant_id: writer.tenant(),
            invoice_id: invoice.id,
            amount: input.amount,
            paid_on: input.paid_on,
            method: input.method,
            reference: input.reference,
            created_at: now,
        };
        record(uow.as_ref(), &invoice, &payment).await?;
        // Clients who received the invoice by email get a receipt the same way.
        if invoice.delivery.sent_at.is_some() {
            let effect = Effect::SendPaymentReceipt {
                invoice_id: invoice.id,
                payment_id: payment.id,
            };
            let key = format!("payment-receipt:{}", payment.id);
            issuing::enqueue(
                uow.as_ref(),
                self.ids.as_ref(),
                self.clock.as_ref(),
                writer.tenant(),
                effect,
                key,
            )
            .await?;
        }
        uow.commit().await?;
        let overdue = invoice.is_overdue(today);
        Ok((payment, InvoiceView { invoice, overdue }))
    }

    /// A page of the invoice's payments, newest first: manual ones, online
    /// card payments and their refunds (negative amounts).
    ///
    /// # Errors
    /// See [`ListPaymentsError`].
    pub async fn payments(
        &self,
        who: &Principal,
        id: InvoiceId,
        page: PageRequest,
    ) -> Result<Page<Payment>, ListPaymentsError> {
        let tenant = who.reader().tenant();
        let uow = self.store.begin().await?;
        if uow.invoices().get(tenant, id).await?.is_none() {
            return Err(ListPaymentsError::NotFound);
        }
        Ok(uow.invoices().payments(tenant, id, page).await?)
    }
}

async fn record(uow: &dyn InvoicingUnit, invoice: &Invoice, payment: &Payment) -> Result<(), RecordPaymentError> {
    match uow.invoices().record_payment(invoice, payment).await {
        // The row lock makes this unreachable on PostgreSQL and SQLite alike;
        // should it happen, the caller may simply retry.
        Err(RepositoryError::Conflict) => Err(RecordPaymentError::Unexpected(RepositoryError::Conflict.into())),
        other => Ok(other?),
    }
}
