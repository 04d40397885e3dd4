//! `invoice_reminders`: at most one reminder per invoice and offset.

use fakturo_domain::privacy::data_map::{ColumnDeclaration, DataRole, Link, TableDeclaration};
use fakturo_domain::privacy::retention::DataCategory;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "invoice_reminders")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub invoice_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub days_from_due: i32,
    pub due_on: Date,
    pub status: String,
    pub recipient: Option<String>,
    pub sent_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// The data map entry of `invoice_reminders`.
pub const DECLARATION: TableDeclaration = TableDeclaration {
    table: "invoice_reminders",
    category: DataCategory::CustomerContent,
    role: DataRole::Processor,
    tenant_column: Some("tenant_id"),
    client_link: Some(Link::Via {
        column: "invoice_id",
        table: "invoices",
    }),
    user_link: None,
    columns: &[
        ColumnDeclaration::plain("tenant_id"),
        ColumnDeclaration::plain("invoice_id"),
        ColumnDeclaration::plain("days_from_due"),
        ColumnDeclaration::plain("due_on"),
        ColumnDeclaration::plain("status"),
        ColumnDeclaration::personal("recipient"),
        ColumnDeclaration::plain("sent_at"),
        ColumnDeclaration::plain("created_at"),
    ],
};
