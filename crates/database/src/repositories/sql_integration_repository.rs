//! [`IntegrationRepository`] on SQL: credentials are stored sealed, as the
//! domain hands them over.

use async_trait::async_trait;
use fakturo_domain::access::integrations::{Provider, StoredCredentials};
use fakturo_domain::access::ports::IntegrationRepository;
use fakturo_domain::kernel::repository::RepositoryError;
use fakturo_domain::kernel::secrets::SealedSecret;
use fakturo_domain::{TenantId, UserId};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::entities::integration_credential::{self, Column};
use crate::errors::{corrupt, translate};
use crate::store::SqlUnitOfWork;

#[async_trait]
impl IntegrationRepository for SqlUnitOfWork {
    async fn get(&self, tenant: TenantId, provider: Provider) -> Result<Option<StoredCredentials>, RepositoryError> {
        integration_credential::Entity::find_by_id((tenant.as_uuid(), provider.as_str().to_owned()))
            .one(&self.txn)
            .await
            .map_err(translate)?
            .map(into_domain)
            .transpose()
    }

    async fn save(&self, c: &StoredCredentials) -> Result<(), RepositoryError> {
        let model = integration_credential::Model {
            tenant_id: c.tenant_id.as_uuid(),
            provider: c.provider.as_str().to_owned(),
            secret_key_sealed: c.secret_key.as_str().to_owned(),
            webhook_secret_sealed: c.webhook_secret.as_ref().map(|s| s.as_str().to_owned()),
            hint: c.hint.clone(),
            live: c.live,
            updated_by: c.updated_by.as_uuid(),
            updated_at: c.updated_at,
        };
        integration_credential::Entity::insert(integration_credential::ActiveModel::from(model))
            .on_conflict(
                OnConflict::columns([Column::TenantId, Column::Provider])
                    .update_columns([
                        Column::SecretKeySealed,
                        Column::WebhookSecretSealed,
                        Column::Hint,
                        Column::Live,
                        Column::UpdatedBy,
                        Column::UpdatedAt,
                    ])
                    .to_owned(),
            )
            .exec_without_returning(&self.txn)
            .await
            .map_err(translate)?;
        Ok(())
    }

    async fn delete(&self, tenant: TenantId, provider: Provider) -> Result<bool, RepositoryError> {
        let result = integration_credential::Entity::delete_many()
            .filter(Column::TenantId.eq(tenant.as_uuid()))
            .filter(Column::Provider.eq(provider.as_str()))
            .exec(&self.txn)
            .await
            .map_err(translate)?;
        Ok(result.rows_affected > 0)
    }

    async fn scan(
        &self,
        after: Option<(TenantId, Provider)>,
        limit: u32,
    ) -> Result<Vec<StoredCredentials>, RepositoryError> {
        let mut query = integration_credential::Entity::find();
        if let Some((tenant, provider)) = after {
            query = query.filter(
                Condition::any().add(Column::TenantId.gt(tenant.as_uuid())).add(
                    Condition::all()
                        .add(Column::TenantId.eq(tenant.as_uuid()))
                        .add(Column::Provider.gt(provider.as_str())),
                ),
            );
        }
        query
            .order_by_asc(Column::TenantId)
            .order_by_asc(Column::Provider)
            .limit(u64::from(limit))
            .all(&self.txn)
            .await
            .map_err(translate)?
            .into_iter()
            .map(into_domain)
            .collect()
    }
}

fn into_domain(model: integration_credential::Model) -> Result<StoredCredentials, RepositoryError> {
    Ok(StoredCredentials {
        tenant_id: TenantId::from_uuid(model.tenant_id),
        provider: Provider::parse(&model.provider)
            .ok_or_else(|| corrupt("integration_credentials.provider", "unknown provider"))?,
        secret_key: SealedSecret::from_stored(model.secret_key_sealed),
        webhook_secret: model.webhook_secret_sealed.map(SealedSecret::from_stored),
        hint: model.hint,
        live: model.live,
        updated_by: UserId::from_uuid(model.updated_by),
        updated_at: model.updated_at,
    })
}
