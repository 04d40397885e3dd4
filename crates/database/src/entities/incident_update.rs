//! `incident_updates`: each incident's append-only history.

use fakturo_domain::privacy::data_map::{ColumnDeclaration, DataRole, TableDeclaration};
use fakturo_domain::privacy::retention::DataCategory;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "incident_updates")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub incident_id: Uuid,
    pub at: DateTimeUtc,
    pub kind: String,
    pub changed: String,
    pub note: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// The table in the data map: what changed in an incident and when, kept
/// as privacy records with the register.
pub const DECLARATION: TableDeclaration = TableDeclaration {
    table: "incident_updates",
    category: DataCategory::PrivacyRecords,
    role: DataRole::Controller,
    tenant_column: None,
    client_link: None,
    user_link: None,
    columns: &[
        ColumnDeclaration::plain("id"),
        ColumnDeclaration::plain("incident_id"),
        ColumnDeclaration::plain("at"),
        ColumnDeclaration::plain("kind"),
        ColumnDeclaration::plain("changed"),
        ColumnDeclaration::personal("note"),
    ],
};
