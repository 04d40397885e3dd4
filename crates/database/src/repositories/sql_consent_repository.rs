//! [`ConsentRepository`] on SQL: an append-only table; a user's current
//! consent is the latest row of each purpose.

use async_trait::async_trait;
use fakturo_domain::kernel::pagination::{Page, PageRequest};
use fakturo_domain::kernel::repository::RepositoryError;
use fakturo_domain::privacy::ConsentPurpose;
use fakturo_domain::privacy::consent::{ConsentChannel, ConsentEvent};
use fakturo_domain::privacy::ports::ConsentRepository;
use fakturo_domain::{ConsentEventId, TenantId, UserId};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::entities::consent_event;
use crate::errors::{corrupt, translate};
use crate::store::SqlUnitOfWork;

#[async_trait]
impl ConsentRepository for SqlUnitOfWork {
    async fn append(&self, e: &ConsentEvent) -> Result<(), RepositoryError> {
        let model = consent_event::Model {
            tenant_id: e.tenant_id.as_uuid(),
            id: e.id.as_uuid(),
            user_id: e.user_id.as_uuid(),
            purpose: e.purpose.as_str().to_owned(),
            granted: e.granted,
            policy_version: e.policy_version.clone(),
            channel: e.channel.as_str().to_owned(),
            occurred_at: e.occurred_at,
        };
        consent_event::Entity::insert(consent_event::ActiveModel::from(model))
            .exec_without_returning(&self.txn)
            .await
            .map_err(translate)?;
        Ok(())
    }

    async fn latest(&self, tenant: TenantId, user: UserId) -> Result<Vec<ConsentEvent>, RepositoryError> {
        let mut latest = Vec::new();
        for purpose in ConsentPurpose::ALL {
            let found = consent_event::Entity::find()
                .filter(consent_event::Column::TenantId.eq(tenant.as_uuid()))
                .filter(consent_event::Column::UserId.eq(user.as_uuid()))
                .filter(consent_event::Column::Purpose.eq(purpose.as_str()))
                .order_by_desc(consent_event::Column::OccurredAt)
                .order_by_desc(consent_event::Column::Id)
                .one(&self.txn)
                .await
                .map_err(translate)?;
            if let Some(model) = found {
                latest.push(into_domain(model)?);
            }
        }
        Ok(latest)
    }

    async fn history(
        &self,
        tenant: TenantId,
        user: UserId,
        page: PageRequest,
    ) -> Result<Page<ConsentEvent>, RepositoryError> {
        let mut query = consent_event::Entity::find()
            .filter(consent_event::Column::TenantId.eq(tenant.as_uuid()))
            .filter(consent_event::Column::UserId.eq(user.as_uuid()));
        if let Some(after) = page.after {
            query = query.filter(consent_event::Column::Id.lt(after));
        }
        let rows = query
            .order_by_desc(consent_event::Column::Id)
            .limit(u64::from(page.limit) + 1)
            .all(&self.txn)
            .await
            .map_err(translate)?;
        let events = rows.into_iter().map(into_domain).collect::<Result<Vec<_>, _>>()?;
        Ok(Page::from_overfetch(events, page.limit, |e| e.id.as_uuid()))
    }
}

fn into_domain(model: consent_event::Model) -> Result<ConsentEvent, RepositoryError> {
    Ok(ConsentEvent {
        id: ConsentEventId::from_uuid(model.id),
        tenant_id: TenantId::from_uuid(model.tenant_id),
        user_id: UserId::from_uuid(model.user_id),
        purpose: ConsentPurpose::parse(&model.purpose)
            .ok_or_else(|| corrupt("consent_events.purpose", "unknown purpose"))?,
        granted: model.granted,
        policy_version: model.policy_version,
        channel: ConsentChannel::parse(&model.channel)
            .ok_or_else(|| corrupt("consent_events.channel", "unknown channel"))?,
        occurred_at: model.occurred_at,
    })
}
