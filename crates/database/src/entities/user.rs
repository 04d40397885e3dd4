//! `users`: people who sign in, each in one organization.

use fakturo_domain::privacy::data_map::{ColumnDeclaration, DataRole, Link, TableDeclaration};
use fakturo_domain::privacy::retention::DataCategory;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub email: String,
    pub email_normalized: String,
    pub name: String,
    pub password_hash: String,
    pub role: String,
    pub accepted_policy_version: String,
    pub created_at: DateTimeUtc,
    pub email_verified_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// The data map entry of `users`.
pub const DECLARATION: TableDeclaration = TableDeclaration {
    table: "users",
    category: DataCategory::AccountProfile,
    role: DataRole::Controller,
    tenant_column: Some("tenant_id"),
    client_link: None,
    user_link: Some(Link::Column("id")),
    columns: &[
        ColumnDeclaration::plain("tenant_id"),
        ColumnDeclaration::plain("id"),
        ColumnDeclaration::personal("email"),
        ColumnDeclaration::personal("email_normalized"),
        ColumnDeclaration::personal("name"),
        ColumnDeclaration::secret("password_hash"),
        ColumnDeclaration::plain("role"),
        ColumnDeclaration::plain("accepted_policy_version"),
        ColumnDeclaration::plain("created_at"),
        ColumnDeclaration::plain("email_verified_at"),
    ],
};
