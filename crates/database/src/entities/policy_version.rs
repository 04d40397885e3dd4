//! `policy_versions`: published policy versions (deployment-wide).

use fakturo_domain::privacy::data_map::{ColumnDeclaration, DataRole, TableDeclaration};
use fakturo_domain::privacy::retention::DataCategory;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "policy_versions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub kind: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub version: String,
    pub effective_at: DateTimeUtc,
    pub material: bool,
    pub summary: String,
    pub published_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// The table in the data map: published policy versions (no personal data).
pub const DECLARATION: TableDeclaration = TableDeclaration {
    table: "policy_versions",
    category: DataCategory::PrivacyRecords,
    role: DataRole::Controller,
    tenant_column: None,
    client_link: None,
    user_link: None,
    columns: &[
        ColumnDeclaration::plain("kind"),
        ColumnDeclaration::plain("version"),
        ColumnDeclaration::plain("effective_at"),
        ColumnDeclaration::plain("material"),
        ColumnDeclaration::plain("summary"),
        ColumnDeclaration::plain("published_at"),
    ],
};
