//! Working content and documents: contractors' jobs (`work_orders`), notes,
//! stored files' records (the bytes live in the file store under keys made
//! from ids), credit notes, and the seller's details printed on invoices.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            Organizations::Address,
            Organizations::Postcode,
            Organizations::City,
            Organizations::VatId,
            Organizations::Email,
            Organizations::Phone,
            Organizations::Iban,
            Organizations::Bic,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Organizations::Table)
                        .add_column(ColumnDef::new(column).text().null())
                        .to_owned(),
                )
                .await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(WorkOrders::Table)
                    .col(uuid(WorkOrders::TenantId))
                    .col(uuid(WorkOrders::Id))
                    .col(uuid(WorkOrders::ClientId))
                    .col(text(WorkOrders::Title))
                    .col(text_null(WorkOrders::Description))
                    .col(string_len(WorkOrders::Status, 16))
                    .col(timestamp_with_time_zone_null(WorkOrders::ScheduledStart))
                    .col(timestamp_with_time_zone_null(WorkOrders::ScheduledEnd))
                    .col(text_null(WorkOrders::Address))
                    .col(timestamp_with_time_zone(WorkOrders::CreatedAt))
                    .col(timestamp_with_time_zone(WorkOrders::UpdatedAt))
                    .primary_key(Index::create().col(WorkOrders::TenantId).col(WorkOrders::Id))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_work_orders_client")
                            .from(WorkOrders::Table, (WorkOrders::TenantId, WorkOrders::ClientId))
                            .to(Clients::Table, (Clients::TenantId, Clients::Id)),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_work_orders_client")
                    .table(WorkOrders::Table)
                    .col(WorkOrders::TenantId)
                    .col(WorkOrders::ClientId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Notes::Table)
                    .col(uuid(Notes::TenantId))
                    .col(uuid(Notes::Id))
                    .col(string_len(Notes::SubjectType, 16))
                    .col(uuid(Notes::SubjectId))
                    .col(uuid(Notes::ClientId))
                    .col(text(Notes::Body))
                    .col(uuid(Notes::AuthorId))
                    .col(timestamp_with_time_zone(Notes::CreatedAt))
                    .primary_key(Index::create().col(Notes::TenantId).col(Notes::Id))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_notes_subject")
                    .table(Notes::Table)
                    .col(Notes::TenantId)
                    .col(Notes::SubjectType)
                    .col(Notes::SubjectId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_notes_client")
                    .table(Notes::Table)
                    .col(Notes::TenantId)
                    .col(Notes::ClientId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Files::Table)
                    .col(uuid(Files::TenantId))
                    .col(uuid(Files::Id))
                    .col(string_len(Files::SubjectType, 16))
                    .col(uuid(Files::SubjectId))
                    .col(uuid(Files::ClientId))
                    .col(text(Files::Name))
                    .col(string_len(Files::ContentType, 128))
                    .col(big_integer(Files::SizeBytes))
                    .col(string_len(Files::Sha256, 64))
                    .col(uuid(Files::UploadedBy))
                    .col(timestamp_with_time_zone(Files::CreatedAt))
                    .primary_key(Index::create().col(Files::TenantId).col(Files::Id))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_files_subject")
                    .table(Files::Table)
                    .col(Files::TenantId)
                    .col(Files::SubjectType)
                    .col(Files::SubjectId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_files_client")
                    .table(Files::Table)
                    .col(Files::TenantId)
                    .col(Files::ClientId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(CreditNotes::Table)
                    .col(uuid(CreditNotes::TenantId))
                    .col(uuid(CreditNotes::Id))
                    .col(uuid(CreditNotes::InvoiceId))
                    .col(string_len(CreditNotes::Series, 16))
                    .col(string_len(CreditNotes::Number, 64))
                    .col(date(CreditNotes::IssueDate))
                    .col(text_null(CreditNotes::Reason))
                    .col(string_len(CreditNotes::Currency, 3))
                    .col(big_integer(CreditNotes::SubtotalMinor))
                    .col(big_integer(CreditNotes::TaxTotalMinor))
                    .col(big_integer(CreditNotes::TotalMinor))
                    .col(timestamp_with_time_zone(CreditNotes::CreatedAt))
                    .primary_key(Index::create().col(CreditNotes::TenantId).col(CreditNotes::Id))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_credit_notes_invoice")
                            .from(CreditNotes::Table, (CreditNotes::TenantId, CreditNotes::InvoiceId))
                            .to(Invoices::Table, (Invoices::TenantId, Invoices::Id)),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_credit_notes_invoice")
                    .table(CreditNotes::Table)
                    .col(CreditNotes::TenantId)
                    .col(CreditNotes::InvoiceId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_credit_notes_number")
                    .table(CreditNotes::Table)
                    .col(CreditNotes::TenantId)
                    .col(CreditNotes::Series)
                    .col(CreditNotes::Number)
                    .unique()
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            CreditNotes::Table.into_iden(),
            Files::Table.into_iden(),
            Notes::Table.into_iden(),
            WorkOrders::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        for column in [
            Organizations::Bic,
            Organizations::Iban,
            Organizations::Phone,
            Organizations::Email,
            Organizations::VatId,
            Organizations::City,
            Organizations::Postcode,
            Organizations::Address,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Organizations::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Address,
    Postcode,
    City,
    VatId,
    Email,
    Phone,
    Iban,
    Bic,
}

#[derive(DeriveIden)]
enum Clients {
    Table,
    TenantId,
    Id,
}

#[derive(DeriveIden)]
enum Invoices {
    Table,
    TenantId,
    Id,
}

#[derive(DeriveIden)]
enum WorkOrders {
    Table,
    TenantId,
    Id,
    ClientId,
    Title,
    Description,
    Status,
    ScheduledStart,
    ScheduledEnd,
    Address,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Notes {
    Table,
    TenantId,
    Id,
    SubjectType,
    SubjectId,
    ClientId,
    Body,
    AuthorId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Files {
    Table,
    TenantId,
    Id,
    SubjectType,
    SubjectId,
    ClientId,
    Name,
    ContentType,
    SizeBytes,
    Sha256,
    UploadedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum CreditNotes {
    Table,
    TenantId,
    Id,
    InvoiceId,
    Series,
    Number,
    IssueDate,
    Reason,
    Currency,
    SubtotalMinor,
    TaxTotalMinor,
    TotalMinor,
    CreatedAt,
}
