//! [`UserRepository`] on SQL.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use fakturo_domain::access::ports::{PasswordHash, UserRepository};
use fakturo_domain::access::user::{Role, User};
use fakturo_domain::kernel::email::EmailAddress;
use fakturo_domain::kernel::pagination::{Page, PageRequest};
use fakturo_domain::kernel::repository::RepositoryError;
use fakturo_domain::{TenantId, UserId};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::entities::user;
use crate::errors::{corrupt, translate};
use crate::store::SqlUnitOfWork;

#[async_trait]
impl UserRepository for SqlUnitOfWork {
    async fn insert(&self, u: &User, password_hash: &PasswordHash) -> Result<(), RepositoryError> {
        let model = user::Model {
            tenant_id: u.tenant_id.as_uuid(),
            id: u.id.as_uuid(),
            email: u.email.as_str().to_owned(),
            email_normalized: u.email.normalized(),
            name: u.name.clone(),
            password_hash: password_hash.as_phc().to_owned(),
            role: u.role.as_str().to_owned(),
            accepted_policy_version: u.accepted_policy_version.clone(),
            created_at: u.created_at,
            email_verified_at: u.email_verified_at,
        };
        user::Entity::insert(user::ActiveModel::from(model))
            .exec_without_returning(&self.txn)
            .await
            .map_err(translate)?;
        Ok(())
    }

    async fn find_credentials(&self, normalized_email: &str) -> Result<Option<(User, PasswordHash)>, RepositoryError> {
        let found = user::Entity::find()
            .filter(user::Column::EmailNormalized.eq(normalized_email))
            .one(&self.txn)
            .await
            .map_err(translate)?;
        match found {
            Some(model) => {
                let hash = PasswordHash::from_phc(model.password_hash.clone());
                Ok(Some((into_domain(model)?, hash)))
            }
            None => Ok(None),
        }
    }

    async fn first_owner(&self, tenant: TenantId) -> Result<Option<User>, RepositoryError> {
        user::Entity::find()
            .filter(user::Column::TenantId.eq(tenant.as_uuid()))
            .filter(user::Column::Role.eq(Role::Owner.as_str()))
            .order_by_asc(user::Column::CreatedAt)
            .one(&self.txn)
            .await
            .map_err(translate)?
            .map(into_domain)
            .transpose()
    }

    async fn get(&self, tenant: TenantId, id: UserId) -> Result<Option<User>, RepositoryError> {
        user::Entity::find_by_id((tenant.as_uuid(), id.as_uuid()))
            .one(&self.txn)
            .await
            .map_err(translate)?
            .map(into_domain)
            .transpose()
    }

    async fn list(&self, tenant: TenantId, page: PageRequest) -> Result<Page<User>, RepositoryError> {
        let mut query = user::Entity::find().filter(user::Column::TenantId.eq(tenant.as_uuid()));
        if let Some(after) = page.after {
            query = query.filter(user::Column::Id.lt(after));
        }
        let rows = query
            .order_by_desc(user::Column::Id)
            .limit(u64::from(page.limit) + 1)
            .all(&self.txn)
            .await
            .map_err(translate)?;
        let users = rows.into_iter().map(into_domain).collect::<Result<Vec<_>, _>>()?;
        Ok(Page::from_overfetch(users, page.limit, |u| u.id.as_uuid()))
    }

    async fn count_owners(&self, tenant: TenantId) -> Result<u64, RepositoryError> {
        user::Entity::find()
            .filter(user::Column::TenantId.eq(tenant.as_uuid()))
            .filter(user::Column::Role.eq(Role::Owner.as_str()))
            .count(&self.txn)
            .await
            .map_err(translate)
    }

    async fn set_role(&self, tenant: TenantId, id: UserId, role: Role) -> Result<bool, RepositoryError> {
        self.update_user(tenant, id, user::Column::Role, Expr::value(role.as_str()))
            .await
    }

    async fn set_password(&self, tenant: TenantId, id: UserId, hash: &PasswordHash) -> Result<bool, RepositoryError> {
        self.update_user(tenant, id, user::Column::PasswordHash, Expr::value(hash.as_phc()))
            .await
    }

