//! Background work: the job queue (transactional outbox), invoice delivery
//! fields and public links, recurring invoice schedules with one run per
//! period, payment reminder settings and the reminders of each invoice.

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
                    .table(Jobs::Table)
                    .col(uuid(Jobs::Id).primary_key())
                    .col(uuid_null(Jobs::TenantId))
                    .col(string_len(Jobs::Kind, 64))
                    .col(text(Jobs::Payload))
                    .col(string_len(Jobs::IdempotencyKey, 255))
                    .col(string_len(Jobs::Status, 16))
                    .col(integer(Jobs::Attempts))
                    .col(integer(Jobs::MaxAttempts))
                    .col(timestamp_with_time_zone(Jobs::RunAt))
                    .col(timestamp_with_time_zone_null(Jobs::LockedUntil))
                    .col(string_len_null(Jobs::LockedBy, 128))
                    .col(text_null(Jobs::LastError))
                    .col(timestamp_with_time_zone(Jobs::CreatedAt))
                    .col(timestamp_with_time_zone(Jobs::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_jobs_idempotency_key")
                    .table(Jobs::Table)
                    .col(Jobs::IdempotencyKey)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_jobs_due")
                    .table(Jobs::Table)
                    .col(Jobs::Status)
                    .col(Jobs::RunAt)
                    .to_owned(),
            )
            .await?;

        for column in [
            ColumnDef::new(Invoices::PublicToken).string_len(64).null().to_owned(),
            ColumnDef::new(Invoices::SentAt)
                .timestamp_with_time_zone()
                .null()
                .to_owned(),
            ColumnDef::new(Invoices::SentTo).text().null().to_owned(),
            ColumnDef::new(Invoices::RecurringInvoiceId).uuid().null().to_owned(),
        ] {
            manager
                .alter_table(Table::alter().table(Invoices::Table).add_column(column).to_owned())
                .await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("ux_invoices_public_token")
                    .table(Invoices::Table)
                    .col(Invoices::PublicToken)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Clients::Table)
                    .add_column(
                        ColumnDef::new(Clients::RemindersEnabled)
                            .boolean()
                            .not_null()
                            .default(true),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(RecurringInvoices::Table)
                    .col(uuid(RecurringInvoices::TenantId))
                    .col(uuid(RecurringInvoices::Id))
                    .col(uuid(RecurringInvoices::ClientId))
                    .col(string_len(RecurringInvoices::Currency, 3))
                    .col(text(RecurringInvoices::Lines))
                    .col(text_null(RecurringInvoices::Notes))
                    .col(integer_null(RecurringInvoices::PaymentTermsDays))
                    .col(string_len(RecurringInvoices::Frequency, 16))
                    .col(integer(RecurringInvoices::Interval))
                    .col(date(RecurringInvoices::StartDate))
                    .col(integer_null(RecurringInvoices::EndAfterCount))
                    .col(date_null(RecurringInvoices::EndOn))
                    .col(boolean(RecurringInvoices::AutoSend))
                    .col(string_len(RecurringInvoices::Status, 16))
                    .col(integer(RecurringInvoices::NextPeriod))
                    .col(date_null(RecurringInvoices::NextIssueDate))
                    .col(timestamp_with_time_zone(RecurringInvoices::CreatedAt))
                    .col(timestamp_with_time_zone(RecurringInvoices::UpdatedAt))
                    .primary_key(
                        Index::create()
                            .col(RecurringInvoices::TenantId)
                            .col(RecurringInvoices::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_recurring_invoices_client")
                            .from(
                                RecurringInvoices::Table,
                                (RecurringInvoices::TenantId, RecurringInvoices::ClientId),
                            )
                            .to(Clients::Table, (Clients::TenantId, Clients::Id)),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_recurring_invoices_due")
                    .table(RecurringInvoices::Table)
                    .col(RecurringInvoices::Status)
                    .col(RecurringInvoices::NextIssueDate)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(RecurringRuns::Table)
                    .col(uuid(RecurringRuns::TenantId))
                    .col(uuid(RecurringRuns::ScheduleId))
                    .col(date(RecurringRuns::PeriodStart))
                    .col(integer(RecurringRuns::PeriodIndex))
                    .col(uuid(RecurringRuns::InvoiceId))
                    .col(timestamp_with_time_zone(RecurringRuns::CreatedAt))
                    .primary_key(
                        Index::create()
                            .col(RecurringRuns::TenantId)
                            .col(RecurringRuns::ScheduleId)
                            .col(RecurringRuns::PeriodStart),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_recurring_runs_schedule")
                            .from(
                                RecurringRuns::Table,
                                (RecurringRuns::TenantId, RecurringRuns::ScheduleId),
                            )
                            .to(
                                RecurringInvoices::Table,
                                (RecurringInvoices::TenantId, RecurringInvoices::Id),
                            )
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ReminderSettings::Table)
                    .col(uuid(ReminderSettings::TenantId).primary_key())
                    .col(boolean(ReminderSettings::Enabled))
                    .col(text(ReminderSettings::Rules))
                    .col(timestamp_with_time_zone(ReminderSettings::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_reminder_settings_organization")
                            .from(ReminderSettings::Table, ReminderSettings::TenantId)
                            .to(Organizations::Table, Organizations::Id),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(InvoiceReminders::Table)
                    .col(uuid(InvoiceReminders::TenantId))
                    .col(uuid(InvoiceReminders::InvoiceId))
                    .col(integer(InvoiceReminders::DaysFromDue))
                    .col(date(InvoiceReminders::DueOn))
                    .col(string_len(InvoiceReminders::Status, 16))
                    .col(text_null(InvoiceReminders::Recipient))
                    .col(timestamp_with_time_zone_null(InvoiceReminders::SentAt))
                    .col(timestamp_with_time_zone(InvoiceReminders::CreatedAt))
                    .primary_key(
                        Index::create()
                            .col(InvoiceReminders::TenantId)
                            .col(InvoiceReminders::InvoiceId)
                            .col(InvoiceReminders::DaysFromDue),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_invoice_reminders_invoice")
                            .from(
                                InvoiceReminders::Table,
                                (InvoiceReminders::TenantId, InvoiceReminders::InvoiceId),
                            )
                            .to(Invoices::Table, (Invoices::TenantId, Invoices::Id))
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            InvoiceReminders::Table.into_iden(),
            ReminderSettings::Table.into_iden(),
            RecurringRuns::Table.into_iden(),
            RecurringInvoices::Table.into_iden(),
            Jobs::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        manager
            .drop_index(
                Index::drop()
                    .name("ux_invoices_public_token")
                    .table(Invoices::Table)
                    .to_owned(),
            )
            .await?;
        for column in [
            Invoices::PublicToken,
            Invoices::SentAt,
            Invoices::SentTo,
            Invoices::RecurringInvoiceId,
        ] {
            manager
                .alter_table(Table::alter().table(Invoices::Table).drop_column(column).to_owned())
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Clients::Table)
                    .drop_column(Clients::RemindersEnabled)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Clients {
    Table,
    TenantId,
    Id,
    RemindersEnabled,
}

#[derive(DeriveIden)]
enum Invoices {
    Table,
    TenantId,
    Id,
    PublicToken,
    SentAt,
    SentTo,
    RecurringInvoiceId,
}

#[derive(DeriveIden)]
enum Jobs {
    Table,
    Id,
    TenantId,
    Kind,
    Payload,
    IdempotencyKey,
    Status,
    Attempts,
    MaxAttempts,
    RunAt,
    LockedUntil,
    LockedBy,
    LastError,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum RecurringInvoices {
    Table,
    TenantId,
    Id,
    ClientId,
    Currency,
    Lines,
    Notes,
    PaymentTermsDays,
    Frequency,
    Interval,
    StartDate,
    EndAfterCount,
    EndOn,
    AutoSend,
    Status,
    NextPeriod,
    NextIssueDate,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum RecurringRuns {
    Table,
    TenantId,
    ScheduleId,
    PeriodStart,
    PeriodIndex,
    InvoiceId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ReminderSettings {
    Table,
    TenantId,
    Enabled,
    Rules,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum InvoiceReminders {
    Table,
    TenantId,
    InvoiceId,
    DaysFromDue,
    DueOn,
    Status,
    Recipient,
    SentAt,
    CreatedAt,
}
