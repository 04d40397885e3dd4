//! [`OneTimeTokenRepository`] on SQL. Redemption is a conditional
//! `UPDATE … WHERE used_at IS NULL AND expires_at > now`: of two concurrent
//! redemptions only one changes the row.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use fakturo_domain::access::one_time_tokens::{OneTimeToken, Redemption, TokenPurpose};
use fakturo_domain::access::ports::OneTimeTokenRepository;
use fakturo_domain::kernel::repository::RepositoryError;
use fakturo_domain::kernel::tokens::TokenDigest;
use fakturo_domain::{TenantId, UserId};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::entities::one_time_token;
use crate::errors::{corrupt, translate};
use crate::store::SqlUnitOfWork;

#[async_trait]
impl OneTimeTokenRepository for SqlUnitOfWork {
    async fn insert(&self, t: &OneTimeToken) -> Result<(), RepositoryError> {
        let model = one_time_token::Model {
            token_digest: t.digest.as_str().to_owned(),
            purpose: t.purpose.as_str().to_owned(),
            tenant_id: t.tenant_id.map(|id| id.as_uuid()),
            user_id: t.user_id.map(|id| id.as_uuid()),
            payload: t.payload.clone(),
            created_at: t.created_at,
            expires_at: t.expires_at,
            used_at: t.used_at,
        };
        one_time_token::Entity::insert(one_time_token::ActiveModel::from(model))
            .exec_without_returning(&self.txn)
            .await
            .map_err(translate)?;
        Ok(())
    }

    async fn redeem(
        &self,
        digest: &TokenDigest,
        purpose: TokenPurpose,
        now: DateTime<Utc>,
    ) -> Result<Redemption, RepositoryError> {
        let updated = one_time_token::Entity::update_many()
            .col_expr(one_time_token::Column::UsedAt, Expr::value(now))
            .filter(one_time_token::Column::TokenDigest.eq(digest.as_str()))
            .filter(one_time_token::Column::Purpose.eq(purpose.as_str()))
            .filter(one_time_token::Column::UsedAt.is_null())
            .filter(one_time_token::Column::ExpiresAt.gt(now))
            .exec(&self.txn)
            .await
            .map_err(translate)?;
        let found = one_time_token::Entity::find_by_id(digest.as_str().to_owned())
            .filter(one_time_token::Column::Purpose.eq(purpose.as_str()))
            .one(&self.txn)
            .await
            .map_err(translate)?;
        let Some(model) = found else {
            return Ok(Redemption::Unknown);
        };
        if updated.rows_affected == 1 {
            return into_domain(model).map(Redemption::Redeemed);
        }
        if model.used_at.is_some() {
            Ok(Redemption::AlreadyUsed)
        } else {
            Ok(Redemption::Expired)
        }
    }

    async fn expire_for_user(
        &self,
        tenant: TenantId,
        user: UserId,
        purpose: TokenPurpose,
        now: DateTime<Utc>,
    ) -> Result<u64, RepositoryError> {
        let result = one_time_token::Entity::update_many()
            .col_expr(one_time_token::Column::UsedAt, Expr::value(now))
            .filter(one_time_token::Column::TenantId.eq(tenant.as_uuid()))
            .filter(one_time_token::Column::UserId.eq(user.as_uuid()))
            .filter(one_time_token::Column::Purpose.eq(purpose.as_str()))
            .filter(one_time_token::Column::UsedAt.is_null())
            .exec(&self.txn)
            .await
            .map_err(translate)?;
        Ok(result.rows_affected)
    }

    async fn delete_expired(&self, cutoff: DateTime<Utc>) -> Result<u64, RepositoryError> {
        let result = one_time_token::Entity::delete_many()
            .filter(one_time_token::Column::ExpiresAt.lt(cutoff))
            .exec(&self.txn)
            .await
            .map_err(translate)?;
        Ok(result.rows_affected)
    }
}

fn into_domain(model: one_time_token::Model) -> Result<OneTimeToken, RepositoryError> {
    Ok(OneTimeToken {
        digest: TokenDigest::from_stored(model.token_digest),
        purpose: TokenPurpose::parse(&model.purpose)
            .ok_or_else(|| corrupt("one_time_tokens.purpose", "unknown purpose"))?,
        tenant_id: model.tenant_id.map(TenantId::from_uuid),
        user_id: model.user_id.map(UserId::from_uuid),
        payload: model.payload,
        created_at: model.created_at,
        expires_at: model.expires_at,
        used_at: model.used_at,
    })
}
