//! `privacy_request_submissions`: public privacy requests waiting for confirmation (deployment-wide).

use fakturo_domain::privacy::data_map::{ColumnDeclaration, DataRole, TableDeclaration};
use fakturo_domain::privacy::retention::DataCategory;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "privacy_request_submissions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub request_type: String,
    pub email: String,
    pub organization_hint: Option<String>,
    pub client_reference: Option<String>,
    pub details: String,
    pub token_digest: Option<String>,
    pub submitted_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
    pub confirmed_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// The table in the data map: privacy requests sent without an account,
/// waiting for their sender's confirmation (deleted when they expire).
pub const DECLARATION: TableDeclaration = TableDeclaration {
    table: "privacy_request_submissions",
    category: DataCategory::PrivacyRecords,
    role: DataRole::Controller,
    tenant_column: None,
    client_link: None,
    user_link: None,
    columns: &[
        ColumnDeclaration::plain("id"),
        ColumnDeclaration::plain("request_type"),
        ColumnDeclaration::personal("email"),
        ColumnDeclaration::personal("organization_hint"),
        ColumnDeclaration::personal("client_reference"),
        ColumnDeclaration::personal("details"),
        ColumnDeclaration::secret("token_digest"),
        ColumnDeclaration::plain("submitted_at"),
        ColumnDeclaration::plain("expires_at"),
        ColumnDeclaration::plain("confirmed_at"),
    ],
};
