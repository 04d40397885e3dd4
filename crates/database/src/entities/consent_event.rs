//! `consent_events`: the append-only consent ledger.

use fakturo_domain::privacy::data_map::{ColumnDeclaration, DataRole, Link, TableDeclaration};
use fakturo_domain::privacy::retention::DataCategory;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "consent_events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub user_id: Uuid,
    pub purpose: String,
    pub granted: bool,
    pub policy_version: String,
    pub channel: String,
    pub occurred_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// The table in the data map: a user's consent decisions, kept as proof.
pub const DECLARATION: TableDeclaration = TableDeclaration {
    table: "consent_events",
    category: DataCategory::PrivacyRecords,
    role: DataRole::Controller,
    tenant_column: Some("tenant_id"),
    client_link: None,
    user_link: Some(Link::Column("user_id")),
    columns: &[
        ColumnDeclaration::plain("tenant_id"),
        ColumnDeclaration::plain("id"),
        ColumnDeclaration::plain("user_id"),
        ColumnDeclaration::plain("purpose"),
        ColumnDeclaration::plain("granted"),
        ColumnDeclaration::plain("policy_version"),
        ColumnDeclaration::plain("channel"),
        ColumnDeclaration::plain("occurred_at"),
    ],
};
