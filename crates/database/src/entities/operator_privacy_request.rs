//! `operator_privacy_requests`: confirmed public requests that concern no tenant: the operator's cases.

use fakturo_domain::privacy::data_map::{ColumnDeclaration, DataRole, TableDeclaration};
use fakturo_domain::privacy::retention::DataCategory;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "operator_privacy_requests")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub request_type: String,
    pub subject_email: String,
    pub organization_hint: Option<String>,
    pub client_reference: Option<String>,
    pub details: String,
    pub status: String,
    pub received_at: DateTimeUtc,
    pub due_on: Date,
    pub identity_verified_at: Option<DateTimeUtc>,
    pub identity_method: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// The table in the data map: privacy requests that concern the operator
/// itself rather than any organization's clients.
pub const DECLARATION: TableDeclaration = TableDeclaration {
    table: "operator_privacy_requests",
    category: DataCategory::PrivacyRecords,
    role: DataRole::Controller,
    tenant_column: None,
    client_link: None,
    user_link: None,
    columns: &[
        ColumnDeclaration::plain("id"),
        ColumnDeclaration::plain("request_type"),
        ColumnDeclaration::personal("subject_email"),
        ColumnDeclaration::personal("organization_hint"),
        ColumnDeclaration::personal("client_reference"),
        ColumnDeclaration::personal("details"),
        ColumnDeclaration::plain("status"),
        ColumnDeclaration::plain("received_at"),
        ColumnDeclaration::plain("due_on"),
        ColumnDeclaration::plain("identity_verified_at"),
        ColumnDeclaration::plain("identity_method"),
    ],
};
