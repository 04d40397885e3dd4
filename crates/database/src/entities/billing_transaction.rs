//! `billing_transactions`: what the operator charged or refunded its
//! tenants (the operator's billing records).

use fakturo_domain::privacy::data_map::{ColumnDeclaration, DataRole, TableDeclaration};
use fakturo_domain::privacy::retention::DataCategory;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "billing_transactions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub provider: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub provider_reference: String,
    pub tenant_id: Uuid,
    pub amount_minor: i64,
    pub currency: String,
    pub status: String,
    pub occurred_at: DateTimeUtc,
    pub invoice_url: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// The data map entry of `billing_transactions`.
pub const DECLARATION: TableDeclaration = TableDeclaration {
    table: "billing_transactions",
    category: DataCategory::OperatorBilling,
    role: DataRole::Controller,
    tenant_column: Some("tenant_id"),
    client_link: None,
    user_link: None,
    columns: &[
        ColumnDeclaration::plain("provider"),
        ColumnDeclaration::plain("provider_reference"),
        ColumnDeclaration::plain("tenant_id"),
        ColumnDeclaration::plain("amount_minor"),
        ColumnDeclaration::plain("currency"),
        ColumnDeclaration::plain("status"),
        ColumnDeclaration::plain("occurred_at"),
        ColumnDeclaration::plain("invoice_url"),
    ],
};
