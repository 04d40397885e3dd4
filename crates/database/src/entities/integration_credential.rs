//! `integration_credentials`: sealed credentials of a tenant's integrations.

use fakturo_domain::privacy::data_map::{ColumnDeclaration, DataRole, Link, TableDeclaration};
use fakturo_domain::privacy::retention::DataCategory;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "integration_credentials")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub provider: String,
    pub secret_key_sealed: String,
    pub webhook_secret_sealed: Option<String>,
    pub hint: String,
    pub live: bool,
    pub updated_by: Uuid,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// The data map entry of `integration_credentials`.
pub const DECLARATION: TableDeclaration = TableDeclaration {
    table: "integration_credentials",
    category: DataCategory::Credentials,
    role: DataRole::Processor,
    tenant_column: Some("tenant_id"),
    client_link: None,
    user_link: Some(Link::Column("updated_by")),
    columns: &[
        ColumnDeclaration::plain("tenant_id"),
        ColumnDeclaration::plain("provider"),
        ColumnDeclaration::secret("secret_key_sealed"),
        ColumnDeclaration::secret("webhook_secret_sealed"),
        ColumnDeclaration::plain("hint"),
        ColumnDeclaration::plain("live"),
        ColumnDeclaration::plain("updated_by"),
        ColumnDeclaration::plain("updated_at"),
    ],
};
