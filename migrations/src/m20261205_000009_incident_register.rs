//! The incident register (GDPR Arts. 33–34): `incidents` (deployment-wide,
//! the operator's records of personal data breaches), `incident_tenants`
//! (which organizations an incident affects when it is not all of them),
//! `incident_updates` (each incident's append-only history) and
//! `incident_notices` (one row per person told, unique per incident and
//! user, so notifying twice tells nobody twice).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Incidents::Table)
                    .col(uuid(Incidents::Id).primary_key())
                    .col(timestamp_with_time_zone(Incidents::DiscoveredAt))
                    .col(timestamp_with_time_zone(Incidents::OpenedAt))
                    .col(text(Incidents::Nature))
                    .col(string_len(Incidents::Categories, 400))
                    .col(big_integer(Incidents::PeopleAffected))
                    .col(big_integer(Incidents::RecordsAffected))
                    .col(text(Incidents::Consequences))
                    .col(text(Incidents::Measures))
                    .col(boolean(Incidents::AffectsAll))
                    .col(string_len(Incidents::Status, 16))
                    .col(timestamp_with_time_zone_null(Incidents::AuthorityNotifiedAt))
                    .col(string_len_null(Incidents::AuthorityReference, 200))
                    .col(timestamp_with_time_zone_null(Incidents::ClosedAt))
                    .col(timestamp_with_time_zone(Incidents::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(IncidentTenants::Table)
                    .col(uuid(IncidentTenants::TenantId))
                    .col(uuid(IncidentTenants::IncidentId))
                    .primary_key(
                        Index::create()
                            .col(IncidentTenants::TenantId)
                            .col(IncidentTenants::IncidentId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_incident_tenants_organization")
                            .from(IncidentTenants::Table, IncidentTenants::TenantId)
                            .to(Organizations::Table, Organizations::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_incident_tenants_incident")
                            .from(IncidentTenants::Table, IncidentTenants::IncidentId)
                            .to(Incidents::Table, Incidents::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(IncidentUpdates::Table)
                    .col(uuid(IncidentUpdates::Id).primary_key())
                    .col(uuid(IncidentUpdates::IncidentId))
                    .col(timestamp_with_time_zone(IncidentUpdates::At))
                    .col(string_len(IncidentUpdates::Kind, 32))
                    .col(string_len(IncidentUpdates::Changed, 400))
                    .col(text_null(IncidentUpdates::Note))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_incident_updates_incident")
                            .from(IncidentUpdates::Table, IncidentUpdates::IncidentId)
                            .to(Incidents::Table, Incidents::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_incident_updates_incident")
                    .table(IncidentUpdates::Table)
                    .col(IncidentUpdates::IncidentId)
                    .col(IncidentUpdates::At)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(IncidentNotices::Table)
                    .col(uuid(IncidentNotices::TenantId))
                    .col(uuid(IncidentNotices::IncidentId))
                    .col(uuid(IncidentNotices::UserId))
                    .col(boolean(IncidentNotices::AsOwner))
                    .col(timestamp_with_time_zone(IncidentNotices::QueuedAt))
                    .primary_key(
                        Index::create()
                            .col(IncidentNotices::TenantId)
                            .col(IncidentNotices::IncidentId)
                            .col(IncidentNotices::UserId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_incident_notices_organization")
                            .from(IncidentNotices::Table, IncidentNotices::TenantId)
                            .to(Organizations::Table, Organizations::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_incident_notices_incident")
                            .from(IncidentNotices::Table, IncidentNotices::IncidentId)
                            .to(Incidents::Table, Incidents::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_incident_notices_recipient")
                    .table(IncidentNotices::Table)
                    .col(IncidentNotices::IncidentId)
                    .col(IncidentNotices::UserId)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            IncidentNotices::Table.into_iden(),
            IncidentUpdates::Table.into_iden(),
            IncidentTenants::Table.into_iden(),
            Incidents::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Incidents {
    Table,
    Id,
    DiscoveredAt,
    OpenedAt,
    Nature,
    Categories,
    PeopleAffected,
    RecordsAffected,
    Consequences,
    Measures,
    AffectsAll,
    Status,
    AuthorityNotifiedAt,
    AuthorityReference,
    ClosedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum IncidentTenants {
    Table,
    TenantId,
    IncidentId,
}

#[derive(DeriveIden)]
enum IncidentUpdates {
    Table,
    Id,
    IncidentId,
    At,
    Kind,
    Changed,
    Note,
}

#[derive(DeriveIden)]
enum IncidentNotices {
    Table,
    TenantId,
    IncidentId,
    UserId,
    AsOwner,
    QueuedAt,
}

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Id,
}
