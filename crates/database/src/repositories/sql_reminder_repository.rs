//! [`ReminderRepository`] on SQL.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use fakturo_domain::invoicing::invoice::{Invoice, InvoiceStatus};
use fakturo_domain::invoicing::ports::ReminderRepository;
use fakturo_domain::invoicing::reminders::{InvoiceReminder, ReminderRule, ReminderSettings, ReminderStatus};
use fakturo_domain::kernel::repository::RepositoryError;
use fakturo_domain::{InvoiceId, TenantId};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};

use crate::entities::{client, invoice, invoice_reminder, reminder_settings};
use crate::errors::{corrupt, translate};
use crate::store::SqlUnitOfWork;

#[derive(Serialize, Deserialize)]
struct StoredRule {
    days_from_due: i32,
    repeat_every_days: Option<u32>,
    max_repeats: Option<u32>,
}

#[async_trait]
impl ReminderRepository for SqlUnitOfWork {
    async fn settings(&self, tenant: TenantId) -> Result<Option<ReminderSettings>, RepositoryError> {
        let Some(model) = reminder_settings::Entity::find_by_id(tenant.as_uuid())
            .one(&self.txn)
            .await
            .map_err(translate)?
        else {
            return Ok(None);
        };
        let rules: Vec<StoredRule> =
            serde_json::from_str(&model.rules).map_err(|e| corrupt("reminder_settings.rules", e))?;
        Ok(Some(ReminderSettings {
            enabled: model.enabled,
            rules: rules
                .into_iter()
                .map(|r| ReminderRule {
                    days_from_due: r.days_from_due,
                    repeat_every_days: r.repeat_every_days,
                    max_repeats: r.max_repeats,
                })
                .collect(),
        }))
    }

    async fn save_settings(
        &self,
        tenant: TenantId,
        settings: &ReminderSettings,
        now: DateTime<Utc>,
    ) -> Result<(), RepositoryError> {
        let rules: Vec<StoredRule> = settings
            .rules
            .iter()
            .map(|r| StoredRule {
                days_from_due: r.days_from_due,
                repeat_every_days: r.repeat_every_days,
                max_repeats: r.max_repeats,
            })
            .collect();
        let model = reminder_settings::Model {
            tenant_id: tenant.as_uuid(),
            enabled: settings.enabled,
            rules: serde_json::to_string(&rules).map_err(|e| corrupt("reminder_settings.rules", e))?,
            updated_at: now,
        };
        reminder_settings::Entity::insert(reminder_settings::ActiveModel::from(model))
            .on_conflict(
                OnConflict::column(reminder_settings::Column::TenantId)
                    .update_columns([
                        reminder_settings::Column::Enabled,
                        reminder_settings::Column::Rules,
                        reminder_settings::Column::UpdatedAt,
                    ])
                    .to_owned(),
            )
            .exec_without_returning(&self.txn)
            .await
            .map_err(translate)?;
        Ok(())
    }

    async fn tenants_with_reminders(&self) -> Result<Vec<TenantId>, RepositoryError> {
        let rows = reminder_settings::Entity::find()
            .filter(reminder_settings::Column::Enabled.eq(true))
            .all(&self.txn)
            .await
            .map_err(translate)?;
        Ok(rows.into_iter().map(|r| TenantId::from_uuid(r.tenant_id)).collect())
    }

