//! [`AnalyticsRepository`] on SQL.

use async_trait::async_trait;
use fakturo_domain::kernel::repository::RepositoryError;
use fakturo_domain::privacy::consent::AnalyticsEvent;
use fakturo_domain::privacy::ports::AnalyticsRepository;
use fakturo_domain::{TenantId, UserId};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use crate::entities::analytics_event;
use crate::errors::translate;
use crate::store::SqlUnitOfWork;

#[async_trait]
impl AnalyticsRepository for SqlUnitOfWork {
    async fn insert(&self, e: &AnalyticsEvent) -> Result<(), RepositoryError> {
        let model = analytics_event::Model {
            tenant_id: e.tenant_id.as_uuid(),
            id: e.id.as_uuid(),
            user_id: e.user_id.map(|id| id.as_uuid()),
            name: e.name.as_str().to_owned(),
            occurred_at: e.occurred_at,
        };
        analytics_event::Entity::insert(analytics_event::ActiveModel::from(model))
            .exec_without_returning(&self.txn)
            .await
            .map_err(translate)?;
        Ok(())
    }

    async fn count(&self, tenant: TenantId, user: Option<UserId>) -> Result<u64, RepositoryError> {
        let mut query = analytics_event::Entity::find().filter(analytics_event::Column::TenantId.eq(tenant.as_uuid()));
        if let Some(user) = user {
            query = query.filter(analytics_event::Column::UserId.eq(user.as_uuid()));
        }
        query.count(&self.txn).await.map_err(translate)
    }
}
