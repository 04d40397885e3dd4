//! [`ErasureRepository`] and [`RetentionRepository`] on SQL: erasure records,
//! legal holds, the sweeper's deletions. The tenant purge walks the data
//! map's tables in their declared order, so a declared table is purged.

use std::collections::BTreeMap;

use async_trait::async_trait;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use fakturo_domain::invoicing::invoice::{InvoiceStatus, LegalHold};
use fakturo_domain::kernel::repository::RepositoryError;
use fakturo_domain::privacy::ports::{ErasureRecord, ErasureRepository, Expiry, RetentionRepository};
use fakturo_domain::privacy::retention::DataCategory;
use fakturo_domain::{ClientId, InvoiceId, TenantId, UserId};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    Statement, Value,
};

use crate::data_map::DECLARATIONS;
use crate::entities::{client, credit_note, erasure, invoice, invoice_reminder, payment, recurring_run, retention_run};
use crate::errors::{corrupt, translate};
use crate::store::SqlUnitOfWork;

/// Tables whose rows a purge that keeps accounting records leaves in place.
const ACCOUNTING_TABLES: [&str; 7] = [
    "credit_notes",
    "invoices",
    "invoice_lines",
    "payments",
    "number_counters",
    "clients",
    "organizations",
];

#[async_trait]
impl ErasureRepository for SqlUnitOfWork {
    async fn insert_erasure(&self, r: &ErasureRecord) -> Result<(), RepositoryError> {
        let model = erasure::Model {
            tenant_id: r.tenant_id.as_uuid(),
            id: r.id,
            client_id: r.client_id.as_uuid(),
            privacy_request_id: r.privacy_request_id,
            performed_by: r.performed_by.as_uuid(),
            performed_at: r.performed_at,
            report: r.report.clone(),
        };
        erasure::Entity::insert(erasure::ActiveModel::from(model))
            .exec_without_returning(&self.txn)
            .await
            .map_err(translate)?;
        Ok(())
    }

    async fn erasures(&self, tenant: TenantId, client: ClientId) -> Result<Vec<ErasureRecord>, RepositoryError> {
        let rows = erasure::Entity::find()
            .filter(erasure::Column::TenantId.eq(tenant.as_uuid()))
            .filter(erasure::Column::ClientId.eq(client.as_uuid()))
            .order_by_desc(erasure::Column::Id)
            .all(&self.txn)
            .await
            .map_err(translate)?;
        Ok(rows
            .into_iter()
            .map(|m| ErasureRecord {
                id: m.id,
                tenant_id: TenantId::from_uuid(m.tenant_id),
                client_id: ClientId::from_uuid(m.client_id),
                privacy_request_id: m.privacy_request_id,
                performed_by: UserId::from_uuid(m.performed_by),
                performed_at: m.performed_at,
                report: m.report,
            })
            .collect())
    }

    async fn set_hold(&self, tenant: TenantId, id: InvoiceId, hold: LegalHold) -> Result<(), RepositoryError> {
        invoice::Entity::update_many()
            .col_expr(invoice::Column::Restricted, Expr::value(hold.restricted))
            .col_expr(invoice::Column::LegalHoldUntil, Expr::value(hold.until))
            .filter(invoice::Column::TenantId.eq(tenant.as_uuid()))
            .filter(invoice::Column::Id.eq(id.as_uuid()))
            .exec(&self.txn)
            .await
            .map_err(translate)?;
        Ok(())
    }

    async fn count_payments(&self, tenant: TenantId, id: InvoiceId) -> Result<u64, RepositoryError> {
        payment::Entity::find()
            .filter(payment::Column::TenantId.eq(tenant.as_uuid()))
            .filter(payment::Column::InvoiceId.eq(id.as_uuid()))
            .count(&self.txn)
            .await
            .map_err(translate)
    }

    async fn delete_reminders(&self, tenant: TenantId, id: InvoiceId) -> Result<u64, RepositoryError> {
        let result = invoice_reminder::Entity::delete_many()
            .filter(invoice_reminder::Column::TenantId.eq(tenant.as_uuid()))
            .filter(invoice_reminder::Column::InvoiceId.eq(id.as_uuid()))
            .exec(&self.txn)
            .await
            .map_err(translate)?;
        Ok(result.rows_affected)
    }
}

#[async_trait]
impl RetentionRepository for SqlUnitOfWork {
    async fn count_expired(&self, kind: Expiry, cutoff: DateTime<Utc>) -> Result<u64, RepositoryError> {
        self.expired_count(kind, cutoff).await
    }

    async fn delete_expired(&self, kind: Expiry, cutoff: DateTime<Utc>) -> Result<u64, RepositoryError> {
        self.expired_delete(kind, cutoff).await
    }

