//! `recurring_invoices`: templates and schedules; lines as JSON with decimal strings.

use fakturo_domain::privacy::data_map::{ColumnDeclaration, DataRole, Link, TableDeclaration};
use fakturo_domain::privacy::retention::DataCategory;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "recurring_invoices")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub client_id: Uuid,
    pub currency: String,
    pub lines: String,
    pub notes: Option<String>,
    pub payment_terms_days: Option<i32>,
    pub frequency: String,
    pub interval: i32,
    pub start_date: Date,
    pub end_after_count: Option<i32>,
    pub end_on: Option<Date>,
    pub auto_send: bool,
    pub status: String,
    pub next_period: i32,
    pub next_issue_date: Option<Date>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// The data map entry of `recurring_invoices`.
pub const DECLARATION: TableDeclaration = TableDeclaration {
    table: "recurring_invoices",
    category: DataCategory::CustomerContent,
    role: DataRole::Processor,
    tenant_column: Some("tenant_id"),
    client_link: Some(Link::Column("client_id")),
    user_link: None,
    columns: &[
        ColumnDeclaration::plain("tenant_id"),
        ColumnDeclaration::plain("id"),
        ColumnDeclaration::plain("client_id"),
        ColumnDeclaration::plain("currency"),
        ColumnDeclaration::personal("lines"),
        ColumnDeclaration::personal("notes"),
        ColumnDeclaration::plain("payment_terms_days"),
        ColumnDeclaration::plain("frequency"),
        ColumnDeclaration::plain("interval"),
        ColumnDeclaration::plain("start_date"),
        ColumnDeclaration::plain("end_after_count"),
        ColumnDeclaration::plain("end_on"),
        ColumnDeclaration::plain("auto_send"),
        ColumnDeclaration::plain("status"),
        ColumnDeclaration::plain("next_period"),
        ColumnDeclaration::plain("next_issue_date"),
        ColumnDeclaration::plain("created_at"),
        ColumnDeclaration::plain("updated_at"),
    ],
};
