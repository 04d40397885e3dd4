//! `number_counters`: the last number used per tenant and series.

use fakturo_domain::privacy::data_map::{ColumnDeclaration, DataRole, TableDeclaration};
use fakturo_domain::privacy::retention::DataCategory;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "number_counters")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub series_key: String,
    pub last_value: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// The data map entry of `number_counters`.
pub const DECLARATION: TableDeclaration = TableDeclaration {
    table: "number_counters",
    category: DataCategory::AccountingRecords,
    role: DataRole::Processor,
    tenant_column: Some("tenant_id"),
    client_link: None,
    user_link: None,
    columns: &[
        ColumnDeclaration::plain("tenant_id"),
        ColumnDeclaration::plain("series_key"),
        ColumnDeclaration::plain("last_value"),
    ],
};
