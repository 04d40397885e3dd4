//! [`NumberingRepository`] on SQL: a counter row per tenant and series,
//! created on first use and advanced with `UPDATE … RETURNING` inside the
//! caller's transaction. On PostgreSQL the update's row lock serializes
//! concurrent finalizations of a series; a rollback returns the number.

use async_trait::async_trait;
use fakturo_domain::TenantId;
use fakturo_domain::invoicing::ports::NumberingRepository;
use fakturo_domain::kernel::repository::RepositoryError;
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict, Query};
use sea_orm::{ConnectionTrait, IdenStatic};

use crate::entities::number_counter::{self, Column};
use crate::errors::{corrupt, translate};
use crate::store::SqlUnitOfWork;

#[async_trait]
impl NumberingRepository for SqlUnitOfWork {
    async fn next_in_series(&self, tenant: TenantId, series: &str) -> Result<u64, RepositoryError> {
        let create = Query::insert()
            .into_table(number_counter::Entity)
            .columns([Column::TenantId, Column::SeriesKey, Column::LastValue])
            .values([tenant.as_uuid().into(), series.into(), 0_i64.into()])
            .map_err(|e| corrupt("number_counters insert", e))?
            .on_conflict(
                OnConflict::columns([Column::TenantId, Column::SeriesKey])
                    .do_nothing()
                    .to_owned(),
            )
            .to_owned();
        self.txn.execute(&create).await.map_err(translate)?;

        let advance = Query::update()
            .table(number_counter::Entity)
            .value(Column::LastValue, Expr::col(Column::LastValue).add(1))
            .and_where(Expr::col(Column::TenantId).eq(tenant.as_uuid()))
            .and_where(Expr::col(Column::SeriesKey).eq(series))
            .returning_col(Column::LastValue)
            .to_owned();
        let row = self
            .txn
            .query_one(&advance)
            .await
            .map_err(translate)?
            .ok_or_else(|| corrupt("number_counters", "counter row vanished"))?;
        let value: i64 = row.try_get("", Column::LastValue.as_str()).map_err(translate)?;
        u64::try_from(value).map_err(|e| corrupt("number_counters.last_value", e))
    }
}
