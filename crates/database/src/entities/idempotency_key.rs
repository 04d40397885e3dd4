//! `idempotency_keys`: first responses of keyed create requests.

use fakturo_domain::privacy::data_map::{ColumnDeclaration, DataRole, TableDeclaration};
use fakturo_domain::privacy::retention::DataCategory;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "idempotency_keys")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub idempotency_key: String,
    pub request_digest: String,
    pub started_at: DateTimeUtc,
    pub response_status: Option<i32>,
    pub response_body: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// The data map entry of `idempotency_keys`.
pub const DECLARATION: TableDeclaration = TableDeclaration {
    table: "idempotency_keys",
    category: DataCategory::TechnicalLogs,
    role: DataRole::Controller,
    tenant_column: Some("tenant_id"),
    client_link: None,
    user_link: None,
    columns: &[
        ColumnDeclaration::plain("tenant_id"),
        ColumnDeclaration::plain("idempotency_key"),
        ColumnDeclaration::plain("request_digest"),
        ColumnDeclaration::plain("started_at"),
        ColumnDeclaration::plain("response_status"),
        ColumnDeclaration::personal("response_body"),
    ],
};
