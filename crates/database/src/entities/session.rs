//! `sessions`: server-side sessions, found by the digest of their token.

use fakturo_domain::privacy::data_map::{ColumnDeclaration, DataRole, Link, TableDeclaration};
use fakturo_domain::privacy::retention::DataCategory;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sessions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub user_id: Uuid,
    pub token_digest: String,
    pub created_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
    pub last_seen_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// The data map entry of `sessions`.
pub const DECLARATION: TableDeclaration = TableDeclaration {
    table: "sessions",
    category: DataCategory::Credentials,
    role: DataRole::Controller,
    tenant_column: Some("tenant_id"),
    client_link: None,
    user_link: Some(Link::Column("user_id")),
    columns: &[
        ColumnDeclaration::plain("tenant_id"),
        ColumnDeclaration::plain("id"),
        ColumnDeclaration::plain("user_id"),
        ColumnDeclaration::secret("token_digest"),
        ColumnDeclaration::plain("created_at"),
        ColumnDeclaration::plain("expires_at"),
        ColumnDeclaration::plain("last_seen_at"),
    ],
};
