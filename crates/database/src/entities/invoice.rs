//! `invoices`: headers with denormalized totals (for listing and filters).

use fakturo_domain::privacy::data_map::{ColumnDeclaration, DataRole, Link, TableDeclaration};
use fakturo_domain::privacy::retention::DataCategory;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "invoices")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub client_id: Uuid,
    pub series: String,
    pub number: Option<String>,
    pub status: String,
    pub currency: String,
    pub issue_date: Option<Date>,
    pub due_date: Option<Date>,
    pub payment_terms_days: Option<i32>,
    pub notes: Option<String>,
    pub subtotal_minor: i64,
    pub tax_total_minor: i64,
    pub total_minor: i64,
    pub amount_paid_minor: i64,
    pub finalized_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub public_token: Option<String>,
    pub sent_at: Option<DateTimeUtc>,
    pub sent_to: Option<String>,
    pub recurring_invoice_id: Option<Uuid>,
    pub buyer: Option<String>,
    pub restricted: bool,
    pub legal_hold_until: Option<Date>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// The data map entry of `invoices`.
pub const DECLARATION: TableDeclaration = TableDeclaration {
    table: "invoices",
    category: DataCategory::AccountingRecords,
    role: DataRole::Processor,
    tenant_column: Some("tenant_id"),
    client_link: Some(Link::Column("client_id")),
    user_link: None,
    columns: &[
        ColumnDeclaration::plain("tenant_id"),
        ColumnDeclaration::plain("id"),
        ColumnDeclaration::plain("client_id"),
        ColumnDeclaration::plain("series"),
        ColumnDeclaration::plain("number"),
        ColumnDeclaration::plain("status"),
        ColumnDeclaration::plain("currency"),
        ColumnDeclaration::plain("issue_date"),
        ColumnDeclaration::plain("due_date"),
        ColumnDeclaration::plain("payment_terms_days"),
        ColumnDeclaration::personal("notes"),
        ColumnDeclaration::plain("subtotal_minor"),
        ColumnDeclaration::plain("tax_total_minor"),
        ColumnDeclaration::plain("total_minor"),
        ColumnDeclaration::plain("amount_paid_minor"),
        ColumnDeclaration::plain("finalized_at"),
        ColumnDeclaration::plain("created_at"),
        ColumnDeclaration::plain("updated_at"),
        ColumnDeclaration::secret("public_token"),
        ColumnDeclaration::plain("sent_at"),
        ColumnDeclaration::personal("sent_to"),
        ColumnDeclaration::plain("recurring_invoice_id"),
        ColumnDeclaration::personal("buyer"),
        ColumnDeclaration::plain("restricted"),
        ColumnDeclaration::plain("legal_hold_until"),
    ],
};
