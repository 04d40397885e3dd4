//! `retention_runs`: one row per day the retention sweeper ran, with counts per category.

use fakturo_domain::privacy::data_map::{ColumnDeclaration, DataRole, TableDeclaration};
use fakturo_domain::privacy::retention::DataCategory;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "retention_runs")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub run_on: Date,
    pub started_at: DateTimeUtc,
    pub finished_at: Option<DateTimeUtc>,
    pub report: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// The data map entry of `retention_runs`.
pub const DECLARATION: TableDeclaration = TableDeclaration {
    table: "retention_runs",
    category: DataCategory::TechnicalLogs,
    role: DataRole::Controller,
    tenant_column: None,
    client_link: None,
    user_link: None,
    columns: &[
        ColumnDeclaration::plain("run_on"),
        ColumnDeclaration::plain("started_at"),
        ColumnDeclaration::plain("finished_at"),
        ColumnDeclaration::plain("report"),
    ],
};
