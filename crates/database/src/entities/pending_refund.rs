//! `pending_refunds`: refunds that arrived before their payment was recorded.

use fakturo_domain::privacy::data_map::{ColumnDeclaration, DataRole, TableDeclaration};
use fakturo_domain::privacy::retention::DataCategory;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "pending_refunds")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub payment_intent: String,
    pub charge_id: String,
    pub amount_refunded_minor: i64,
    pub currency: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// The data map entry of `pending_refunds`.
pub const DECLARATION: TableDeclaration = TableDeclaration {
    table: "pending_refunds",
    category: DataCategory::AccountingRecords,
    role: DataRole::Processor,
    tenant_column: Some("tenant_id"),
    client_link: None,
    user_link: None,
    columns: &[
        ColumnDeclaration::plain("tenant_id"),
        ColumnDeclaration::plain("payment_intent"),
        ColumnDeclaration::plain("charge_id"),
        ColumnDeclaration::plain("amount_refunded_minor"),
        ColumnDeclaration::plain("currency"),
    ],
};
