//! [`CheckoutRepository`] on SQL: `checkout_sessions` and `pending_refunds`,
//! every query naming the tenant (but the reconcile task's scan).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use fakturo_domain::billing::ports::CheckoutRepository;
use fakturo_domain::billing::records::{CheckoutRecord, CheckoutStatus, PendingRefund};
use fakturo_domain::kernel::repository::RepositoryError;
use fakturo_domain::{InvoiceId, TenantId};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::entities::{checkout_session, pending_refund};
use crate::errors::{corrupt, translate};
use crate::store::SqlUnitOfWork;

const STATUSES: [(CheckoutStatus, &str); 5] = [
    (CheckoutStatus::Open, "open"),
    (CheckoutStatus::AwaitingPayment, "awaiting_payment"),
    (CheckoutStatus::Paid, "paid"),
    (CheckoutStatus::Failed, "failed"),
    (CheckoutStatus::Expired, "expired"),
];

fn status_name(status: CheckoutStatus) -> &'static str {
    STATUSES
        .iter()
        .find(|(s, _)| *s == status)
        .map_or("open", |(_, name)| name)
}

fn into_domain(model: checkout_session::Model) -> Result<CheckoutRecord, RepositoryError> {
    let status = STATUSES
        .iter()
        .find(|(_, name)| *name == model.status)
        .map(|(status, _)| *status)
        .ok_or_else(|| corrupt("checkout_sessions.status", &model.status))?;
    Ok(CheckoutRecord {
        tenant: TenantId::from_uuid(model.tenant_id),
        invoice: InvoiceId::from_uuid(model.invoice_id),
        session_id: model.session_id,
        payment_intent: model.payment_intent,
        amount_minor: model.amount_minor,
        currency: model.currency,
        status,
        refunded_minor: model.refunded_minor,
        created_at: model.created_at,
        updated_at: model.updated_at,
    })
}

#[async_trait]
impl CheckoutRepository for SqlUnitOfWork {
    async fn save(&self, r: &CheckoutRecord) -> Result<(), RepositoryError> {
        use checkout_session::Column;
        let model = checkout_session::Model {
            tenant_id: r.tenant.as_uuid(),
            session_id: r.session_id.clone(),
            invoice_id: r.invoice.as_uuid(),
            payment_intent: r.payment_intent.clone(),
            amount_minor: r.amount_minor,
            currency: r.currency.clone(),
            status: status_name(r.status).to_owned(),
            refunded_minor: r.refunded_minor,
            created_at: r.created_at,
            updated_at: r.updated_at,
        };
        checkout_session::Entity::insert(checkout_session::ActiveModel::from(model))
            .on_conflict(
                OnConflict::columns([Column::TenantId, Column::SessionId])
                    .update_columns([
                        Column::InvoiceId,
                        Column::PaymentIntent,
                        Column::AmountMinor,
                        Column::Currency,
                        Column::Status,
                        Column::RefundedMinor,
                        Column::UpdatedAt,
                    ])
                    .to_owned(),
            )
            .exec_without_returning(&self.txn)
            .await
            .map_err(translate)?;
        Ok(())
    }

    async fn by_session(&self, tenant: TenantId, session_id: &str) -> Result<Option<CheckoutRecord>, RepositoryError> {
        checkout_session::Entity::find_by_id((tenant.as_uuid(), session_id.to_owned()))
            .one(&self.txn)
            .await
            .map_err(translate)?
            .map(into_domain)
            .transpose()
    }

    async fn by_payment_intent(
        &self,
        tenant: TenantId,
        payment_intent: &str,
    ) -> Result<Option<CheckoutRecord>, RepositoryError> {
        use checkout_session::Column;
        checkout_session::Entity::find()
            .filter(Column::TenantId.eq(tenant.as_uuid()))
            .filter(Column::PaymentIntent.eq(payment_intent))
            .order_by_asc(Column::CreatedAt)
            .one(&self.txn)
            .await
            .map_err(translate)?
            .map(into_domain)
            .transpose()
    }

    async fn open_before(&self, cutoff: DateTime<Utc>, limit: u32) -> Result<Vec<CheckoutRecord>, RepositoryError> {
        use checkout_session::Column;
        checkout_session::Entity::find()
            .filter(Column::Status.eq("open"))
            .filter(Column::CreatedAt.lt(cutoff))
            .order_by_asc(Column::CreatedAt)
            .limit(u64::from(limit))
            .all(&self.txn)
            .await
            .map_err(translate)?
            .into_iter()
            .map(into_domain)
            .collect()
    }

    async fn pending_refund(
        &self,
        tenant: TenantId,
        payment_intent: &str,
    ) -> Result<Option<PendingRefund>, RepositoryError> {
        Ok(
            pending_refund::Entity::find_by_id((tenant.as_uuid(), payment_intent.to_owned()))
                .one(&self.txn)
                .await
                .map_err(translate)?
                .map(|m| PendingRefund {
                    tenant: TenantId::from_uuid(m.tenant_id),
                    payment_intent: m.payment_intent,
                    charge_id: m.charge_id,
                    amount_refunded_minor: m.amount_refunded_minor,
                    currency: m.currency,
                }),
        )
    }

    async fn save_pending_refund(&self, refund: &PendingRefund) -> Result<(), RepositoryError> {
        use pending_refund::Column;
        let model = pending_refund::Model {
            tenant_id: refund.tenant.as_uuid(),
            payment_intent: refund.payment_intent.clone(),
            charge_id: refund.charge_id.clone(),
            amount_refunded_minor: refund.amount_refunded_minor,
            currency: refund.currency.clone(),
        };
        pending_refund::Entity::insert(pending_refund::ActiveModel::from(model))
            .on_conflict(
                OnConflict::columns([Column::TenantId, Column::PaymentIntent])
                    .update_columns([Column::ChargeId, Column::AmountRefundedMinor, Column::Currency])
                    .to_owned(),
            )
            .exec_without_returning(&self.txn)
            .await
            .map_err(translate)?;
        Ok(())
    }

    async fn remove_pending_refund(&self, tenant: TenantId, payment_intent: &str) -> Result<(), RepositoryError> {
        use pending_refund::Column;
        pending_refund::Entity::delete_many()
            .filter(Column::TenantId.eq(tenant.as_uuid()))
            .filter(Column::PaymentIntent.eq(payment_intent))
            .exec(&self.txn)
            .await
            .map_err(translate)?;
        Ok(())
    }
}
