//! [`OrganizationRepository`] on SQL.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use fakturo_domain::TenantId;
use fakturo_domain::kernel::money::Currency;
use fakturo_domain::kernel::numbering::NumberPattern;
use fakturo_domain::kernel::repository::RepositoryError;
use fakturo_domain::tenancy::ports::OrganizationRepository;
use fakturo_domain::tenancy::{Closure, Country, Organization, OrganizationProfile, TimeZone};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

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
            closed_at: org.closure.map(|c| c.closed_at),
            purge_after: org.closure.map(|c| c.purge_after),
            address: org.profile.address.clone(),
            postcode: org.profile.postcode.clone(),
            city: org.profile.city.clone(),
            vat_id: org.profile.vat_id.clone(),
            email: org.profile.email.clone(),
            phone: org.profile.phone.clone(),
            iban: org.profile.iban.clone(),
            bic: org.profile.bic.clone(),
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

    async fn update(&self, org: &Organization) -> Result<bool, RepositoryError> {
        let p = &org.profile;
        let terms =
            i32::try_from(org.default_payment_terms_days).map_err(|e| corrupt("organization payment terms", e))?;
        let result = organization::Entity::update_many()
            .col_expr(organization::Column::Name, Expr::value(org.name.clone()))
            .col_expr(organization::Column::DefaultPaymentTermsDays, Expr::value(terms))
            .col_expr(
                organization::Column::DefaultCurrency,
                Expr::value(org.default_currency.code().to_owned()),
            )
            .col_expr(
                organization::Column::TimeZone,
                Expr::value(org.time_zone.name().to_owned()),
            )
            .col_expr(
                organization::Column::InvoiceNumberPattern,
                Expr::value(org.invoice_number_pattern.as_str().to_owned()),
            )
            .col_expr(organization::Column::Address, Expr::value(p.address.clone()))
            .col_expr(organization::Column::Postcode, Expr::value(p.postcode.clone()))
            .col_expr(organization::Column::City, Expr::value(p.city.clone()))
            .col_expr(organization::Column::VatId, Expr::value(p.vat_id.clone()))
            .col_expr(organization::Column::Email, Expr::value(p.email.clone()))
            .col_expr(organization::Column::Phone, Expr::value(p.phone.clone()))
            .col_expr(organization::Column::Iban, Expr::value(p.iban.clone()))
            .col_expr(organization::Column::Bic, Expr::value(p.bic.clone()))
            .filter(organization::Column::Id.eq(org.id.as_uuid()))
            .exec(&self.txn)
            .await
            .map_err(translate)?;
        Ok(result.rows_affected > 0)
    }

    async fn set_closure(&self, tenant: TenantId, closure: Option<Closure>) -> Result<bool, RepositoryError> {
        let result = organization::Entity::update_many()
            .col_expr(
                organization::Column::ClosedAt,
                Expr::value(closure.map(|c| c.closed_at)),
            )
            .col_expr(
                organization::Column::PurgeAfter,
                Expr::value(closure.map(|c| c.purge_after)),
            )
            .filter(organization::Column::Id.eq(tenant.as_uuid()))
            .exec(&self.txn)
            .await
            .map_err(translate)?;
        Ok(result.rows_affected > 0)
    }

    async fn due_for_purge(&self, now: DateTime<Utc>, limit: u32) -> Result<Vec<TenantId>, RepositoryError> {
        let rows = organization::Entity::find()
            .filter(organization::Column::PurgeAfter.lte(now))
            .order_by_asc(organization::Column::PurgeAfter)
            .limit(u64::from(limit))
            .all(&self.txn)
            .await
            .map_err(translate)?;
        Ok(rows.into_iter().map(|m| TenantId::from_uuid(m.id)).collect())
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
        closure: match (model.closed_at, model.purge_after) {
            (Some(closed_at), Some(purge_after)) => Some(Closure { closed_at, purge_after }),
            _ => None,
        },
        profile: OrganizationProfile {
            address: model.address,
            postcode: model.postcode,
            city: model.city,
            vat_id: model.vat_id,
            email: model.email,
            phone: model.phone,
            iban: model.iban,
            bic: model.bic,
        },
    })
}
