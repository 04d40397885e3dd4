//! [`PolicyRepository`] on SQL: published versions (deployment-wide, keyed
//! by kind and version) and acceptances. Recording an acceptance twice
//! keeps the first (`ON CONFLICT DO NOTHING`).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use fakturo_domain::kernel::repository::RepositoryError;
use fakturo_domain::privacy::policies::{AcceptanceChannel, PolicyAcceptance, PolicyKind, PolicyVersion};
use fakturo_domain::privacy::ports::PolicyRepository;
use fakturo_domain::{TenantId, UserId};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, TryInsertResult};

use crate::entities::{policy_acceptance, policy_version};
use crate::errors::{corrupt, translate};
use crate::store::SqlUnitOfWork;

#[async_trait]
impl PolicyRepository for SqlUnitOfWork {
    async fn insert(&self, v: &PolicyVersion) -> Result<(), RepositoryError> {
        let model = policy_version::Model {
            kind: v.kind.as_str().to_owned(),
            version: v.version.clone(),
            effective_at: v.effective_at,
            material: v.material,
            summary: v.summary.clone(),
            published_at: v.published_at,
        };
        policy_version::Entity::insert(policy_version::ActiveModel::from(model))
            .exec_without_returning(&self.txn)
            .await
            .map_err(translate)?;
        Ok(())
    }

    async fn get(&self, kind: PolicyKind, version: &str) -> Result<Option<PolicyVersion>, RepositoryError> {
        policy_version::Entity::find_by_id((kind.as_str().to_owned(), version.to_owned()))
            .one(&self.txn)
            .await
            .map_err(translate)?
            .map(into_version)
            .transpose()
    }

    async fn in_force(&self, kind: PolicyKind, now: DateTime<Utc>) -> Result<Option<PolicyVersion>, RepositoryError> {
        policy_version::Entity::find()
            .filter(policy_version::Column::Kind.eq(kind.as_str()))
            .filter(policy_version::Column::EffectiveAt.lte(now))
            .order_by_desc(policy_version::Column::EffectiveAt)
            .one(&self.txn)
            .await
            .map_err(translate)?
            .map(into_version)
            .transpose()
    }

    async fn upcoming(&self, kind: PolicyKind, now: DateTime<Utc>) -> Result<Option<PolicyVersion>, RepositoryError> {
        policy_version::Entity::find()
            .filter(policy_version::Column::Kind.eq(kind.as_str()))
            .filter(policy_version::Column::EffectiveAt.gt(now))
            .order_by_asc(policy_version::Column::EffectiveAt)
            .one(&self.txn)
            .await
            .map_err(translate)?
            .map(into_version)
            .transpose()
    }

    async fn newest(&self, kind: PolicyKind) -> Result<Option<PolicyVersion>, RepositoryError> {
        policy_version::Entity::find()
            .filter(policy_version::Column::Kind.eq(kind.as_str()))
            .order_by_desc(policy_version::Column::EffectiveAt)
            .one(&self.txn)
            .await
            .map_err(translate)?
            .map(into_version)
            .transpose()
    }

    async fn record_acceptance(&self, a: &PolicyAcceptance) -> Result<bool, RepositoryError> {
        let model = policy_acceptance::Model {
            tenant_id: a.tenant_id.as_uuid(),
            user_id: a.user_id.as_uuid(),
            kind: a.kind.as_str().to_owned(),
            version: a.version.clone(),
            accepted_at: a.accepted_at,
            channel: a.channel.as_str().to_owned(),
        };
        let inserted = policy_acceptance::Entity::insert(policy_acceptance::ActiveModel::from(model))
            .on_conflict_do_nothing()
            .exec_without_returning(&self.txn)
            .await
            .map_err(translate)?;
        Ok(matches!(inserted, TryInsertResult::Inserted(n) if n > 0))
    }

    async fn acceptance(
        &self,
        tenant: TenantId,
        user: UserId,
        kind: PolicyKind,
        version: &str,
    ) -> Result<Option<PolicyAcceptance>, RepositoryError> {
        policy_acceptance::Entity::find_by_id((
            tenant.as_uuid(),
            user.as_uuid(),
            kind.as_str().to_owned(),
            version.to_owned(),
        ))
        .one(&self.txn)
        .await
        .map_err(translate)?
        .map(|model| {
            Ok(PolicyAcceptance {
                tenant_id: TenantId::from_uuid(model.tenant_id),
                user_id: UserId::from_uuid(model.user_id),
                kind: parse_kind(&model.kind, "policy_acceptances.kind")?,
                version: model.version,
                accepted_at: model.accepted_at,
                channel: AcceptanceChannel::parse(&model.channel)
                    .ok_or_else(|| corrupt("policy_acceptances.channel", "unknown channel"))?,
            })
        })
        .transpose()
    }
}

fn parse_kind(text: &str, what: &str) -> Result<PolicyKind, RepositoryError> {
    PolicyKind::parse(text).ok_or_else(|| corrupt(what, "unknown kind"))
}

fn into_version(model: policy_version::Model) -> Result<PolicyVersion, RepositoryError> {
    Ok(PolicyVersion {
        kind: parse_kind(&model.kind, "policy_versions.kind")?,
        version: model.version,
        effective_at: model.effective_at,
        material: model.material,
        summary: model.summary,
        published_at: model.published_at,
    })
}
