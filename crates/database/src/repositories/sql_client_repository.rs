//! [`ClientRepository`] on SQL.

use async_trait::async_trait;
use fakturo_domain::invoicing::client::{Client, ClientDetails, ClientPrivacy};
use fakturo_domain::invoicing::ports::ClientRepository;
use fakturo_domain::kernel::email::EmailAddress;
use fakturo_domain::kernel::money::Currency;
use fakturo_domain::kernel::pagination::{Page, PageRequest};
use fakturo_domain::kernel::repository::RepositoryError;
use fakturo_domain::privacy::ConsentPurpose;
use fakturo_domain::tenancy::Country;
use fakturo_domain::{ClientId, TenantId};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::entities::{client, invoice, recurring_invoice};
use crate::errors::{corrupt, translate};
use crate::store::SqlUnitOfWork;

#[async_trait]
impl ClientRepository for SqlUnitOfWork {
    async fn insert(&self, c: &Client) -> Result<(), RepositoryError> {
        client::Entity::insert(client::ActiveModel::from(into_model(c)))
            .exec_without_returning(&self.txn)
            .await
            .map_err(translate)?;
        Ok(())
    }

    async fn get(&self, tenant: TenantId, id: ClientId) -> Result<Option<Client>, RepositoryError> {
        client::Entity::find_by_id((tenant.as_uuid(), id.as_uuid()))
            .one(&self.txn)
            .await
            .map_err(translate)?
            .map(into_domain)
            .transpose()
    }

    async fn list(&self, tenant: TenantId, page: PageRequest) -> Result<Page<Client>, RepositoryError> {
        let mut query = client::Entity::find().filter(client::Column::TenantId.eq(tenant.as_uuid()));
        if let Some(after) = page.after {
            query = query.filter(client::Column::Id.lt(after));
        }
        let rows = query
            .order_by_desc(client::Column::Id)
            .limit(u64::from(page.limit) + 1)
            .all(&self.txn)
            .await
            .map_err(translate)?;
        let clients = rows.into_iter().map(into_domain).collect::<Result<Vec<_>, _>>()?;
        Ok(Page::from_overfetch(clients, page.limit, |c| c.id.as_uuid()))
    }

    async fn update(&self, c: &Client) -> Result<bool, RepositoryError> {
        let active = client::ActiveModel::from(into_model(c)).reset_all();
        let result = client::Entity::update_many()
            .set(active)
            .filter(client::Column::TenantId.eq(c.tenant_id.as_uuid()))
            .filter(client::Column::Id.eq(c.id.as_uuid()))
            .exec(&self.txn)
            .await
            .map_err(translate)?;
        Ok(result.rows_affected > 0)
    }

    async fn delete(&self, tenant: TenantId, id: ClientId) -> Result<bool, RepositoryError> {
        let result = client::Entity::delete_many()
            .filter(client::Column::TenantId.eq(tenant.as_uuid()))
            .filter(client::Column::Id.eq(id.as_uuid()))
            .exec(&self.txn)
            .await
            .map_err(translate)?;
        Ok(result.rows_affected > 0)
    }

    async fn has_invoices(&self, tenant: TenantId, id: ClientId) -> Result<bool, RepositoryError> {
        let invoices = invoice::Entity::find()
            .filter(invoice::Column::TenantId.eq(tenant.as_uuid()))
            .filter(invoice::Column::ClientId.eq(id.as_uuid()))
            .limit(1)
            .count(&self.txn)
            .await
            .map_err(translate)?;
        let schedules = recurring_invoice::Entity::find()
            .filter(recurring_invoice::Column::TenantId.eq(tenant.as_uuid()))
            .filter(recurring_invoice::Column::ClientId.eq(id.as_uuid()))
            .limit(1)
            .count(&self.txn)
            .await
            .map_err(translate)?;
        Ok(invoices > 0 || schedules > 0)
    }
}

fn into_model(c: &Client) -> client::Model {
    let d = &c.details;
    client::Model {
        tenant_id: c.tenant_id.as_uuid(),
        id: c.id.as_uuid(),
        name: d.name.clone(),
        email: d.email.as_ref().map(|e| e.as_str().to_owned()),
        phone: d.phone.clone(),
        address: d.address.clone(),
        country: d.country.map(|c| c.code().to_owned()),
        tax_id: d.tax_id.clone(),
        currency: d.currency.map(|c| c.code().to_owned()),
        locale: d.locale.clone(),
        created_at: c.created_at,
        updated_at: c.updated_at,
        reminders_enabled: d.reminders_enabled,
        processing_restricted: c.privacy.restricted,
        objections: (!c.privacy.objections.is_empty()).then(|| {
            let names: Vec<&str> = c.privacy.objections.iter().map(|p| p.as_str()).collect();
            names.join(",")
        }),
        objects_to_contact: c.privacy.objects_to_contact,
        erased_at: c.privacy.erased_at,
    }
}

fn into_domain(model: client::Model) -> Result<Client, RepositoryError> {
    Ok(Client {
        id: ClientId::from_uuid(model.id),
        tenant_id: TenantId::from_uuid(model.tenant_id),
        details: ClientDetails {
            name: model.name,
            email: model
                .email
                .map(|e| EmailAddress::parse(&e))
                .transpose()
                .map_err(|e| corrupt("clients.email", e))?,
            phone: model.phone,
            address: model.address,
            country: model
                .country
                .map(|c| Country::parse(&c))
                .transpose()
                .map_err(|e| corrupt("clients.country", e))?,
            tax_id: model.tax_id,
            currency: model
                .currency
                .map(|c| Currency::parse(&c))
                .transpose()
                .map_err(|e| corrupt("clients.currency", e))?,
            locale: model.locale,
            reminders_enabled: model.reminders_enabled,
        },
        privacy: ClientPrivacy {
            restricted: model.processing_restricted,
            objections: model
                .objections
                .as_deref()
                .unwrap_or_default()
                .split(',')
                .filter(|name| !name.is_empty())
                .map(|name| ConsentPurpose::parse(name).ok_or_else(|| corrupt("clients.objections", "unknown purpose")))
                .collect::<Result<_, _>>()?,
            objects_to_contact: model.objects_to_contact,
            erased_at: model.erased_at,
        },
        created_at: model.created_at,
        updated_at: model.updated_at,
    })
}
