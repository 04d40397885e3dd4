//! Client use cases.

use super::Ports;
use crate::ClientId;
use crate::access::user::{Forbidden, Principal};
use crate::invoicing::client::{Client, ClientDetails, ClientFields};
use crate::kernel::errors::{Unexpected, unexpected_from};
use crate::kernel::pagination::{Page, PageRequest};
use crate::kernel::validation::ValidationErrors;

/// Why a client could not be created.
#[derive(Debug, thiserror::Error)]
pub enum CreateClientError {
    /// The role may not write.
    #[error(transparent)]
    Forbidden(#[from] Forbidden),
    /// Invalid fields.
    #[error("invalid client: {0}")]
    Invalid(ValidationErrors),
    /// Storage failed.
    #[error(transparent)]
    Unexpected(Unexpected),
}

/// Why a client could not be read.
#[derive(Debug, thiserror::Error)]
pub enum GetClientError {
    /// No such client in the tenant.
    #[error("no such client")]
    NotFound,
    /// Storage failed.
    #[error(transparent)]
    Unexpected(Unexpected),
}

/// Why clients could not be listed.
#[derive(Debug, thiserror::Error)]
pub enum ListClientsError {
    /// Storage failed.
    #[error(transparent)]
    Unexpected(Unexpected),
}

/// Why a client could not be changed.
#[derive(Debug, thiserror::Error)]
pub enum UpdateClientError {
    /// The role may not write.
    #[error(transparent)]
    Forbidden(#[from] Forbidden),
    /// No such client in the tenant.
    #[error("no such client")]
    NotFound,
    /// Invalid fields.
    #[error("invalid client: {0}")]
    Invalid(ValidationErrors),
    /// Storage failed.
    #[error(transparent)]
    Unexpected(Unexpected),
}

/// Why a client could not be deleted.
#[derive(Debug, thiserror::Error)]
pub enum DeleteClientError {
    /// The role may not write.
    #[error(transparent)]
    Forbidden(#[from] Forbidden),
    /// No such client in the tenant.
    #[error("no such client")]
    NotFound,
    /// Invoices or recurring invoices refer to the client; they must stay intact.
    #[error("the client has invoices or recurring invoices and cannot be deleted")]
    HasInvoices,
    /// Jobs refer to the client; delete them first.
    #[error("the client has jobs; delete them first")]
    HasJobs,
    /// Storage failed.
    #[error(transparent)]
    Unexpected(Unexpected),
}

unexpected_from!(
    CreateClientError,
    GetClientError,
    ListClientsError,
    UpdateClientError,
    DeleteClientError
);

/// Client use cases.
#[derive(Clone, Debug)]
pub struct ClientService {
    ports: Ports,
}

impl ClientService {
    /// The service on `ports`.
    #[must_use]
    pub fn new(ports: Ports) -> Self {
        Self { ports }
    }

    /// Creates a client.
    ///
    /// # Errors
    /// See [`CreateClientError`].
    pub async fn create(&self, who: &Principal, fields: ClientFields) -> Result<Client, CreateClientError> {
        let writer = who.writer("create clients")?;
        let details = ClientDetails::parse(fields).map_err(CreateClientError::Invalid)?;
        let now = self.ports.clock.now();
        let client = Client {
            id: ClientId::from_uuid(self.ports.ids.new_uuid()),
            tenant_id: writer.tenant(),
            details,
            privacy: crate::invoicing::client::ClientPrivacy::default(),
            created_at: now,
            updated_at: now,
        };
        let uow = self.ports.store.begin().await?;
        uow.clients().insert(&client).await?;
        uow.commit().await?;
        Ok(client)
    }

    /// One client.
    ///
    /// # Errors
    /// See [`GetClientError`].
    pub async fn get(&self, who: &Principal, id: ClientId) -> Result<Client, GetClientError> {
        let uow = self.ports.store.begin().await?;
        uow.clients()
            .get(who.reader().tenant(), id)
            .await?
            .ok_or(GetClientError::NotFound)
    }

    /// A page of clients, newest first.
    ///
    /// # Errors
    /// See [`ListClientsError`].
    pub async fn list(&self, who: &Principal, page: PageRequest) -> Result<Page<Client>, ListClientsError> {
        let uow = self.ports.store.begin().await?;
        Ok(uow.clients().list(who.reader().tenant(), page).await?)
    }

    /// Changes some of a client's details.
    ///
    /// # Errors
    /// See [`UpdateClientError`].
    pub async fn update(
        &self,
        who: &Principal,
        id: ClientId,
        fields: ClientFields,
    ) -> Result<Client, UpdateClientError> {
        let writer = who.writer("change clients")?;
        let uow = self.ports.store.begin().await?;
        let mut client = uow
            .clients()
            .get(writer.tenant(), id)
            .await?
            .ok_or(UpdateClientError::NotFound)?;
        client.details = client.details.patched(fields).map_err(UpdateClientError::Invalid)?;
        client.updated_at = self.ports.clock.now();
        if !uow.clients().update(&client).await? {
            return Err(UpdateClientError::NotFound);
        }
        uow.commit().await?;
        Ok(client)
    }

    /// Deletes a client that has no invoices.
    ///
    /// # Errors
    /// See [`DeleteClientError`].
    pub async fn delete(&self, who: &Principal, id: ClientId) -> Result<(), DeleteClientError> {
        let writer = who.writer("delete clients")?;
        let uow = self.ports.store.begin().await?;
        if uow.clients().get(writer.tenant(), id).await?.is_none() {
            return Err(DeleteClientError::NotFound);
        }
        if uow.clients().has_invoices(writer.tenant(), id).await? {
            return Err(DeleteClientError::HasInvoices);
        }
        let jobs = uow
            .work_orders()
            .list(writer.tenant(), Some(id), PageRequest::first())
            .await?;
        if !jobs.items.is_empty() {
            return Err(DeleteClientError::HasJobs);
        }
        super::files::remove_client_content(uow.as_ref(), &self.ports, writer.tenant(), id).await?;
        uow.clients().delete(writer.tenant(), id).await?;
        uow.commit().await?;
        Ok(())
    }
}
