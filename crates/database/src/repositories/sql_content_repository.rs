//! [`WorkOrderRepository`], [`NoteRepository`], [`FileRepository`] and
//! [`CreditNoteRepository`] on SQL.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use fakturo_domain::invoicing::credit_note::CreditNote;
use fakturo_domain::invoicing::invoice::InvoiceStatus;
use fakturo_domain::invoicing::ports::CreditNoteRepository;
use fakturo_domain::kernel::money::{Currency, Money};
use fakturo_domain::kernel::pagination::{Page, PageRequest};
use fakturo_domain::kernel::repository::RepositoryError;
use fakturo_domain::work::files::StoredFile;
use fakturo_domain::work::notes::{Note, Subject};
use fakturo_domain::work::ports::{FileRepository, NoteRepository, WorkOrderRepository};
use fakturo_domain::work::{WorkOrder, WorkStatus};
use fakturo_domain::{ClientId, FileId, InvoiceId, TenantId, UserId};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use crate::entities::{credit_note, file, invoice, note, work_order};
use crate::errors::{corrupt, translate};
use crate::store::SqlUnitOfWork;

/// The series of credit notes (their counters are keyed per year).
pub(crate) const CREDIT_NOTE_SERIES: &str = "CN";

#[async_trait]
impl WorkOrderRepository for SqlUnitOfWork {
    async fn insert(&self, job: &WorkOrder) -> Result<(), RepositoryError> {
        work_order::Entity::insert(work_order::ActiveModel::from(work_model(job)))
            .exec_without_returning(&self.txn)
            .await
            .map_err(translate)?;
        Ok(())
    }

    async fn get(&self, tenant: TenantId, id: Uuid) -> Result<Option<WorkOrder>, RepositoryError> {
        work_order::Entity::find_by_id((tenant.as_uuid(), id))
            .one(&self.txn)
            .await
            .map_err(translate)?
            .map(work_domain)
            .transpose()
    }

    async fn list(
        &self,
        tenant: TenantId,
        client: Option<ClientId>,
        page: PageRequest,
    ) -> Result<Page<WorkOrder>, RepositoryError> {
        let mut query = work_order::Entity::find().filter(work_order::Column::TenantId.eq(tenant.as_uuid()));
        if let Some(client) = client {
            query = query.filter(work_order::Column::ClientId.eq(client.as_uuid()));
        }
        if let Some(after) = page.after {
            query = query.filter(work_order::Column::Id.lt(after));
        }
        let rows = query
            .order_by_desc(work_order::Column::Id)
            .limit(u64::from(page.limit) + 1)
            .all(&self.txn)
            .await
            .map_err(translate)?;
        let jobs = rows.into_iter().map(work_domain).collect::<Result<Vec<_>, _>>()?;
        Ok(Page::from_overfetch(jobs, page.limit, |j| j.id))
    }

    async fn update(&self, job: &WorkOrder) -> Result<bool, RepositoryError> {
        let active = work_order::ActiveModel::from(work_model(job)).reset_all();
        let result = work_order::Entity::update_many()
            .set(active)
            .filter(work_order::Column::TenantId.eq(job.tenant_id.as_uuid()))
            .filter(work_order::Column::Id.eq(job.id))
            .exec(&self.txn)
            .await
            .map_err(translate)?;
        Ok(result.rows_affected > 0)
    }

    async fn delete(&self, tenant: TenantId, id: Uuid) -> Result<bool, RepositoryError> {
        let result = work_order::Entity::delete_many()
            .filter(work_order::Column::TenantId.eq(tenant.as_uuid()))
            .filter(work_order::Column::Id.eq(id))
            .exec(&self.txn)
            .await
            .map_err(translate)?;
        Ok(result.rows_affected > 0)
    }

    async fn delete_for_client(&self, tenant: TenantId, client: ClientId) -> Result<u64, RepositoryError> {
        let result = work_order::Entity::delete_many()
            .filter(work_order::Column::TenantId.eq(tenant.as_uuid()))
            .filter(work_order::Column::ClientId.eq(client.as_uuid()))
            .exec(&self.txn)
            .await
            .map_err(translate)?;
        Ok(result.rows_affected)
    }
}

fn work_model(job: &WorkOrder) -> work_order::Model {
    work_order::Model {
        tenant_id: job.tenant_id.as_uuid(),
        id: job.id,
        client_id: job.client_id.as_uuid(),
        title: job.title.clone(),
        description: job.description.clone(),
        status: job.status.as_str().to_owned(),
        scheduled_start: job.scheduled_start,
        scheduled_end: job.scheduled_end,
        address: job.address.clone(),
        created_at: job.created_at,
        updated_at: job.updated_at,
    }
}

