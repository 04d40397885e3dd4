//! Jobs of contractors: create, read, change, delete, and move through
//! their statuses — each change tells the client by email when they take
//! courtesy emails (`privacy::may_process`).

use std::sync::Arc;

use crate::ClientId;
use crate::access::user::{Forbidden, Principal};
use crate::kernel::clock::Clock;
use crate::kernel::errors::{Unexpected, unexpected_from};
use crate::kernel::files::FileStore;
use crate::kernel::ids::IdGenerator;
use crate::kernel::pagination::{Page, PageRequest};
use crate::kernel::validation::ValidationErrors;
use crate::messaging::outbox::Effect;
use crate::work::notes::Subject;
use crate::work::ports::WorkStore;
use crate::work::{WorkOrder, WorkOrderFields, WorkStatus};

/// Why a job could not be created or changed.
#[derive(Debug, thiserror::Error)]
pub enum WorkOrderError {
    /// The role may not write.
    #[error(transparent)]
    Forbidden(#[from] Forbidden),
    /// No such job (or client) in the organization.
    #[error("no such job")]
    NotFound,
    /// Invalid fields.
    #[error("invalid job: {0}")]
    Invalid(ValidationErrors),
    /// Storage failed.
    #[error(transparent)]
    Unexpected(Unexpected),
}

unexpected_from!(WorkOrderError);

/// Job use cases.
#[derive(Clone)]
pub struct WorkOrderService {
    store: Arc<dyn WorkStore>,
    clock: Arc<dyn Clock>,
    ids: Arc<dyn IdGenerator>,
    files: Arc<dyn FileStore>,
}

impl WorkOrderService {
    /// The service on the work store.
    #[must_use]
    pub fn new(
        store: Arc<dyn WorkStore>,
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

    /// Creates a job for a client.
    ///
    /// # Errors
    /// See [`WorkOrderError`]; an unknown client is a validation error.
    pub async fn create(&self, who: &Principal, fields: WorkOrderFields) -> Result<WorkOrder, WorkOrderError> {
        let tenant = who.writer("create jobs")?.tenant();
        let now = self.clock.now();
        let Some(client_id) = fields.client_id else {
            return Err(WorkOrderError::Invalid(ValidationErrors::single(
                "client_id",
                "required",
                "is required",
            )));
        };
        if fields.title.is_none() {
            return Err(WorkOrderError::Invalid(ValidationErrors::single(
                "title",
                "required",
                "is required",
            )));
        }
        let mut job = WorkOrder {
            id: self.ids.new_uuid(),
            tenant_id: tenant,
            client_id,
            title: String::new(),
            description: None,
            status: WorkStatus::Quote,
            scheduled_start: None,
            scheduled_end: None,
            address: None,
            created_at: now,
            updated_at: now,
        };
        job.apply(fields).map_err(WorkOrderError::Invalid)?;
        let uow = self.store.begin().await?;
        if uow.client(tenant, client_id).await?.is_none() {
            return Err(unknown_client());
        }
        uow.work_orders().insert(&job).await?;
        uow.commit().await?;
        Ok(job)
    }

    /// One job.
    ///
    /// # Errors
    /// [`WorkOrderError::NotFound`].
    pub async fn get(&self, who: &Principal, id: uuid::Uuid) -> Result<WorkOrder, WorkOrderError> {
        let uow = self.store.begin().await?;
        uow.work_orders()
            .get(who.reader().tenant(), id)
            .await?
            .ok_or(WorkOrderError::NotFound)
    }

    /// A page of jobs (of one client, if given), newest first.
    ///
    /// # Errors
    /// [`WorkOrderError::Unexpected`].
    pub async fn list(
        &self,
        who: &Principal,
        client: Option<ClientId>,
        page: PageRequest,
    ) -> Result<Page<WorkOrder>, WorkOrderError> {
        let uow = self.store.begin().await?;
        Ok(uow.work_orders().list(who.reader().tenant(), client, page).await?)
    }

    /// Changes a job; a new status is told to the client.
    ///
    /// # Errors
    /// See [`WorkOrderError`].
    pub async fn update(
        &self,
        who: &Principal,
        id: uuid::Uuid,
        fields: WorkOrderFields,
    ) -> Result<WorkOrder, WorkOrderError> {
        let tenant = who.writer("change jobs")?.tenant();
        let uow = self.store.begin().await?;
        let mut job = uow
            .work_orders()
            .get(tenant, id)
            .await?
            .ok_or(WorkOrderError::NotFound)?;
        let before = job.status;
        if let Some(client) = fields.client_id
            && uow.client(tenant, client).await?.is_none()
        {
            return Err(unknown_client());
        }
        job.apply(fields).map_err(WorkOrderError::Invalid)?;
        job.updated_at = self.clock.now();
        if !uow.work_orders().update(&job).await? {
            return Err(WorkOrderError::NotFound);
        }
        if job.status != before {
            super::enqueue(
                uow.as_ref(),
                self.clock.as_ref(),
                self.ids.as_ref(),
                tenant,
                Effect::SendWorkUpdate {
                    work_order_id: job.id,
                    status: job.status,
                },
                format!(
                    "work-update:{}:{}:{}",
                    job.id,
                    job.status.as_str(),
                    job.updated_at.timestamp()
                ),
            )
            .await?;
        }
        uow.commit().await?;
        Ok(job)
    }

    /// Deletes a job with its notes and files.
    ///
    /// # Errors
    /// See [`WorkOrderError`].
    pub async fn delete(&self, who: &Principal, id: uuid::Uuid) -> Result<(), WorkOrderError> {
        let tenant = who.writer("delete jobs")?.tenant();
        let uow = self.store.begin().await?;
        if uow.work_orders().get(tenant, id).await?.is_none() {
            return Err(WorkOrderError::NotFound);
        }
        super::remove_subject_content(uow.as_ref(), self.files.as_ref(), tenant, Subject::WorkOrder(id)).await?;
        if !uow.work_orders().delete(tenant, id).await? {
            return Err(WorkOrderError::NotFound);
        }
        uow.commit().await?;
        Ok(())
    }
}

fn unknown_client() -> WorkOrderError {
    WorkOrderError::Invalid(ValidationErrors::single(
        "client_id",
        "unknown_client",
        "is not a client of this organization",
    ))
}