    async fn holds_ended(&self, as_of: NaiveDate, limit: u32) -> Result<Vec<(TenantId, InvoiceId)>, RepositoryError> {
        let rows: Vec<(uuid::Uuid, uuid::Uuid)> = invoice::Entity::find()
            .select_only()
            .column(invoice::Column::TenantId)
            .column(invoice::Column::Id)
            .filter(invoice::Column::LegalHoldUntil.lt(as_of))
            .order_by_asc(invoice::Column::LegalHoldUntil)
            .limit(u64::from(limit))
            .into_tuple()
            .all(&self.txn)
            .await
            .map_err(translate)?;
        Ok(rows
            .into_iter()
            .map(|(tenant, id)| (TenantId::from_uuid(tenant), InvoiceId::from_uuid(id)))
            .collect())
    }

    async fn delete_held_invoice(
        &self,
        tenant: TenantId,
        id: InvoiceId,
    ) -> Result<BTreeMap<String, u64>, RepositoryError> {
        let mut deleted = BTreeMap::new();
        let t = tenant.as_uuid();
        let i = id.as_uuid();
        let Some(header) = invoice::Entity::find_by_id((t, i))
            .one(&self.txn)
            .await
            .map_err(translate)?
        else {
            return Ok(deleted);
        };
        let reminders = invoice_reminder::Entity::delete_many()
            .filter(invoice_reminder::Column::TenantId.eq(t))
            .filter(invoice_reminder::Column::InvoiceId.eq(i))
            .exec(&self.txn)
            .await
            .map_err(translate)?;
        let payments = payment::Entity::delete_many()
            .filter(payment::Column::TenantId.eq(t))
            .filter(payment::Column::InvoiceId.eq(i))
            .exec(&self.txn)
            .await
            .map_err(translate)?;
        recurring_run::Entity::delete_many()
            .filter(recurring_run::Column::TenantId.eq(t))
            .filter(recurring_run::Column::InvoiceId.eq(i))
            .exec(&self.txn)
            .await
            .map_err(translate)?;
        let credit_notes = credit_note::Entity::delete_many()
            .filter(credit_note::Column::TenantId.eq(t))
            .filter(credit_note::Column::InvoiceId.eq(i))
            .exec(&self.txn)
            .await
            .map_err(translate)?;
        deleted.insert("credit_notes".into(), credit_notes.rows_affected);
        // Lines go with the header (ON DELETE CASCADE).
        let invoices = invoice::Entity::delete_many()
            .filter(invoice::Column::TenantId.eq(t))
            .filter(invoice::Column::Id.eq(i))
            .exec(&self.txn)
            .await
            .map_err(translate)?;
        deleted.insert("invoice_reminders".into(), reminders.rows_affected);
        deleted.insert("payments".into(), payments.rows_affected);
        deleted.insert("invoices".into(), invoices.rows_affected);
        let left = invoice::Entity::find()
            .filter(invoice::Column::TenantId.eq(t))
            .filter(invoice::Column::ClientId.eq(header.client_id))
            .count(&self.txn)
            .await
            .map_err(translate)?;
        if left == 0 {
            let clients = client::Entity::delete_many()
                .filter(client::Column::TenantId.eq(t))
                .filter(client::Column::Id.eq(header.client_id))
                .filter(client::Column::ErasedAt.is_not_null())
                .exec(&self.txn)
                .await
                .map_err(translate)?;
            deleted.insert("clients".into(), clients.rows_affected);
        }
        Ok(deleted)
    }

    async fn count_tenant_rows(&self, tenant: TenantId) -> Result<BTreeMap<String, u64>, RepositoryError> {
        let backend = self.txn.get_database_backend();
        let mut counts = BTreeMap::new();
        for d in DECLARATIONS {
            let Some(column) = d.tenant_column else { continue };
            let sql = format!(
                "SELECT COUNT(*) AS n FROM \"{}\" WHERE \"{column}\" = {}",
                d.table,
                placeholder(backend)
            );
            let row = self
                .txn
                .query_one_raw(Statement::from_sql_and_values(
                    backend,
                    sql,
                    [Value::from(tenant.as_uuid())],
                ))
                .await
                .map_err(translate)?;
            let n: i64 = row
                .map(|r| r.try_get("", "n"))
                .transpose()
                .map_err(translate)?
                .unwrap_or(0);
            counts.insert(d.table.to_owned(), u64::try_from(n).unwrap_or(0));
        }
        Ok(counts)
    }

