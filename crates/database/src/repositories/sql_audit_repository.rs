//! [`AuditRepository`] on SQL. Details are stored as a JSON object of
//! strings.

use std::collections::BTreeMap;

use async_trait::async_trait;
use fakturo_domain::access::audit::{Actor, ActorKind, AuditAction, AuditEvent, AuditTarget, IpPrefix};
use fakturo_domain::access::ports::{AuditFilter, AuditRepository};
use fakturo_domain::kernel::pagination::{Page, PageRequest};
use fakturo_domain::kernel::repository::RepositoryError;
use fakturo_domain::{AuditEventId, TenantId, UserId};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::entities::audit_event;
use crate::errors::{corrupt, translate};
use crate::store::SqlUnitOfWork;

/// The target kinds the domain uses; stored text maps back onto these.
const TARGET_KINDS: [&str; 8] = [
    "user",
    "api_token",
    "invitation",
    "client",
    "integration",
    "invoice",
    "export",
    "privacy_request",
];

#[async_trait]
impl AuditRepository for SqlUnitOfWork {
    async fn append(&self, event: &AuditEvent) -> Result<(), RepositoryError> {
        let model = audit_event::Model {
            tenant_id: event.tenant_id.as_uuid(),
            id: event.id.as_uuid(),
            occurred_at: event.occurred_at,
            actor_kind: event.actor.kind.as_str().to_owned(),
            actor_user_id: event.actor.user_id.map(|id| id.as_uuid()),
            action: event.action.as_str().to_owned(),
            target_kind: event.target.as_ref().map(|t| t.kind.to_owned()),
            target_id: event.target.as_ref().map(|t| t.id),
            ip_prefix: event.ip.as_ref().map(|ip| ip.as_str().to_owned()),
            details: serde_json::to_string(&event.details).map_err(|e| corrupt("audit_events.details", e))?,
        };
        audit_event::Entity::insert(audit_event::ActiveModel::from(model))
            .exec_without_returning(&self.txn)
            .await
            .map_err(translate)?;
        Ok(())
    }

    async fn list(
        &self,
        tenant: TenantId,
        filter: AuditFilter,
        page: PageRequest,
    ) -> Result<Page<AuditEvent>, RepositoryError> {
        let mut query = audit_event::Entity::find().filter(audit_event::Column::TenantId.eq(tenant.as_uuid()));
        if let Some(action) = filter.action {
            query = query.filter(audit_event::Column::Action.eq(action.as_str()));
        }
        if let Some(user) = filter.user {
            query = query.filter(
                Condition::any()
                    .add(audit_event::Column::ActorUserId.eq(user.as_uuid()))
                    .add(
                        Condition::all()
                            .add(audit_event::Column::TargetKind.eq("user"))
                            .add(audit_event::Column::TargetId.eq(user.as_uuid())),
                    ),
            );
        }
        if let Some(after) = page.after {
            query = query.filter(audit_event::Column::Id.lt(after));
        }
        let rows = query
            .order_by_desc(audit_event::Column::Id)
            .limit(u64::from(page.limit) + 1)
            .all(&self.txn)
            .await
            .map_err(translate)?;
        let events = rows.into_iter().map(into_domain).collect::<Result<Vec<_>, _>>()?;
        Ok(Page::from_overfetch(events, page.limit, |e| e.id.as_uuid()))
    }
}

fn into_domain(model: audit_event::Model) -> Result<AuditEvent, RepositoryError> {
    let details: BTreeMap<String, String> =
        serde_json::from_str(&model.details).map_err(|e| corrupt("audit_events.details", e))?;
    let target = match (model.target_kind, model.target_id) {
        (Some(kind), Some(id)) => Some(AuditTarget {
            kind: TARGET_KINDS
                .into_iter()
                .find(|known| *known == kind)
                .ok_or_else(|| corrupt("audit_events.target_kind", "unknown kind"))?,
            id,
        }),
        _ => None,
    };
    Ok(AuditEvent {
        id: AuditEventId::from_uuid(model.id),
        tenant_id: TenantId::from_uuid(model.tenant_id),
        occurred_at: model.occurred_at,
        actor: Actor {
            kind: ActorKind::parse(&model.actor_kind).ok_or_else(|| corrupt("audit_events.actor_kind", "unknown"))?,
            user_id: model.actor_user_id.map(UserId::from_uuid),
        },
        action: AuditAction::parse(&model.action).ok_or_else(|| corrupt("audit_events.action", "unknown"))?,
        target,
        ip: model.ip_prefix.map(IpPrefix::from_stored),
        details,
    })
}
