//! `login_throttles`: failed sign-ins per account digest and network.

use fakturo_domain::privacy::data_map::{ColumnDeclaration, DataRole, TableDeclaration};
use fakturo_domain::privacy::retention::DataCategory;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "login_throttles")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub subject: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub network: String,
    pub failures: i32,
    pub window_started_at: Option<DateTimeUtc>,
    pub blocked_until: Option<DateTimeUtc>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// The data map entry of `login_throttles`.
pub const DECLARATION: TableDeclaration = TableDeclaration {
    table: "login_throttles",
    category: DataCategory::SecurityEvents,
    role: DataRole::Controller,
    tenant_column: None,
    client_link: None,
    user_link: None,
    columns: &[
        ColumnDeclaration::personal("subject"),
        ColumnDeclaration::personal("network"),
        ColumnDeclaration::plain("failures"),
        ColumnDeclaration::plain("window_started_at"),
        ColumnDeclaration::plain("blocked_until"),
        ColumnDeclaration::plain("updated_at"),
    ],
};
