//! `credit_notes`: documents that cancel an invoice by negating it.

use fakturo_domain::privacy::data_map::{ColumnDeclaration, DataRole, Link, TableDeclaration};
use fakturo_domain::privacy::retention::DataCategory;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "credit_notes")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub invoice_id: Uuid,
    pub series: String,
    pub number: String,
    pub issue_date: Date,
    pub reason: Option<String>,
    pub currency: String,
    pub subtotal_minor: i64,
    pub tax_total_minor: i64,
    pub total_minor: i64,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// The data map entry of `credit_notes`.
pub const DECLARATION: TableDeclaration = TableDeclaration {
    table: "credit_notes",
    category: DataCategory::AccountingRecords,
    role: DataRole::Processor,
    tenant_column: Some("tenant_id"),
    client_link: Some(Link::Via {
        column: "invoice_id",
        table: "invoices",
    }),
    user_link: None,
    columns: &[
        ColumnDeclaration::plain("tenant_id"),
        ColumnDeclaration::plain("id"),
        ColumnDeclaration::plain("invoice_id"),
        ColumnDeclaration::plain("series"),
        ColumnDeclaration::plain("number"),
        ColumnDeclaration::plain("issue_date"),
        ColumnDeclaration::personal("reason"),
        ColumnDeclaration::plain("currency"),
        ColumnDeclaration::plain("subtotal_minor"),
        ColumnDeclaration::plain("tax_total_minor"),
        ColumnDeclaration::plain("total_minor"),
        ColumnDeclaration::plain("created_at"),
    ],
};
