//! [`IncidentRepository`] on SQL: the register (deployment-wide), the
//! organizations each incident affects, its history and the notices given.
//! An organization's reads see only incidents that affect it, and of the
//! affected organizations only itself.

use async_trait::async_trait;
use fakturo_domain::kernel::pagination::{Page, PageRequest};
use fakturo_domain::kernel::repository::RepositoryError;
use fakturo_domain::privacy::incidents::{
    AffectedTenants, AuthorityNotification, Incident, IncidentFacts, IncidentNotice, IncidentStatus, IncidentUpdate,
    UpdateKind,
};
use fakturo_domain::privacy::ports::IncidentRepository;
use fakturo_domain::privacy::retention::DataCategory;
use fakturo_domain::{IncidentId, TenantId};
use sea_orm::sea_query::Query;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    TryInsertResult,
};
use uuid::Uuid;

use super::sql_privacy_request_repository::parse;
use crate::entities::{incident, incident_notice, incident_tenant, incident_update};
use crate::errors::{corrupt, translate};
use crate::store::SqlUnitOfWork;

impl SqlUnitOfWork {
    async fn incident_tenants(&self, id: IncidentId) -> Result<Vec<TenantId>, RepositoryError> {
        let tenants: Vec<Uuid> = incident_tenant::Entity::find()
            .select_only()
            .column(incident_tenant::Column::TenantId)
            .filter(incident_tenant::Column::IncidentId.eq(id.as_uuid()))
            .order_by_asc(incident_tenant::Column::TenantId)
            .into_tuple()
            .all(&self.txn)
            .await
            .map_err(translate)?;
        Ok(tenants.into_iter().map(TenantId::from_uuid).collect())
    }

    async fn with_tenants(&self, m: incident::Model) -> Result<Incident, RepositoryError> {
        let affected = if m.affects_all {
            AffectedTenants::All
        } else {
            AffectedTenants::Some(self.incident_tenants(IncidentId::from_uuid(m.id)).await?)
        };
        into_domain(m, affected)
    }
}

/// Incidents that affect the tenant: all of them, or it by name.
fn affecting(tenant: TenantId) -> Condition {
    Condition::any().add(incident::Column::AffectsAll.eq(true)).add(
        incident::Column::Id.in_subquery(
            Query::select()
                .column(incident_tenant::Column::IncidentId)
                .from(incident_tenant::Entity)
                .and_where(incident_tenant::Column::TenantId.eq(tenant.as_uuid()))
                .to_owned(),
        ),
    )
}

/// As one organization sees an incident: of the affected organizations, only itself.
fn seen_by(tenant: TenantId, m: incident::Model) -> Result<Incident, RepositoryError> {
    let affected = if m.affects_all {
        AffectedTenants::All
    } else {
        AffectedTenants::Some(vec![tenant])
    };
    into_domain(m, affected)
}

#[async_trait]
impl IncidentRepository for SqlUnitOfWork {
    async fn insert(&self, i: &Incident) -> Result<(), RepositoryError> {
        incident::Entity::insert(incident::ActiveModel::from(into_model(i)?))
            .exec_without_returning(&self.txn)
            .await
            .map_err(translate)?;
        if let AffectedTenants::Some(tenants) = &i.affected {
            for tenant in tenants {
                let row = incident_tenant::Model {
                    tenant_id: tenant.as_uuid(),
                    incident_id: i.id.as_uuid(),
                };
                incident_tenant::Entity::insert(incident_tenant::ActiveModel::from(row))
                    .exec_without_returning(&self.txn)
                    .await
                    .map_err(translate)?;
            }
        }
        Ok(())
    }

    async fn get(&self, id: IncidentId) -> Result<Option<Incident>, RepositoryError> {
        match incident::Entity::find_by_id(id.as_uuid())
            .one(&self.txn)
            .await
            .map_err(translate)?
        {
            Some(m) => Ok(Some(self.with_tenants(m).await?)),
            None => Ok(None),
        }
    }

    async fn list(&self, limit: u32) -> Result<Vec<Incident>, RepositoryError> {
        let rows = incident::Entity::find()
            .order_by_desc(incident::Column::Id)
            .limit(u64::from(limit))
            .all(&self.txn)
            .await
            .map_err(translate)?;
        let mut incidents = Vec::with_capacity(rows.len());
        for m in rows {
            incidents.push(self.with_tenants(m).await?);
        }
        Ok(incidents)
    }

    async fn update(&self, i: &Incident) -> Result<bool, RepositoryError> {
        let mut active = incident::ActiveModel::from(into_model(i)?).reset_all();
        active.affects_all = sea_orm::ActiveValue::NotSet;
        let result = incident::Entity::update_many()
            .set(active)
            .filter(incident::Column::Id.eq(i.id.as_uuid()))
            .exec(&self.txn)
            .await
            .map_err(translate)?;
        Ok(result.rows_affected > 0)
    }

    async fn append_update(&self, u: &IncidentUpdate) -> Result<(), RepositoryError> {
        let model = incident_update::Model {
            id: u.id,
            incident_id: u.incident_id.as_uuid(),
            at: u.at,
            kind: u.kind.as_str().to_owned(),
            changed: u.changed.join(","),
            note: u.note.clone(),
        };
        incident_update::Entity::insert(incident_update::ActiveModel::from(model))
            .exec_without_returning(&self.txn)
            .await
            .map_err(translate)?;
        Ok(())
    }

