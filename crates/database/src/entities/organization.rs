//! `organizations`: one row per tenant.

use fakturo_domain::privacy::data_map::{ColumnDeclaration, DataRole, TableDeclaration};
use fakturo_domain::privacy::retention::DataCategory;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "organizations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub name: String,
    pub country: String,
    pub default_currency: String,
    pub time_zone: String,
    pub invoice_number_pattern: String,
    pub default_payment_terms_days: i32,
    pub created_at: DateTimeUtc,
    pub closed_at: Option<DateTimeUtc>,
    pub purge_after: Option<DateTimeUtc>,
    pub address: Option<String>,
    pub postcode: Option<String>,
    pub city: Option<String>,
    pub vat_id: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub iban: Option<String>,
    pub bic: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// The data map entry of `organizations`.
pub const DECLARATION: TableDeclaration = TableDeclaration {
    table: "organizations",
    category: DataCategory::AccountProfile,
    role: DataRole::Controller,
    tenant_column: Some("id"),
    client_link: None,
    user_link: None,
    columns: &[
        ColumnDeclaration::plain("id"),
        ColumnDeclaration::personal("name"),
        ColumnDeclaration::plain("country"),
        ColumnDeclaration::plain("default_currency"),
        ColumnDeclaration::plain("time_zone"),
        ColumnDeclaration::plain("invoice_number_pattern"),
        ColumnDeclaration::plain("default_payment_terms_days"),
        ColumnDeclaration::plain("created_at"),
        ColumnDeclaration::plain("closed_at"),
        ColumnDeclaration::plain("purge_after"),
        ColumnDeclaration::personal("address"),
        ColumnDeclaration::personal("postcode"),
        ColumnDeclaration::personal("city"),
        ColumnDeclaration::plain("vat_id"),
        ColumnDeclaration::personal("email"),
        ColumnDeclaration::personal("phone"),
        ColumnDeclaration::personal("iban"),
        ColumnDeclaration::plain("bic"),
    ],
};
