//! [`SubscriptionRepository`] and [`BillingTransactionRepository`] on SQL:
//! the operator's billing records of its tenants.

use async_trait::async_trait;
use fakturo_domain::TenantId;
use fakturo_domain::billing::plan::PlanId;
use fakturo_domain::billing::ports::{BillingTransactionRepository, SubscriptionRepository};
use fakturo_domain::billing::records::BillingTransaction;
use fakturo_domain::billing::subscription::{Subscription, SubscriptionStatus};
use fakturo_domain::billing::webhook::WebhookProvider;
use fakturo_domain::kernel::repository::RepositoryError;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::entities::{billing_transaction, subscription};
use crate::errors::{corrupt, translate};
use crate::store::SqlUnitOfWork;

fn provider(text: &str) -> Result<WebhookProvider, RepositoryError> {
    match text {
        "stripe" => Ok(WebhookProvider::Stripe),
        "paddle" => Ok(WebhookProvider::Paddle),
        other => Err(corrupt("billing provider", other)),
    }
}

fn into_domain(m: subscription::Model) -> Result<Subscription, RepositoryError> {
    Ok(Subscription {
        tenant: TenantId::from_uuid(m.tenant_id),
        provider: provider(&m.provider)?,
        subscription_id: m.subscription_id,
        customer_id: m.customer_id,
        plan: m.plan_id.map(PlanId),
        status: SubscriptionStatus::parse(&m.status).ok_or_else(|| corrupt("subscriptions.status", &m.status))?,
        current_period_end: m.current_period_end,
        cancel_at: m.cancel_at,
        ordering_key: m.ordering_key,
    })
}

#[async_trait]
impl SubscriptionRepository for SqlUnitOfWork {
    async fn get(&self, tenant: TenantId) -> Result<Option<Subscription>, RepositoryError> {
        subscription::Entity::find_by_id(tenant.as_uuid())
            .one(&self.txn)
            .await
            .map_err(translate)?
            .map(into_domain)
            .transpose()
    }

    async fn by_provider_id(
        &self,
        provider: WebhookProvider,
        subscription_id: &str,
    ) -> Result<Option<Subscription>, RepositoryError> {
        subscription::Entity::find()
            .filter(subscription::Column::Provider.eq(provider.as_str()))
            .filter(subscription::Column::SubscriptionId.eq(subscription_id))
            .one(&self.txn)
            .await
            .map_err(translate)?
            .map(into_domain)
            .transpose()
    }

    async fn save(&self, s: &Subscription) -> Result<(), RepositoryError> {
        use subscription::Column;
        let model = subscription::Model {
            tenant_id: s.tenant.as_uuid(),
            provider: s.provider.as_str().to_owned(),
            subscription_id: s.subscription_id.clone(),
            customer_id: s.customer_id.clone(),
            plan_id: s.plan.as_ref().map(|plan| plan.0.clone()),
            status: s.status.as_str().to_owned(),
            current_period_end: s.current_period_end,
            cancel_at: s.cancel_at,
            ordering_key: s.ordering_key,
            updated_at: s.ordering_key,
        };
        subscription::Entity::insert(subscription::ActiveModel::from(model))
            .on_conflict(
                OnConflict::column(Column::TenantId)
                    .update_columns([
                        Column::Provider,
                        Column::SubscriptionId,
                        Column::CustomerId,
                        Column::PlanId,
                        Column::Status,
                        Column::CurrentPeriodEnd,
                        Column::CancelAt,
                        Column::OrderingKey,
                        Column::UpdatedAt,
                    ])
                    .to_owned(),
            )
            .exec_without_returning(&self.txn)
            .await
            .map_err(translate)?;
        Ok(())
    }
}

#[async_trait]
impl BillingTransactionRepository for SqlUnitOfWork {
    async fn record(&self, t: &BillingTransaction) -> Result<(), RepositoryError> {
        use billing_transaction::Column;
        let model = billing_transaction::Model {
            provider: t.provider.as_str().to_owned(),
            provider_reference: t.provider_reference.clone(),
            tenant_id: t.tenant.as_uuid(),
            amount_minor: t.amount_minor,
            currency: t.currency.clone(),
            status: t.status.clone(),
            occurred_at: t.occurred_at,
            invoice_url: t.invoice_url.clone(),
        };
        // The tenant of a reference never changes: only its state is updated.
        billing_transaction::Entity::insert(billing_transaction::ActiveModel::from(model))
            .on_conflict(
                OnConflict::columns([Column::Provider, Column::ProviderReference])
                    .update_columns([
                        Column::AmountMinor,
                        Column::Currency,
                        Column::Status,
                        Column::InvoiceUrl,
                    ])
                    .to_owned(),
            )
            .exec_without_returning(&self.txn)
            .await
            .map_err(translate)?;
        Ok(())
    }

    async fn list(&self, tenant: TenantId, limit: u32) -> Result<Vec<BillingTransaction>, RepositoryError> {
        use billing_transaction::Column;
        billing_transaction::Entity::find()
            .filter(Column::TenantId.eq(tenant.as_uuid()))
            .order_by_desc(Column::OccurredAt)
            .order_by_desc(Column::ProviderReference)
            .limit(u64::from(limit))
            .all(&self.txn)
            .await
            .map_err(translate)?
            .into_iter()
            .map(|m| {
                Ok(BillingTransaction {
                    tenant: TenantId::from_uuid(m.tenant_id),
                    provider: provider(&m.provider)?,
                    provider_reference: m.provider_reference,
                    amount_minor: m.amount_minor,
                    currency: m.currency,
                    status: m.status,
                    occurred_at: m.occurred_at,
                    invoice_url: m.invoice_url,
                })
            })
            .collect()
    }
}