    async fn payable_due_between(
        &self,
        tenant: TenantId,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<Invoice>, RepositoryError> {
        let excluded: Vec<uuid::Uuid> = client::Entity::find()
            .filter(client::Column::TenantId.eq(tenant.as_uuid()))
            .filter(client::Column::RemindersEnabled.eq(false))
            .all(&self.txn)
            .await
            .map_err(translate)?
            .into_iter()
            .map(|c| c.id)
            .collect();
        let mut query = invoice::Entity::find()
            .filter(invoice::Column::TenantId.eq(tenant.as_uuid()))
            .filter(
                invoice::Column::Status.is_in([InvoiceStatus::Open.as_str(), InvoiceStatus::PartiallyPaid.as_str()]),
            )
            .filter(invoice::Column::DueDate.gte(from))
            .filter(invoice::Column::DueDate.lte(to));
        if !excluded.is_empty() {
            query = query.filter(invoice::Column::ClientId.is_not_in(excluded));
        }
        let headers = query
            .order_by_asc(invoice::Column::DueDate)
            .all(&self.txn)
            .await
            .map_err(translate)?;
        let mut invoices = Vec::with_capacity(headers.len());
        for header in headers {
            let id = fakturo_domain::InvoiceId::from_uuid(header.id);
            if let Some(invoice) = fakturo_domain::invoicing::ports::InvoiceRepository::get(self, tenant, id).await? {
                invoices.push(invoice);
            }
        }
        Ok(invoices)
    }

    async fn for_invoice(&self, tenant: TenantId, invoice: InvoiceId) -> Result<Vec<InvoiceReminder>, RepositoryError> {
        invoice_reminder::Entity::find()
            .filter(invoice_reminder::Column::TenantId.eq(tenant.as_uuid()))
            .filter(invoice_reminder::Column::InvoiceId.eq(invoice.as_uuid()))
            .order_by_asc(invoice_reminder::Column::DaysFromDue)
            .all(&self.txn)
            .await
            .map_err(translate)?
            .into_iter()
            .map(|model| {
                Ok(InvoiceReminder {
                    tenant_id: TenantId::from_uuid(model.tenant_id),
                    invoice_id: InvoiceId::from_uuid(model.invoice_id),
                    days_from_due: model.days_from_due,
                    due_on: model.due_on,
                    status: ReminderStatus::parse(&model.status)
                        .ok_or_else(|| corrupt("invoice_reminders.status", "unknown"))?,
                    recipient: model.recipient,
                    sent_at: model.sent_at,
                    created_at: model.created_at,
                })
            })
            .collect()
    }

    async fn insert(&self, reminder: &InvoiceReminder) -> Result<bool, RepositoryError> {
        let model = invoice_reminder::Model {
            tenant_id: reminder.tenant_id.as_uuid(),
            invoice_id: reminder.invoice_id.as_uuid(),
            days_from_due: reminder.days_from_due,
            due_on: reminder.due_on,
            status: reminder.status.as_str().to_owned(),
            recipient: reminder.recipient.clone(),
            sent_at: reminder.sent_at,
            created_at: reminder.created_at,
        };
        let inserted = invoice_reminder::Entity::insert(invoice_reminder::ActiveModel::from(model))
            .on_conflict_do_nothing()
            .exec_without_returning(&self.txn)
            .await
            .map_err(translate)?;
        Ok(matches!(inserted, sea_orm::TryInsertResult::Inserted(n) if n > 0))
    }

    async fn set_status(
        &self,
        tenant: TenantId,
        invoice: InvoiceId,
        days_from_due: i32,
        status: ReminderStatus,
        recipient: Option<&str>,
        at: Option<DateTime<Utc>>,
    ) -> Result<(), RepositoryError> {
        invoice_reminder::Entity::update_many()
            .col_expr(invoice_reminder::Column::Status, Expr::value(status.as_str()))
            .col_expr(
                invoice_reminder::Column::Recipient,
                Expr::value(recipient.map(str::to_owned)),
            )
            .col_expr(invoice_reminder::Column::SentAt, Expr::value(at))
            .filter(invoice_reminder::Column::TenantId.eq(tenant.as_uuid()))
            .filter(invoice_reminder::Column::InvoiceId.eq(invoice.as_uuid()))
            .filter(invoice_reminder::Column::DaysFromDue.eq(days_from_due))
            .exec(&self.txn)
            .await
            .map_err(translate)?;
        Ok(())
    }
}