fn work_domain(m: work_order::Model) -> Result<WorkOrder, RepositoryError> {
    Ok(WorkOrder {
        id: m.id,
        tenant_id: TenantId::from_uuid(m.tenant_id),
        client_id: ClientId::from_uuid(m.client_id),
        title: m.title,
        description: m.description,
        status: WorkStatus::parse(&m.status).ok_or_else(|| corrupt("work_orders.status", "unknown status"))?,
        scheduled_start: m.scheduled_start,
        scheduled_end: m.scheduled_end,
        address: m.address,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

#[async_trait]
impl NoteRepository for SqlUnitOfWork {
    async fn insert(&self, n: &Note) -> Result<(), RepositoryError> {
        let model = note::Model {
            tenant_id: n.tenant_id.as_uuid(),
            id: n.id,
            subject_type: n.subject.kind().to_owned(),
            subject_id: n.subject.id(),
            client_id: n.client_id.as_uuid(),
            body: n.body.clone(),
            author_id: n.author_id.as_uuid(),
            created_at: n.created_at,
        };
        note::Entity::insert(note::ActiveModel::from(model))
            .exec_without_returning(&self.txn)
            .await
            .map_err(translate)?;
        Ok(())
    }

    async fn get(&self, tenant: TenantId, id: Uuid) -> Result<Option<Note>, RepositoryError> {
        note::Entity::find_by_id((tenant.as_uuid(), id))
            .one(&self.txn)
            .await
            .map_err(translate)?
            .map(note_domain)
            .transpose()
    }

    async fn list(&self, tenant: TenantId, subject: Subject, page: PageRequest) -> Result<Page<Note>, RepositoryError> {
        let mut query = note::Entity::find()
            .filter(note::Column::TenantId.eq(tenant.as_uuid()))
            .filter(note::Column::SubjectType.eq(subject.kind()))
            .filter(note::Column::SubjectId.eq(subject.id()));
        if let Some(after) = page.after {
            query = query.filter(note::Column::Id.lt(after));
        }
        let rows = query
            .order_by_desc(note::Column::Id)
            .limit(u64::from(page.limit) + 1)
            .all(&self.txn)
            .await
            .map_err(translate)?;
        let notes = rows.into_iter().map(note_domain).collect::<Result<Vec<_>, _>>()?;
        Ok(Page::from_overfetch(notes, page.limit, |n| n.id))
    }

    async fn delete(&self, tenant: TenantId, id: Uuid) -> Result<bool, RepositoryError> {
        let result = note::Entity::delete_many()
            .filter(note::Column::TenantId.eq(tenant.as_uuid()))
            .filter(note::Column::Id.eq(id))
            .exec(&self.txn)
            .await
            .map_err(translate)?;
        Ok(result.rows_affected > 0)
    }

    async fn for_subject(&self, tenant: TenantId, subject: Subject) -> Result<Vec<Note>, RepositoryError> {
        note::Entity::find()
            .filter(note::Column::TenantId.eq(tenant.as_uuid()))
            .filter(note::Column::SubjectType.eq(subject.kind()))
            .filter(note::Column::SubjectId.eq(subject.id()))
            .all(&self.txn)
            .await
            .map_err(translate)?
            .into_iter()
            .map(note_domain)
            .collect()
    }

    async fn delete_for_client(&self, tenant: TenantId, client: ClientId) -> Result<u64, RepositoryError> {
        let result = note::Entity::delete_many()
            .filter(note::Column::TenantId.eq(tenant.as_uuid()))
            .filter(note::Column::ClientId.eq(client.as_uuid()))
            .exec(&self.txn)
            .await
            .map_err(translate)?;
        Ok(result.rows_affected)
    }
}

fn note_domain(m: note::Model) -> Result<Note, RepositoryError> {
    Ok(Note {
        id: m.id,
        tenant_id: TenantId::from_uuid(m.tenant_id),
        subject: Subject::from_parts(&m.subject_type, m.subject_id)
            .ok_or_else(|| corrupt("notes.subject_type", "unknown kind"))?,
        client_id: ClientId::from_uuid(m.client_id),
        body: m.body,
        author_id: UserId::from_uuid(m.author_id),
        created_at: m.created_at,
    })
}

#[async_trait]
impl FileRepository for SqlUnitOfWork {
    async fn insert(&self, f: &StoredFile) -> Result<(), RepositoryError> {
        let model = file::Model {
            tenant_id: f.tenant_id.as_uuid(),
            id: f.id.as_uuid(),
            subject_type: f.subject.kind().to_owned(),
            subject_id: f.subject.id(),
            client_id: f.client_id.as_uuid(),
            name: f.name.clone(),
            content_type: f.content_type.clone(),
            size_bytes: i64::try_from(f.size_bytes).map_err(|e| corrupt("files.size_bytes", e))?,
            sha256: f.sha256.clone(),
            uploaded_by: f.uploaded_by.as_uuid(),
            created_at: f.created_at,
        };
        file::Entity::insert(file::ActiveModel::from(model))
            .exec_without_returning(&self.txn)
            .await
            .map_err(translate)?;
        Ok(())
    }

    async fn get(&self, tenant: TenantId, id: FileId) -> Result<Option<StoredFile>, RepositoryError> {
        file::Entity::find_by_id((tenant.as_uuid(), id.as_uuid()))
            .one(&self.txn)
            .await
            .map_err(translate)?
            .map(file_domain)
            .transpose()
    }

    async fn list(
        &self,
        tenant: TenantId,
        subject: Option<Subject>,
        page: PageRequest,
    ) -> Result<Page<StoredFile>, RepositoryError> {
        let mut query = file::Entity::find().filter(file::Column::TenantId.eq(tenant.as_uuid()));
        if let Some(subject) = subject {
            query = query
                .filter(file::Column::SubjectType.eq(subject.kind()))
                .filter(file::Column::SubjectId.eq(subject.id()));
        }
        if let Some(after) = page.after {
            query = query.filter(file::Column::Id.lt(after));
        }
        let rows = query
            .order_by_desc(file::Column::Id)
            .limit(u64::from(page.limit) + 1)
            .all(&self.txn)
            .await
            .map_err(translate)?;
        let files = rows.into_iter().map(file_domain).collect::<Result<Vec<_>, _>>()?;
        Ok(Page::from_overfetch(files, page.limit, |f| f.id.as_uuid()))
    }

    async fn delete(&self, tenant: TenantId, id: FileId) -> Result<bool, RepositoryError> {
        let result = file::Entity::delete_many()
            .filter(file::Column::TenantId.eq(tenant.as_uuid()))
            .filter(file::Column::Id.eq(id.as_uuid()))
            .exec(&self.txn)
            .await
            .map_err(translate)?;
        Ok(result.rows_affected > 0)
    }

    async fn for_client(&self, tenant: TenantId, client: ClientId) -> Result<Vec<StoredFile>, RepositoryError> {
        file::Entity::find()
            .filter(file::Column::TenantId.eq(tenant.as_uuid()))
            .filter(file::Column::ClientId.eq(client.as_uuid()))
            .all(&self.txn)
            .await
            .map_err(translate)?
            .into_iter()
            .map(file_domain)
            .collect()
    }

    async fn for_subject(&self, tenant: TenantId, subject: Subject) -> Result<Vec<StoredFile>, RepositoryError> {
        file::Entity::find()
            .filter(file::Column::TenantId.eq(tenant.as_uuid()))
            .filter(file::Column::SubjectType.eq(subject.kind()))
            .filter(file::Column::SubjectId.eq(subject.id()))
            .all(&self.txn)
            .await
            .map_err(translate)?
            .into_iter()
            .map(file_domain)
            .collect()
    }

    async fn total_bytes(&self, tenant: TenantId) -> Result<u64, RepositoryError> {
        let total: Option<i64> = file::Entity::find()
            .select_only()
            .column_as(Expr::cust("CAST(COALESCE(SUM(size_bytes), 0) AS BIGINT)"), "total")
            .filter(file::Column::TenantId.eq(tenant.as_uuid()))
            .into_tuple()
            .one(&self.txn)
            .await
            .map_err(translate)?;
        u64::try_from(total.unwrap_or(0)).map_err(|e| corrupt("files.size_bytes", e))
    }
}

fn file_domain(m: file::Model) -> Result<StoredFile, RepositoryError> {
    Ok(StoredFile {
        id: FileId::from_uuid(m.id),
        tenant_id: TenantId::from_uuid(m.tenant_id),
        subject: Subject::from_parts(&m.subject_type, m.subject_id)
            .ok_or_else(|| corrupt("files.subject_type", "unknown kind"))?,
        client_id: ClientId::from_uuid(m.client_id),
        name: m.name,
        content_type: m.content_type,
        size_bytes: u64::try_from(m.size_bytes).map_err(|e| corrupt("files.size_bytes", e))?,
        sha256: m.sha256,
        uploaded_by: UserId::from_uuid(m.uploaded_by),
        created_at: m.created_at,
    })
}

#[async_trait]
impl CreditNoteRepository for SqlUnitOfWork {
    async fn insert(&self, c: &CreditNote) -> Result<(), RepositoryError> {
        let model = credit_note::Model {
            tenant_id: c.tenant_id.as_uuid(),
            id: c.id,
            invoice_id: c.invoice_id.as_uuid(),
            series: CREDIT_NOTE_SERIES.to_owned(),
            number: c.number.clone(),
            issue_date: c.issue_date,
            reason: c.reason.clone(),
            currency: c.total.currency().code().to_owned(),
            subtotal_minor: c.subtotal.minor(),
            tax_total_minor: c.tax_total.minor(),
            total_minor: c.total.minor(),
            created_at: c.created_at,
        };
        credit_note::Entity::insert(credit_note::ActiveModel::from(model))
            .exec_without_returning(&self.txn)
            .await
            .map_err(translate)?;
        Ok(())
    }

    async fn get(&self, tenant: TenantId, id: Uuid) -> Result<Option<CreditNote>, RepositoryError> {
        credit_note::Entity::find_by_id((tenant.as_uuid(), id))
            .one(&self.txn)
            .await
            .map_err(translate)?
            .map(credit_domain)
            .transpose()
    }

    async fn for_invoice(&self, tenant: TenantId, invoice: InvoiceId) -> Result<Option<CreditNote>, RepositoryError> {
        credit_note::Entity::find()
            .filter(credit_note::Column::TenantId.eq(tenant.as_uuid()))
            .filter(credit_note::Column::InvoiceId.eq(invoice.as_uuid()))
            .one(&self.txn)
            .await
            .map_err(translate)?
            .map(credit_domain)
            .transpose()
    }

    async fn list(&self, tenant: TenantId, page: PageRequest) -> Result<Page<CreditNote>, RepositoryError> {
        let mut query = credit_note::Entity::find().filter(credit_note::Column::TenantId.eq(tenant.as_uuid()));
        if let Some(after) = page.after {
            query = query.filter(credit_note::Column::Id.lt(after));
        }
        let rows = query
            .order_by_desc(credit_note::Column::Id)
            .limit(u64::from(page.limit) + 1)
            .all(&self.txn)
            .await
            .map_err(translate)?;
        let notes = rows.into_iter().map(credit_domain).collect::<Result<Vec<_>, _>>()?;
        Ok(Page::from_overfetch(notes, page.limit, |c| c.id))
    }

    async fn void_invoice(&self, tenant: TenantId, id: InvoiceId, at: DateTime<Utc>) -> Result<bool, RepositoryError> {
        let result = invoice::Entity::update_many()
            .col_expr(invoice::Column::Status, Expr::value(InvoiceStatus::Void.as_str()))
            .col_expr(invoice::Column::UpdatedAt, Expr::value(at))
            .filter(invoice::Column::TenantId.eq(tenant.as_uuid()))
            .filter(invoice::Column::Id.eq(id.as_uuid()))
            .filter(invoice::Column::Status.is_in([
                InvoiceStatus::Open.as_str(),
                InvoiceStatus::PartiallyPaid.as_str(),
                InvoiceStatus::Paid.as_str(),
            ]))
            .exec(&self.txn)
            .await
            .map_err(translate)?;
        Ok(result.rows_affected > 0)
    }
}

fn credit_domain(m: credit_note::Model) -> Result<CreditNote, RepositoryError> {
    let currency = Currency::parse(&m.currency).map_err(|e| corrupt("credit_notes.currency", e))?;
    Ok(CreditNote {
        id: m.id,
        tenant_id: TenantId::from_uuid(m.tenant_id),
        invoice_id: InvoiceId::from_uuid(m.invoice_id),
        number: m.number,
        issue_date: m.issue_date,
        reason: m.reason,
        subtotal: Money::from_minor(m.subtotal_minor, currency),
        tax_total: Money::from_minor(m.tax_total_minor, currency),
        total: Money::from_minor(m.total_minor, currency),
        created_at: m.created_at,
    })
}
