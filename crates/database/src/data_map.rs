//! The data map of the SQL schema: every table's declaration (each lives
//! next to its entity), in the order a tenant's rows can be deleted
//! (children before parents), served to the domain as [`SqlDataMap`], and
//! the schema check that finds columns nobody declared.

use std::collections::{BTreeMap, BTreeSet};

use fakturo_domain::privacy::data_map::{ColumnDeclaration, DataRole, TableDeclaration};
use fakturo_domain::privacy::ports::DataMapSource;
use fakturo_domain::privacy::retention::DataCategory;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, DbErr, Statement};

use crate::entities;

/// sea-orm-migration's own bookkeeping table.
const MIGRATIONS: TableDeclaration = TableDeclaration {
    table: "seaql_migrations",
    category: DataCategory::TechnicalLogs,
    role: DataRole::Controller,
    tenant_column: None,
    client_link: None,
    user_link: None,
    columns: &[
        ColumnDeclaration::plain("version"),
        ColumnDeclaration::plain("applied_at"),
    ],
};

/// Every table, children before parents: deleting a tenant's rows in this
/// order never trips a foreign key.
pub const DECLARATIONS: &[TableDeclaration] = &[
    entities::webhook_inbox::DECLARATION,
    entities::checkout_session::DECLARATION,
    entities::pending_refund::DECLARATION,
    entities::stripe_connection::DECLARATION,
    entities::subscription::DECLARATION,
    entities::billing_transaction::DECLARATION,
    entities::file::DECLARATION,
    entities::note::DECLARATION,
    entities::credit_note::DECLARATION,
    entities::incident_notice::DECLARATION,
    entities::incident_tenant::DECLARATION,
    entities::privacy_request_event::DECLARATION,
    entities::privacy_request::DECLARATION,
    entities::consent_event::DECLARATION,
    entities::analytics_event::DECLARATION,
    entities::policy_acceptance::DECLARATION,
    entities::invoice_reminder::DECLARATION,
    entities::invoice_line::DECLARATION,
    entities::payment::DECLARATION,
    entities::recurring_run::DECLARATION,
    entities::invoice::DECLARATION,
    entities::recurring_invoice::DECLARATION,
    entities::erasure::DECLARATION,
    entities::work_order::DECLARATION,
    entities::client::DECLARATION,
    entities::export::DECLARATION,
    entities::reminder_settings::DECLARATION,
    entities::number_counter::DECLARATION,
    entities::idempotency_key::DECLARATION,
    entities::integration_credential::DECLARATION,
    entities::audit_event::DECLARATION,
    entities::invitation::DECLARATION,
    entities::one_time_token::DECLARATION,
    entities::user_identity::DECLARATION,
    entities::api_token::DECLARATION,
    entities::session::DECLARATION,
    entities::user::DECLARATION,
    entities::job::DECLARATION,
    entities::organization::DECLARATION,
    entities::login_throttle::DECLARATION,
    entities::retention_run::DECLARATION,
    entities::policy_version::DECLARATION,
    entities::privacy_request_submission::DECLARATION,
    entities::operator_privacy_request::DECLARATION,
    entities::incident_update::DECLARATION,
    entities::incident::DECLARATION,
    MIGRATIONS,
];

/// The data map of the SQL schema, for the privacy services.
#[derive(Clone, Copy, Debug, Default)]
pub struct SqlDataMap;

impl DataMapSource for SqlDataMap {
    fn declarations(&self) -> &'static [TableDeclaration] {
        DECLARATIONS
    }
}

/// The declaration of a table.
#[must_use]
pub fn declaration(table: &str) -> Option<&'static TableDeclaration> {
    DECLARATIONS.iter().find(|d| d.table == table)
}

/// Every table and its columns, as the database has them.
///
/// # Errors
/// The database's error.
pub async fn schema_columns(db: &DatabaseConnection) -> Result<BTreeMap<String, BTreeSet<String>>, DbErr> {
    let backend = db.get_database_backend();
    let sql = match backend {
        DbBackend::Sqlite => {
            "SELECT m.name AS table_name, p.name AS column_name FROM sqlite_master m \
             JOIN pragma_table_info(m.name) p WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'"
        }
        _ => {
            "SELECT table_name::text AS table_name, column_name::text AS column_name FROM information_schema.columns \
             WHERE table_schema = current_schema()"
        }
    };
    let rows = db.query_all_raw(Statement::from_string(backend, sql)).await?;
    let mut schema: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for row in rows {
        let table: String = row.try_get("", "table_name")?;
        let column: String = row.try_get("", "column_name")?;
        schema.entry(table).or_default().insert(column);
    }
    Ok(schema)
}

/// What the schema and the declarations disagree on.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MapCheck {
    /// `table.column` in the schema without a declaration.
    pub undeclared: Vec<String>,
    /// `table.column` declared but not in the schema.
    pub stale: Vec<String>,
}

/// Compares the migrated schema with `declarations`.
///
/// # Errors
/// The database's error.
pub async fn check(db: &DatabaseConnection, declarations: &[TableDeclaration]) -> Result<MapCheck, DbErr> {
    let schema = schema_columns(db).await?;
    let declared: BTreeMap<&str, BTreeSet<&str>> = declarations
        .iter()
        .map(|d| (d.table, d.columns.iter().map(|c| c.name).collect()))
        .collect();
    let mut result = MapCheck::default();
    for (table, columns) in &schema {
        for column in columns {
            if !declared
                .get(table.as_str())
                .is_some_and(|cols| cols.contains(column.as_str()))
            {
                result.undeclared.push(format!("{table}.{column}"));
            }
        }
    }
    for (table, columns) in &declared {
        for column in columns {
            if !schema.get(*table).is_some_and(|cols| cols.contains(*column)) {
                result.stale.push(format!("{table}.{column}"));
            }
        }
    }
    Ok(result)
}
