//! [`StripeConnectionRepository`] on SQL: `stripe_connections`, by tenant.

use async_trait::async_trait;
use fakturo_domain::TenantId;
use fakturo_domain::billing::gateway::StripeConnection;
use fakturo_domain::billing::ports::StripeConnectionRepository;
use fakturo_domain::kernel::repository::RepositoryError;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::entities::stripe_connection::{self, Column};
use crate::errors::translate;
use crate::store::SqlUnitOfWork;

#[async_trait]
impl StripeConnectionRepository for SqlUnitOfWork {
    async fn get(&self, tenant: TenantId) -> Result<Option<StripeConnection>, RepositoryError> {
        Ok(stripe_connection::Entity::find_by_id(tenant.as_uuid())
            .one(&self.txn)
            .await
            .map_err(translate)?
            .map(|m| StripeConnection {
                tenant: TenantId::from_uuid(m.tenant_id),
                account_id: m.account_id,
                endpoint_id: m.endpoint_id,
                endpoint_status: m.endpoint_status,
                connected_at: m.connected_at,
            }))
    }

    async fn save(&self, c: &StripeConnection) -> Result<(), RepositoryError> {
        let model = stripe_connection::Model {
            tenant_id: c.tenant.as_uuid(),
            account_id: c.account_id.clone(),
            endpoint_id: c.endpoint_id.clone(),
            endpoint_status: c.endpoint_status.clone(),
            connected_at: c.connected_at,
        };
        stripe_connection::Entity::insert(stripe_connection::ActiveModel::from(model))
            .on_conflict(
                OnConflict::column(Column::TenantId)
                    .update_columns([
                        Column::AccountId,
                        Column::EndpointId,
                        Column::EndpointStatus,
                        Column::ConnectedAt,
                    ])
                    .to_owned(),
            )
            .exec_without_returning(&self.txn)
            .await
            .map_err(translate)?;
        Ok(())
    }

    async fn remove(&self, tenant: TenantId) -> Result<bool, RepositoryError> {
        let result = stripe_connection::Entity::delete_many()
            .filter(Column::TenantId.eq(tenant.as_uuid()))
            .exec(&self.txn)
            .await
            .map_err(translate)?;
        Ok(result.rows_affected > 0)
    }
}
