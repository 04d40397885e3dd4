//! `user_identities`: users' identities at external providers (Google).

use fakturo_domain::privacy::data_map::{ColumnDeclaration, DataRole, Link, TableDeclaration};
use fakturo_domain::privacy::retention::DataCategory;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "user_identities")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub provider: String,
    pub subject: String,
    pub linked_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// The data map entry of `user_identities`.
pub const DECLARATION: TableDeclaration = TableDeclaration {
    table: "user_identities",
    category: DataCategory::Credentials,
    role: DataRole::Controller,
    tenant_column: Some("tenant_id"),
    client_link: None,
    user_link: Some(Link::Column("user_id")),
    columns: &[
        ColumnDeclaration::plain("tenant_id"),
        ColumnDeclaration::plain("user_id"),
        ColumnDeclaration::plain("provider"),
        ColumnDeclaration::personal("subject"),
        ColumnDeclaration::plain("linked_at"),
    ],
};
