//! `audit_events`: the security event log.

use fakturo_domain::privacy::data_map::{ColumnDeclaration, DataRole, Link, TableDeclaration};
use fakturo_domain::privacy::retention::DataCategory;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub occurred_at: DateTimeUtc,
    pub actor_kind: String,
    pub actor_user_id: Option<Uuid>,
    pub action: String,
    pub target_kind: Option<String>,
    pub target_id: Option<Uuid>,
    pub ip_prefix: Option<String>,
    pub details: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// The data map entry of `audit_events`.
pub const DECLARATION: TableDeclaration = TableDeclaration {
    table: "audit_events",
    category: DataCategory::SecurityEvents,
    role: DataRole::Controller,
    tenant_column: Some("tenant_id"),
    client_link: None,
    user_link: Some(Link::Column("actor_user_id")),
    columns: &[
        ColumnDeclaration::plain("tenant_id"),
        ColumnDeclaration::plain("id"),
        ColumnDeclaration::plain("occurred_at"),
        ColumnDeclaration::plain("actor_kind"),
        ColumnDeclaration::plain("actor_user_id"),
        ColumnDeclaration::plain("action"),
        ColumnDeclaration::plain("target_kind"),
        ColumnDeclaration::plain("target_id"),
        ColumnDeclaration::personal("ip_prefix"),
        ColumnDeclaration::plain("details"),
    ],
};
