//! `privacy_request_events`: the history of each privacy request.

use fakturo_domain::privacy::data_map::{ColumnDeclaration, DataRole, Link, TableDeclaration};
use fakturo_domain::privacy::retention::DataCategory;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "privacy_request_events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub request_id: Uuid,
    pub kind: String,
    pub at: DateTimeUtc,
    pub from_status: Option<String>,
    pub to_status: String,
    pub by_user_id: Option<Uuid>,
    pub note: Option<String>,
    pub due_on: Date,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// The table in the data map: each privacy request's history.
pub const DECLARATION: TableDeclaration = TableDeclaration {
    table: "privacy_request_events",
    category: DataCategory::PrivacyRecords,
    role: DataRole::Processor,
    tenant_column: Some("tenant_id"),
    client_link: Some(Link::Via {
        column: "request_id",
        table: "privacy_requests",
    }),
    user_link: Some(Link::Column("by_user_id")),
    columns: &[
        ColumnDeclaration::plain("tenant_id"),
        ColumnDeclaration::plain("id"),
        ColumnDeclaration::plain("request_id"),
        ColumnDeclaration::plain("kind"),
        ColumnDeclaration::plain("at"),
        ColumnDeclaration::plain("from_status"),
        ColumnDeclaration::plain("to_status"),
        ColumnDeclaration::plain("by_user_id"),
        ColumnDeclaration::personal("note"),
        ColumnDeclaration::plain("due_on"),
    ],
};
