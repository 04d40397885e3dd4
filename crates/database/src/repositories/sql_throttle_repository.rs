//! [`ThrottleRepository`] on SQL. The counter is read with a row lock on
//! PostgreSQL (SQLite's single writer serializes anyway), so concurrent
//! failures of one pair count one by one.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use fakturo_domain::access::ports::ThrottleRepository;
use fakturo_domain::access::throttle::{ThrottleKey, ThrottleState};
use fakturo_domain::kernel::repository::RepositoryError;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};

use crate::entities::login_throttle::{self, Column};
use crate::errors::translate;
use crate::store::SqlUnitOfWork;

#[async_trait]
impl ThrottleRepository for SqlUnitOfWork {
    async fn get(&self, key: &ThrottleKey) -> Result<ThrottleState, RepositoryError> {
        let found = login_throttle::Entity::find_by_id((key.subject.clone(), key.network.as_str().to_owned()))
            .lock_exclusive()
            .one(&self.txn)
            .await
            .map_err(translate)?;
        Ok(found.map_or_else(ThrottleState::default, |model| ThrottleState {
            failures: u32::try_from(model.failures).unwrap_or(0),
            window_started_at: model.window_started_at,
            blocked_until: model.blocked_until,
        }))
    }

    async fn save(&self, key: &ThrottleKey, state: &ThrottleState, now: DateTime<Utc>) -> Result<(), RepositoryError> {
        let model = login_throttle::Model {
            subject: key.subject.clone(),
            network: key.network.as_str().to_owned(),
            failures: i32::try_from(state.failures).unwrap_or(i32::MAX),
            window_started_at: state.window_started_at,
            blocked_until: state.blocked_until,
            updated_at: now,
        };
        login_throttle::Entity::insert(login_throttle::ActiveModel::from(model))
            .on_conflict(
                OnConflict::columns([Column::Subject, Column::Network])
                    .update_columns([
                        Column::Failures,
                        Column::WindowStartedAt,
                        Column::BlockedUntil,
                        Column::UpdatedAt,
                    ])
                    .to_owned(),
            )
            .exec_without_returning(&self.txn)
            .await
            .map_err(translate)?;
        Ok(())
    }

    async fn clear(&self, key: &ThrottleKey) -> Result<(), RepositoryError> {
        login_throttle::Entity::delete_many()
            .filter(Column::Subject.eq(key.subject.as_str()))
            .filter(Column::Network.eq(key.network.as_str()))
            .exec(&self.txn)
            .await
            .map_err(translate)?;
        Ok(())
    }
}
