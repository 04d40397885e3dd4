//! Jobs of contractors: what is to be done for a client, where and when,
//! and how far it got. A new status is emailed to the client when they
//! take courtesy emails.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use fakturo_domain::ClientId;
use fakturo_domain::work::{WorkOrder, WorkOrderFields};
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::types::MaybeUndefined;
use poem_openapi::{ApiResponse, Enum, Object, OpenApi};
use uuid::Uuid;

use super::auth::Auth;
use super::invoices::patch;
use super::pagination::page_request;
use super::problem::ApiError;
use super::{ApiTags, AppState};

pub struct JobsApi {
    state: Arc<AppState>,
}

impl JobsApi {
    pub fn new(state: Arc<AppState>) -> Self {
        Self { state }
    }
}

/// Where a job is.
#[derive(Clone, Copy, Enum)]
#[oai(rename_all = "snake_case")]
enum JobStatus {
    Quote,
    Scheduled,
    InProgress,
    Done,
    Cancelled,
}

impl JobStatus {
    fn name(self) -> String {
        match self {
            Self::Quote => "quote",
            Self::Scheduled => "scheduled",
            Self::InProgress => "in_progress",
            Self::Done => "done",
            Self::Cancelled => "cancelled",
        }
        .to_owned()
    }
}

/// A new job.
#[derive(Object)]
#[oai(deny_unknown_fields)]
struct JobCreate {
    /// For whom.
    client_id: Uuid,
    /// What, briefly (up to 200 characters).
    title: String,
    /// What, in detail.
    description: Option<String>,
    /// Default `quote`.
    status: Option<JobStatus>,
    scheduled_start: Option<DateTime<Utc>>,
    /// Not before `scheduled_start`.
    scheduled_end: Option<DateTime<Utc>>,
    /// Where the work is done.
    address: Option<String>,
}

/// Changes to a job: absent fields are kept, `null` clears an optional field.
#[derive(Object)]
#[oai(deny_unknown_fields)]
struct JobPatch {
    client_id: Option<Uuid>,
    title: Option<String>,
    description: MaybeUndefined<String>,
    /// A new status is emailed to the client (when they take courtesy emails).
    status: Option<JobStatus>,
    scheduled_start: MaybeUndefined<DateTime<Utc>>,
    scheduled_end: MaybeUndefined<DateTime<Utc>>,
    address: MaybeUndefined<String>,
}

/// A status change.
#[derive(Object)]
#[oai(deny_unknown_fields)]
#[oai(rename = "JobStatusChange")]
struct StatusChange {
    status: JobStatus,
}

/// A job.
#[derive(Object)]
struct JobView {
    id: Uuid,
    client_id: Uuid,
    title: String,
    description: Option<String>,
    /// `quote`, `scheduled`, `in_progress`, `done` or `cancelled`.
    status: String,
    scheduled_start: Option<DateTime<Utc>>,
    scheduled_end: Option<DateTime<Utc>>,
    address: Option<String>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

/// A page of jobs, newest first.
#[derive(Object)]
struct JobList {
    data: Vec<JobView>,
    /// Pass as `cursor` for the next page; `null` on the last page.
    next_cursor: Option<String>,
}

#[derive(ApiResponse)]
enum JobCreated {
    /// The new job.
    #[oai(status = 201)]
    Created(Json<JobView>),
}

#[derive(ApiResponse)]
enum JobDeleted {
    /// The job is gone (its notes and files stay with the client).
    #[oai(status = 204)]
    Deleted,
}

fn view(job: WorkOrder) -> JobView {
    JobView {
        id: job.id,
        client_id: job.client_id.as_uuid(),
        title: job.title,
        description: job.description,
        status: job.status.as_str().to_owned(),
        scheduled_start: job.scheduled_start,
        scheduled_end: job.scheduled_end,
        address: job.address,
        created_at: job.created_at,
        updated_at: job.updated_at,
    }
}

#[OpenApi(prefix_path = "/api/v1", tag = "ApiTags::Content")]
impl JobsApi {
    /// Create a job for a client.
    #[oai(path = "/jobs", method = "post", operation_id = "create_job")]
    async fn create(&self, auth: Auth, body: Json<JobCreate>) -> Result<JobCreated, ApiError> {
        let who = self.state.authenticate(auth).await?;
        let r = body.0;
        let fields = WorkOrderFields {
            client_id: Some(ClientId::from_uuid(r.client_id)),
            title: Some(r.title),
            description: Some(r.description),
            status: r.status.map(JobStatus::name),
            scheduled_start: Some(r.scheduled_start),
            scheduled_end: Some(r.scheduled_end),
            address: Some(r.address),
        };
        let job = self.state.services.work_orders.create(&who.principal, fields).await?;
        Ok(JobCreated::Created(Json(view(job))))
    }

