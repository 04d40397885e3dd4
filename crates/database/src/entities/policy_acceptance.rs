//! `policy_acceptances`: which user accepted which policy version, when and how.

use fakturo_domain::privacy::data_map::{ColumnDeclaration, DataRole, Link, TableDeclaration};
use fakturo_domain::privacy::retention::DataCategory;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "policy_acceptances")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub kind: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub version: String,
    pub accepted_at: DateTimeUtc,
    pub channel: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// The table in the data map: which user accepted which policy version, when.
pub const DECLARATION: TableDeclaration = TableDeclaration {
    table: "policy_acceptances",
    category: DataCategory::PrivacyRecords,
    role: DataRole::Controller,
    tenant_column: Some("tenant_id"),
    client_link: None,
    user_link: Some(Link::Column("user_id")),
    columns: &[
        ColumnDeclaration::plain("tenant_id"),
        ColumnDeclaration::plain("user_id"),
        ColumnDeclaration::plain("kind"),
        ColumnDeclaration::plain("version"),
        ColumnDeclaration::plain("accepted_at"),
        ColumnDeclaration::plain("channel"),
    ],
};
