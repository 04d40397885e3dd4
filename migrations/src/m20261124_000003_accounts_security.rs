//! Accounts and security: email verification and idle expiry of sessions,
//! personal API tokens, single-use tokens (magic links, resets,
//! verification, external sign-in state), invitations, links to external
//! identities (Google), sign-in throttle counters, the security event log,
//! and sealed integration credentials.
//!
//! Tokens are stored only as SHA-256 digests; credentials only sealed.
//! Rows that belong to a user go with the user (`ON DELETE CASCADE`).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .add_column(ColumnDef::new(Users::EmailVerifiedAt).timestamp_with_time_zone().null())
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Sessions::Table)
                    .add_column(ColumnDef::new(Sessions::LastSeenAt).timestamp_with_time_zone().null())
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ApiTokens::Table)
                    .col(uuid(ApiTokens::TenantId))
                    .col(uuid(ApiTokens::Id))
                    .col(uuid(ApiTokens::UserId))
                    .col(text(ApiTokens::Name))
                    .col(string_len(ApiTokens::Role, 16))
                    .col(string_len(ApiTokens::TokenDigest, 64))
                    .col(string_len(ApiTokens::Hint, 16))
                    .col(timestamp_with_time_zone(ApiTokens::CreatedAt))
                    .col(timestamp_with_time_zone_null(ApiTokens::LastUsedAt))
                    .col(timestamp_with_time_zone_null(ApiTokens::RevokedAt))
                    .primary_key(Index::create().col(ApiTokens::TenantId).col(ApiTokens::Id))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_api_tokens_user")
                            .from(ApiTokens::Table, (ApiTokens::TenantId, ApiTokens::UserId))
                            .to(Users::Table, (Users::TenantId, Users::Id))
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_api_tokens_digest")
                    .table(ApiTokens::Table)
                    .col(ApiTokens::TokenDigest)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(OneTimeTokens::Table)
                    .col(string_len(OneTimeTokens::TokenDigest, 64).primary_key())
                    .col(string_len(OneTimeTokens::Purpose, 32))
                    .col(uuid_null(OneTimeTokens::TenantId))
                    .col(uuid_null(OneTimeTokens::UserId))
                    .col(text_null(OneTimeTokens::Payload))
                    .col(timestamp_with_time_zone(OneTimeTokens::CreatedAt))
                    .col(timestamp_with_time_zone(OneTimeTokens::ExpiresAt))
                    .col(timestamp_with_time_zone_null(OneTimeTokens::UsedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_one_time_tokens_user")
                            .from(OneTimeTokens::Table, (OneTimeTokens::TenantId, OneTimeTokens::UserId))
                            .to(Users::Table, (Users::TenantId, Users::Id))
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_one_time_tokens_user")
                    .table(OneTimeTokens::Table)
                    .col(OneTimeTokens::TenantId)
                    .col(OneTimeTokens::UserId)
                    .col(OneTimeTokens::Purpose)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_one_time_tokens_expiry")
                    .table(OneTimeTokens::Table)
                    .col(OneTimeTokens::ExpiresAt)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Invitations::Table)
                    .col(uuid(Invitations::TenantId))
                    .col(uuid(Invitations::Id))
                    .col(text(Invitations::Email))
                    .col(string_len(Invitations::Role, 16))
                    .col(uuid(Invitations::InvitedBy))
                    .col(string_len_null(Invitations::TokenDigest, 64))
                    .col(timestamp_with_time_zone(Invitations::CreatedAt))
                    .col(timestamp_with_time_zone(Invitations::ExpiresAt))
                    .col(timestamp_with_time_zone_null(Invitations::AcceptedAt))
                    .col(timestamp_with_time_zone_null(Invitations::RevokedAt))
                    .primary_key(Index::create().col(Invitations::TenantId).col(Invitations::Id))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_invitations_organization")
                            .from(Invitations::Table, Invitations::TenantId)
                            .to(Organizations::Table, Organizations::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_invitations_token_digest")
                    .table(Invitations::Table)
                    .col(Invitations::TokenDigest)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(UserIdentities::Table)
                    .col(uuid(UserIdentities::TenantId))
                    .col(uuid(UserIdentities::UserId))
                    .col(string_len(UserIdentities::Provider, 32))
                    .col(string_len(UserIdentities::Subject, 255))
                    .col(timestamp_with_time_zone(UserIdentities::LinkedAt))
                    .primary_key(
                        Index::create()
                            .col(UserIdentities::TenantId)
                            .col(UserIdentities::UserId)
                            .col(UserIdentities::Provider),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_user_identities_user")
                            .from(
                                UserIdentities::Table,
                                (UserIdentities::TenantId, UserIdentities::UserId),
                            )
                            .to(Users::Table, (Users::TenantId, Users::Id))
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_user_identities_subject")
                    .table(UserIdentities::Table)
                    .col(UserIdentities::Provider)
                    .col(UserIdentities::Subject)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(LoginThrottles::Table)
                    .col(string_len(LoginThrottles::Subject, 64))
                    .col(string_len(LoginThrottles::Network, 64))
                    .col(integer(LoginThrottles::Failures))
                    .col(timestamp_with_time_zone_null(LoginThrottles::WindowStartedAt))
                    .col(timestamp_with_time_zone_null(LoginThrottles::BlockedUntil))
                    .col(timestamp_with_time_zone(LoginThrottles::UpdatedAt))
                    .primary_key(
                        Index::create()
                            .col(LoginThrottles::Subject)
                            .col(LoginThrottles::Network),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AuditEvents::Table)
                    .col(uuid(AuditEvents::TenantId))
                    .col(uuid(AuditEvents::Id))
                    .col(timestamp_with_time_zone(AuditEvents::OccurredAt))
                    .col(string_len(AuditEvents::ActorKind, 16))
                    .col(uuid_null(AuditEvents::ActorUserId))
                    .col(string_len(AuditEvents::Action, 64))
                    .col(string_len_null(AuditEvents::TargetKind, 32))
                    .col(uuid_null(AuditEvents::TargetId))
                    .col(string_len_null(AuditEvents::IpPrefix, 64))
                    .col(text(AuditEvents::Details))
                    .primary_key(Index::create().col(AuditEvents::TenantId).col(AuditEvents::Id))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_audit_events_organization")
                            .from(AuditEvents::Table, AuditEvents::TenantId)
                            .to(Organizations::Table, Organizations::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_audit_events_action")
                    .table(AuditEvents::Table)
                    .col(AuditEvents::TenantId)
                    .col(AuditEvents::Action)
                    .col(AuditEvents::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_audit_events_occurred")
                    .table(AuditEvents::Table)
                    .col(AuditEvents::TenantId)
                    .col(AuditEvents::OccurredAt)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(IntegrationCredentials::Table)
                    .col(uuid(IntegrationCredentials::TenantId))
                    .col(string_len(IntegrationCredentials::Provider, 16))
                    .col(text(IntegrationCredentials::SecretKeySealed))
                    .col(text_null(IntegrationCredentials::WebhookSecretSealed))
                    .col(string_len(IntegrationCredentials::Hint, 32))
                    .col(boolean(IntegrationCredentials::Live))
                    .col(uuid(IntegrationCredentials::UpdatedBy))
                    .col(timestamp_with_time_zone(IntegrationCredentials::UpdatedAt))
                    .primary_key(
                        Index::create()
                            .col(IntegrationCredentials::TenantId)
                            .col(IntegrationCredentials::Provider),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_integration_credentials_organization")
                            .from(IntegrationCredentials::Table, IntegrationCredentials::TenantId)
                            .to(Organizations::Table, Organizations::Id),
                    )
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            IntegrationCredentials::Table.into_iden(),
            AuditEvents::Table.into_iden(),
            LoginThrottles::Table.into_iden(),
            UserIdentities::Table.into_iden(),
            Invitations::Table.into_iden(),
            OneTimeTokens::Table.into_iden(),
            ApiTokens::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Sessions::Table)
                    .drop_column(Sessions::LastSeenAt)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .drop_column(Users::EmailVerifiedAt)
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
enum Users {
    Table,
    TenantId,
    Id,
    EmailVerifiedAt,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    LastSeenAt,
}

#[derive(DeriveIden)]
enum ApiTokens {
    Table,
    TenantId,
    Id,
    UserId,
    Name,
    Role,
    TokenDigest,
    Hint,
    CreatedAt,
    LastUsedAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum OneTimeTokens {
    Table,
    TokenDigest,
    Purpose,
    TenantId,
    UserId,
    Payload,
    CreatedAt,
    ExpiresAt,
    UsedAt,
}

#[derive(DeriveIden)]
enum Invitations {
    Table,
    TenantId,
    Id,
    Email,
    Role,
    InvitedBy,
    TokenDigest,
    CreatedAt,
    ExpiresAt,
    AcceptedAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum UserIdentities {
    Table,
    TenantId,
    UserId,
    Provider,
    Subject,
    LinkedAt,
}

#[derive(DeriveIden)]
enum LoginThrottles {
    Table,
    Subject,
    Network,
    Failures,
    WindowStartedAt,
    BlockedUntil,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum AuditEvents {
    Table,
    TenantId,
    Id,
    OccurredAt,
    ActorKind,
    ActorUserId,
    Action,
    TargetKind,
    TargetId,
    IpPrefix,
    Details,
}

#[derive(DeriveIden)]
enum IntegrationCredentials {
    Table,
    TenantId,
    Provider,
    SecretKeySealed,
    WebhookSecretSealed,
    Hint,
    Live,
    UpdatedBy,
    UpdatedAt,
}
