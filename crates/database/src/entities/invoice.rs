//! `invoices`: headers with denormalized totals (for listing and filters).

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
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
