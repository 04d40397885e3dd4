//! [`JobRepository`] (enqueueing inside a unit of work) and [`JobQueue`]
//! (the workers' claims, each its own short transaction) on SQL.

use async_trait::async_trait;
use chrono::{DateTime, TimeDelta, Utc};
use fakturo_domain::TenantId;
use fakturo_domain::kernel::repository::RepositoryError;
use fakturo_domain::messaging::outbox::{Effect, Job, JobId, JobStatus, NewJob};
use fakturo_domain::messaging::ports::{JobQueue, JobRepository};
use sea_orm::sea_query::{Cond, Expr, ExprTrait, LockBehavior, LockType, Order, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
};

use crate::entities::job::{self, Column};
use crate::errors::{corrupt, translate};
use crate::store::{SqlStore, SqlUnitOfWork};

#[async_trait]
impl JobRepository for SqlUnitOfWork {
    async fn enqueue(&self, new: &NewJob) -> Result<bool, RepositoryError> {
        let payload = serde_json::to_string(&new.effect).map_err(|e| corrupt("job payload", e))?;
        let model = job::Model {
            id: new.id,
            tenant_id: new.tenant_id.map(|t| t.as_uuid()),
            kind: new.effect.kind().to_owned(),
            payload,
            idempotency_key: new.idempotency_key.clone(),
            status: JobStatus::Pending.as_str().to_owned(),
            attempts: 0,
            max_attempts: i32::try_from(new.max_attempts).map_err(|e| corrupt("jobs.max_attempts", e))?,
            run_at: new.run_at,
            locked_until: None,
            locked_by: None,
            last_error: None,
            created_at: new.run_at,
            updated_at: new.run_at,
        };
        let inserted = job::Entity::insert(job::ActiveModel::from(model))
            .on_conflict_do_nothing_on([Column::IdempotencyKey])
            .exec_without_returning(&self.txn)
            .await
            .map_err(translate)?;
        Ok(matches!(inserted, sea_orm::TryInsertResult::Inserted(n) if n > 0))
    }
}

#[async_trait]
impl JobQueue for SqlStore {
    async fn claim(
        &self,
        worker: &str,
        now: DateTime<Utc>,
        lease: TimeDelta,
        limit: u32,
    ) -> Result<Vec<Job>, RepositoryError> {
        let due = Cond::any()
            .add(
                Cond::all()
                    .add(Expr::col(Column::Status).eq(JobStatus::Pending.as_str()))
                    .add(Expr::col(Column::RunAt).lte(now)),
            )
            .add(
                Cond::all()
                    .add(Expr::col(Column::Status).eq(JobStatus::Running.as_str()))
                    .add(Expr::col(Column::LockedUntil).lt(now)),
            );
        // FOR UPDATE SKIP LOCKED on PostgreSQL; SQLite omits it (one writer at a time).
        let candidates = Query::select()
            .column(Column::Id)
            .from(job::Entity)
            .cond_where(due)
            .order_by(Column::RunAt, Order::Asc)
            .limit(u64::from(limit))
            .lock_with_behavior(LockType::Update, LockBehavior::SkipLocked)
            .to_owned();
        let claim = Query::update()
            .table(job::Entity)
            .value(Column::Status, JobStatus::Running.as_str())
            .value(Column::Attempts, Expr::col(Column::Attempts).add(1))
            .value(Column::LockedUntil, now + lease)
            .value(Column::LockedBy, worker)
            .value(Column::UpdatedAt, now)
            .and_where(Expr::col(Column::Id).in_subquery(candidates))
            .returning_all()
            .to_owned();
        let txn = self.connection().begin().await.map_err(translate)?;
        let rows = txn.query_all(&claim).await.map_err(translate)?;
        txn.commit().await.map_err(translate)?;
        let mut jobs = rows
            .iter()
            .map(|row| {
                job::Model::from_query_result(row, "")
                    .map_err(translate)
                    .and_then(into_domain)
            })
            .collect::<Result<Vec<_>, _>>()?;
        jobs.sort_by_key(|j| j.run_at);
        Ok(jobs)
    }

    async fn complete(&self, id: JobId, now: DateTime<Utc>) -> Result<(), RepositoryError> {
        job::Entity::update_many()
            .col_expr(Column::Status, Expr::value(JobStatus::Done.as_str()))
            .col_expr(Column::LockedUntil, Expr::value(Option::<DateTime<Utc>>::None))
            .col_expr(Column::UpdatedAt, Expr::value(now))
            .filter(Column::Id.eq(id))
            .exec(self.connection())
            .await
            .map_err(translate)?;
        Ok(())
    }

    async fn fail(
        &self,
        id: JobId,
        error: &str,
        retry_at: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Result<(), RepositoryError> {
        let (status, run_at) = match retry_at {
            Some(at) => (JobStatus::Pending, Some(at)),
            None => (JobStatus::Dead, None),
        };
        let mut update = job::Entity::update_many()
            .col_expr(Column::Status, Expr::value(status.as_str()))
            .col_expr(
                Column::LastError,
                Expr::value(error.chars().take(2000).collect::<String>()),
            )
            .col_expr(Column::LockedUntil, Expr::value(Option::<DateTime<Utc>>::None))
            .col_expr(Column::UpdatedAt, Expr::value(now));
        if let Some(at) = run_at {
            update = update.col_expr(Column::RunAt, Expr::value(at));
        }
        update
            .filter(Column::Id.eq(id))
            .exec(self.connection())
            .await
            .map_err(translate)?;
        Ok(())
    }

    async fn list(&self, status: JobStatus, limit: u32) -> Result<Vec<Job>, RepositoryError> {
        job::Entity::find()
            .filter(Column::Status.eq(status.as_str()))
            .order_by_asc(Column::RunAt)
            .limit(u64::from(limit))
            .all(self.connection())
            .await
            .map_err(translate)?
            .into_iter()
            .map(into_domain)
            .collect()
    }

    async fn retry(&self, id: JobId, now: DateTime<Utc>) -> Result<bool, RepositoryError> {
        let result = job::Entity::update_many()
            .col_expr(Column::Status, Expr::value(JobStatus::Pending.as_str()))
            .col_expr(Column::Attempts, Expr::value(0))
            .col_expr(Column::RunAt, Expr::value(now))
            .col_expr(Column::UpdatedAt, Expr::value(now))
            .filter(Column::Id.eq(id))
            .filter(Column::Status.eq(JobStatus::Dead.as_str()))
            .exec(self.connection())
            .await
            .map_err(translate)?;
        Ok(result.rows_affected > 0)
    }
}

fn into_domain(model: job::Model) -> Result<Job, RepositoryError> {
    let effect: Effect = serde_json::from_str(&model.payload).map_err(|e| corrupt("jobs.payload", e))?;
    Ok(Job {
        id: model.id,
        tenant_id: model.tenant_id.map(TenantId::from_uuid),
        effect,
        idempotency_key: model.idempotency_key,
        status: JobStatus::parse(&model.status).ok_or_else(|| corrupt("jobs.status", "unknown status"))?,
        attempts: u32::try_from(model.attempts).map_err(|e| corrupt("jobs.attempts", e))?,
        max_attempts: u32::try_from(model.max_attempts).map_err(|e| corrupt("jobs.max_attempts", e))?,
        run_at: model.run_at,
        locked_until: model.locked_until,
        last_error: model.last_error,
        created_at: model.created_at,
        updated_at: model.updated_at,
    })
}
