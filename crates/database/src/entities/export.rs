//! `exports`: data exports (access and portability), their status and archive.

use fakturo_domain::privacy::data_map::{ColumnDeclaration, DataRole, Link, TableDeclaration};
use fakturo_domain::privacy::retention::DataCategory;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "exports")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub scope: String,
    pub subject_id: Option<Uuid>,
    pub status: String,
    pub requested_by: Uuid,
    pub requested_at: DateTimeUtc,
    pub completed_at: Option<DateTimeUtc>,
    pub object_key: Option<String>,
    pub size_bytes: Option<i64>,
    pub manifest: Option<String>,
    pub error: Option<String>,
    pub expires_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// The data map entry of `exports`.
pub const DECLARATION: TableDeclaration = TableDeclaration {
    table: "exports",
    category: DataCategory::PrivacyRecords,
    role: DataRole::Processor,
    tenant_column: Some("tenant_id"),
    client_link: None,
    user_link: Some(Link::Column("requested_by")),
    columns: &[
        ColumnDeclaration::plain("tenant_id"),
        ColumnDeclaration::plain("id"),
        ColumnDeclaration::plain("scope"),
        ColumnDeclaration::plain("subject_id"),
        ColumnDeclaration::plain("status"),
        ColumnDeclaration::plain("requested_by"),
        ColumnDeclaration::plain("requested_at"),
        ColumnDeclaration::plain("completed_at"),
        ColumnDeclaration::plain("object_key"),
        ColumnDeclaration::plain("size_bytes"),
        ColumnDeclaration::plain("manifest"),
        ColumnDeclaration::plain("error"),
        ColumnDeclaration::plain("expires_at"),
    ],
};
