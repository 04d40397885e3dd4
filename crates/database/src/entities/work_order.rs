//! `work_orders`: contractors' jobs for clients.

use fakturo_domain::privacy::data_map::{ColumnDeclaration, DataRole, Link, TableDeclaration};
use fakturo_domain::privacy::retention::DataCategory;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "work_orders")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub client_id: Uuid,
    pub title: String,
    pub description: Option<String>,
    pub status: String,
    pub scheduled_start: Option<DateTimeUtc>,
    pub scheduled_end: Option<DateTimeUtc>,
    pub address: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// The data map entry of `work_orders`.
pub const DECLARATION: TableDeclaration = TableDeclaration {
    table: "work_orders",
    category: DataCategory::CustomerContent,
    role: DataRole::Processor,
    tenant_column: Some("tenant_id"),
    client_link: Some(Link::Column("client_id")),
    user_link: None,
    columns: &[
        ColumnDeclaration::plain("tenant_id"),
        ColumnDeclaration::plain("id"),
        ColumnDeclaration::plain("client_id"),
        ColumnDeclaration::personal("title"),
        ColumnDeclaration::personal("description"),
        ColumnDeclaration::plain("status"),
        ColumnDeclaration::plain("scheduled_start"),
        ColumnDeclaration::plain("scheduled_end"),
        ColumnDeclaration::personal("address"),
        ColumnDeclaration::plain("created_at"),
        ColumnDeclaration::plain("updated_at"),
    ],
};
