//! [`AnalyticsRepository`] on SQL: each event under a random (v4) id, which
//! unlike a time-ordered one carries no instant.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use fakturo_domain::kernel::repository::RepositoryError;
use fakturo_domain::privacy::consent::AnalyticsEvent;
use fakturo_domain::privacy::ports::AnalyticsRepository;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use crate::entities::analytics_event;
use crate::errors::translate;
use crate::store::SqlUnitOfWork;

#[async_trait]
impl AnalyticsRepository for SqlUnitOfWork {
    async fn insert(&self, e: &AnalyticsEvent) -> Result<(), RepositoryError> {
        let model = analytics_event::Model {
            id: uuid::Uuid::new_v4(),
            name: e.name.as_str().to_owned(),
            occurred_hour: e.hour,
        };
        analytics_event::Entity::insert(analytics_event::ActiveModel::from(model))
            .exec_without_returning(&self.txn)
            .await
            .map_err(translate)?;
        Ok(())
    }

    async fn count(&self, name: &str, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<u64, RepositoryError> {
        analytics_event::Entity::find()
            .filter(analytics_event::Column::Name.eq(name))
            .filter(analytics_event::Column::OccurredHour.gte(from))
            .filter(analytics_event::Column::OccurredHour.lt(to))
            .count(&self.txn)
            .await
            .map_err(translate)
    }
}
