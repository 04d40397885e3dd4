//! [`IdempotencyRepository`] on SQL. The response, opaque to the domain, is
//! kept in `response_body`.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use fakturo_domain::TenantId;
use fakturo_domain::access::ports::{IdempotencyRecord, IdempotencyRepository};
use fakturo_domain::kernel::repository::RepositoryError;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::entities::idempotency_key::{self, Column};
use crate::errors::translate;
use crate::store::SqlUnitOfWork;

/// `response_status` is no longer read: the response's meaning lives in the
/// opaque `response_body`. Completed records still fill it (with 201, the
/// only status ever stored there) because the previous release reads a
/// record as completed only when both columns are set; without it, a server
/// of that release would take over a completed key during a rolling upgrade
/// and create twice. A later migration can drop the column.
const LEGACY_COMPLETED_STATUS: i32 = 201;

#[async_trait]
impl IdempotencyRepository for SqlUnitOfWork {
    async fn try_insert(&self, record: &IdempotencyRecord) -> Result<bool, RepositoryError> {
        let model = idempotency_key::Model {
            tenant_id: record.tenant_id.as_uuid(),
            idempotency_key: record.key.clone(),
            request_digest: record.request_digest.clone(),
            started_at: record.started_at,
            response_status: None,
            response_body: None,
        };
        let inserted = idempotency_key::Entity::insert(idempotency_key::ActiveModel::from(model))
            .on_conflict_do_nothing()
            .exec_without_returning(&self.txn)
            .await
            .map_err(translate)?;
        Ok(matches!(inserted, sea_orm::TryInsertResult::Inserted(n) if n > 0))
    }

    async fn get(&self, tenant: TenantId, key: &str) -> Result<Option<IdempotencyRecord>, RepositoryError> {
        let found = idempotency_key::Entity::find_by_id((tenant.as_uuid(), key.to_owned()))
            .one(&self.txn)
            .await
            .map_err(translate)?;
        Ok(found.map(|model| IdempotencyRecord {
            tenant_id: TenantId::from_uuid(model.tenant_id),
            key: model.idempotency_key,
            request_digest: model.request_digest,
            started_at: model.started_at,
            response: model.response_body,
        }))
    }

    async fn take_over(
        &self,
        previous_start: DateTime<Utc>,
        replacement: &IdempotencyRecord,
    ) -> Result<bool, RepositoryError> {
        let result = idempotency_key::Entity::update_many()
            .col_expr(Column::RequestDigest, Expr::value(replacement.request_digest.clone()))
            .col_expr(Column::StartedAt, Expr::value(replacement.started_at))
            .col_expr(Column::ResponseStatus, Expr::value(Option::<i32>::None))
            .col_expr(Column::ResponseBody, Expr::value(Option::<String>::None))
            .filter(Column::TenantId.eq(replacement.tenant_id.as_uuid()))
            .filter(Column::IdempotencyKey.eq(replacement.key.as_str()))
            .filter(Column::StartedAt.eq(previous_start))
            .exec(&self.txn)
            .await
            .map_err(translate)?;
        Ok(result.rows_affected > 0)
    }

    async fn complete(&self, tenant: TenantId, key: &str, response: &str) -> Result<(), RepositoryError> {
        idempotency_key::Entity::update_many()
            .col_expr(Column::ResponseStatus, Expr::value(LEGACY_COMPLETED_STATUS))
            .col_expr(Column::ResponseBody, Expr::value(response.to_owned()))
            .filter(Column::TenantId.eq(tenant.as_uuid()))
            .filter(Column::IdempotencyKey.eq(key))
            .exec(&self.txn)
            .await
            .map_err(translate)?;
        Ok(())
    }

    async fn release(&self, tenant: TenantId, key: &str) -> Result<(), RepositoryError> {
        idempotency_key::Entity::delete_many()
            .filter(Column::TenantId.eq(tenant.as_uuid()))
            .filter(Column::IdempotencyKey.eq(key))
            .exec(&self.txn)
            .await
            .map_err(translate)?;
        Ok(())
    }
}
