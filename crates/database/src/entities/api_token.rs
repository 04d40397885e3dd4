//! `api_tokens`: personal API tokens, found by the digest of their token.

use fakturo_domain::privacy::data_map::{ColumnDeclaration, DataRole, Link, TableDeclaration};
use fakturo_domain::privacy::retention::DataCategory;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "api_tokens")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub user_id: Uuid,
    pub name: String,
    pub role: String,
    pub token_digest: String,
    pub hint: String,
    pub created_at: DateTimeUtc,
    pub last_used_at: Option<DateTimeUtc>,
    pub revoked_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// The data map entry of `api_tokens`.
pub const DECLARATION: TableDeclaration = TableDeclaration {
    table: "api_tokens",
    category: DataCategory::Credentials,
    role: DataRole::Controller,
    tenant_column: Some("tenant_id"),
    client_link: None,
    user_link: Some(Link::Column("user_id")),
    columns: &[
        ColumnDeclaration::plain("tenant_id"),
        ColumnDeclaration::plain("id"),
        ColumnDeclaration::plain("user_id"),
        ColumnDeclaration::plain("name"),
        ColumnDeclaration::plain("role"),
        ColumnDeclaration::secret("token_digest"),
        ColumnDeclaration::plain("hint"),
        ColumnDeclaration::plain("created_at"),
        ColumnDeclaration::plain("last_used_at"),
        ColumnDeclaration::plain("revoked_at"),
    ],
};
