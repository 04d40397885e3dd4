//! [`OrganizationRepository`] on SQL.

use async_trait::async_trait;
use fakturo_domain::TenantId;
use fakturo_domain::invoice::NumberPattern;
use fakturo_domain::money::Currency;
use fakturo_domain::ports::{OrganizationRepository, RepositoryError};
use fakturo_domain::tenant::{Country, Organization, TimeZone};
use sea_orm::EntityTrait;

use crate::entities::organization;
use crate::errors::{corrupt, translate};
use crate::store::SqlUnitOfWork;

#[async_trait]
impl OrganizationRepository for SqlUnitOfWork {
    async fn insert(&self, org: &Organization) -> Result<(), RepositoryError> {
        let model = organization::Model {
            id: org.id.as_uuid(),
            name: org.name.clone(),
            country: org.country.code().to_owned(),
            default_currency: org.default_currency.code().to_owned(),
            time_zone: org.time_zone.name().to_owned(),
            invoice_number_pattern: org.invoice_number_pattern.as_str().to_owned(),
            default_payment_terms_days: i32::try_from(org.default_payment_terms_days)
                .map_err(|e| corrupt("organization payment terms", e))?,
            created_at: org.created_at,
        };
        organization::Entity::insert(organization::ActiveModel::from(model))
            .exec_without_returning(&self.txn)
            .await
            .map_err(translate)?;
        Ok(())
    }

    async fn get(&self, tenant: TenantId) -> Result<Option<Organization>, RepositoryError> {
        organization::Entity::find_by_id(tenant.as_uuid())
            .one(&self.txn)
            .await
            .map_err(translate)?
            .map(into_domain)
            .transpose()
    }
}

fn into_domain(model: organization::Model) -> Result<Organization, RepositoryError> {
    Ok(Organization {
        id: TenantId::from_uuid(model.id),
        name: model.name,
        country: Country::parse(&model.country).map_err(|e| corrupt("organizations.country", e))?,
        default_currency: Currency::parse(&model.default_currency)
            .map_err(|e| corrupt("organizations.default_currency", e))?,
        time_zone: TimeZone::parse(&model.time_zone).map_err(|e| corrupt("organizations.time_zone", e))?,
        invoice_number_pattern: NumberPattern::parse(&model.invoice_number_pattern)
            .map_err(|e| corrupt("organizations.invoice_number_pattern", e))?,
        default_payment_terms_days: u32::try_from(model.default_payment_terms_days)
            .map_err(|e| corrupt("organizations.default_payment_terms_days", e))?,
        created_at: model.created_at,
    })
}
