//! The foundation: organizations, users, sessions, clients, invoices with
//! lines and payments, number counters and idempotency records.
//!
//! Every tenant table leads its primary key and indexes with `tenant_id`, and
//! references other tenant rows through `(tenant_id, id)`, so a row can
//! never point into another tenant. Money is BIGINT minor units plus a
//! currency code; quantities, prices and rates are decimal text.

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
                    .table(Organizations::Table)
                    .col(uuid(Organizations::Id).primary_key())
                    .col(text(Organizations::Name))
                    .col(string_len(Organizations::Country, 2))
                    .col(string_len(Organizations::DefaultCurrency, 3))
                    .col(string_len(Organizations::TimeZone, 64))
                    .col(string_len(Organizations::InvoiceNumberPattern, 64))
                    .col(integer(Organizations::DefaultPaymentTermsDays))
                    .col(timestamp_with_time_zone(Organizations::CreatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Users::Table)
                    .col(uuid(Users::TenantId))
                    .col(uuid(Users::Id))
                    .col(text(Users::Email))
                    .col(text(Users::EmailNormalized))
                    .col(text(Users::Name))
                    .col(text(Users::PasswordHash))
                    .col(string_len(Users::Role, 16))
                    .col(string_len(Users::AcceptedPolicyVersion, 32))
                    .col(timestamp_with_time_zone(Users::CreatedAt))
                    .primary_key(Index::create().col(Users::TenantId).col(Users::Id))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_users_organization")
                            .from(Users::Table, Users::TenantId)
                            .to(Organizations::Table, Organizations::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_users_email")
                    .table(Users::Table)
                    .col(Users::EmailNormalized)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Sessions::Table)
                    .col(uuid(Sessions::TenantId))
                    .col(uuid(Sessions::Id))
                    .col(uuid(Sessions::UserId))
                    .col(string_len(Sessions::TokenDigest, 64))
                    .col(timestamp_with_time_zone(Sessions::CreatedAt))
                    .col(timestamp_with_time_zone(Sessions::ExpiresAt))
                    .primary_key(Index::create().col(Sessions::TenantId).col(Sessions::Id))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_sessions_user")
                            .from(Sessions::Table, (Sessions::TenantId, Sessions::UserId))
                            .to(Users::Table, (Users::TenantId, Users::Id))
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_sessions_token_digest")
                    .table(Sessions::Table)
                    .col(Sessions::TokenDigest)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Clients::Table)
                    .col(uuid(Clients::TenantId))
                    .col(uuid(Clients::Id))
                    .col(text(Clients::Name))
                    .col(text_null(Clients::Email))
                    .col(text_null(Clients::Phone))
                    .col(text_null(Clients::Address))
                    .col(string_len_null(Clients::Country, 2))
                    .col(text_null(Clients::TaxId))
                    .col(string_len_null(Clients::Currency, 3))
                    .col(string_len_null(Clients::Locale, 35))
                    .col(timestamp_with_time_zone(Clients::CreatedAt))
                    .col(timestamp_with_time_zone(Clients::UpdatedAt))
                    .primary_key(Index::create().col(Clients::TenantId).col(Clients::Id))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_clients_organization")
                            .from(Clients::Table, Clients::TenantId)
                            .to(Organizations::Table, Organizations::Id),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Invoices::Table)
                    .col(uuid(Invoices::TenantId))
                    .col(uuid(Invoices::Id))
                    .col(uuid(Invoices::ClientId))
                    .col(string_len(Invoices::Series, 16))
                    .col(string_len_null(Invoices::Number, 64))
                    .col(string_len(Invoices::Status, 16))
                    .col(string_len(Invoices::Currency, 3))
                    .col(date_null(Invoices::IssueDate))
                    .col(date_null(Invoices::DueDate))
                    .col(integer_null(Invoices::PaymentTermsDays))
                    .col(text_null(Invoices::Notes))
                    .col(big_integer(Invoices::SubtotalMinor))
                    .col(big_integer(Invoices::TaxTotalMinor))
                    .col(big_integer(Invoices::TotalMinor))
                    .col(big_integer(Invoices::AmountPaidMinor))
                    .col(timestamp_with_time_zone_null(Invoices::FinalizedAt))
                    .col(timestamp_with_time_zone(Invoices::CreatedAt))
                    .col(timestamp_with_time_zone(Invoices::UpdatedAt))
                    .primary_key(Index::create().col(Invoices::TenantId).col(Invoices::Id))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_invoices_client")
                            .from(Invoices::Table, (Invoices::TenantId, Invoices::ClientId))
                            .to(Clients::Table, (Clients::TenantId, Clients::Id)),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_invoices_number")
                    .table(Invoices::Table)
                    .col(Invoices::TenantId)
                    .col(Invoices::Series)
                    .col(Invoices::Number)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_invoices_client")
                    .table(Invoices::Table)
                    .col(Invoices::TenantId)
                    .col(Invoices::ClientId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_invoices_status_due")
                    .table(Invoices::Table)
                    .col(Invoices::TenantId)
                    .col(Invoices::Status)
                    .col(Invoices::DueDate)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(InvoiceLines::Table)
                    .col(uuid(InvoiceLines::TenantId))
                    .col(uuid(InvoiceLines::InvoiceId))
                    .col(integer(InvoiceLines::Position))
                    .col(text(InvoiceLines::Description))
                    .col(string_len(InvoiceLines::Quantity, 40))
                    .col(string_len(InvoiceLines::UnitPrice, 40))
                    .col(string_len(InvoiceLines::TaxRate, 40))
                    .col(string_len(InvoiceLines::DiscountPercent, 40))
                    .col(uuid_null(InvoiceLines::ProductId))
                    .primary_key(
                        Index::create()
                            .col(InvoiceLines::TenantId)
                            .col(InvoiceLines::InvoiceId)
                            .col(InvoiceLines::Position),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_invoice_lines_invoice")
                            .from(InvoiceLines::Table, (InvoiceLines::TenantId, InvoiceLines::InvoiceId))
                            .to(Invoices::Table, (Invoices::TenantId, Invoices::Id))
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Payments::Table)
                    .col(uuid(Payments::TenantId))
                    .col(uuid(Payments::Id))
                    .col(uuid(Payments::InvoiceId))
                    .col(big_integer(Payments::AmountMinor))
                    .col(string_len(Payments::Currency, 3))
                    .col(date(Payments::PaidOn))
                    .col(string_len(Payments::Method, 16))
                    .col(text_null(Payments::Reference))
                    .col(timestamp_with_time_zone(Payments::CreatedAt))
                    .primary_key(Index::create().col(Payments::TenantId).col(Payments::Id))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_payments_invoice")
                            .from(Payments::Table, (Payments::TenantId, Payments::InvoiceId))
                            .to(Invoices::Table, (Invoices::TenantId, Invoices::Id)),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_payments_invoice")
                    .table(Payments::Table)
                    .col(Payments::TenantId)
                    .col(Payments::InvoiceId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(NumberCounters::Table)
                    .col(uuid(NumberCounters::TenantId))
                    .col(string_len(NumberCounters::SeriesKey, 64))
                    .col(big_integer(NumberCounters::LastValue))
                    .primary_key(
                        Index::create()
                            .col(NumberCounters::TenantId)
                            .col(NumberCounters::SeriesKey),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_number_counters_organization")
                            .from(NumberCounters::Table, NumberCounters::TenantId)
                            .to(Organizations::Table, Organizations::Id),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(IdempotencyKeys::Table)
                    .col(uuid(IdempotencyKeys::TenantId))
                    .col(string_len(IdempotencyKeys::IdempotencyKey, 255))
                    .col(string_len(IdempotencyKeys::RequestDigest, 64))
                    .col(timestamp_with_time_zone(IdempotencyKeys::StartedAt))
                    .col(integer_null(IdempotencyKeys::ResponseStatus))
                    .col(text_null(IdempotencyKeys::ResponseBody))
                    .primary_key(
                        Index::create()
                            .col(IdempotencyKeys::TenantId)
                            .col(IdempotencyKeys::IdempotencyKey),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_idempotency_keys_organization")
                            .from(IdempotencyKeys::Table, IdempotencyKeys::TenantId)
                            .to(Organizations::Table, Organizations::Id),
                    )
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            IdempotencyKeys::Table.into_iden(),
            NumberCounters::Table.into_iden(),
            Payments::Table.into_iden(),
            InvoiceLines::Table.into_iden(),
            Invoices::Table.into_iden(),
            Clients::Table.into_iden(),
            Sessions::Table.into_iden(),
            Users::Table.into_iden(),
            Organizations::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Id,
    Name,
    Country,
    DefaultCurrency,
    TimeZone,
    InvoiceNumberPattern,
    DefaultPaymentTermsDays,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    TenantId,
    Id,
    Email,
    EmailNormalized,
    Name,
    PasswordHash,
    Role,
    AcceptedPolicyVersion,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    TenantId,
    Id,
    UserId,
    TokenDigest,
    CreatedAt,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum Clients {
    Table,
    TenantId,
    Id,
    Name,
    Email,
    Phone,
    Address,
    Country,
    TaxId,
    Currency,
    Locale,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Invoices {
    Table,
    TenantId,
    Id,
    ClientId,
    Series,
    Number,
    Status,
    Currency,
    IssueDate,
    DueDate,
    PaymentTermsDays,
    Notes,
    SubtotalMinor,
    TaxTotalMinor,
    TotalMinor,
    AmountPaidMinor,
    FinalizedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum InvoiceLines {
    Table,
    TenantId,
    InvoiceId,
    Position,
    Description,
    Quantity,
    UnitPrice,
    TaxRate,
    DiscountPercent,
    ProductId,
}

#[derive(DeriveIden)]
enum Payments {
    Table,
    TenantId,
    Id,
    InvoiceId,
    AmountMinor,
    Currency,
    PaidOn,
    Method,
    Reference,
    CreatedAt,
}

#[derive(DeriveIden)]
enum NumberCounters {
    Table,
    TenantId,
    SeriesKey,
    LastValue,
}

#[derive(DeriveIden)]
enum IdempotencyKeys {
    Table,
    TenantId,
    IdempotencyKey,
    RequestDigest,
    StartedAt,
    ResponseStatus,
    ResponseBody,
}
