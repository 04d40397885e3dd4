//! `subscriptions`: tenants' subscriptions to the operator's plans (the
//! operator's billing records).

use fakturo_domain::privacy::data_map::{ColumnDeclaration, DataRole, TableDeclaration};
use fakturo_domain::privacy::retention::DataCategory;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "subscriptions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    pub provider: String,
    pub subscription_id: String,
    pub customer_id: Option<String>,
    pub plan_id: Option<String>,
    pub status: String,
    pub current_period_end: Option<DateTimeUtc>,
    pub cancel_at: Option<DateTimeUtc>,
    pub ordering_key: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// The data map entry of `subscriptions`.
pub const DECLARATION: TableDeclaration = TableDeclaration {
    table: "subscriptions",
    category: DataCategory::OperatorBilling,
    role: DataRole::Controller,
    tenant_column: Some("tenant_id"),
    client_link: None,
    user_link: None,
    columns: &[
        ColumnDeclaration::plain("tenant_id"),
        ColumnDeclaration::plain("provider"),
        ColumnDeclaration::plain("subscription_id"),
        ColumnDeclaration::plain("customer_id"),
        ColumnDeclaration::plain("plan_id"),
        ColumnDeclaration::plain("status"),
        ColumnDeclaration::plain("current_period_end"),
        ColumnDeclaration::plain("cancel_at"),
        ColumnDeclaration::plain("ordering_key"),
        ColumnDeclaration::plain("updated_at"),
    ],
};
