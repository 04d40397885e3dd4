//! [`RecurringInvoiceRepository`] on SQL. The template's lines are stored as
//! JSON with decimal strings; the next issue date is stored for the
//! scheduler's scan and always recomputed by the domain.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use fakturo_domain::invoicing::invoice::InvoiceLine;
use fakturo_domain::invoicing::ports::RecurringInvoiceRepository;
use fakturo_domain::invoicing::recurring::{Frequency, InvoiceTemplate, RecurringInvoice, RecurringStatus, Schedule};
use fakturo_domain::kernel::money::{Currency, parse_decimal};
use fakturo_domain::kernel::pagination::{Page, PageRequest};
use fakturo_domain::kernel::repository::RepositoryError;
use fakturo_domain::{ClientId, InvoiceId, RecurringInvoiceId, TenantId};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};

use crate::entities::{recurring_invoice, recurring_run};
use crate::errors::{corrupt, translate};
use crate::store::SqlUnitOfWork;

/// A template line as stored: decimals as strings.
#[derive(Serialize, Deserialize)]
struct StoredLine {
    description: String,
    quantity: String,
    unit_price: String,
    tax_rate: String,
    discount_percent: String,
    product_id: Option<uuid::Uuid>,
}

#[async_trait]
impl RecurringInvoiceRepository for SqlUnitOfWork {
    async fn insert(&self, recurring: &RecurringInvoice) -> Result<(), RepositoryError> {
        recurring_invoice::Entity::insert(recurring_invoice::ActiveModel::from(into_model(recurring)?))
            .exec_without_returning(&self.txn)
            .await
            .map_err(translate)?;
        Ok(())
    }

    async fn get(
        &self,
        tenant: TenantId,
        id: RecurringInvoiceId,
        lock: bool,
    ) -> Result<Option<RecurringInvoice>, RepositoryError> {
        let mut query = recurring_invoice::Entity::find_by_id((tenant.as_uuid(), id.as_uuid()));
        if lock {
            query = query.lock_exclusive();
        }
        query
            .one(&self.txn)
            .await
            .map_err(translate)?
            .map(into_domain)
            .transpose()
    }

    async fn list(&self, tenant: TenantId, page: PageRequest) -> Result<Page<RecurringInvoice>, RepositoryError> {
        let mut query =
            recurring_invoice::Entity::find().filter(recurring_invoice::Column::TenantId.eq(tenant.as_uuid()));
        if let Some(after) = page.after {
            query = query.filter(recurring_invoice::Column::Id.lt(after));
        }
        let rows = query
            .order_by_desc(recurring_invoice::Column::Id)
            .limit(u64::from(page.limit) + 1)
            .all(&self.txn)
            .await
            .map_err(translate)?;
        let items = rows.into_iter().map(into_domain).collect::<Result<Vec<_>, _>>()?;
        Ok(Page::from_overfetch(items, page.limit, |r| r.id.as_uuid()))
    }

    async fn update(&self, recurring: &RecurringInvoice) -> Result<bool, RepositoryError> {
        let active = recurring_invoice::ActiveModel::from(into_model(recurring)?).reset_all();
        let result = recurring_invoice::Entity::update_many()
            .set(active)
            .filter(recurring_invoice::Column::TenantId.eq(recurring.tenant_id.as_uuid()))
            .filter(recurring_invoice::Column::Id.eq(recurring.id.as_uuid()))
            .exec(&self.txn)
            .await
            .map_err(translate)?;
        Ok(result.rows_affected > 0)
    }

    async fn delete(&self, tenant: TenantId, id: RecurringInvoiceId) -> Result<bool, RepositoryError> {
        let result = recurring_invoice::Entity::delete_many()
            .filter(recurring_invoice::Column::TenantId.eq(tenant.as_uuid()))
            .filter(recurring_invoice::Column::Id.eq(id.as_uuid()))
            .exec(&self.txn)
            .await
            .map_err(translate)?;
        Ok(result.rows_affected > 0)
    }

    async fn for_client(&self, tenant: TenantId, client: ClientId) -> Result<Vec<RecurringInvoiceId>, RepositoryError> {
        let ids = recurring_invoice::Entity::find()
            .select_only()
            .column(recurring_invoice::Column::Id)
            .filter(recurring_invoice::Column::TenantId.eq(tenant.as_uuid()))
            .filter(recurring_invoice::Column::ClientId.eq(client.as_uuid()))
            .into_tuple::<uuid::Uuid>()
            .all(&self.txn)
            .await
            .map_err(translate)?;
        Ok(ids.into_iter().map(RecurringInvoiceId::from_uuid).collect())
    }

    async fn due(&self, date: NaiveDate, limit: u32) -> Result<Vec<(TenantId, RecurringInvoiceId)>, RepositoryError> {
        let rows = recurring_invoice::Entity::find()
            .filter(recurring_invoice::Column::Status.eq(RecurringStatus::Active.as_str()))
            .filter(recurring_invoice::Column::NextIssueDate.lte(date))
            .order_by_asc(recurring_invoice::Column::NextIssueDate)
            .limit(u64::from(limit))
            .all(&self.txn)
            .await
            .map_err(translate)?;
        Ok(rows
            .into_iter()
            .map(|r| (TenantId::from_uuid(r.tenant_id), RecurringInvoiceId::from_uuid(r.id)))
            .collect())
    }

