//! `jobs`: the outbox and work queue.

use fakturo_domain::privacy::data_map::{ColumnDeclaration, DataRole, TableDeclaration};
use fakturo_domain::privacy::retention::DataCategory;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "jobs")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub tenant_id: Option<Uuid>,
    pub kind: String,
    pub payload: String,
    pub idempotency_key: String,
    pub status: String,
    pub attempts: i32,
    pub max_attempts: i32,
    pub run_at: DateTimeUtc,
    pub locked_until: Option<DateTimeUtc>,
    pub locked_by: Option<String>,
    pub last_error: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// The data map entry of `jobs`.
pub const DECLARATION: TableDeclaration = TableDeclaration {
    table: "jobs",
    category: DataCategory::TechnicalLogs,
    role: DataRole::Controller,
    tenant_column: Some("tenant_id"),
    client_link: None,
    user_link: None,
    columns: &[
        ColumnDeclaration::plain("id"),
        ColumnDeclaration::plain("tenant_id"),
        ColumnDeclaration::plain("kind"),
        ColumnDeclaration::plain("payload"),
        ColumnDeclaration::plain("idempotency_key"),
        ColumnDeclaration::plain("status"),
        ColumnDeclaration::plain("attempts"),
        ColumnDeclaration::plain("max_attempts"),
        ColumnDeclaration::plain("run_at"),
        ColumnDeclaration::plain("locked_until"),
        ColumnDeclaration::plain("locked_by"),
        ColumnDeclaration::plain("last_error"),
        ColumnDeclaration::plain("created_at"),
        ColumnDeclaration::plain("updated_at"),
    ],
};
