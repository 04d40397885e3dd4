//! [`ExportRepository`] on SQL. Rows are read generically from the data
//! map: each table's exported columns become one JSON object per row
//! (`json_object` on SQLite, `json_build_object` on PostgreSQL), streamed
//! from the database into the caller's sink without collecting them.
//! Secret and digest columns are never selected.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use fakturo_domain::kernel::repository::RepositoryError;
use fakturo_domain::privacy::data_map::{Link, TableDeclaration};
use fakturo_domain::privacy::exports::{Export, ExportScope, ExportStatus};
use fakturo_domain::privacy::ports::{ExportRepository, ExportTable, RowSink};
use fakturo_domain::{TenantId, UserId};
use futures::StreamExt;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DbBackend, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Statement,
    StreamTrait, Value,
};
use uuid::Uuid;

use crate::data_map::{DECLARATIONS, declaration};
use crate::entities::export;
use crate::errors::{corrupt, translate};
use crate::store::SqlUnitOfWork;

#[async_trait]
impl ExportRepository for SqlUnitOfWork {
    async fn insert(&self, e: &Export) -> Result<(), RepositoryError> {
        export::Entity::insert(export::ActiveModel::from(into_model(e)?))
            .exec_without_returning(&self.txn)
            .await
            .map_err(translate)?;
        Ok(())
    }

    async fn get(&self, tenant: TenantId, id: Uuid) -> Result<Option<Export>, RepositoryError> {
        export::Entity::find_by_id((tenant.as_uuid(), id))
            .one(&self.txn)
            .await
            .map_err(translate)?
            .map(into_domain)
            .transpose()
    }

    async fn update(&self, e: &Export) -> Result<(), RepositoryError> {
        let active = export::ActiveModel::from(into_model(e)?).reset_all();
        export::Entity::update_many()
            .set(active)
            .filter(export::Column::TenantId.eq(e.tenant_id.as_uuid()))
            .filter(export::Column::Id.eq(e.id))
            .exec(&self.txn)
            .await
            .map_err(translate)?;
        Ok(())
    }

    fn tables(&self, scope: ExportScope) -> Vec<ExportTable> {
        DECLARATIONS
            .iter()
            .filter(|d| d.tenant_column.is_some())
            .filter(|d| match scope {
                ExportScope::Tenant => true,
                ExportScope::User(_) => d.user_link.is_some(),
                ExportScope::Client(_) => d.client_link.is_some(),
            })
            .map(|d| ExportTable {
                table: d.table.to_owned(),
                category: d.category,
                columns: d
                    .columns
                    .iter()
                    .filter(|c| c.exported)
                    .map(|c| c.name.to_owned())
                    .collect(),
            })
            .collect()
    }

    async fn stream_rows(
        &self,
        tenant: TenantId,
        scope: ExportScope,
        table: &str,
        sink: &mut dyn RowSink,
    ) -> Result<u64, RepositoryError> {
        let declared = declaration(table).ok_or_else(|| corrupt("export", "no such table in the data map"))?;
        let backend = self.txn.get_database_backend();
        let mut query = RowQuery::new(backend);
        let select = query.select(declared, tenant, scope)?;
        let statement = Statement::from_sql_and_values(backend, select, query.values);
        let mut rows = self.txn.stream_raw(statement).await.map_err(translate)?;
        let mut count = 0;
        while let Some(row) = rows.next().await {
            let row = row.map_err(translate)?;
            let json: String = row.try_get("", "row").map_err(translate)?;
            sink.row(&json).map_err(|e| RepositoryError::Unexpected(e.into()))?;
            count += 1;
        }
        Ok(count)
    }

    async fn expired(&self, cutoff: DateTime<Utc>, limit: u32) -> Result<Vec<Export>, RepositoryError> {
        export::Entity::find()
            .filter(export::Column::ExpiresAt.lt(cutoff))
            .order_by_asc(export::Column::ExpiresAt)
            .limit(u64::from(limit))
            .all(&self.txn)
            .await
            .map_err(translate)?
            .into_iter()
            .map(into_domain)
            .collect()
    }

    async fn delete(&self, tenant: TenantId, id: Uuid) -> Result<(), RepositoryError> {
        export::Entity::delete_many()
            .filter(export::Column::TenantId.eq(tenant.as_uuid()))
            .filter(export::Column::Id.eq(id))
            .exec(&self.txn)
            .await
            .map_err(translate)?;
        Ok(())
    }
}

/// Builds a row query with positional parameters for the backend.
struct RowQuery {
    backend: DbBackend,
    values: Vec<Value>,
}

impl RowQuery {
    fn new(backend: DbBackend) -> Self {
        Self {
            backend,
            values: Vec::new(),
        }
    }

    fn param(&mut self, value: Uuid) -> String {
        self.values.push(Value::from(value));
        match self.backend {
            DbBackend::Postgres => format!("${}", self.values.len()),
            _ => "?".to_owned(),
        }
    }

