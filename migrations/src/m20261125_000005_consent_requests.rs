//! Consent and privacy requests: the append-only consent ledger, consented
//! analytics events, published policy versions (deployment-wide) and users'
//! acceptances of them, tenants' privacy requests with their history, and
//! requests from the public form with the operator's own cases
//! (deployment-wide: no tenant is known, or none is concerned).
//!
//! Consent events, acceptances and privacy requests refer to their
//! organization but not to a user or client row: they are records the
//! retention rules keep after the user is removed or the client erased.
//! Existing users' sign-up acceptances are carried over from
//! `users.accepted_policy_version`.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        consent_and_analytics(manager).await?;
        policies(manager).await?;
        privacy_requests(manager).await?;
        public_requests(manager).await?;
        // Who signed up (or joined) before acceptances were recorded accepted
        // the version on their user row, when their account was created.
        manager
            .get_connection()
            .execute_unprepared(
                "INSERT INTO policy_acceptances (tenant_id, user_id, kind, version, accepted_at, channel) \
                 SELECT u.tenant_id, u.id, 'privacy', u.accepted_policy_version, u.created_at, \
                 CASE WHEN EXISTS (SELECT 1 FROM invitations i WHERE i.tenant_id = u.tenant_id \
                 AND i.accepted_at IS NOT NULL AND LOWER(i.email) = u.email_normalized) \
                 THEN 'invitation' ELSE 'signup' END \
                 FROM users u",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            OperatorPrivacyRequests::Table.into_iden(),
            PrivacyRequestSubmissions::Table.into_iden(),
            PrivacyRequestEvents::Table.into_iden(),
            PrivacyRequests::Table.into_iden(),
            PolicyAcceptances::Table.into_iden(),
            PolicyVersions::Table.into_iden(),
            AnalyticsEvents::Table.into_iden(),
            ConsentEvents::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}

fn organization_key(
    name: &str,
    table: impl IntoIden + 'static,
    column: impl IntoIden + 'static,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(table, column)
        .to(Organizations::Table, Organizations::Id)
        .to_owned()
}

async fn consent_and_analytics(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(ConsentEvents::Table)
                .col(uuid(ConsentEvents::TenantId))
                .col(uuid(ConsentEvents::Id))
                .col(uuid(ConsentEvents::UserId))
                .col(string_len(ConsentEvents::Purpose, 32))
                .col(boolean(ConsentEvents::Granted))
                .col(string_len(ConsentEvents::PolicyVersion, 32))
                .col(string_len(ConsentEvents::Channel, 16))
                .col(timestamp_with_time_zone(ConsentEvents::OccurredAt))
                .primary_key(Index::create().col(ConsentEvents::TenantId).col(ConsentEvents::Id))
                .foreign_key(&mut organization_key(
                    "fk_consent_events_organization",
                    ConsentEvents::Table,
                    ConsentEvents::TenantId,
                ))
                .to_owned(),
        )
        .await?;
    manager
        .create_index(
            Index::create()
                .name("ix_consent_events_user")
                .table(ConsentEvents::Table)
                .col(ConsentEvents::TenantId)
                .col(ConsentEvents::UserId)
                .col(ConsentEvents::Purpose)
                .col(ConsentEvents::OccurredAt)
                .to_owned(),
        )
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
                .foreign_key(&mut organization_key(
                    "fk_analytics_events_organization",
                    AnalyticsEvents::Table,
                    AnalyticsEvents::TenantId,
                ))
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

async fn policies(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(PolicyVersions::Table)
                .col(string_len(PolicyVersions::Kind, 16))
                .col(string_len(PolicyVersions::Version, 32))
                .col(timestamp_with_time_zone(PolicyVersions::EffectiveAt))
                .col(boolean(PolicyVersions::Material))
                .col(text(PolicyVersions::Summary))
                .col(timestamp_with_time_zone(PolicyVersions::PublishedAt))
                .primary_key(Index::create().col(PolicyVersions::Kind).col(PolicyVersions::Version))
                .to_owned(),
        )
        .await?;
    manager
        .create_index(
            Index::create()
                .name("ix_policy_versions_effective")
                .table(PolicyVersions::Table)
                .col(PolicyVersions::Kind)
                .col(PolicyVersions::EffectiveAt)
                .to_owned(),
        )
        .await?;
    manager
        .create_table(
            Table::create()
                .table(PolicyAcceptances::Table)
                .col(uuid(PolicyAcceptances::TenantId))
                .col(uuid(PolicyAcceptances::UserId))
                .col(string_len(PolicyAcceptances::Kind, 16))
                .col(string_len(PolicyAcceptances::Version, 32))
                .col(timestamp_with_time_zone(PolicyAcceptances::AcceptedAt))
                .col(string_len(PolicyAcceptances::Channel, 16))
                .primary_key(
                    Index::create()
                        .col(PolicyAcceptances::TenantId)
                        .col(PolicyAcceptances::UserId)
                        .col(PolicyAcceptances::Kind)
                        .col(PolicyAcceptances::Version),
                )
                .foreign_key(&mut organization_key(
                    "fk_policy_acceptances_organization",
                    PolicyAcceptances::Table,
                    PolicyAcceptances::TenantId,
                ))
                .to_owned(),
        )
        .await
}