    async fn rename(&self, tenant: TenantId, id: UserId, name: &str) -> Result<bool, RepositoryError> {
        let result = user::Entity::update_many()
            .col_expr(user::Column::Name, Expr::value(name))
            .filter(user::Column::TenantId.eq(tenant.as_uuid()))
            .filter(user::Column::Id.eq(id.as_uuid()))
            .exec(&self.txn)
            .await
            .map_err(translate)?;
        Ok(result.rows_affected > 0)
    }

    async fn change_email(
        &self,
        tenant: TenantId,
        id: UserId,
        email: &EmailAddress,
        at: DateTime<Utc>,
    ) -> Result<bool, RepositoryError> {
        let result = user::Entity::update_many()
            .col_expr(user::Column::Email, Expr::value(email.as_str()))
            .col_expr(user::Column::EmailNormalized, Expr::value(email.normalized()))
            .col_expr(user::Column::EmailVerifiedAt, Expr::value(at))
            .filter(user::Column::TenantId.eq(tenant.as_uuid()))
            .filter(user::Column::Id.eq(id.as_uuid()))
            .exec(&self.txn)
            .await
            .map_err(translate)?;
        Ok(result.rows_affected > 0)
    }

    async fn mark_email_verified(
        &self,
        tenant: TenantId,
        id: UserId,
        at: DateTime<Utc>,
    ) -> Result<(), RepositoryError> {
        user::Entity::update_many()
            .col_expr(user::Column::EmailVerifiedAt, Expr::value(at))
            .filter(user::Column::TenantId.eq(tenant.as_uuid()))
            .filter(user::Column::Id.eq(id.as_uuid()))
            .filter(user::Column::EmailVerifiedAt.is_null())
            .exec(&self.txn)
            .await
            .map_err(translate)?;
        Ok(())
    }

    async fn scan(&self, after: Option<(TenantId, UserId)>, limit: u32) -> Result<Vec<User>, RepositoryError> {
        let mut query = user::Entity::find();
        if let Some((tenant, id)) = after {
            query = query.filter(
                Condition::any().add(user::Column::TenantId.gt(tenant.as_uuid())).add(
                    Condition::all()
                        .add(user::Column::TenantId.eq(tenant.as_uuid()))
                        .add(user::Column::Id.gt(id.as_uuid())),
                ),
            );
        }
        let rows = query
            .order_by_asc(user::Column::TenantId)
            .order_by_asc(user::Column::Id)
            .limit(u64::from(limit))
            .all(&self.txn)
            .await
            .map_err(translate)?;
        rows.into_iter().map(into_domain).collect()
    }

    async fn delete(&self, tenant: TenantId, id: UserId) -> Result<bool, RepositoryError> {
        // Sessions, API tokens, single-use tokens and identities go with the
        // user (ON DELETE CASCADE).
        let result = user::Entity::delete_many()
            .filter(user::Column::TenantId.eq(tenant.as_uuid()))
            .filter(user::Column::Id.eq(id.as_uuid()))
            .exec(&self.txn)
            .await
            .map_err(translate)?;
        Ok(result.rows_affected > 0)
    }
}

impl SqlUnitOfWork {
    async fn update_user(
        &self,
        tenant: TenantId,
        id: UserId,
        column: user::Column,
        value: sea_orm::sea_query::SimpleExpr,
    ) -> Result<bool, RepositoryError> {
        let result = user::Entity::update_many()
            .col_expr(column, value)
            .filter(user::Column::TenantId.eq(tenant.as_uuid()))
            .filter(user::Column::Id.eq(id.as_uuid()))
            .exec(&self.txn)
            .await
            .map_err(translate)?;
        Ok(result.rows_affected > 0)
    }
}

fn into_domain(model: user::Model) -> Result<User, RepositoryError> {
    Ok(User {
        id: UserId::from_uuid(model.id),
        tenant_id: TenantId::from_uuid(model.tenant_id),
        email: EmailAddress::parse(&model.email).map_err(|e| corrupt("users.email", e))?,
        name: model.name,
        role: Role::parse(&model.role).ok_or_else(|| corrupt("users.role", "unknown role"))?,
        accepted_policy_version: model.accepted_policy_version,
        email_verified_at: model.email_verified_at,
        created_at: model.created_at,
    })
}
