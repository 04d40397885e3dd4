//! Client use cases.

use std::sync::Arc;

use crate::ClientId;
use crate::access::user::{Forbidden, Principal};
use crate::invoicing::client::{Client, ClientDetails, ClientFields};
use crate::invoicing::ports::InvoicingStore;
use crate::kernel::clock::Clock;
use crate::kernel::errors::{Unexpected, unexpected_from};
use crate::kernel::files::FileStore;
use crate::kernel::ids::IdGenerator;
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
#[derive(Clone)]
pub struct ClientService {
    store: Arc<dyn InvoicingStore>,
    clock: Arc<dyn Clock>,
    ids: Arc<dyn IdGenerator>,
    files: Arc<dyn FileStore>,
}

impl ClientService {
    /// The service on `ports`.
    #[must_use]
    pub fn new(
        store: Arc<dyn InvoicingStore>,
        clock: Arc<dyn Clock>,
        ids: Arc<dyn IdGenerator>,
        files: Arc<dyn FileStore>,
    ) -> Self {
        Self {
            store,
            clock,
            ids,
            files,
        }
    }

    /// Creates a client.
    ///
    /// # Errors
    /// See [`CreateClientError`].
    pub async fn create(&self, who: &Principal, fields: ClientFields) -> Result<Client, CreateClientError> {
        let writer = who.writer("create clients")?;
        let details = ClientDetails::parse(fields).map_err(CreateClientError::Invalid)?;
        let now = self.clock.now();
        let client = Client {
            id: ClientId::from_uuid(self.ids.new_uuid()),
            tenant_id: writer.tenant(),
            details,
            privacy: crate::invoicing::client::ClientPrivacy::default(),
            created_at: now,
            updated_at: now,
        };
        let uow = self.store.begin().await?;
        uow.clients().insert(&client).await?;
        uow.commit().await?;
        Ok(client)
    }

    /// One client.
    ///
    /// # Errors
    /// See [`GetClientError`].
    pub async fn get(&self, who: &Principal, id: ClientId) -> Result<Client, GetClientError> {
        let uow = self.store.begin().await?;
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
        let uow = self.store.begin().await?;
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
        let uow = self.store.begin().await?;
        let mut client = uow
            .clients()
            .get(writer.tenant(), id)
            .await?
            .ok_or(UpdateClientError::NotFound)?;
        client.details = client.details.patched(fields).map_err(UpdateClientError::Invalid)?;
        client.updated_at = self.clock.now();
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
        let uow = self.store.begin().await?;
        if uow.clients().get(writer.tenant(), id).await?.is_none() {
            return Err(DeleteClientError::NotFound);
        }
        if uow.clients().has_invoices(writer.tenant(), id).await? {
            return Err(DeleteClientError::HasInvoices);
        }
        if uow.client_has_jobs(writer.tenant(), id).await? {
            return Err(DeleteClientError::HasJobs);
        }
        let attachments = uow.remove_client_attachments(writer.tenant(), id).await?;
        // The bytes go before the commit: should it fail, the records are
        // still there and a retry deletes them again.
        for key in &attachments.files {
            self.files.delete(key).await.map_err(|e| Unexpected(Box::new(e)))?;
        }
        uow.clients().delete(writer.tenant(), id).await?;
        uow.commit().await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests;
