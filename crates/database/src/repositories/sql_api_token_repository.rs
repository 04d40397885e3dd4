//! [`ApiTokenRepository`] on SQL.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use fakturo_domain::access::api_tokens::ApiToken;
use fakturo_domain::access::ports::ApiTokenRepository;
use fakturo_domain::access::user::Role;
use fakturo_domain::kernel::pagination::{Page, PageRequest};
use fakturo_domain::kernel::repository::RepositoryError;
use fakturo_domain::kernel::tokens::TokenDigest;
use fakturo_domain::{ApiTokenId, TenantId, UserId};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::entities::api_token;
use crate::errors::{corrupt, translate};
use crate::store::SqlUnitOfWork;

#[async_trait]
impl ApiTokenRepository for SqlUnitOfWork {
    async fn insert(&self, t: &ApiToken) -> Result<(), RepositoryError> {
        let model = api_token::Model {
            tenant_id: t.tenant_id.as_uuid(),
            id: t.id.as_uuid(),
            user_id: t.user_id.as_uuid(),
            name: t.name.clone(),
            role: t.role.as_str().to_owned(),
            token_digest: t.token_digest.as_str().to_owned(),
            hint: t.hint.clone(),
            created_at: t.created_at,
            last_used_at: t.last_used_at,
            revoked_at: t.revoked_at,
        };
        api_token::Entity::insert(api_token::ActiveModel::from(model))
            .exec_without_returning(&self.txn)
            .await
            .map_err(translate)?;
        Ok(())
    }

    async fn find_active(&self, digest: &TokenDigest) -> Result<Option<ApiToken>, RepositoryError> {
        api_token::Entity::find()
            .filter(api_token::Column::TokenDigest.eq(digest.as_str()))
            .filter(api_token::Column::RevokedAt.is_null())
            .one(&self.txn)
            .await
            .map_err(translate)?
            .map(into_domain)
            .transpose()
    }

    async fn get(&self, tenant: TenantId, id: ApiTokenId) -> Result<Option<ApiToken>, RepositoryError> {
        api_token::Entity::find_by_id((tenant.as_uuid(), id.as_uuid()))
            .one(&self.txn)
            .await
            .map_err(translate)?
            .map(into_domain)
            .transpose()
    }

    async fn list(
        &self,
        tenant: TenantId,
        user: Option<UserId>,
        page: PageRequest,
    ) -> Result<Page<ApiToken>, RepositoryError> {
        let mut query = api_token::Entity::find().filter(api_token::Column::TenantId.eq(tenant.as_uuid()));
        if let Some(user) = user {
            query = query.filter(api_token::Column::UserId.eq(user.as_uuid()));
        }
        if let Some(after) = page.after {
            query = query.filter(api_token::Column::Id.lt(after));
        }
        let rows = query
            .order_by_desc(api_token::Column::Id)
            .limit(u64::from(page.limit) + 1)
            .all(&self.txn)
            .await
            .map_err(translate)?;
        let tokens = rows.into_iter().map(into_domain).collect::<Result<Vec<_>, _>>()?;
        Ok(Page::from_overfetch(tokens, page.limit, |t| t.id.as_uuid()))
    }

    async fn revoke(&self, tenant: TenantId, id: ApiTokenId, at: DateTime<Utc>) -> Result<bool, RepositoryError> {
        let result = api_token::Entity::update_many()
            .col_expr(api_token::Column::RevokedAt, Expr::value(at))
            .filter(api_token::Column::TenantId.eq(tenant.as_uuid()))
            .filter(api_token::Column::Id.eq(id.as_uuid()))
            .filter(api_token::Column::RevokedAt.is_null())
            .exec(&self.txn)
            .await
            .map_err(translate)?;
        Ok(result.rows_affected > 0)
    }

    async fn revoke_all_for_user(
        &self,
        tenant: TenantId,
        user: UserId,
        at: DateTime<Utc>,
    ) -> Result<u64, RepositoryError> {
        let result = api_token::Entity::update_many()
            .col_expr(api_token::Column::RevokedAt, Expr::value(at))
            .filter(api_token::Column::TenantId.eq(tenant.as_uuid()))
            .filter(api_token::Column::UserId.eq(user.as_uuid()))
            .filter(api_token::Column::RevokedAt.is_null())
            .exec(&self.txn)
            .await
            .map_err(translate)?;
        Ok(result.rows_affected)
    }

    async fn touch(&self, tenant: TenantId, id: ApiTokenId, at: DateTime<Utc>) -> Result<(), RepositoryError> {
        api_token::Entity::update_many()
            .col_expr(api_token::Column::LastUsedAt, Expr::value(at))
            .filter(api_token::Column::TenantId.eq(tenant.as_uuid()))
            .filter(api_token::Column::Id.eq(id.as_uuid()))
            .exec(&self.txn)
            .await
            .map_err(translate)?;
        Ok(())
    }
}

fn into_domain(model: api_token::Model) -> Result<ApiToken, RepositoryError> {
    Ok(ApiToken {
        id: ApiTokenId::from_uuid(model.id),
        tenant_id: TenantId::from_uuid(model.tenant_id),
        user_id: UserId::from_uuid(model.user_id),
        name: model.name,
        role: Role::parse(&model.role).ok_or_else(|| corrupt("api_tokens.role", "unknown role"))?,
        token_digest: TokenDigest::from_stored(model.token_digest),
        hint: model.hint,
        created_at: model.created_at,
        last_used_at: model.last_used_at,
        revoked_at: model.revoked_at,
    })
}
