//! [`IdentityRepository`] on SQL.

use async_trait::async_trait;
use fakturo_domain::access::ports::{ExternalIdentity, IdentityRepository};
use fakturo_domain::kernel::repository::RepositoryError;
use fakturo_domain::{TenantId, UserId};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::entities::user_identity;
use crate::errors::translate;
use crate::store::SqlUnitOfWork;

#[async_trait]
impl IdentityRepository for SqlUnitOfWork {
    async fn find(&self, provider: &str, subject: &str) -> Result<Option<ExternalIdentity>, RepositoryError> {
        let found = user_identity::Entity::find()
            .filter(user_identity::Column::Provider.eq(provider))
            .filter(user_identity::Column::Subject.eq(subject))
            .one(&self.txn)
            .await
            .map_err(translate)?;
        Ok(found.map(|model| ExternalIdentity {
            tenant_id: TenantId::from_uuid(model.tenant_id),
            user_id: UserId::from_uuid(model.user_id),
            provider: model.provider,
            subject: model.subject,
            linked_at: model.linked_at,
        }))
    }

    async fn insert(&self, identity: &ExternalIdentity) -> Result<(), RepositoryError> {
        let model = user_identity::Model {
            tenant_id: identity.tenant_id.as_uuid(),
            user_id: identity.user_id.as_uuid(),
            provider: identity.provider.clone(),
            subject: identity.subject.clone(),
            linked_at: identity.linked_at,
        };
        user_identity::Entity::insert(user_identity::ActiveModel::from(model))
            .exec_without_returning(&self.txn)
            .await
            .map_err(translate)?;
        Ok(())
    }
}
