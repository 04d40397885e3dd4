//! Billing: the webhook inbox every provider event passes through (raw body
//! kept, unique provider + account + event id), checkout sessions opened for
//! invoices and refunds waiting for their payment, tenants' connected Stripe
//! accounts, and the operator's subscriptions and billing transactions.

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
                    .table(WebhookInbox::Table)
                    .col(string_len(WebhookInbox::Provider, 16))
                    .col(string_len(WebhookInbox::Account, 64))
                    .col(string_len(WebhookInbox::EventId, 255))
                    .col(uuid_null(WebhookInbox::TenantId))
                    .col(string_len(WebhookInbox::EventType, 128))
                    .col(blob(WebhookInbox::RawBody))
                    .col(string_len(WebhookInbox::State, 16))
                    .col(text_null(WebhookInbox::ParkReason))
                    .col(timestamp_with_time_zone(WebhookInbox::ReceivedAt))
                    .col(timestamp_with_time_zone_null(WebhookInbox::SettledAt))
                    .primary_key(
                        Index::create()
                            .name("pk_webhook_inbox")
                            .col(WebhookInbox::Provider)
                            .col(WebhookInbox::Account)
                            .col(WebhookInbox::EventId),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_webhook_inbox_state")
                    .table(WebhookInbox::Table)
                    .col(WebhookInbox::State)
                    .col(WebhookInbox::ReceivedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_webhook_inbox_tenant")
                    .table(WebhookInbox::Table)
                    .col(WebhookInbox::TenantId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(CheckoutSessions::Table)
                    .col(uuid(CheckoutSessions::TenantId))
                    .col(string_len(CheckoutSessions::SessionId, 255))
                    .col(uuid(CheckoutSessions::InvoiceId))
                    .col(string_len_null(CheckoutSessions::PaymentIntent, 255))
                    .col(big_integer(CheckoutSessions::AmountMinor))
                    .col(string_len(CheckoutSessions::Currency, 3))
                    .col(string_len(CheckoutSessions::Status, 24))
                    .col(big_integer(CheckoutSessions::RefundedMinor))
                    .col(timestamp_with_time_zone(CheckoutSessions::CreatedAt))
                    .col(timestamp_with_time_zone(CheckoutSessions::UpdatedAt))
                    .primary_key(
                        Index::create()
                            .col(CheckoutSessions::TenantId)
                            .col(CheckoutSessions::SessionId),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_checkout_sessions_payment_intent")
                    .table(CheckoutSessions::Table)
                    .col(CheckoutSessions::TenantId)
                    .col(CheckoutSessions::PaymentIntent)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_checkout_sessions_open")
                    .table(CheckoutSessions::Table)
                    .col(CheckoutSessions::Status)
                    .col(CheckoutSessions::CreatedAt)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(PendingRefunds::Table)
                    .col(uuid(PendingRefunds::TenantId))
                    .col(string_len(PendingRefunds::PaymentIntent, 255))
                    .col(string_len(PendingRefunds::ChargeId, 255))
                    .col(big_integer(PendingRefunds::AmountRefundedMinor))
                    .col(string_len(PendingRefunds::Currency, 3))
                    .primary_key(
                        Index::create()
                            .col(PendingRefunds::TenantId)
                            .col(PendingRefunds::PaymentIntent),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(StripeConnections::Table)
                    .col(uuid(StripeConnections::TenantId).primary_key())
                    .col(string_len(StripeConnections::AccountId, 255))
                    .col(string_len(StripeConnections::EndpointId, 255))
                    .col(string_len(StripeConnections::EndpointStatus, 32))
                    .col(timestamp_with_time_zone(StripeConnections::ConnectedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Subscriptions::Table)
                    .col(uuid(Subscriptions::TenantId).primary_key())
                    .col(string_len(Subscriptions::Provider, 16))
                    .col(string_len(Subscriptions::SubscriptionId, 255))
                    .col(string_len_null(Subscriptions::CustomerId, 255))
                    .col(string_len_null(Subscriptions::PlanId, 64))
                    .col(string_len(Subscriptions::Status, 16))
                    .col(timestamp_with_time_zone_null(Subscriptions::CurrentPeriodEnd))
                    .col(timestamp_with_time_zone_null(Subscriptions::CancelAt))
                    .col(timestamp_with_time_zone(Subscriptions::OrderingKey))
                    .col(timestamp_with_time_zone(Subscriptions::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_subscriptions_provider_id")
                    .table(Subscriptions::Table)
                    .col(Subscriptions::Provider)
                    .col(Subscriptions::SubscriptionId)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(BillingTransactions::Table)
                    .col(string_len(BillingTransactions::Provider, 16))
                    .col(string_len(BillingTransactions::ProviderReference, 255))
                    .col(uuid(BillingTransactions::TenantId))
                    .col(big_integer(BillingTransactions::AmountMinor))
                    .col(string_len(BillingTransactions::Currency, 3))
                    .col(string_len(BillingTransactions::Status, 32))
                    .col(timestamp_with_time_zone(BillingTransactions::OccurredAt))
                    .col(text_null(BillingTransactions::InvoiceUrl))
                    .primary_key(
                        Index::create()
                            .col(BillingTransactions::Provider)
                            .col(BillingTransactions::ProviderReference),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_billing_transactions_tenant")
                    .table(BillingTransactions::Table)
                    .col(BillingTransactions::TenantId)
                    .col(BillingTransactions::OccurredAt)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            BillingTransactions::Table.into_iden(),
            Subscriptions::Table.into_iden(),
            StripeConnections::Table.into_iden(),
            PendingRefunds::Table.into_iden(),
            CheckoutSessions::Table.into_iden(),
            WebhookInbox::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum WebhookInbox {
    Table,
    Provider,
    Account,
    EventId,
    TenantId,
    EventType,
    RawBody,
    State,
    ParkReason,
    ReceivedAt,
    SettledAt,
}

#[derive(DeriveIden)]
enum CheckoutSessions {
    Table,
    TenantId,
    SessionId,
    InvoiceId,
    PaymentIntent,
    AmountMinor,
    Currency,
    Status,
    RefundedMinor,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum PendingRefunds {
    Table,
    TenantId,
    PaymentIntent,
    ChargeId,
    AmountRefundedMinor,
    Currency,
}

#[derive(DeriveIden)]
enum StripeConnections {
    Table,
    TenantId,
    AccountId,
    EndpointId,
    EndpointStatus,
    ConnectedAt,
}

#[derive(DeriveIden)]
enum Subscriptions {
    Table,
    TenantId,
    Provider,
    SubscriptionId,
    CustomerId,
    PlanId,
    Status,
    CurrentPeriodEnd,
    CancelAt,
    OrderingKey,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum BillingTransactions {
    Table,
    Provider,
    ProviderReference,
    TenantId,
    AmountMinor,
    Currency,
    Status,
    OccurredAt,
    InvoiceUrl,
}
