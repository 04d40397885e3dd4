//! `stripe_connections`: a tenant's connected Stripe account and Fakturo's
//! webhook endpoint on it (the signing secret is sealed in
//! `integration_credentials`).

use fakturo_domain::privacy::data_map::{ColumnDeclaration, DataRole, TableDeclaration};
use fakturo_domain::privacy::retention::DataCategory;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "stripe_connections")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    pub account_id: String,
    pub endpoint_id: String,
    pub endpoint_status: String,
    pub connected_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// The data map entry of `stripe_connections`.
pub const DECLARATION: TableDeclaration = TableDeclaration {
    table: "stripe_connections",
    category: DataCategory::Credentials,
    role: DataRole::Processor,
    tenant_column: Some("tenant_id"),
    client_link: None,
    user_link: None,
    columns: &[
        ColumnDeclaration::plain("tenant_id"),
        ColumnDeclaration::plain("account_id"),
        ColumnDeclaration::plain("endpoint_id"),
        ColumnDeclaration::plain("endpoint_status"),
        ColumnDeclaration::plain("connected_at"),
    ],
};
