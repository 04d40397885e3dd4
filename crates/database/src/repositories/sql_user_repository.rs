//! [`UserRepository`] on SQL.

use async_trait::async_trait;
use fakturo_domain::email::EmailAddress;
use fakturo_domain::ports::{PasswordHash, RepositoryError, UserRepository};
use fakturo_domain::user::{Role, User};
use fakturo_domain::{TenantId, UserId};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

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
}

fn into_domain(model: user::Model) -> Result<User, RepositoryError> {
    Ok(User {
        id: UserId::from_uuid(model.id),
        tenant_id: TenantId::from_uuid(model.tenant_id),
        email: EmailAddress::parse(&model.email).map_err(|e| corrupt("users.email", e))?,
        name: model.name,
        role: Role::parse(&model.role).ok_or_else(|| corrupt("users.role", "unknown role"))?,
        accepted_policy_version: model.accepted_policy_version,
        created_at: model.created_at,
    })
}
