//! Anonymous analytics: `analytics_events` keeps what happened and the hour,
//! under a random id, and no organization, user or exact time. Events
//! recorded before named their organization and user; they are dropped, not
//! converted, since a row that once named a person is not made anonymous by
//! forgetting one column of it.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AnalyticsEvents::Table).to_owned())
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AnalyticsEvents::Table)
                    .col(uuid(AnalyticsEvents::Id).primary_key())
                    .col(string_len(AnalyticsEvents::Name, 64))
                    .col(timestamp_with_time_zone(AnalyticsEvents::OccurredHour))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_analytics_events_hour")
                    .table(AnalyticsEvents::Table)
                    .col(AnalyticsEvents::OccurredHour)
                    .col(AnalyticsEvents::Name)
                    .to_owned(),
            )
            .await
    }

    /// Back to the earlier shape, empty (what was dropped stays dropped).
    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AnalyticsEvents::Table).to_owned())
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AnalyticsEvents::Table)
                    .col(uuid(AnalyticsEvents::TenantId))
                    .col(uuid(AnalyticsEvents::Id))
                    .col(uuid_null(AnalyticsEvents::UserId))
                    .col(string_len(AnalyticsEvents::Name, 64))
                    .col(timestamp_with_time_zone(AnalyticsEvents::OccurredAt))
                    .primary_key(Index::create().col(AnalyticsEvents::TenantId).col(AnalyticsEvents::Id))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_analytics_events_organization")
                            .from(AnalyticsEvents::Table, AnalyticsEvents::TenantId)
                            .to(Organizations::Table, Organizations::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_analytics_events_occurred")
                    .table(AnalyticsEvents::Table)
                    .col(AnalyticsEvents::TenantId)
                    .col(AnalyticsEvents::OccurredAt)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum AnalyticsEvents {
    Table,
    Id,
    Name,
    OccurredHour,
    TenantId,
    UserId,
    OccurredAt,
}

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Id,
}
