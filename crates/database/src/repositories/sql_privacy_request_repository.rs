//! [`PrivacyRequestRepository`] on SQL: a tenant's cases and their
//! history. "Overdue" is computed in SQL against the tenant's today, which
//! the caller passes, so filters and pages agree.

use async_trait::async_trait;
use chrono::NaiveDate;
use fakturo_domain::kernel::email::EmailAddress;
use fakturo_domain::kernel::pagination::{Page, PageRequest};
use fakturo_domain::kernel::repository::RepositoryError;
use fakturo_domain::privacy::ports::{PrivacyRequestFilter, PrivacyRequestRepository};
use fakturo_domain::privacy::requests::{
    EventKind, IdentityMethod, PrivacyRequest, PrivacyRequestEvent, RequestSource, RequestStatus, RequestType,
};
use fakturo_domain::{ClientId, PrivacyRequestEventId, PrivacyRequestId, TenantId, UserId};
use sea_orm::{ActiveModelTrait, ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use crate::entities::{privacy_request, privacy_request_event};
use crate::errors::{corrupt, translate};
use crate::store::SqlUnitOfWork;

const OPEN: [RequestStatus; 2] = [RequestStatus::Received, RequestStatus::InProgress];

fn open_statuses() -> impl Iterator<Item = &'static str> {
    OPEN.iter().map(RequestStatus::as_str)
}

/// Open and due before `today`.
fn overdue_on(today: NaiveDate) -> Condition {
    Condition::all()
        .add(privacy_request::Column::Status.is_in(open_statuses()))
        .add(privacy_request::Column::DueOn.lt(today))
}

#[async_trait]
impl PrivacyRequestRepository for SqlUnitOfWork {
    async fn insert(&self, r: &PrivacyRequest) -> Result<(), RepositoryError> {
        privacy_request::Entity::insert(privacy_request::ActiveModel::from(into_model(r)?))
            .exec_without_returning(&self.txn)
            .await
            .map_err(translate)?;
        Ok(())
    }

    async fn get(&self, tenant: TenantId, id: PrivacyRequestId) -> Result<Option<PrivacyRequest>, RepositoryError> {
        privacy_request::Entity::find_by_id((tenant.as_uuid(), id.as_uuid()))
            .one(&self.txn)
            .await
            .map_err(translate)?
            .map(into_domain)
            .transpose()
    }

    async fn list(
        &self,
        tenant: TenantId,
        filter: PrivacyRequestFilter,
        page: PageRequest,
    ) -> Result<Page<PrivacyRequest>, RepositoryError> {
        let mut query = privacy_request::Entity::find().filter(privacy_request::Column::TenantId.eq(tenant.as_uuid()));
        if let Some(status) = filter.status {
            query = query.filter(privacy_request::Column::Status.eq(status.as_str()));
        }
        match filter.overdue {
            Some((true, today)) => query = query.filter(overdue_on(today)),
            Some((false, today)) => query = query.filter(overdue_on(today).not()),
            None => {}
        }
        if let Some(after) = page.after {
            query = query.filter(privacy_request::Column::Id.lt(after));
        }
        let rows = query
            .order_by_desc(privacy_request::Column::Id)
            .limit(u64::from(page.limit) + 1)
            .all(&self.txn)
            .await
            .map_err(translate)?;
        let requests = rows.into_iter().map(into_domain).collect::<Result<Vec<_>, _>>()?;
        Ok(Page::from_overfetch(requests, page.limit, |r| r.id.as_uuid()))
    }

    async fn update(&self, r: &PrivacyRequest) -> Result<bool, RepositoryError> {
        let active = privacy_request::ActiveModel::from(into_model(r)?).reset_all();
        let result = privacy_request::Entity::update_many()
            .set(active)
            .filter(privacy_request::Column::TenantId.eq(r.tenant_id.as_uuid()))
            .filter(privacy_request::Column::Id.eq(r.id.as_uuid()))
            .exec(&self.txn)
            .await
            .map_err(translate)?;
        Ok(result.rows_affected > 0)
    }

    async fn append_event(&self, e: &PrivacyRequestEvent) -> Result<(), RepositoryError> {
        let model = privacy_request_event::Model {
            tenant_id: e.tenant_id.as_uuid(),
            id: e.id.as_uuid(),
            request_id: e.request_id.as_uuid(),
            kind: e.kind.as_str().to_owned(),
            at: e.at,
            from_status: e.from_status.map(|s| s.as_str().to_owned()),
            to_status: e.to_status.as_str().to_owned(),
            by_user_id: e.by.map(|u| u.as_uuid()),
            note: e.note.clone(),
            due_on: e.due_on,
        };
        privacy_request_event::Entity::insert(privacy_request_event::ActiveModel::from(model))
            .exec_without_returning(&self.txn)
            .await
            .map_err(translate)?;
        Ok(())
    }