async fn privacy_requests(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(PrivacyRequests::Table)
                .col(uuid(PrivacyRequests::TenantId))
                .col(uuid(PrivacyRequests::Id))
                .col(string_len(PrivacyRequests::RequestType, 32))
                .col(text(PrivacyRequests::SubjectEmail))
                .col(text(PrivacyRequests::Details))
                .col(uuid_null(PrivacyRequests::ClientId))
                .col(text_null(PrivacyRequests::OrganizationHint))
                .col(text_null(PrivacyRequests::ClientReference))
                .col(string_len(PrivacyRequests::Source, 16))
                .col(string_len(PrivacyRequests::Status, 16))
                .col(timestamp_with_time_zone(PrivacyRequests::ReceivedAt))
                .col(date(PrivacyRequests::DueOn))
                .col(integer(PrivacyRequests::ExtensionMonths))
                .col(timestamp_with_time_zone_null(PrivacyRequests::IdentityVerifiedAt))
                .col(string_len_null(PrivacyRequests::IdentityMethod, 16))
                .col(uuid_null(PrivacyRequests::CreatedBy))
                .col(timestamp_with_time_zone(PrivacyRequests::UpdatedAt))
                .primary_key(Index::create().col(PrivacyRequests::TenantId).col(PrivacyRequests::Id))
                .foreign_key(&mut organization_key(
                    "fk_privacy_requests_organization",
                    PrivacyRequests::Table,
                    PrivacyRequests::TenantId,
                ))
                .to_owned(),
        )
        .await?;
    manager
        .create_index(
            Index::create()
                .name("ix_privacy_requests_due")
                .table(PrivacyRequests::Table)
                .col(PrivacyRequests::Status)
                .col(PrivacyRequests::DueOn)
                .col(PrivacyRequests::TenantId)
                .to_owned(),
        )
        .await?;
    manager
        .create_table(
            Table::create()
                .table(PrivacyRequestEvents::Table)
                .col(uuid(PrivacyRequestEvents::TenantId))
                .col(uuid(PrivacyRequestEvents::Id))
                .col(uuid(PrivacyRequestEvents::RequestId))
                .col(string_len(PrivacyRequestEvents::Kind, 32))
                .col(timestamp_with_time_zone(PrivacyRequestEvents::At))
                .col(string_len_null(PrivacyRequestEvents::FromStatus, 16))
                .col(string_len(PrivacyRequestEvents::ToStatus, 16))
                .col(uuid_null(PrivacyRequestEvents::ByUserId))
                .col(text_null(PrivacyRequestEvents::Note))
                .col(date(PrivacyRequestEvents::DueOn))
                .primary_key(
                    Index::create()
                        .col(PrivacyRequestEvents::TenantId)
                        .col(PrivacyRequestEvents::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_privacy_request_events_request")
                        .from(
                            PrivacyRequestEvents::Table,
                            (PrivacyRequestEvents::TenantId, PrivacyRequestEvents::RequestId),
                        )
                        .to(PrivacyRequests::Table, (PrivacyRequests::TenantId, PrivacyRequests::Id))
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
    manager
        .create_index(
            Index::create()
                .name("ix_privacy_request_events_request")
                .table(PrivacyRequestEvents::Table)
                .col(PrivacyRequestEvents::TenantId)
                .col(PrivacyRequestEvents::RequestId)
                .col(PrivacyRequestEvents::Id)
                .to_owned(),
        )
        .await
}

async fn public_requests(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(PrivacyRequestSubmissions::Table)
                .col(uuid(PrivacyRequestSubmissions::Id).primary_key())
                .col(string_len(PrivacyRequestSubmissions::RequestType, 32))
                .col(text(PrivacyRequestSubmissions::Email))
                .col(text_null(PrivacyRequestSubmissions::OrganizationHint))
                .col(text_null(PrivacyRequestSubmissions::ClientReference))
                .col(text(PrivacyRequestSubmissions::Details))
                .col(string_len_null(PrivacyRequestSubmissions::TokenDigest, 64))
                .col(timestamp_with_time_zone(PrivacyRequestSubmissions::SubmittedAt))
                .col(timestamp_with_time_zone(PrivacyRequestSubmissions::ExpiresAt))
                .col(timestamp_with_time_zone_null(PrivacyRequestSubmissions::ConfirmedAt))
                .to_owned(),
        )
        .await?;
    manager
        .create_index(
            Index::create()
                .name("ux_privacy_request_submissions_token")
                .table(PrivacyRequestSubmissions::Table)
                .col(PrivacyRequestSubmissions::TokenDigest)
                .unique()
                .to_owned(),
        )
        .await?;
    manager
        .create_index(
            Index::create()
                .name("ix_privacy_request_submissions_expiry")
                .table(PrivacyRequestSubmissions::Table)
                .col(PrivacyRequestSubmissions::ExpiresAt)
                .to_owned(),
        )
        .await?;
    manager
        .create_table(
            Table::create()
                .table(OperatorPrivacyRequests::Table)
                .col(uuid(OperatorPrivacyRequests::Id).primary_key())
                .col(string_len(OperatorPrivacyRequests::RequestType, 32))
                .col(text(OperatorPrivacyRequests::SubjectEmail))
                .col(text_null(OperatorPrivacyRequests::OrganizationHint))
                .col(text_null(OperatorPrivacyRequests::ClientReference))
                .col(text(OperatorPrivacyRequests::Details))
                .col(string_len(OperatorPrivacyRequests::Status, 16))
                .col(timestamp_with_time_zone(OperatorPrivacyRequests::ReceivedAt))
                .col(date(OperatorPrivacyRequests::DueOn))
                .col(timestamp_with_time_zone_null(
                    OperatorPrivacyRequests::IdentityVerifiedAt,
                ))
                .col(string_len_null(OperatorPrivacyRequests::IdentityMethod, 16))
                .to_owned(),
        )
        .await
}

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum ConsentEvents {
    Table,
    TenantId,
    Id,
    UserId,
    Purpose,
    Granted,
    PolicyVersion,
    Channel,
    OccurredAt,
}

#[derive(DeriveIden)]
enum AnalyticsEvents {
    Table,
    TenantId,
    Id,
    UserId,
    Name,
    OccurredAt,
}

#[derive(DeriveIden)]
enum PolicyVersions {
    Table,
    Kind,
    Version,
    EffectiveAt,
    Material,
    Summary,
    PublishedAt,
}

#[derive(DeriveIden)]
enum PolicyAcceptances {
    Table,
    TenantId,
    UserId,
    Kind,
    Version,
    AcceptedAt,
    Channel,
}

#[derive(DeriveIden)]
enum PrivacyRequests {
    Table,
    TenantId,
    Id,
    RequestType,
    SubjectEmail,
    Details,
    ClientId,
    OrganizationHint,
    ClientReference,
    Source,
    Status,
    ReceivedAt,
    DueOn,
    ExtensionMonths,
    IdentityVerifiedAt,
    IdentityMethod,
    CreatedBy,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum PrivacyRequestEvents {
    Table,
    TenantId,
    Id,
    RequestId,
    Kind,
    At,
    FromStatus,
    ToStatus,
    ByUserId,
    Note,
    DueOn,
}

#[derive(DeriveIden)]
enum PrivacyRequestSubmissions {
    Table,
    Id,
    RequestType,
    Email,
    OrganizationHint,
    ClientReference,
    Details,
    TokenDigest,
    SubmittedAt,
    ExpiresAt,
    ConfirmedAt,
}

#[derive(DeriveIden)]
enum OperatorPrivacyRequests {
    Table,
    Id,
    RequestType,
    SubjectEmail,
    OrganizationHint,
    ClientReference,
    Details,
    Status,
    ReceivedAt,
    DueOn,
    IdentityVerifiedAt,
    IdentityMethod,
}