    /// List jobs, newest first.
    #[oai(path = "/jobs", method = "get", operation_id = "list_jobs")]
    async fn list(
        &self,
        auth: Auth,
        /// Only this client's jobs.
        client_id: Query<Option<Uuid>>,
        /// Page size, 1 to 100 (default 50).
        #[oai(validator(minimum(value = "1"), maximum(value = "100")))]
        limit: Query<Option<u32>>,
        /// The `next_cursor` of the previous page.
        cursor: Query<Option<String>>,
    ) -> Result<Json<JobList>, ApiError> {
        let who = self.state.authenticate(auth).await?;
        let page = page_request(limit.0, cursor.0.as_deref())?;
        let found = self
            .state
            .services
            .work_orders
            .list(&who.principal, client_id.0.map(ClientId::from_uuid), page)
            .await?;
        Ok(Json(JobList {
            data: found.items.into_iter().map(view).collect(),
            next_cursor: found.next_cursor,
        }))
    }

    /// One job.
    #[oai(path = "/jobs/:id", method = "get", operation_id = "get_job")]
    async fn get(&self, auth: Auth, id: Path<Uuid>) -> Result<Json<JobView>, ApiError> {
        let who = self.state.authenticate(auth).await?;
        let job = self.state.services.work_orders.get(&who.principal, id.0).await?;
        Ok(Json(view(job)))
    }

    /// Change a job.
    #[oai(path = "/jobs/:id", method = "patch", operation_id = "update_job")]
    async fn update(&self, auth: Auth, id: Path<Uuid>, body: Json<JobPatch>) -> Result<Json<JobView>, ApiError> {
        let who = self.state.authenticate(auth).await?;
        let r = body.0;
        let fields = WorkOrderFields {
            client_id: r.client_id.map(ClientId::from_uuid),
            title: r.title,
            description: patch(r.description),
            status: r.status.map(JobStatus::name),
            scheduled_start: patch(r.scheduled_start),
            scheduled_end: patch(r.scheduled_end),
            address: patch(r.address),
        };
        let job = self
            .state
            .services
            .work_orders
            .update(&who.principal, id.0, fields)
            .await?;
        Ok(Json(view(job)))
    }

    /// Move a job to a new status; the client is told by email when they take courtesy emails.
    #[oai(path = "/jobs/:id/status", method = "post", operation_id = "change_job_status")]
    async fn status(&self, auth: Auth, id: Path<Uuid>, body: Json<StatusChange>) -> Result<Json<JobView>, ApiError> {
        let who = self.state.authenticate(auth).await?;
        let fields = WorkOrderFields {
            status: Some(body.0.status.name()),
            ..WorkOrderFields::default()
        };
        let job = self
            .state
            .services
            .work_orders
            .update(&who.principal, id.0, fields)
            .await?;
        Ok(Json(view(job)))
    }

    /// Delete a job (its notes and files stay with the client).
    #[oai(path = "/jobs/:id", method = "delete", operation_id = "delete_job")]
    async fn delete(&self, auth: Auth, id: Path<Uuid>) -> Result<JobDeleted, ApiError> {
        let who = self.state.authenticate(auth).await?;
        self.state.services.work_orders.delete(&who.principal, id.0).await?;
        Ok(JobDeleted::Deleted)
    }
}
