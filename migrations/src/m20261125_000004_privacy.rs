//! Privacy in the domain: account closure (with its purge date), client
//! restriction, objections and erasure, the buyer as printed on finalized
//! invoices and their legal hold, data exports, erasure records, and the
//! retention sweeper's daily runs.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let add = |table: TableRef, column: ColumnDef| Table::alter().table(table).add_column(column).to_owned();
        for statement in [
            add(
                Organizations::Table.into_table_ref(),
                ColumnDef::new(Organizations::ClosedAt)
                    .timestamp_with_time_zone()
                    .null()
                    .to_owned(),
            ),
            add(
                Organizations::Table.into_table_ref(),
                ColumnDef::new(Organizations::PurgeAfter)
                    .timestamp_with_time_zone()
                    .null()
                    .to_owned(),
            ),
            add(
                Clients::Table.into_table_ref(),
                ColumnDef::new(Clients::ProcessingRestricted)
                    .boolean()
                    .not_null()
                    .default(false)
                    .to_owned(),
            ),
            add(
                Clients::Table.into_table_ref(),
                ColumnDef::new(Clients::Objections).text().null().to_owned(),
            ),
            add(
                Clients::Table.into_table_ref(),
                ColumnDef::new(Clients::ObjectsToContact)
                    .boolean()
                    .not_null()
                    .default(false)
                    .to_owned(),
            ),
            add(
                Clients::Table.into_table_ref(),
                ColumnDef::new(Clients::ErasedAt)
                    .timestamp_with_time_zone()
                    .null()
                    .to_owned(),
            ),
            add(
                Invoices::Table.into_table_ref(),
                ColumnDef::new(Invoices::Buyer).text().null().to_owned(),
            ),
            add(
                Invoices::Table.into_table_ref(),
                ColumnDef::new(Invoices::Restricted)
                    .boolean()
                    .not_null()
                    .default(false)
                    .to_owned(),
            ),
            add(
                Invoices::Table.into_table_ref(),
                ColumnDef::new(Invoices::LegalHoldUntil).date().null().to_owned(),
            ),
        ] {
            manager.alter_table(statement).await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("ix_invoices_legal_hold")
                    .table(Invoices::Table)
                    .col(Invoices::LegalHoldUntil)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Exports::Table)
                    .col(uuid(Exports::TenantId))
                    .col(uuid(Exports::Id))
                    .col(string_len(Exports::Scope, 16))
                    .col(uuid_null(Exports::SubjectId))
                    .col(string_len(Exports::Status, 16))
                    .col(uuid(Exports::RequestedBy))
                    .col(timestamp_with_time_zone(Exports::RequestedAt))
                    .col(timestamp_with_time_zone_null(Exports::CompletedAt))
                    .col(string_len_null(Exports::ObjectKey, 255))
                    .col(big_integer_null(Exports::SizeBytes))
                    .col(text_null(Exports::Manifest))
                    .col(text_null(Exports::Error))
                    .col(timestamp_with_time_zone(Exports::ExpiresAt))
                    .primary_key(Index::create().col(Exports::TenantId).col(Exports::Id))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_exports_organization")
                            .from(Exports::Table, Exports::TenantId)
                            .to(Organizations::Table, Organizations::Id),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Erasures::Table)
                    .col(uuid(Erasures::TenantId))
                    .col(uuid(Erasures::Id))
                    .col(uuid(Erasures::ClientId))
                    .col(uuid_null(Erasures::PrivacyRequestId))
                    .col(uuid(Erasures::PerformedBy))
                    .col(timestamp_with_time_zone(Erasures::PerformedAt))
                    .col(text(Erasures::Report))
                    .primary_key(Index::create().col(Erasures::TenantId).col(Erasures::Id))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_erasures_organization")
                            .from(Erasures::Table, Erasures::TenantId)
                            .to(Organizations::Table, Organizations::Id),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(RetentionRuns::Table)
                    .col(date(RetentionRuns::RunOn).primary_key())
                    .col(timestamp_with_time_zone(RetentionRuns::StartedAt))
                    .col(timestamp_with_time_zone_null(RetentionRuns::FinishedAt))
                    .col(text_null(RetentionRuns::Report))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            RetentionRuns::Table.into_iden(),
            Erasures::Table.into_iden(),
            Exports::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        manager
            .drop_index(
                Index::drop()
                    .name("ix_invoices_legal_hold")
                    .table(Invoices::Table)
                    .to_owned(),
            )
            .await?;
        let drop = |table: TableRef, column: DynIden| Table::alter().table(table).drop_column(column).to_owned();
        for statement in [
            drop(Invoices::Table.into_table_ref(), Invoices::LegalHoldUntil.into_iden()),
            drop(Invoices::Table.into_table_ref(), Invoices::Restricted.into_iden()),
            drop(Invoices::Table.into_table_ref(), Invoices::Buyer.into_iden()),
            drop(Clients::Table.into_table_ref(), Clients::ErasedAt.into_iden()),
            drop(Clients::Table.into_table_ref(), Clients::ObjectsToContact.into_iden()),
            drop(Clients::Table.into_table_ref(), Clients::Objections.into_iden()),
            drop(
                Clients::Table.into_table_ref(),
                Clients::ProcessingRestricted.into_iden(),
            ),
            drop(
                Organizations::Table.into_table_ref(),
                Organizations::PurgeAfter.into_iden(),
            ),
            drop(
                Organizations::Table.into_table_ref(),
                Organizations::ClosedAt.into_iden(),
            ),
        ] {
            manager.alter_table(statement).await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Id,
    ClosedAt,
    PurgeAfter,
}

#[derive(DeriveIden)]
enum Clients {
    Table,
    ProcessingRestricted,
    Objections,
    ObjectsToContact,
    ErasedAt,
}

#[derive(DeriveIden)]
enum Invoices {
    Table,
    Buyer,
    Restricted,
    LegalHoldUntil,
}

#[derive(DeriveIden)]
enum Exports {
    Table,
    TenantId,
    Id,
    Scope,
    SubjectId,
    Status,
    RequestedBy,
    RequestedAt,
    CompletedAt,
    ObjectKey,
    SizeBytes,
    Manifest,
    Error,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum Erasures {
    Table,
    TenantId,
    Id,
    ClientId,
    PrivacyRequestId,
    PerformedBy,
    PerformedAt,
    Report,
}

#[derive(DeriveIden)]
enum RetentionRuns {
    Table,
    RunOn,
    StartedAt,
    FinishedAt,
    Report,
}