    async fn updates(&self, id: IncidentId) -> Result<Vec<IncidentUpdate>, RepositoryError> {
        let rows = incident_update::Entity::find()
            .filter(incident_update::Column::IncidentId.eq(id.as_uuid()))
            .order_by_asc(incident_update::Column::At)
            .order_by_asc(incident_update::Column::Id)
            .all(&self.txn)
            .await
            .map_err(translate)?;
        rows.into_iter()
            .map(|m| {
                Ok(IncidentUpdate {
                    id: m.id,
                    incident_id: IncidentId::from_uuid(m.incident_id),
                    at: m.at,
                    kind: parse(&m.kind, "incident_updates.kind", UpdateKind::parse)?,
                    changed: split(&m.changed).map(str::to_owned).collect(),
                    note: m.note,
                })
            })
            .collect()
    }

    async fn get_for_tenant(&self, tenant: TenantId, id: IncidentId) -> Result<Option<Incident>, RepositoryError> {
        incident::Entity::find()
            .filter(incident::Column::Id.eq(id.as_uuid()))
            .filter(affecting(tenant))
            .one(&self.txn)
            .await
            .map_err(translate)?
            .map(|m| seen_by(tenant, m))
            .transpose()
    }

    async fn list_for_tenant(&self, tenant: TenantId, page: PageRequest) -> Result<Page<Incident>, RepositoryError> {
        let mut query = incident::Entity::find().filter(affecting(tenant));
        if let Some(after) = page.after {
            query = query.filter(incident::Column::Id.lt(after));
        }
        let rows = query
            .order_by_desc(incident::Column::Id)
            .limit(u64::from(page.limit) + 1)
            .all(&self.txn)
            .await
            .map_err(translate)?;
        let incidents = rows
            .into_iter()
            .map(|m| seen_by(tenant, m))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Page::from_overfetch(incidents, page.limit, |i| i.id.as_uuid()))
    }

    async fn record_notice(&self, n: &IncidentNotice) -> Result<bool, RepositoryError> {
        let model = incident_notice::Model {
            tenant_id: n.tenant_id.as_uuid(),
            incident_id: n.incident_id.as_uuid(),
            user_id: n.user_id.as_uuid(),
            as_owner: n.as_owner,
            queued_at: n.queued_at,
        };
        let inserted = incident_notice::Entity::insert(incident_notice::ActiveModel::from(model))
            .on_conflict_do_nothing()
            .exec_without_returning(&self.txn)
            .await
            .map_err(translate)?;
        Ok(matches!(inserted, TryInsertResult::Inserted(n) if n > 0))
    }

    async fn notices(&self, id: IncidentId) -> Result<u64, RepositoryError> {
        incident_notice::Entity::find()
            .filter(incident_notice::Column::IncidentId.eq(id.as_uuid()))
            .count(&self.txn)
            .await
            .map_err(translate)
    }
}

fn split(list: &str) -> impl Iterator<Item = &str> {
    list.split(',').filter(|part| !part.is_empty())
}

fn count(value: u64, what: &str) -> Result<i64, RepositoryError> {
    i64::try_from(value).map_err(|e| corrupt(what, e))
}

fn into_model(i: &Incident) -> Result<incident::Model, RepositoryError> {
    let facts = &i.facts;
    Ok(incident::Model {
        id: i.id.as_uuid(),
        discovered_at: i.discovered_at,
        opened_at: i.opened_at,
        nature: facts.nature.clone(),
        categories: facts
            .categories
            .iter()
            .map(DataCategory::as_str)
            .collect::<Vec<_>>()
            .join(","),
        people_affected: count(facts.people_affected, "incidents.people_affected")?,
        records_affected: count(facts.records_affected, "incidents.records_affected")?,
        consequences: facts.consequences.clone(),
        measures: facts.measures.clone(),
        affects_all: i.affected == AffectedTenants::All,
        status: i.status.as_str().to_owned(),
        authority_notified_at: i.authority.as_ref().map(|a| a.at),
        authority_reference: i.authority.as_ref().map(|a| a.reference.clone()),
        closed_at: i.closed_at,
        updated_at: i.updated_at,
    })
}

fn category(name: &str) -> Option<DataCategory> {
    DataCategory::ALL.into_iter().find(|c| c.as_str() == name)
}

fn into_domain(m: incident::Model, affected: AffectedTenants) -> Result<Incident, RepositoryError> {
    let authority = match (m.authority_notified_at, m.authority_reference) {
        (Some(at), Some(reference)) => Some(AuthorityNotification { at, reference }),
        (None, None) => None,
        _ => {
            return Err(corrupt(
                "incidents.authority_notified_at",
                "half an authority notification",
            ));
        }
    };
    Ok(Incident {
        id: IncidentId::from_uuid(m.id),
        discovered_at: m.discovered_at,
        opened_at: m.opened_at,
        facts: IncidentFacts {
            nature: m.nature,
            categories: split(&m.categories)
                .map(|name| parse(name, "incidents.categories", category))
                .collect::<Result<_, _>>()?,
            people_affected: u64::try_from(m.people_affected).map_err(|e| corrupt("incidents.people_affected", e))?,
            records_affected: u64::try_from(m.records_affected)
                .map_err(|e| corrupt("incidents.records_affected", e))?,
            consequences: m.consequences,
            measures: m.measures,
        },
        affected,
        status: parse(&m.status, "incidents.status", IncidentStatus::parse)?,
        authority,
        closed_at: m.closed_at,
        updated_at: m.updated_at,
    })
}
