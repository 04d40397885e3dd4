//! [`InvoiceRepository`] on SQL. An invoice is a header row plus its lines;
//! totals are stored on the header for listing and filtering, and always
//! recomputed by the domain when loaded. Lists load the lines of a whole page
//! in one query.

use std::collections::HashMap;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use fakturo_domain::invoicing::invoice::payment::Payment;
use fakturo_domain::invoicing::invoice::{Delivery, Invoice, InvoiceStatus};
use fakturo_domain::invoicing::ports::{InvoiceFilter, InvoiceRepository};
use fakturo_domain::kernel::pagination::{Page, PageRequest};
use fakturo_domain::kernel::repository::RepositoryError;
use fakturo_domain::privacy::ports::RetentionRepository;
use fakturo_domain::{ClientId, InvoiceId, PaymentId, TenantId};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use crate::entities::{invoice, invoice_line, payment};
use crate::errors::{corrupt, translate};
use crate::repositories::sql_invoice_payments::payment_into_domain;
use crate::repositories::sql_invoice_rows::{header_model, into_domain};
use crate::store::SqlUnitOfWork;

/// The series column of invoices (credit notes get their own).
pub(crate) const INVOICE_SERIES: &str = "invoice";

#[async_trait]
impl InvoiceRepository for SqlUnitOfWork {
    async fn insert(&self, inv: &Invoice) -> Result<(), RepositoryError> {
        invoice::Entity::insert(invoice::ActiveModel::from(header_model(inv)?))
            .exec_without_returning(&self.txn)
            .await
            .map_err(translate)?;
        self.insert_lines(inv).await
    }

    async fn get(&self, tenant: TenantId, id: InvoiceId) -> Result<Option<Invoice>, RepositoryError> {
        self.load(tenant, id, false).await
    }

    async fn get_for_update(&self, tenant: TenantId, id: InvoiceId) -> Result<Option<Invoice>, RepositoryError> {
        self.load(tenant, id, true).await
    }

    async fn list(
        &self,
        tenant: TenantId,
        filter: InvoiceFilter,
        page: PageRequest,
    ) -> Result<Page<Invoice>, RepositoryError> {
        let mut query = invoice::Entity::find().filter(invoice::Column::TenantId.eq(tenant.as_uuid()));
        if let Some(status) = filter.status {
            query = query.filter(invoice::Column::Status.eq(status.as_str()));
        }
        if let Some(client_id) = filter.client_id {
            query = query.filter(invoice::Column::ClientId.eq(client_id.as_uuid()));
        }
        if let Some(today) = filter.overdue_on {
            query = query
                .filter(
                    invoice::Column::Status
                        .is_in([InvoiceStatus::Open.as_str(), InvoiceStatus::PartiallyPaid.as_str()]),
                )
                .filter(invoice::Column::DueDate.lt(today));
        }
        if let Some(after) = page.after {
            query = query.filter(invoice::Column::Id.lt(after));
        }
        let headers = query
            .order_by_desc(invoice::Column::Id)
            .limit(u64::from(page.limit) + 1)
            .all(&self.txn)
            .await
            .map_err(translate)?;
        let ids: Vec<Uuid> = headers.iter().map(|h| h.id).collect();
        let mut lines_by_invoice: HashMap<Uuid, Vec<invoice_line::Model>> = HashMap::new();
        if !ids.is_empty() {
            let lines = invoice_line::Entity::find()
                .filter(invoice_line::Column::TenantId.eq(tenant.as_uuid()))
                .filter(invoice_line::Column::InvoiceId.is_in(ids))
                .order_by_asc(invoice_line::Column::InvoiceId)
                .order_by_asc(invoice_line::Column::Position)
                .all(&self.txn)
                .await
                .map_err(translate)?;
            for line in lines {
                lines_by_invoice.entry(line.invoice_id).or_default().push(line);
            }
        }
        let invoices = headers
            .into_iter()
            .map(|header| {
                let lines = lines_by_invoice.remove(&header.id).unwrap_or_default();
                into_domain(header, lines)
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Page::from_overfetch(invoices, page.limit, |i| i.id.as_uuid()))
    }

    async fn for_client(&self, tenant: TenantId, client: ClientId) -> Result<Vec<Invoice>, RepositoryError> {
        let ids = invoice::Entity::find()
            .select_only()
            .column(invoice::Column::Id)
            .filter(invoice::Column::TenantId.eq(tenant.as_uuid()))
            .filter(invoice::Column::ClientId.eq(client.as_uuid()))
            .order_by_asc(invoice::Column::Id)
            .into_tuple::<Uuid>()
            .all(&self.txn)
            .await
            .map_err(translate)?;
        let mut invoices = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(found) = self.load(tenant, InvoiceId::from_uuid(id), false).await? {
                invoices.push(found);
            }
        }
        Ok(invoices)
    }

