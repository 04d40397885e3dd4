//! `checkout_sessions`: Stripe Checkout Sessions opened for invoices'
//! balances on tenants' own accounts.

use fakturo_domain::privacy::data_map::{ColumnDeclaration, DataRole, Link, TableDeclaration};
use fakturo_domain::privacy::retention::DataCategory;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "checkout_sessions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub session_id: String,
    pub invoice_id: Uuid,
    pub payment_intent: Option<String>,
    pub amount_minor: i64,
    pub currency: String,
    pub status: String,
    pub refunded_minor: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// The data map entry of `checkout_sessions`.
pub const DECLARATION: TableDeclaration = TableDeclaration {
    table: "checkout_sessions",
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
        ColumnDeclaration::plain("session_id"),
        ColumnDeclaration::plain("invoice_id"),
        ColumnDeclaration::plain("payment_intent"),
        ColumnDeclaration::plain("amount_minor"),
        ColumnDeclaration::plain("currency"),
        ColumnDeclaration::plain("status"),
        ColumnDeclaration::plain("refunded_minor"),
        ColumnDeclaration::plain("created_at"),
        ColumnDeclaration::plain("updated_at"),
    ],
};
