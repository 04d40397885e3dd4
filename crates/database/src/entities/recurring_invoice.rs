//! `recurring_invoices`: templates and schedules; lines as JSON with decimal strings.

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
