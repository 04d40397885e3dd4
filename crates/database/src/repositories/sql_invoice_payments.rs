//! [`InvoicePayments`] on SQL: online card payments and their refunds land
//! on the invoicing tables in the billing unit's own transaction. The
//! invoice row is locked first (FOR UPDATE on PostgreSQL; SQLite's single
//! writer serializes), so two deliveries of one payment find each other and
//! the reference makes the second a no-op. A recorded payment queues the
//! client's receipt the way a manual one does.

use async_trait::async_trait;
use fakturo_domain::billing::ports::{InvoicePayments, OnlinePayment, OnlineRefund, PaymentOutcome};
use fakturo_domain::invoicing::invoice::payment::{Payment, PaymentMethod};
use fakturo_domain::invoicing::invoice::{Invoice, InvoiceStatus};
use fakturo_domain::invoicing::ports::InvoiceRepository;
use fakturo_domain::kernel::money::{Currency, Money};
use fakturo_domain::kernel::repository::RepositoryError;
use fakturo_domain::messaging::outbox::{DEFAULT_MAX_ATTEMPTS, Effect, NewJob};
use fakturo_domain::messaging::ports::JobRepository;
use fakturo_domain::{InvoiceId, PaymentId, TenantId};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use crate::entities::payment;
use crate::errors::translate;
use crate::store::SqlUnitOfWork;

impl SqlUnitOfWork {
    async fn has_card_reference(&self, invoice: &Invoice, reference: &str) -> Result<bool, RepositoryError> {
        let found = payment::Entity::find()
            .filter(payment::Column::TenantId.eq(invoice.tenant_id.as_uuid()))
            .filter(payment::Column::InvoiceId.eq(invoice.id.as_uuid()))
            .filter(payment::Column::Method.eq(PaymentMethod::Card.as_str()))
            .filter(payment::Column::Reference.eq(reference))
            .count(&self.txn)
            .await
            .map_err(translate)?;
        Ok(found > 0)
    }
}

fn refusal(invoice: &Invoice) -> Option<PaymentOutcome> {
    match invoice.status {
        InvoiceStatus::Draft => Some(PaymentOutcome::Refused("the invoice is a draft".to_owned())),
        InvoiceStatus::Void => Some(PaymentOutcome::Refused("the invoice is void".to_owned())),
        InvoiceStatus::Open | InvoiceStatus::PartiallyPaid | InvoiceStatus::Paid => None,
    }
}

#[async_trait]
impl InvoicePayments for SqlUnitOfWork {
    async fn record_card_payment(
        &self,
        tenant: TenantId,
        invoice: InvoiceId,
        p: &OnlinePayment,
    ) -> Result<PaymentOutcome, RepositoryError> {
        let Some(mut inv) = InvoiceRepository::get_for_update(self, tenant, invoice).await? else {
            return Ok(PaymentOutcome::InvoiceNotFound);
        };
        if self.has_card_reference(&inv, &p.reference).await? {
            return Ok(PaymentOutcome::AlreadyRecorded);
        }
        if let Some(refused) = refusal(&inv) {
            return Ok(refused);
        }
        if p.amount.currency() != inv.content.currency {
            return Ok(PaymentOutcome::Refused("the payment is in another currency".to_owned()));
        }
        if let Err(error) = inv.apply_payment(p.amount, p.received_at) {
            return Ok(PaymentOutcome::Refused(error.to_string()));
        }
        let payment = Payment {
            id: PaymentId::from_uuid(uuid::Uuid::now_v7()),
            tenant_id: tenant,
            invoice_id: invoice,
            amount: p.amount,
            paid_on: p.received_at.date_naive(),
            method: PaymentMethod::Card,
            reference: Some(p.reference.clone()),
            created_at: p.received_at,
        };
        InvoiceRepository::record_payment(self, &inv, &payment).await?;
        let receipt = NewJob {
            id: uuid::Uuid::now_v7(),
            tenant_id: Some(tenant),
            effect: Effect::SendPaymentReceipt {
                invoice_id: invoice,
                payment_id: payment.id,
            },
            idempotency_key: format!("payment-receipt:{}", payment.id),
            run_at: p.received_at,
            max_attempts: DEFAULT_MAX_ATTEMPTS,
        };
        JobRepository::enqueue(self, &receipt).await?;
        Ok(PaymentOutcome::Recorded)
    }

    async fn record_refund(
        &self,
        tenant: TenantId,
        invoice: InvoiceId,
        r: &OnlineRefund,
    ) -> Result<PaymentOutcome, RepositoryError> {
        let Some(mut inv) = InvoiceRepository::get_for_update(self, tenant, invoice).await? else {
            return Ok(PaymentOutcome::InvoiceNotFound);
        };
        if self.has_card_reference(&inv, &r.refund_reference).await? {
            return Ok(PaymentOutcome::AlreadyRecorded);
        }
        if !self.has_card_reference(&inv, &r.payment_reference).await? {
            return Ok(PaymentOutcome::Refused(
                "the refunded payment is not on the invoice".to_owned(),
            ));
        }
        if let Err(error) = inv.apply_refund(r.amount, r.refunded_at) {
            return Ok(PaymentOutcome::Refused(error.to_string()));
        }
        // A refund is kept as a negative card payment with its own reference.
        let refund = Payment {
            id: PaymentId::from_uuid(uuid::Uuid::now_v7()),
            tenant_id: tenant,
            invoice_id: invoice,
            amount: Money::from_minor(-r.amount.minor(), r.amount.currency()),
            paid_on: r.refunded_at.date_naive(),
            method: PaymentMethod::Card,
            reference: Some(r.refund_reference.clone()),
            created_at: r.refunded_at,
        };
        InvoiceRepository::record_payment(self, &inv, &refund).await?;
        Ok(PaymentOutcome::Recorded)
    }
}

/// A stored payment row as the domain's payment.
pub(crate) fn payment_into_domain(model: payment::Model) -> Result<Payment, RepositoryError> {
    let currency = Currency::parse(&model.currency).map_err(|e| crate::errors::corrupt("payments.currency", e))?;
    Ok(Payment {
        id: PaymentId::from_uuid(model.id),
        tenant_id: TenantId::from_uuid(model.tenant_id),
        invoice_id: InvoiceId::from_uuid(model.invoice_id),
        amount: Money::from_minor(model.amount_minor, currency),
        paid_on: model.paid_on,
        method: PaymentMethod::parse(&model.method)
            .ok_or_else(|| crate::errors::corrupt("payments.method", "unknown"))?,
        reference: model.reference,
        created_at: model.created_at,
    })
}
