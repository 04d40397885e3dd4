//! `privacy_requests`: a tenant's privacy request cases.

use fakturo_domain::privacy::data_map::{ColumnDeclaration, DataRole, Link, TableDeclaration};
use fakturo_domain::privacy::retention::DataCategory;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "privacy_requests")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub request_type: String,
    pub subject_email: String,
    pub details: String,
    pub client_id: Option<Uuid>,
    pub organization_hint: Option<String>,
    pub client_reference: Option<String>,
    pub source: String,
    pub status: String,
    pub received_at: DateTimeUtc,
    pub due_on: Date,
    pub extension_months: i32,
    pub identity_verified_at: Option<DateTimeUtc>,
    pub identity_method: Option<String>,
    pub created_by: Option<Uuid>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// The table in the data map: privacy requests a tenant handles about its
/// clients (kept after an erasure, as the record of the answer).
pub const DECLARATION: TableDeclaration = TableDeclaration {
    table: "privacy_requests",
    category: DataCategory::PrivacyRecords,
    role: DataRole::Processor,
    tenant_column: Some("tenant_id"),
    client_link: Some(Link::Column("client_id")),
    user_link: Some(Link::Column("created_by")),
    columns: &[
        ColumnDeclaration::plain("tenant_id"),
        ColumnDeclaration::plain("id"),
        ColumnDeclaration::plain("request_type"),
        ColumnDeclaration::personal("subject_email"),
        ColumnDeclaration::personal("details"),
        ColumnDeclaration::plain("client_id"),
        ColumnDeclaration::personal("organization_hint"),
        ColumnDeclaration::personal("client_reference"),
        ColumnDeclaration::plain("source"),
        ColumnDeclaration::plain("status"),
        ColumnDeclaration::plain("received_at"),
        ColumnDeclaration::plain("due_on"),
        ColumnDeclaration::plain("extension_months"),
        ColumnDeclaration::plain("identity_verified_at"),
        ColumnDeclaration::plain("identity_method"),
        ColumnDeclaration::plain("created_by"),
        ColumnDeclaration::plain("updated_at"),
    ],
};
