//! [`WorkStore`] and [`WorkUnit`] on the SQL store, and [`TenancyStore`]
//! and [`TenancyUnit`].

use async_trait::async_trait;
use fakturo_domain::access::ports::UserRepository;
use fakturo_domain::invoicing::client::Client;
use fakturo_domain::invoicing::ports::{ClientRepository, InvoiceRepository};
use fakturo_domain::kernel::email::EmailAddress;
use fakturo_domain::kernel::repository::RepositoryError;
use fakturo_domain::messaging::outbox::NewJob;
use fakturo_domain::messaging::ports::JobRepository;
use fakturo_domain::tenancy::Organization;
use fakturo_domain::tenancy::ports::{OrganizationRepository, TenancyStore, TenancyUnit};
use fakturo_domain::work::ports::{FileRepository, NoteRepository, WorkOrderRepository, WorkStore, WorkUnit};
use fakturo_domain::{ClientId, InvoiceId, TenantId};

use crate::store::{SqlStore, SqlUnitOfWork};

#[async_trait]
impl WorkStore for SqlStore {
    async fn begin(&self) -> Result<Box<dyn WorkUnit>, RepositoryError> {
        Ok(Box::new(self.begin_unit().await?))
    }
}

#[async_trait]
impl WorkUnit for SqlUnitOfWork {
    fn work_orders(&self) -> &dyn WorkOrderRepository {
        self
    }

    fn notes(&self) -> &dyn NoteRepository {
        self
    }

    fn files(&self) -> &dyn FileRepository {
        self
    }

    async fn client(&self, tenant: TenantId, id: ClientId) -> Result<Option<Client>, RepositoryError> {
        ClientRepository::get(self, tenant, id).await
    }

    async fn invoice_client(&self, tenant: TenantId, invoice: InvoiceId) -> Result<Option<ClientId>, RepositoryError> {
        Ok(InvoiceRepository::get(self, tenant, invoice)
            .await?
            .map(|invoice| invoice.content.client_id))
    }

    async fn organization(&self, tenant: TenantId) -> Result<Option<Organization>, RepositoryError> {
        OrganizationRepository::get(self, tenant).await
    }

    async fn reply_to(&self, tenant: TenantId) -> Result<Option<EmailAddress>, RepositoryError> {
        Ok(UserRepository::first_owner(self, tenant)
            .await?
            .map(|owner| owner.email))
    }

    async fn enqueue(&self, job: &NewJob) -> Result<bool, RepositoryError> {
        JobRepository::enqueue(self, job).await
    }

    async fn commit(self: Box<Self>) -> Result<(), RepositoryError> {
        self.txn.commit().await.map_err(crate::errors::translate)
    }
}

#[async_trait]
impl TenancyStore for SqlStore {
    async fn begin(&self) -> Result<Box<dyn TenancyUnit>, RepositoryError> {
        Ok(Box::new(self.begin_unit().await?))
    }
}

#[async_trait]
impl TenancyUnit for SqlUnitOfWork {
    fn organizations(&self) -> &dyn OrganizationRepository {
        self
    }

    async fn commit(self: Box<Self>) -> Result<(), RepositoryError> {
        self.txn.commit().await.map_err(crate::errors::translate)
    }
}