    async fn update_draft(&self, inv: &Invoice) -> Result<(), RepositoryError> {
        let active = invoice::ActiveModel::from(header_model(inv)?).reset_all();
        let result = invoice::Entity::update_many()
            .set(active)
            .filter(invoice::Column::TenantId.eq(inv.tenant_id.as_uuid()))
            .filter(invoice::Column::Id.eq(inv.id.as_uuid()))
            .filter(invoice::Column::Status.eq(InvoiceStatus::Draft.as_str()))
            .exec(&self.txn)
            .await
            .map_err(translate)?;
        if result.rows_affected == 0 {
            return Err(RepositoryError::Conflict);
        }
        invoice_line::Entity::delete_many()
            .filter(invoice_line::Column::TenantId.eq(inv.tenant_id.as_uuid()))
            .filter(invoice_line::Column::InvoiceId.eq(inv.id.as_uuid()))
            .exec(&self.txn)
            .await
            .map_err(translate)?;
        self.insert_lines(inv).await
    }

    async fn save_finalized(&self, inv: &Invoice) -> Result<(), RepositoryError> {
        let result = invoice::Entity::update_many()
            .col_expr(invoice::Column::Number, Expr::value(inv.number.clone()))
            .col_expr(invoice::Column::Status, Expr::value(inv.status.as_str()))
            .col_expr(invoice::Column::IssueDate, Expr::value(inv.content.issue_date))
            .col_expr(invoice::Column::DueDate, Expr::value(inv.content.due_date))
            .col_expr(invoice::Column::FinalizedAt, Expr::value(inv.finalized_at))
            .col_expr(
                invoice::Column::Buyer,
                Expr::value(
                    inv.buyer
                        .as_ref()
                        .map(serde_json::to_string)
                        .transpose()
                        .map_err(|e| corrupt("invoices.buyer", e))?,
                ),
            )
            .col_expr(invoice::Column::UpdatedAt, Expr::value(inv.updated_at))
            .filter(invoice::Column::TenantId.eq(inv.tenant_id.as_uuid()))
            .filter(invoice::Column::Id.eq(inv.id.as_uuid()))
            .filter(invoice::Column::Status.eq(InvoiceStatus::Draft.as_str()))
            .exec(&self.txn)
            .await
            .map_err(translate)?;
        if result.rows_affected == 0 {
            return Err(RepositoryError::Conflict);
        }
        Ok(())
    }

    async fn delete_finalized(&self, tenant: TenantId, id: InvoiceId) -> Result<(), RepositoryError> {
        RetentionRepository::delete_held_invoice(self, tenant, id)
            .await
            .map(|_| ())
    }

    async fn delete_draft(&self, tenant: TenantId, id: InvoiceId) -> Result<bool, RepositoryError> {
        // Lines go with the header (ON DELETE CASCADE).
        let result = invoice::Entity::delete_many()
            .filter(invoice::Column::TenantId.eq(tenant.as_uuid()))
            .filter(invoice::Column::Id.eq(id.as_uuid()))
            .filter(invoice::Column::Status.eq(InvoiceStatus::Draft.as_str()))
            .exec(&self.txn)
            .await
            .map_err(translate)?;
        Ok(result.rows_affected > 0)
    }

    async fn set_delivery(&self, tenant: TenantId, id: InvoiceId, delivery: &Delivery) -> Result<(), RepositoryError> {
        invoice::Entity::update_many()
            .col_expr(invoice::Column::PublicToken, Expr::value(delivery.public_token.clone()))
            .col_expr(invoice::Column::SentAt, Expr::value(delivery.sent_at))
            .col_expr(invoice::Column::SentTo, Expr::value(delivery.sent_to.clone()))
            .filter(invoice::Column::TenantId.eq(tenant.as_uuid()))
            .filter(invoice::Column::Id.eq(id.as_uuid()))
            .exec(&self.txn)
            .await
            .map_err(translate)?;
        Ok(())
    }

    async fn find_by_public_token(&self, token: &str) -> Result<Option<Invoice>, RepositoryError> {
        let found = invoice::Entity::find()
            .filter(invoice::Column::PublicToken.eq(token))
            .one(&self.txn)
            .await
            .map_err(translate)?;
        match found {
            Some(header) => {
                let (tenant, id) = (TenantId::from_uuid(header.tenant_id), InvoiceId::from_uuid(header.id));
                self.load(tenant, id, false).await
            }
            None => Ok(None),
        }
    }

    async fn payment(&self, tenant: TenantId, id: PaymentId) -> Result<Option<Payment>, RepositoryError> {
        let found = payment::Entity::find_by_id((tenant.as_uuid(), id.as_uuid()))
            .one(&self.txn)
            .await
            .map_err(translate)?;
        found.map(payment_into_domain).transpose()
    }

