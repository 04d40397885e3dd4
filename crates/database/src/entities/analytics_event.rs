//! `analytics_events`: anonymous product usage events, stored with consent:
//! what happened and the hour, under a random id; no organization, user,
//! session, address or exact time.

use fakturo_domain::privacy::data_map::{ColumnDeclaration, DataRole, TableDeclaration};
use fakturo_domain::privacy::retention::DataCategory;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "analytics_events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub name: String,
    pub occurred_hour: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// The table in the data map: anonymous usage counts, nobody's data.
pub const DECLARATION: TableDeclaration = TableDeclaration {
    table: "analytics_events",
    category: DataCategory::AnonymousAnalytics,
    role: DataRole::Controller,
    tenant_column: None,
    client_link: None,
    user_link: None,
    columns: &[
        ColumnDeclaration::plain("id"),
        ColumnDeclaration::plain("name"),
        ColumnDeclaration::plain("occurred_hour"),
    ],
};