    async fn events(
        &self,
        tenant: TenantId,
        id: PrivacyRequestId,
    ) -> Result<Vec<PrivacyRequestEvent>, RepositoryError> {
        let rows = privacy_request_event::Entity::find()
            .filter(privacy_request_event::Column::TenantId.eq(tenant.as_uuid()))
            .filter(privacy_request_event::Column::RequestId.eq(id.as_uuid()))
            .order_by_asc(privacy_request_event::Column::Id)
            .all(&self.txn)
            .await
            .map_err(translate)?;
        rows.into_iter().map(into_event).collect()
    }

    async fn tenants_with_open_due_before(&self, date: NaiveDate) -> Result<Vec<TenantId>, RepositoryError> {
        let tenants: Vec<Uuid> = privacy_request::Entity::find()
            .select_only()
            .column(privacy_request::Column::TenantId)
            .distinct()
            .filter(overdue_on(date))
            .into_tuple()
            .all(&self.txn)
            .await
            .map_err(translate)?;
        Ok(tenants.into_iter().map(TenantId::from_uuid).collect())
    }
}

fn into_model(r: &PrivacyRequest) -> Result<privacy_request::Model, RepositoryError> {
    Ok(privacy_request::Model {
        tenant_id: r.tenant_id.as_uuid(),
        id: r.id.as_uuid(),
        request_type: r.request_type.as_str().to_owned(),
        subject_email: r.subject_email.as_str().to_owned(),
        details: r.details.clone(),
        client_id: r.client_id.map(|c| c.as_uuid()),
        organization_hint: r.organization_hint.clone(),
        client_reference: r.client_reference.clone(),
        source: r.source.as_str().to_owned(),
        status: r.status.as_str().to_owned(),
        received_at: r.received_at,
        due_on: r.due_on,
        extension_months: i32::try_from(r.extension_months)
            .map_err(|e| corrupt("privacy_requests.extension_months", e))?,
        identity_verified_at: r.identity_verified_at,
        identity_method: r.identity_method.map(|m| m.as_str().to_owned()),
        created_by: r.created_by.map(|u| u.as_uuid()),
        updated_at: r.updated_at,
    })
}

pub(crate) fn parse<T>(text: &str, what: &str, parse: fn(&str) -> Option<T>) -> Result<T, RepositoryError> {
    parse(text).ok_or_else(|| corrupt(what, "unknown value"))
}

fn into_domain(m: privacy_request::Model) -> Result<PrivacyRequest, RepositoryError> {
    Ok(PrivacyRequest {
        id: PrivacyRequestId::from_uuid(m.id),
        tenant_id: TenantId::from_uuid(m.tenant_id),
        request_type: parse(&m.request_type, "privacy_requests.request_type", RequestType::parse)?,
        subject_email: EmailAddress::parse(&m.subject_email)
            .map_err(|e| corrupt("privacy_requests.subject_email", e))?,
        details: m.details,
        client_id: m.client_id.map(ClientId::from_uuid),
        organization_hint: m.organization_hint,
        client_reference: m.client_reference,
        source: parse(&m.source, "privacy_requests.source", RequestSource::parse)?,
        status: parse(&m.status, "privacy_requests.status", RequestStatus::parse)?,
        received_at: m.received_at,
        due_on: m.due_on,
        extension_months: u32::try_from(m.extension_months)
            .map_err(|e| corrupt("privacy_requests.extension_months", e))?,
        identity_verified_at: m.identity_verified_at,
        identity_method: m
            .identity_method
            .map(|t| parse(&t, "privacy_requests.identity_method", IdentityMethod::parse))
            .transpose()?,
        created_by: m.created_by.map(UserId::from_uuid),
        updated_at: m.updated_at,
    })
}

fn into_event(m: privacy_request_event::Model) -> Result<PrivacyRequestEvent, RepositoryError> {
    Ok(PrivacyRequestEvent {
        id: PrivacyRequestEventId::from_uuid(m.id),
        tenant_id: TenantId::from_uuid(m.tenant_id),
        request_id: PrivacyRequestId::from_uuid(m.request_id),
        kind: parse(&m.kind, "privacy_request_events.kind", EventKind::parse)?,
        at: m.at,
        from_status: m
            .from_status
            .map(|t| parse(&t, "privacy_request_events.from_status", RequestStatus::parse))
            .transpose()?,
        to_status: parse(&m.to_status, "privacy_request_events.to_status", RequestStatus::parse)?,
        by: m.by_user_id.map(UserId::from_uuid),
        note: m.note,
        due_on: m.due_on,
    })
}
