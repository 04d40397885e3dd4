//! `invitations`: invitations to join an organization.

use fakturo_domain::privacy::data_map::{ColumnDeclaration, DataRole, Link, TableDeclaration};
use fakturo_domain::privacy::retention::DataCategory;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "invitations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub email: String,
    pub role: String,
    pub invited_by: Uuid,
    pub token_digest: Option<String>,
    pub created_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
    pub accepted_at: Option<DateTimeUtc>,
    pub revoked_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// The data map entry of `invitations`.
pub const DECLARATION: TableDeclaration = TableDeclaration {
    table: "invitations",
    category: DataCategory::AccountProfile,
    role: DataRole::Controller,
    tenant_column: Some("tenant_id"),
    client_link: None,
    user_link: Some(Link::Column("invited_by")),
    columns: &[
        ColumnDeclaration::plain("tenant_id"),
        ColumnDeclaration::plain("id"),
        ColumnDeclaration::personal("email"),
        ColumnDeclaration::plain("role"),
        ColumnDeclaration::plain("invited_by"),
        ColumnDeclaration::secret("token_digest"),
        ColumnDeclaration::plain("created_at"),
        ColumnDeclaration::plain("expires_at"),
        ColumnDeclaration::plain("accepted_at"),
        ColumnDeclaration::plain("revoked_at"),
    ],
};
