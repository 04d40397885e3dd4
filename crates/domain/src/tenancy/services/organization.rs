//! The organization's settings and the seller's details its invoices print:
//! every role reads them, owners and admins change them.

use std::sync::Arc;

use crate::access::user::{Forbidden, Principal};
use crate::kernel::errors::{Unexpected, unexpected_from};
use crate::kernel::repository::RepositoryError;
use crate::kernel::validation::ValidationErrors;
use crate::tenancy::ports::{TenancyStore, TenancyUnit};
use crate::tenancy::{Organization, OrganizationFields};

/// Why the organization could not be read or changed.
#[derive(Debug, thiserror::Error)]
pub enum OrganizationError {
    /// Only owners and admins change settings.
    #[error(transparent)]
    Forbidden(#[from] Forbidden),
    /// Invalid fields.
    #[error("invalid settings: {0}")]
    Invalid(ValidationErrors),
    /// Storage failed.
    #[error(transparent)]
    Unexpected(Unexpected),
}

unexpected_from!(OrganizationError);

/// Organization settings use cases.
#[derive(Clone)]
pub struct OrganizationService {
    store: Arc<dyn TenancyStore>,
}

impl OrganizationService {
    /// The service on the tenancy store.
    #[must_use]
    pub fn new(store: Arc<dyn TenancyStore>) -> Self {
        Self { store }
    }

    /// The caller's organization.
    ///
    /// # Errors
    /// [`OrganizationError::Unexpected`].
    pub async fn get(&self, who: &Principal) -> Result<Organization, OrganizationError> {
        let uow = self.store.begin().await?;
        Ok(organization(uow.as_ref(), who.reader().tenant()).await?)
    }

    /// Changes settings; absent fields are kept.
    ///
    /// # Errors
    /// See [`OrganizationError`].
    pub async fn update(&self, who: &Principal, fields: OrganizationFields) -> Result<Organization, OrganizationError> {
        let tenant = who.manager("change the organization's settings")?.tenant();
        let uow = self.store.begin().await?;
        let mut org = organization(uow.as_ref(), tenant).await?;
        org.apply(fields).map_err(OrganizationError::Invalid)?;
        uow.organizations().update(&org).await?;
        uow.commit().await?;
        Ok(org)
    }
}

/// Loads the tenant's organization inside a unit of work.
async fn organization(uow: &dyn TenancyUnit, tenant: crate::TenantId) -> Result<Organization, RepositoryError> {
    uow.organizations()
        .get(tenant)
        .await?
        .ok_or_else(|| RepositoryError::Corrupt(format!("organization {tenant} is missing")))
}
