//! `incidents`: the operator's register of personal data breaches.

use fakturo_domain::privacy::data_map::{ColumnDeclaration, DataRole, TableDeclaration};
use fakturo_domain::privacy::retention::DataCategory;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "incidents")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub discovered_at: DateTimeUtc,
    pub opened_at: DateTimeUtc,
    pub nature: String,
    pub categories: String,
    pub people_affected: i64,
    pub records_affected: i64,
    pub consequences: String,
    pub measures: String,
    pub affects_all: bool,
    pub status: String,
    pub authority_notified_at: Option<DateTimeUtc>,
    pub authority_reference: Option<String>,
    pub closed_at: Option<DateTimeUtc>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// The table in the data map: the incident register (Art. 33(5)), kept as
/// privacy records; its free text may describe people.
pub const DECLARATION: TableDeclaration = TableDeclaration {
    table: "incidents",
    category: DataCategory::PrivacyRecords,
    role: DataRole::Controller,
    tenant_column: None,
    client_link: None,
    user_link: None,
    columns: &[
        ColumnDeclaration::plain("id"),
        ColumnDeclaration::plain("discovered_at"),
        ColumnDeclaration::plain("opened_at"),
        ColumnDeclaration::personal("nature"),
        ColumnDeclaration::plain("categories"),
        ColumnDeclaration::plain("people_affected"),
        ColumnDeclaration::plain("records_affected"),
        ColumnDeclaration::personal("consequences"),
        ColumnDeclaration::personal("measures"),
        ColumnDeclaration::plain("affects_all"),
        ColumnDeclaration::plain("status"),
        ColumnDeclaration::plain("authority_notified_at"),
        ColumnDeclaration::plain("authority_reference"),
        ColumnDeclaration::plain("closed_at"),
        ColumnDeclaration::plain("updated_at"),
    ],
};
