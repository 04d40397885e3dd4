//! `webhook_inbox`: every provider event as received and verified, once per
//! provider + account + event id, with its raw body.

use fakturo_domain::privacy::data_map::{ColumnDeclaration, DataRole, TableDeclaration};
use fakturo_domain::privacy::retention::DataCategory;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "webhook_inbox")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub provider: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub account: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub event_id: String,
    pub tenant_id: Option<Uuid>,
    pub event_type: String,
    pub raw_body: Vec<u8>,
    pub state: String,
    pub park_reason: Option<String>,
    pub received_at: DateTimeUtc,
    pub settled_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// The data map entry of `webhook_inbox`: technical records (the raw body
/// may name a payer), kept for the technical-records retention.
pub const DECLARATION: TableDeclaration = TableDeclaration {
    table: "webhook_inbox",
    category: DataCategory::TechnicalLogs,
    role: DataRole::Controller,
    tenant_column: Some("tenant_id"),
    client_link: None,
    user_link: None,
    columns: &[
        ColumnDeclaration::plain("provider"),
        ColumnDeclaration::plain("account"),
        ColumnDeclaration::plain("event_id"),
        ColumnDeclaration::plain("tenant_id"),
        ColumnDeclaration::plain("event_type"),
        ColumnDeclaration::personal("raw_body"),
        ColumnDeclaration::plain("state"),
        ColumnDeclaration::plain("park_reason"),
        ColumnDeclaration::plain("received_at"),
        ColumnDeclaration::plain("settled_at"),
    ],
};
