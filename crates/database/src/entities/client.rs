//! `clients`: a tenant's customers.

use fakturo_domain::privacy::data_map::{ColumnDeclaration, DataRole, Link, TableDeclaration};
use fakturo_domain::privacy::retention::DataCategory;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "clients")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub country: Option<String>,
    pub tax_id: Option<String>,
    pub currency: Option<String>,
    pub locale: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub reminders_enabled: bool,
    pub processing_restricted: bool,
    pub objections: Option<String>,
    pub objects_to_contact: bool,
    pub erased_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// The data map entry of `clients`.
pub const DECLARATION: TableDeclaration = TableDeclaration {
    table: "clients",
    category: DataCategory::CustomerContent,
    role: DataRole::Processor,
    tenant_column: Some("tenant_id"),
    client_link: Some(Link::Column("id")),
    user_link: None,
    columns: &[
        ColumnDeclaration::plain("tenant_id"),
        ColumnDeclaration::plain("id"),
        ColumnDeclaration::personal("name"),
        ColumnDeclaration::personal("email"),
        ColumnDeclaration::personal("phone"),
        ColumnDeclaration::personal("address"),
        ColumnDeclaration::plain("country"),
        ColumnDeclaration::personal("tax_id"),
        ColumnDeclaration::plain("currency"),
        ColumnDeclaration::plain("locale"),
        ColumnDeclaration::plain("created_at"),
        ColumnDeclaration::plain("updated_at"),
        ColumnDeclaration::plain("reminders_enabled"),
        ColumnDeclaration::plain("processing_restricted"),
        ColumnDeclaration::plain("objections"),
        ColumnDeclaration::plain("objects_to_contact"),
        ColumnDeclaration::plain("erased_at"),
    ],
};
