//! [`WebhookInboxRepository`] on SQL: one row per provider + account +
//! event id (the primary key), the raw body kept as received. Settling is a
//! conditional update, so of two units settling the same entry one commits
//! and the other gets a conflict.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use fakturo_domain::billing::ports::WebhookInboxRepository;
use fakturo_domain::billing::webhook::{InboxEntry, InboxKey, InboxState, WebhookAccount, WebhookProvider};
use fakturo_domain::kernel::repository::RepositoryError;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::entities::webhook_inbox::{self, Column};
use crate::errors::{corrupt, translate};
use crate::store::SqlUnitOfWork;

const RECEIVED: &str = "received";
const PROCESSED: &str = "processed";
const PARKED: &str = "parked";

fn provider(text: &str) -> Result<WebhookProvider, RepositoryError> {
    match text {
        "stripe" => Ok(WebhookProvider::Stripe),
        "paddle" => Ok(WebhookProvider::Paddle),
        other => Err(corrupt("webhook_inbox.provider", other)),
    }
}

fn key_of(model: &webhook_inbox::Model) -> Result<InboxKey, RepositoryError> {
    Ok(InboxKey {
        provider: provider(&model.provider)?,
        account: WebhookAccount::parse(&model.account).ok_or_else(|| corrupt("webhook_inbox.account", "unknown"))?,
        event_id: model.event_id.clone(),
    })
}

fn into_domain(model: webhook_inbox::Model) -> Result<InboxEntry, RepositoryError> {
    let state = match model.state.as_str() {
        RECEIVED => InboxState::Received,
        PROCESSED => InboxState::Processed,
        PARKED => InboxState::Parked {
            reason: model.park_reason.clone().unwrap_or_default(),
        },
        other => return Err(corrupt("webhook_inbox.state", other)),
    };
    Ok(InboxEntry {
        key: key_of(&model)?,
        event_type: model.event_type,
        raw_body: model.raw_body,
        received_at: model.received_at,
        state,
        settled_at: model.settled_at,
    })
}

fn by_key(key: &InboxKey) -> sea_orm::Condition {
    sea_orm::Condition::all()
        .add(Column::Provider.eq(key.provider.as_str()))
        .add(Column::Account.eq(key.account.to_string()))
        .add(Column::EventId.eq(key.event_id.as_str()))
}

#[async_trait]
impl WebhookInboxRepository for SqlUnitOfWork {
    async fn insert(&self, entry: &InboxEntry) -> Result<bool, RepositoryError> {
        let (state, reason) = match &entry.state {
            InboxState::Received => (RECEIVED, None),
            InboxState::Processed => (PROCESSED, None),
            InboxState::Parked { reason } => (PARKED, Some(reason.clone())),
        };
        let model = webhook_inbox::Model {
            provider: entry.key.provider.as_str().to_owned(),
            account: entry.key.account.to_string(),
            event_id: entry.key.event_id.clone(),
            tenant_id: match entry.key.account {
                WebhookAccount::Tenant(tenant) => Some(tenant.as_uuid()),
                WebhookAccount::Operator => None,
            },
            event_type: entry.event_type.clone(),
            raw_body: entry.raw_body.clone(),
            state: state.to_owned(),
            park_reason: reason,
            received_at: entry.received_at,
            settled_at: entry.settled_at,
        };
        let inserted = webhook_inbox::Entity::insert(webhook_inbox::ActiveModel::from(model))
            .on_conflict_do_nothing()
            .exec_without_returning(&self.txn)
            .await
            .map_err(translate)?;
        Ok(matches!(inserted, sea_orm::TryInsertResult::Inserted(n) if n > 0))
    }

    async fn get(&self, key: &InboxKey) -> Result<Option<InboxEntry>, RepositoryError> {
        webhook_inbox::Entity::find()
            .filter(by_key(key))
            .one(&self.txn)
            .await
            .map_err(translate)?
            .map(into_domain)
            .transpose()
    }

    async fn received(&self, limit: u32) -> Result<Vec<InboxKey>, RepositoryError> {
        webhook_inbox::Entity::find()
            .filter(Column::State.eq(RECEIVED))
            .order_by_asc(Column::ReceivedAt)
            .order_by_asc(Column::EventId)
            .limit(u64::from(limit))
            .all(&self.txn)
            .await
            .map_err(translate)?
            .iter()
            .map(key_of)
            .collect()
    }

    async fn settle(&self, key: &InboxKey, state: &InboxState, at: DateTime<Utc>) -> Result<(), RepositoryError> {
        let (name, reason) = match state {
            InboxState::Received => (RECEIVED, None),
            InboxState::Processed => (PROCESSED, None),
            InboxState::Parked { reason } => (PARKED, Some(reason.clone())),
        };
        let result = webhook_inbox::Entity::update_many()
            .col_expr(Column::State, Expr::value(name))
            .col_expr(Column::ParkReason, Expr::value(reason))
            .col_expr(Column::SettledAt, Expr::value(Some(at)))
            .filter(by_key(key))
            .filter(Column::State.eq(RECEIVED))
            .exec(&self.txn)
            .await
            .map_err(translate)?;
        if result.rows_affected == 0 {
            // Settled by a concurrent unit (or gone): this unit must not commit.
            return Err(RepositoryError::Conflict);
        }
        Ok(())
    }
}