    /// `SELECT <json> AS row FROM <table> t WHERE <tenant> [AND <scope>]`.
    fn select(
        &mut self,
        d: &TableDeclaration,
        tenant: TenantId,
        scope: ExportScope,
    ) -> Result<String, RepositoryError> {
        let columns: Vec<&str> = d.columns.iter().filter(|c| c.exported).map(|c| c.name).collect();
        let json = match self.backend {
            DbBackend::Postgres => {
                let pairs: Vec<String> = columns.iter().map(|c| format!("'{c}', t.\"{c}\"")).collect();
                format!("json_build_object({})::text", pairs.join(", "))
            }
            _ => {
                // SQLite keeps UUIDs as 16-byte blobs, which JSON cannot hold:
                // they are written in their usual hyphenated form.
                let pairs: Vec<String> = columns.iter().map(|c| format!("'{c}', {}", sqlite_value(c))).collect();
                format!("json_object({})", pairs.join(", "))
            }
        };
        let tenant_column = d.tenant_column.ok_or_else(|| corrupt("export", "not a tenant table"))?;
        let mut sql = format!(
            "SELECT {json} AS row FROM \"{}\" t WHERE t.\"{tenant_column}\" = {}",
            d.table,
            self.param(tenant.as_uuid())
        );
        let condition = match scope {
            ExportScope::Tenant => None,
            ExportScope::User(user) => Some(self.link(d, Subject::User(user), tenant, "t", 0)?),
            ExportScope::Client(client) => Some(self.link(d, Subject::Client(client.as_uuid()), tenant, "t", 0)?),
        };
        if let Some(condition) = condition {
            sql.push_str(" AND ");
            sql.push_str(&condition);
        }
        Ok(sql)
    }

    /// The condition that a row of `d` (aliased `alias`) leads to the subject.
    fn link(
        &mut self,
        d: &TableDeclaration,
        subject: Subject,
        tenant: TenantId,
        alias: &str,
        depth: usize,
    ) -> Result<String, RepositoryError> {
        let link = match subject {
            Subject::User(_) => d.user_link,
            Subject::Client(_) => d.client_link,
        }
        .ok_or_else(|| corrupt("export", "the table does not lead to the subject"))?;
        match link {
            Link::Column(column) => Ok(format!("{alias}.\"{column}\" = {}", self.param(subject.id()))),
            Link::Via { column, table } => {
                if depth > 3 {
                    return Err(corrupt("export", "links nest too deep"));
                }
                let parent = declaration(table).ok_or_else(|| corrupt("export", "unknown parent table"))?;
                let parent_alias = format!("p{depth}");
                let tenant_column = parent.tenant_column.unwrap_or("tenant_id");
                let tenant_param = self.param(tenant.as_uuid());
                let inner = self.link(parent, subject, tenant, &parent_alias, depth + 1)?;
                Ok(format!(
                    "{alias}.\"{column}\" IN (SELECT {parent_alias}.\"id\" FROM \"{table}\" {parent_alias} \
                     WHERE {parent_alias}.\"{tenant_column}\" = {tenant_param} AND {inner})"
                ))
            }
        }
    }
}

/// A SQLite column as a JSON-safe value: 16-byte blobs (UUIDs) as text.
fn sqlite_value(column: &str) -> String {
    let c = format!("t.\"{column}\"");
    format!(
        "CASE WHEN typeof({c}) = 'blob' AND length({c}) = 16 THEN lower(substr(hex({c}), 1, 8) || '-' || \
         substr(hex({c}), 9, 4) || '-' || substr(hex({c}), 13, 4) || '-' || substr(hex({c}), 17, 4) || '-' || \
         substr(hex({c}), 21)) WHEN typeof({c}) = 'blob' THEN hex({c}) ELSE {c} END"
    )
}

#[derive(Clone, Copy)]
enum Subject {
    User(UserId),
    Client(Uuid),
}

impl Subject {
    fn id(self) -> Uuid {
        match self {
            Self::User(user) => user.as_uuid(),
            Self::Client(client) => client,
        }
    }
}

fn into_model(e: &Export) -> Result<export::Model, RepositoryError> {
    Ok(export::Model {
        tenant_id: e.tenant_id.as_uuid(),
        id: e.id,
        scope: e.scope.as_str().to_owned(),
        subject_id: e.scope.subject(),
        status: e.status.as_str().to_owned(),
        requested_by: e.requested_by.as_uuid(),
        requested_at: e.requested_at,
        completed_at: e.completed_at,
        object_key: e.object_key.clone(),
        size_bytes: e
            .size_bytes
            .map(i64::try_from)
            .transpose()
            .map_err(|e| corrupt("exports.size_bytes", e))?,
        manifest: e.manifest.clone(),
        error: e.error.clone(),
        expires_at: e.expires_at,
    })
}

fn into_domain(model: export::Model) -> Result<Export, RepositoryError> {
    Ok(Export {
        id: model.id,
        tenant_id: TenantId::from_uuid(model.tenant_id),
        scope: ExportScope::from_stored(&model.scope, model.subject_id)
            .ok_or_else(|| corrupt("exports.scope", "unknown scope"))?,
        status: ExportStatus::parse(&model.status).ok_or_else(|| corrupt("exports.status", "unknown status"))?,
        requested_by: UserId::from_uuid(model.requested_by),
        requested_at: model.requested_at,
        completed_at: model.completed_at,
        object_key: model.object_key,
        size_bytes: model
            .size_bytes
            .map(u64::try_from)
            .transpose()
            .map_err(|e| corrupt("exports.size_bytes", e))?,
        manifest: model.manifest,
        error: model.error,
        expires_at: model.expires_at,
    })
}
