//! [`BillingStore`] and [`BillingUnit`] on the SQL store: the inbox,
//! checkout records, subscriptions, billing records and connected accounts,
//! and payments on invoices in the same transaction; the usage a plan's
//! limits are checked against.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use fakturo_domain::access::user::Role;
use fakturo_domain::billing::ports::{
    BillingStore, BillingTransactionRepository, BillingUnit, CheckoutRepository, InvoicePayments, OrganizationOwners,
    StripeConnectionRepository, SubscriptionRepository, UsageMeter, WebhookInboxRepository,
};
use fakturo_domain::billing::{BillingContact, Usage};
use fakturo_domain::kernel::email::EmailAddress;
use fakturo_domain::kernel::repository::RepositoryError;
use fakturo_domain::messaging::outbox::NewJob;
use fakturo_domain::messaging::ports::JobRepository;
use fakturo_domain::tenancy::organization::Closure;
use fakturo_domain::{TenantId, UserId};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::entities::{file, invoice, organization, user};
use crate::errors::{corrupt, translate};
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

    fn organizations(&self) -> &dyn OrganizationOwners {
        self
    }

    async fn commit(self: Box<Self>) -> Result<(), RepositoryError> {
        self.txn.commit().await.map_err(crate::errors::translate)
    }
}

#[async_trait]
impl OrganizationOwners for SqlUnitOfWork {
    async fn owners(&self, tenant: TenantId) -> Result<Vec<BillingContact>, RepositoryError> {
        let rows = user::Entity::find()
            .filter(user::Column::TenantId.eq(tenant.as_uuid()))
            .filter(user::Column::Role.eq(Role::Owner.as_str()))
            .order_by_asc(user::Column::Id)
            .all(&self.txn)
            .await
            .map_err(translate)?;
        rows.into_iter()
            .map(|row| {
                Ok(BillingContact {
                    id: UserId::from_uuid(row.id),
                    email: EmailAddress::parse(&row.email).map_err(|e| corrupt("users.email", e))?,
                    name: row.name,
                })
            })
            .collect()
    }

    async fn organization_name(&self, tenant: TenantId) -> Result<Option<String>, RepositoryError> {
        let name = organization::Entity::find_by_id(tenant.as_uuid())
            .select_only()
            .column(organization::Column::Name)
            .into_tuple::<String>()
            .one(&self.txn)
            .await
            .map_err(translate)?;
        Ok(name)
    }

    async fn queue(&self, job: &NewJob) -> Result<bool, RepositoryError> {
        JobRepository::enqueue(self, job).await
    }

    async fn start_closure(&self, tenant: TenantId, closure: Closure) -> Result<bool, RepositoryError> {
        // Only an open organization: a closure its owner started keeps its window.
        let result = organization::Entity::update_many()
            .col_expr(organization::Column::ClosedAt, Expr::value(closure.closed_at))
            .col_expr(organization::Column::PurgeAfter, Expr::value(closure.purge_after))
            .filter(organization::Column::Id.eq(tenant.as_uuid()))
            .filter(organization::Column::ClosedAt.is_null())
            .exec(&self.txn)
            .await
            .map_err(translate)?;
        Ok(result.rows_affected > 0)
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
