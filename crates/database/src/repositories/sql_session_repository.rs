//! [`SessionRepository`] on SQL.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use fakturo_domain::access::ports::SessionRepository;
use fakturo_domain::access::session::Session;
use fakturo_domain::kernel::repository::RepositoryError;
use fakturo_domain::kernel::tokens::TokenDigest;
use fakturo_domain::{SessionId, TenantId, UserId};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter};

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
            last_seen_at: Some(s.last_seen_at),
        };
        session::Entity::insert(session::ActiveModel::from(model))
            .exec_without_returning(&self.txn)
            .await
            .map_err(translate)?;
        Ok(())
    }

    async fn find_active(
        &self,
        digest: &TokenDigest,
        now: DateTime<Utc>,
        idle_cutoff: DateTime<Utc>,
    ) -> Result<Option<Session>, RepositoryError> {
        // Sessions from before idle expiry existed have no `last_seen_at`:
        // their creation counts as their last use.
        let found = session::Entity::find()
            .filter(session::Column::TokenDigest.eq(digest.as_str()))
            .filter(session::Column::ExpiresAt.gt(now))
            .filter(
                Condition::any().add(session::Column::LastSeenAt.gt(idle_cutoff)).add(
                    Condition::all()
                        .add(session::Column::LastSeenAt.is_null())
                        .add(session::Column::CreatedAt.gt(idle_cutoff)),
                ),
            )
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
            last_seen_at: model.last_seen_at.unwrap_or(model.created_at),
        }))
    }

    async fn touch(&self, tenant: TenantId, id: SessionId, now: DateTime<Utc>) -> Result<(), RepositoryError> {
        session::Entity::update_many()
            .col_expr(session::Column::LastSeenAt, Expr::value(now))
            .filter(session::Column::TenantId.eq(tenant.as_uuid()))
            .filter(session::Column::Id.eq(id.as_uuid()))
            .exec(&self.txn)
            .await
            .map_err(translate)?;
        Ok(())
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

    async fn delete_for_user(
        &self,
        tenant: TenantId,
        user: UserId,
        keep: Option<SessionId>,
    ) -> Result<u64, RepositoryError> {
        let mut query = session::Entity::delete_many()
            .filter(session::Column::TenantId.eq(tenant.as_uuid()))
            .filter(session::Column::UserId.eq(user.as_uuid()));
        if let Some(keep) = keep {
            query = query.filter(session::Column::Id.ne(keep.as_uuid()));
        }
        let result = query.exec(&self.txn).await.map_err(translate)?;
        Ok(result.rows_affected)
    }
}
