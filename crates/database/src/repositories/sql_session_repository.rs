//! [`SessionRepository`] on SQL.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use fakturo_domain::ports::{RepositoryError, SessionRepository};
use fakturo_domain::session::{Session, TokenDigest};
use fakturo_domain::{SessionId, TenantId, UserId};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::entities::session;
use crate::errors::translate;
use crate::store::SqlUnitOfWork;

#[async_trait]
impl SessionRepository for SqlUnitOfWork {
    async fn insert(&self, s: &Session) -> Result<(), RepositoryError> {
        let model = session::Model {
            tenant_id: s.tenant_id.as_uuid(),
            id: s.id.as_uuid(),
            user_id: s.user_id.as_uuid(),
            token_digest: s.token_digest.as_str().to_owned(),
            created_at: s.created_at,
            expires_at: s.expires_at,
        };
        session::Entity::insert(session::ActiveModel::from(model))
            .exec_without_returning(&self.txn)
            .await
            .map_err(translate)?;
        Ok(())
    }

    async fn find_active(&self, digest: &TokenDigest, now: DateTime<Utc>) -> Result<Option<Session>, RepositoryError> {
        let found = session::Entity::find()
            .filter(session::Column::TokenDigest.eq(digest.as_str()))
            .filter(session::Column::ExpiresAt.gt(now))
            .one(&self.txn)
            .await
            .map_err(translate)?;
        Ok(found.map(|model| Session {
            id: SessionId::from_uuid(model.id),
            tenant_id: TenantId::from_uuid(model.tenant_id),
            user_id: UserId::from_uuid(model.user_id),
            token_digest: TokenDigest::from_stored(model.token_digest),
            created_at: model.created_at,
            expires_at: model.expires_at,
        }))
    }

    async fn delete(&self, tenant: TenantId, id: SessionId) -> Result<bool, RepositoryError> {
        let result = session::Entity::delete_many()
            .filter(session::Column::TenantId.eq(tenant.as_uuid()))
            .filter(session::Column::Id.eq(id.as_uuid()))
            .exec(&self.txn)
            .await
            .map_err(translate)?;
        Ok(result.rows_affected > 0)
    }
}