    async fn purge_tenant(
        &self,
        tenant: TenantId,
        keep_accounting_years: Option<u32>,
        now: DateTime<Utc>,
    ) -> Result<BTreeMap<String, u64>, RepositoryError> {
        let keep = match keep_accounting_years {
            Some(years) => self.hold_finalized_invoices(tenant, years, now).await?,
            None => false,
        };
        let backend = self.txn.get_database_backend();
        let mut deleted = BTreeMap::new();
        for d in DECLARATIONS {
            let Some(column) = d.tenant_column else { continue };
            // The operator's billing records outlive the tenant until their own period ends.
            if (keep && ACCOUNTING_TABLES.contains(&d.table)) || d.category == DataCategory::OperatorBilling {
                continue;
            }
            let sql = format!(
                "DELETE FROM \"{}\" WHERE \"{column}\" = {}",
                d.table,
                placeholder(backend)
            );
            let result = self
                .txn
                .execute_raw(Statement::from_sql_and_values(
                    backend,
                    sql,
                    [Value::from(tenant.as_uuid())],
                ))
                .await
                .map_err(translate)?;
            deleted.insert(d.table.to_owned(), result.rows_affected());
        }
        Ok(deleted)
    }

    async fn claim_sweep(&self, day: NaiveDate, now: DateTime<Utc>) -> Result<bool, RepositoryError> {
        let model = retention_run::Model {
            run_on: day,
            started_at: now,
            finished_at: None,
            report: None,
        };
        let inserted = retention_run::Entity::insert(retention_run::ActiveModel::from(model))
            .on_conflict_do_nothing()
            .exec_without_returning(&self.txn)
            .await
            .map_err(translate)?;
        Ok(matches!(inserted, sea_orm::TryInsertResult::Inserted(n) if n > 0))
    }

    async fn finish_sweep(&self, day: NaiveDate, report: &str, now: DateTime<Utc>) -> Result<(), RepositoryError> {
        let model = retention_run::Model {
            run_on: day,
            started_at: now,
            finished_at: Some(now),
            report: Some(report.to_owned()),
        };
        retention_run::Entity::insert(retention_run::ActiveModel::from(model))
            .on_conflict(
                OnConflict::column(retention_run::Column::RunOn)
                    .update_columns([retention_run::Column::FinishedAt, retention_run::Column::Report])
                    .to_owned(),
            )
            .exec_without_returning(&self.txn)
            .await
            .map_err(translate)?;
        Ok(())
    }
}

impl SqlUnitOfWork {
    /// Drafts go; finalized invoices are restricted under a hold of `years`
    /// from the end of their year of issue; clients are anonymized. `false`
    /// when no finalized invoice is left (nothing to keep).
    async fn hold_finalized_invoices(
        &self,
        tenant: TenantId,
        years: u32,
        now: DateTime<Utc>,
    ) -> Result<bool, RepositoryError> {
        let t = tenant.as_uuid();
        invoice::Entity::delete_many()
            .filter(invoice::Column::TenantId.eq(t))
            .filter(invoice::Column::Status.eq(InvoiceStatus::Draft.as_str()))
            .exec(&self.txn)
            .await
            .map_err(translate)?;
        let finalized: Vec<(uuid::Uuid, Option<NaiveDate>)> = invoice::Entity::find()
            .select_only()
            .column(invoice::Column::Id)
            .column(invoice::Column::IssueDate)
            .filter(invoice::Column::TenantId.eq(t))
            .into_tuple()
            .all(&self.txn)
            .await
            .map_err(translate)?;
        if finalized.is_empty() {
            return Ok(false);
        }
        for (id, issued) in &finalized {
            let year = issued.map_or(1970, |d| d.year()) + i32::try_from(years).unwrap_or(10);
            let until = NaiveDate::from_ymd_opt(year, 12, 31).ok_or_else(|| corrupt("invoices.issue_date", "year"))?;
            self.set_hold(
                tenant,
                InvoiceId::from_uuid(*id),
                LegalHold {
                    restricted: true,
                    until: Some(until),
                },
            )
            .await?;
        }
        client::Entity::update_many()
            .col_expr(client::Column::Name, Expr::value("Erased client"))
            .col_expr(client::Column::Email, Expr::value(Option::<String>::None))
            .col_expr(client::Column::Phone, Expr::value(Option::<String>::None))
            .col_expr(client::Column::Address, Expr::value(Option::<String>::None))
            .col_expr(client::Column::TaxId, Expr::value(Option::<String>::None))
            .col_expr(client::Column::Locale, Expr::value(Option::<String>::None))
            .col_expr(client::Column::ProcessingRestricted, Expr::value(true))
            .col_expr(client::Column::ErasedAt, Expr::value(Some(now)))
            .filter(client::Column::TenantId.eq(t))
            .exec(&self.txn)
            .await
            .map_err(translate)?;
        Ok(true)
    }
}

fn placeholder(backend: DbBackend) -> &'static str {
    match backend {
        DbBackend::Postgres => "$1",
        _ => "?",
    }
}
