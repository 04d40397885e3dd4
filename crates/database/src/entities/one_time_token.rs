//! `one_time_tokens`: single-use tokens by digest (links, external sign-in state).

use fakturo_domain::privacy::data_map::{ColumnDeclaration, DataRole, Link, TableDeclaration};
use fakturo_domain::privacy::retention::DataCategory;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "one_time_tokens")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub token_digest: String,
    pub purpose: String,
    pub tenant_id: Option<Uuid>,
    pub user_id: Option<Uuid>,
    pub payload: Option<String>,
    pub created_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
    pub used_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// The data map entry of `one_time_tokens`.
pub const DECLARATION: TableDeclaration = TableDeclaration {
    table: "one_time_tokens",
    category: DataCategory::TechnicalLogs,
    role: DataRole::Controller,
    tenant_column: Some("tenant_id"),
    client_link: None,
    user_link: Some(Link::Column("user_id")),
    columns: &[
        ColumnDeclaration::secret("token_digest"),
        ColumnDeclaration::plain("purpose"),
        ColumnDeclaration::plain("tenant_id"),
        ColumnDeclaration::plain("user_id"),
        ColumnDeclaration::secret("payload"),
        ColumnDeclaration::plain("created_at"),
        ColumnDeclaration::plain("expires_at"),
        ColumnDeclaration::plain("used_at"),
    ],
};