    async fn insert_run(
        &self,
        tenant: TenantId,
        schedule: RecurringInvoiceId,
        period_index: u32,
        period_start: NaiveDate,
        invoice: InvoiceId,
        now: DateTime<Utc>,
    ) -> Result<(), RepositoryError> {
        let model = recurring_run::Model {
            tenant_id: tenant.as_uuid(),
            schedule_id: schedule.as_uuid(),
            period_start,
            period_index: i32::try_from(period_index).map_err(|e| corrupt("recurring_runs.period_index", e))?,
            invoice_id: invoice.as_uuid(),
            created_at: now,
        };
        recurring_run::Entity::insert(recurring_run::ActiveModel::from(model))
            .exec_without_returning(&self.txn)
            .await
            .map_err(translate)?;
        Ok(())
    }
}

fn to_i32(value: u32, what: &str) -> Result<i32, RepositoryError> {
    i32::try_from(value).map_err(|e| corrupt(what, e))
}

fn to_u32(value: i32, what: &str) -> Result<u32, RepositoryError> {
    u32::try_from(value).map_err(|e| corrupt(what, e))
}

fn into_model(r: &RecurringInvoice) -> Result<recurring_invoice::Model, RepositoryError> {
    let lines: Vec<StoredLine> = r
        .template
        .lines
        .iter()
        .map(|line| StoredLine {
            description: line.description.clone(),
            quantity: line.quantity.to_string(),
            unit_price: line.unit_price.to_string(),
            tax_rate: line.tax_rate.to_string(),
            discount_percent: line.discount_percent.to_string(),
            product_id: line.product_id,
        })
        .collect();
    Ok(recurring_invoice::Model {
        tenant_id: r.tenant_id.as_uuid(),
        id: r.id.as_uuid(),
        client_id: r.client_id.as_uuid(),
        currency: r.template.currency.code().to_owned(),
        lines: serde_json::to_string(&lines).map_err(|e| corrupt("recurring_invoices.lines", e))?,
        notes: r.template.notes.clone(),
        payment_terms_days: r
            .template
            .payment_terms_days
            .map(|d| to_i32(d, "recurring_invoices.payment_terms_days"))
            .transpose()?,
        frequency: r.schedule.frequency.as_str().to_owned(),
        interval: to_i32(r.schedule.interval, "recurring_invoices.interval")?,
        start_date: r.schedule.start_date,
        end_after_count: r
            .schedule
            .end_after_count
            .map(|c| to_i32(c, "recurring_invoices.end_after_count"))
            .transpose()?,
        end_on: r.schedule.end_on,
        auto_send: r.auto_send,
        status: r.status.as_str().to_owned(),
        next_period: to_i32(r.next_period, "recurring_invoices.next_period")?,
        next_issue_date: r.next_issue_date(),
        created_at: r.created_at,
        updated_at: r.updated_at,
    })
}

fn into_domain(model: recurring_invoice::Model) -> Result<RecurringInvoice, RepositoryError> {
    let stored: Vec<StoredLine> =
        serde_json::from_str(&model.lines).map_err(|e| corrupt("recurring_invoices.lines", e))?;
    let decimal = |text: &str| parse_decimal(text).map_err(|e| corrupt("recurring_invoices.lines", e));
    let lines = stored
        .into_iter()
        .map(|line| {
            Ok(InvoiceLine {
                quantity: decimal(&line.quantity)?,
                unit_price: decimal(&line.unit_price)?,
                tax_rate: decimal(&line.tax_rate)?,
                discount_percent: decimal(&line.discount_percent)?,
                description: line.description,
                product_id: line.product_id,
            })
        })
        .collect::<Result<Vec<_>, RepositoryError>>()?;
    let frequency =
        Frequency::parse(&model.frequency).ok_or_else(|| corrupt("recurring_invoices.frequency", "unknown"))?;
    let schedule = Schedule {
        frequency,
        interval: to_u32(model.interval, "recurring_invoices.interval")?,
        start_date: model.start_date,
        end_after_count: model
            .end_after_count
            .map(|c| to_u32(c, "recurring_invoices.end_after_count"))
            .transpose()?,
        end_on: model.end_on,
    };
    Ok(RecurringInvoice {
        id: RecurringInvoiceId::from_uuid(model.id),
        tenant_id: TenantId::from_uuid(model.tenant_id),
        client_id: ClientId::from_uuid(model.client_id),
        template: InvoiceTemplate {
            currency: Currency::parse(&model.currency).map_err(|e| corrupt("recurring_invoices.currency", e))?,
            lines,
            notes: model.notes,
            payment_terms_days: model
                .payment_terms_days
                .map(|d| to_u32(d, "recurring_invoices.payment_terms_days"))
                .transpose()?,
        },
        schedule,
        auto_send: model.auto_send,
        status: RecurringStatus::parse(&model.status).ok_or_else(|| corrupt("recurring_invoices.status", "unknown"))?,
        next_period: to_u32(model.next_period, "recurring_invoices.next_period")?,
        created_at: model.created_at,
        updated_at: model.updated_at,
    })
}
