//! `payments`: money received against an invoice.

use fakturo_domain::privacy::data_map::{ColumnDeclaration, DataRole, Link, TableDeclaration};
use fakturo_domain::privacy::retention::DataCategory;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "payments")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub invoice_id: Uuid,
    pub amount_minor: i64,
    pub currency: String,
    pub paid_on: Date,
    pub method: String,
    pub reference: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// The data map entry of `payments`.
pub const DECLARATION: TableDeclaration = TableDeclaration {
    table: "payments",
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
        ColumnDeclaration::plain("amount_minor"),
        ColumnDeclaration::plain("currency"),
        ColumnDeclaration::plain("paid_on"),
        ColumnDeclaration::plain("method"),
        ColumnDeclaration::personal("reference"),
        ColumnDeclaration::plain("created_at"),
    ],
};
