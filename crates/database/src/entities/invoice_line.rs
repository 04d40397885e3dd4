//! `invoice_lines`: decimals stored as text, never as REAL.

use fakturo_domain::privacy::data_map::{ColumnDeclaration, DataRole, Link, TableDeclaration};
use fakturo_domain::privacy::retention::DataCategory;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "invoice_lines")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub invoice_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub position: i32,
    pub description: String,
    pub quantity: String,
    pub unit_price: String,
    pub tax_rate: String,
    pub discount_percent: String,
    pub product_id: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// The data map entry of `invoice_lines`.
pub const DECLARATION: TableDeclaration = TableDeclaration {
    table: "invoice_lines",
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
        ColumnDeclaration::plain("invoice_id"),
        ColumnDeclaration::plain("position"),
        ColumnDeclaration::personal("description"),
        ColumnDeclaration::plain("quantity"),
        ColumnDeclaration::plain("unit_price"),
        ColumnDeclaration::plain("tax_rate"),
        ColumnDeclaration::plain("discount_percent"),
        ColumnDeclaration::plain("product_id"),
    ],
};