    async fn finalized_since(&self, tenant: TenantId, since: DateTime<Utc>) -> Result<u64, RepositoryError> {
        invoice::Entity::find()
            .filter(invoice::Column::TenantId.eq(tenant.as_uuid()))
            .filter(invoice::Column::FinalizedAt.gte(since))
            .count(&self.txn)
            .await
            .map_err(translate)
    }

    async fn payments(
        &self,
        tenant: TenantId,
        invoice: InvoiceId,
        page: PageRequest,
    ) -> Result<Page<Payment>, RepositoryError> {
        let mut query = payment::Entity::find()
            .filter(payment::Column::TenantId.eq(tenant.as_uuid()))
            .filter(payment::Column::InvoiceId.eq(invoice.as_uuid()));
        if let Some(after) = page.after {
            query = query.filter(payment::Column::Id.lt(after));
        }
        let rows = query
            .order_by_desc(payment::Column::Id)
            .limit(u64::from(page.limit) + 1)
            .all(&self.txn)
            .await
            .map_err(translate)?;
        let items = rows
            .into_iter()
            .map(payment_into_domain)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Page::from_overfetch(items, page.limit, |p| p.id.as_uuid()))
    }

    async fn record_payment(&self, inv: &Invoice, p: &Payment) -> Result<(), RepositoryError> {
        let previous_paid = inv
            .amount_paid
            .minor()
            .checked_sub(p.amount.minor())
            .ok_or_else(|| corrupt("payment", "amount overflow"))?;
        let result = invoice::Entity::update_many()
            .col_expr(invoice::Column::AmountPaidMinor, Expr::value(inv.amount_paid.minor()))
            .col_expr(invoice::Column::Status, Expr::value(inv.status.as_str()))
            .col_expr(invoice::Column::UpdatedAt, Expr::value(inv.updated_at))
            .filter(invoice::Column::TenantId.eq(inv.tenant_id.as_uuid()))
            .filter(invoice::Column::Id.eq(inv.id.as_uuid()))
            .filter(invoice::Column::AmountPaidMinor.eq(previous_paid))
            .exec(&self.txn)
            .await
            .map_err(translate)?;
        if result.rows_affected == 0 {
            return Err(RepositoryError::Conflict);
        }
        let model = payment::Model {
            tenant_id: p.tenant_id.as_uuid(),
            id: p.id.as_uuid(),
            invoice_id: p.invoice_id.as_uuid(),
            amount_minor: p.amount.minor(),
            currency: p.amount.currency().code().to_owned(),
            paid_on: p.paid_on,
            method: p.method.as_str().to_owned(),
            reference: p.reference.clone(),
            created_at: p.created_at,
        };
        payment::Entity::insert(payment::ActiveModel::from(model))
            .exec_without_returning(&self.txn)
            .await
            .map_err(translate)?;
        Ok(())
    }
}

impl SqlUnitOfWork {
    async fn load(&self, tenant: TenantId, id: InvoiceId, lock: bool) -> Result<Option<Invoice>, RepositoryError> {
        let mut query = invoice::Entity::find_by_id((tenant.as_uuid(), id.as_uuid()));
        if lock {
            // FOR UPDATE on PostgreSQL; SQLite has no row locks and needs
            // none: its single writer connection serializes transactions.
            query = query.lock_exclusive();
        }
        let Some(header) = query.one(&self.txn).await.map_err(translate)? else {
            return Ok(None);
        };
        let lines = invoice_line::Entity::find()
            .filter(invoice_line::Column::TenantId.eq(tenant.as_uuid()))
            .filter(invoice_line::Column::InvoiceId.eq(id.as_uuid()))
            .order_by_asc(invoice_line::Column::Position)
            .all(&self.txn)
            .await
            .map_err(translate)?;
        into_domain(header, lines).map(Some)
    }

    async fn insert_lines(&self, inv: &Invoice) -> Result<(), RepositoryError> {
        if inv.content.lines.is_empty() {
            return Ok(());
        }
        let mut models = Vec::with_capacity(inv.content.lines.len());
        for (position, line) in inv.content.lines.iter().enumerate() {
            models.push(invoice_line::ActiveModel::from(invoice_line::Model {
                tenant_id: inv.tenant_id.as_uuid(),
                invoice_id: inv.id.as_uuid(),
                position: i32::try_from(position).map_err(|e| corrupt("invoice_lines.position", e))?,
                description: line.description.clone(),
                quantity: line.quantity.to_string(),
                unit_price: line.unit_price.to_string(),
                tax_rate: line.tax_rate.to_string(),
                discount_percent: line.discount_percent.to_string(),
                product_id: line.product_id,
            }));
        }
        invoice_line::Entity::insert_many(models)
            .exec_without_returning(&self.txn)
            .await
            .map_err(translate)?;
        Ok(())
    }
}
