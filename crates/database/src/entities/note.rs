//! `notes`: notes on clients, invoices and jobs.

use fakturo_domain::privacy::data_map::{ColumnDeclaration, DataRole, Link, TableDeclaration};
use fakturo_domain::privacy::retention::DataCategory;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "notes")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub subject_type: String,
    pub subject_id: Uuid,
    pub client_id: Uuid,
    pub body: String,
    pub author_id: Uuid,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// The data map entry of `notes`.
pub const DECLARATION: TableDeclaration = TableDeclaration {
    table: "notes",
    category: DataCategory::CustomerContent,
    role: DataRole::Processor,
    tenant_column: Some("tenant_id"),
    client_link: Some(Link::Column("client_id")),
    user_link: Some(Link::Column("author_id")),
    columns: &[
        ColumnDeclaration::plain("tenant_id"),
        ColumnDeclaration::plain("id"),
        ColumnDeclaration::plain("subject_type"),
        ColumnDeclaration::plain("subject_id"),
        ColumnDeclaration::plain("client_id"),
        ColumnDeclaration::personal("body"),
        ColumnDeclaration::plain("author_id"),
        ColumnDeclaration::plain("created_at"),
    ],
};
