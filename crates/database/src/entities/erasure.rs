//! `erasures`: what an erasure of a client deleted, anonymized and kept.

use fakturo_domain::privacy::data_map::{ColumnDeclaration, DataRole, Link, TableDeclaration};
use fakturo_domain::privacy::retention::DataCategory;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "erasures")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub client_id: Uuid,
    pub privacy_request_id: Option<Uuid>,
    pub performed_by: Uuid,
    pub performed_at: DateTimeUtc,
    pub report: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// The data map entry of `erasures`.
pub const DECLARATION: TableDeclaration = TableDeclaration {
    table: "erasures",
    category: DataCategory::PrivacyRecords,
    role: DataRole::Processor,
    tenant_column: Some("tenant_id"),
    client_link: Some(Link::Column("client_id")),
    user_link: Some(Link::Column("performed_by")),
    columns: &[
        ColumnDeclaration::plain("tenant_id"),
        ColumnDeclaration::plain("id"),
        ColumnDeclaration::plain("client_id"),
        ColumnDeclaration::plain("privacy_request_id"),
        ColumnDeclaration::plain("performed_by"),
        ColumnDeclaration::plain("performed_at"),
        ColumnDeclaration::plain("report"),
    ],
};
