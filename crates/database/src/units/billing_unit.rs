//! [`BillingStore`] and [`BillingUnit`] on the SQL store: the inbox,
//! checkout records, subscriptions, billing records and connected accounts,
//! and payments on invoices in the same transaction; the usage a plan's
//! limits are checked against.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use fakturo_domain::TenantId;
use fakturo_domain::billing::Usage;
use fakturo_domain::billing::ports::{
    BillingStore, BillingTransactionRepository, BillingUnit, CheckoutRepository, InvoicePayments,
    StripeConnectionRepository, SubscriptionRepository, UsageMeter, WebhookInboxRepository,
};
use fakturo_domain::kernel::repository::RepositoryError;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect};

use crate::entities::{file, invoice, user};
use crate::errors::translate;
use crate::store::{SqlStore, SqlUnitOfWork};

#[async_trait]
impl BillingStore for SqlStore {
    async fn begin(&self) -> Result<Box<dyn BillingUnit>, RepositoryError> {
        Ok(Box::new(self.begin_unit().await?))
    }
}

#[async_trait]
impl BillingUnit for SqlUnitOfWork {
    fn inbox(&self) -> &dyn WebhookInboxRepository {
        self
    }

    fn checkouts(&self) -> &dyn CheckoutRepository {
        self
    }

    fn subscriptions(&self) -> &dyn SubscriptionRepository {
        self
    }

    fn transactions(&self) -> &dyn BillingTransactionRepository {
        self
    }

    fn invoice_payments(&self) -> &dyn InvoicePayments {
        self
    }

    fn connections(&self) -> &dyn StripeConnectionRepository {
        self
    }

    async fn commit(self: Box<Self>) -> Result<(), RepositoryError> {
        self.txn.commit().await.map_err(crate::errors::translate)
    }
}

#[async_trait]
impl UsageMeter for SqlStore {
    async fn usage(&self, tenant: TenantId, month_start: DateTime<Utc>) -> Result<Usage, RepositoryError> {
        let db = self.connection();
        let invoices = invoice::Entity::find()
            .filter(invoice::Column::TenantId.eq(tenant.as_uuid()))
            .filter(invoice::Column::FinalizedAt.gte(month_start))
            .count(db)
            .await
            .map_err(translate)?;
        let users = user::Entity::find()
            .filter(user::Column::TenantId.eq(tenant.as_uuid()))
            .count(db)
            .await
            .map_err(translate)?;
        let bytes: Option<i64> = file::Entity::find()
            .select_only()
            .column_as(Expr::cust("CAST(COALESCE(SUM(size_bytes), 0) AS BIGINT)"), "total")
            .filter(file::Column::TenantId.eq(tenant.as_uuid()))
            .into_tuple()
            .one(db)
            .await
            .map_err(translate)?;
        Ok(Usage {
            invoices_this_month: invoices,
            users,
            storage_bytes: u64::try_from(bytes.unwrap_or(0)).unwrap_or(0),
        })
    }
}
