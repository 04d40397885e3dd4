//! The retention sweeper's deletions of expired rows, by kind: technical
//! records, security events, settled webhook events and the operator's
//! billing records past their period, anonymous analytics past theirs.

use chrono::{DateTime, Utc};
use fakturo_domain::kernel::repository::RepositoryError;
use fakturo_domain::privacy::ports::Expiry;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use crate::entities::{
    analytics_event, audit_event, billing_transaction, idempotency_key, job, login_throttle, one_time_token, session,
    subscription, webhook_inbox,
};
use crate::errors::translate;
use crate::store::SqlUnitOfWork;

impl SqlUnitOfWork {
    pub(crate) async fn expired_count(&self, kind: Expiry, cutoff: DateTime<Utc>) -> Result<u64, RepositoryError> {
        let count = match kind {
            Expiry::SecurityEvents => {
                audit_event::Entity::find()
                    .filter(audit_event::Column::OccurredAt.lt(cutoff))
                    .count(&self.txn)
                    .await
            }
            Expiry::FinishedJobs => {
                job::Entity::find()
                    .filter(job::Column::Status.is_in(["done", "dead"]))
                    .filter(job::Column::UpdatedAt.lt(cutoff))
                    .count(&self.txn)
                    .await
            }
            Expiry::SpentTokens => {
                one_time_token::Entity::find()
                    .filter(one_time_token::Column::ExpiresAt.lt(cutoff))
                    .count(&self.txn)
                    .await
            }
            Expiry::ExpiredSessions => {
                session::Entity::find()
                    .filter(session::Column::ExpiresAt.lt(cutoff))
                    .count(&self.txn)
                    .await
            }
            Expiry::StaleThrottles => {
                login_throttle::Entity::find()
                    .filter(login_throttle::Column::UpdatedAt.lt(cutoff))
                    .count(&self.txn)
                    .await
            }
            Expiry::IdempotencyRecords => {
                idempotency_key::Entity::find()
                    .filter(idempotency_key::Column::StartedAt.lt(cutoff))
                    .count(&self.txn)
                    .await
            }
            Expiry::WebhookEvents => {
                webhook_inbox::Entity::find()
                    .filter(webhook_inbox::Column::State.ne("received"))
                    .filter(webhook_inbox::Column::ReceivedAt.lt(cutoff))
                    .count(&self.txn)
                    .await
            }
            Expiry::BillingRecords => {
                let transactions = billing_transaction::Entity::find()
                    .filter(billing_transaction::Column::OccurredAt.lt(cutoff))
                    .count(&self.txn)
                    .await
                    .map_err(translate)?;
                let subscriptions = subscription::Entity::find()
                    .filter(subscription::Column::UpdatedAt.lt(cutoff))
                    .count(&self.txn)
                    .await
                    .map_err(translate)?;
                Ok(transactions + subscriptions)
            }
            Expiry::AnalyticsEvents => {
                analytics_event::Entity::find()
                    .filter(analytics_event::Column::OccurredHour.lt(cutoff))
                    .count(&self.txn)
                    .await
            }
        };
        count.map_err(translate)
    }

    pub(crate) async fn expired_delete(&self, kind: Expiry, cutoff: DateTime<Utc>) -> Result<u64, RepositoryError> {
        let result = match kind {
            Expiry::SecurityEvents => {
                audit_event::Entity::delete_many()
                    .filter(audit_event::Column::OccurredAt.lt(cutoff))
                    .exec(&self.txn)
                    .await
            }
            Expiry::FinishedJobs => {
                job::Entity::delete_many()
                    .filter(job::Column::Status.is_in(["done", "dead"]))
                    .filter(job::Column::UpdatedAt.lt(cutoff))
                    .exec(&self.txn)
                    .await
            }
            Expiry::SpentTokens => {
                one_time_token::Entity::delete_many()
                    .filter(one_time_token::Column::ExpiresAt.lt(cutoff))
                    .exec(&self.txn)
                    .await
            }
            Expiry::ExpiredSessions => {
                session::Entity::delete_many()
                    .filter(session::Column::ExpiresAt.lt(cutoff))
                    .exec(&self.txn)
                    .await
            }
            Expiry::StaleThrottles => {
                login_throttle::Entity::delete_many()
                    .filter(login_throttle::Column::UpdatedAt.lt(cutoff))
                    .exec(&self.txn)
                    .await
            }
            Expiry::IdempotencyRecords => {
                idempotency_key::Entity::delete_many()
                    .filter(idempotency_key::Column::StartedAt.lt(cutoff))
                    .exec(&self.txn)
                    .await
            }
            Expiry::WebhookEvents => {
                webhook_inbox::Entity::delete_many()
                    .filter(webhook_inbox::Column::State.ne("received"))
                    .filter(webhook_inbox::Column::ReceivedAt.lt(cutoff))
                    .exec(&self.txn)
                    .await
            }
            Expiry::BillingRecords => {
                let transactions = billing_transaction::Entity::delete_many()
                    .filter(billing_transaction::Column::OccurredAt.lt(cutoff))
                    .exec(&self.txn)
                    .await
                    .map_err(translate)?;
                let subscriptions = subscription::Entity::delete_many()
                    .filter(subscription::Column::UpdatedAt.lt(cutoff))
                    .exec(&self.txn)
                    .await
                    .map_err(translate)?;
                return Ok(transactions.rows_affected + subscriptions.rows_affected);
            }
            Expiry::AnalyticsEvents => {
                analytics_event::Entity::delete_many()
                    .filter(analytics_event::Column::OccurredHour.lt(cutoff))
                    .exec(&self.txn)
                    .await
            }
        };
        Ok(result.map_err(translate)?.rows_affected)
    }
}
