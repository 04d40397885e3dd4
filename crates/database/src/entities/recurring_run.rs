//! `recurring_runs`: one row per schedule and period — the guarantee of one invoice per period.

use fakturo_domain::privacy::data_map::{ColumnDeclaration, DataRole, Link, TableDeclaration};
use fakturo_domain::privacy::retention::DataCategory;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "recurring_runs")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub schedule_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub period_start: Date,
    pub period_index: i32,
    pub invoice_id: Uuid,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// The data map entry of `recurring_runs`.
pub const DECLARATION: TableDeclaration = TableDeclaration {
    table: "recurring_runs",
    category: DataCategory::CustomerContent,
    role: DataRole::Processor,
    tenant_column: Some("tenant_id"),
    client_link: Some(Link::Via {
        column: "schedule_id",
        table: "recurring_invoices",
    }),
    user_link: None,
    columns: &[
        ColumnDeclaration::plain("tenant_id"),
        ColumnDeclaration::plain("schedule_id"),
        ColumnDeclaration::plain("period_start"),
        ColumnDeclaration::plain("period_index"),
        ColumnDeclaration::plain("invoice_id"),
        ColumnDeclaration::plain("created_at"),
    ],
};
