//! [`PrivacySubmissionRepository`] on SQL: public submissions (confirmed
//! with a conditional `UPDATE … WHERE confirmed_at IS NULL AND expires_at >
//! now`, so of two concurrent confirmations only one changes the row), the
//! routing look-up of clients by email across tenants, and the operator's cases.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use fakturo_domain::kernel::email::EmailAddress;
use fakturo_domain::kernel::repository::RepositoryError;
use fakturo_domain::kernel::tokens::TokenDigest;
use fakturo_domain::privacy::ports::{PrivacySubmissionRepository, SubmissionConfirmation};
use fakturo_domain::privacy::requests::{
    IdentityMethod, OperatorPrivacyRequest, PrivacySubmission, RequestStatus, RequestType,
};
use fakturo_domain::{ClientId, PrivacyRequestId, PrivacySubmissionId, TenantId};
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use super::sql_privacy_request_repository::parse;
use crate::entities::{client, operator_privacy_request, privacy_request_submission as submission};
use crate::errors::{corrupt, translate};
use crate::store::SqlUnitOfWork;

#[async_trait]
impl PrivacySubmissionRepository for SqlUnitOfWork {
    async fn insert(&self, s: &PrivacySubmission) -> Result<(), RepositoryError> {
        let model = submission::Model {
            id: s.id.as_uuid(),
            request_type: s.request_type.as_str().to_owned(),
            email: s.email.as_str().to_owned(),
            organization_hint: s.organization_hint.clone(),
            client_reference: s.client_reference.clone(),
            details: s.details.clone(),
            token_digest: s.token_digest.as_ref().map(|d| d.as_str().to_owned()),
            submitted_at: s.submitted_at,
            expires_at: s.expires_at,
            confirmed_at: s.confirmed_at,
        };
        submission::Entity::insert(submission::ActiveModel::from(model))
            .exec_without_returning(&self.txn)
            .await
            .map_err(translate)?;
        Ok(())
    }

    async fn get(&self, id: PrivacySubmissionId) -> Result<Option<PrivacySubmission>, RepositoryError> {
        submission::Entity::find_by_id(id.as_uuid())
            .one(&self.txn)
            .await
            .map_err(translate)?
            .map(into_submission)
            .transpose()
    }

    async fn set_token(&self, id: PrivacySubmissionId, digest: &TokenDigest) -> Result<bool, RepositoryError> {
        let result = submission::Entity::update_many()
            .col_expr(submission::Column::TokenDigest, Expr::value(digest.as_str()))
            .filter(submission::Column::Id.eq(id.as_uuid()))
            .exec(&self.txn)
            .await
            .map_err(translate)?;
        Ok(result.rows_affected > 0)
    }

    async fn confirm(
        &self,
        digest: &TokenDigest,
        now: DateTime<Utc>,
    ) -> Result<SubmissionConfirmation, RepositoryError> {
        let updated = submission::Entity::update_many()
            .col_expr(submission::Column::ConfirmedAt, Expr::value(now))
            .filter(submission::Column::TokenDigest.eq(digest.as_str()))
            .filter(submission::Column::ConfirmedAt.is_null())
            .filter(submission::Column::ExpiresAt.gt(now))
            .exec(&self.txn)
            .await
            .map_err(translate)?;
        let found = submission::Entity::find()
            .filter(submission::Column::TokenDigest.eq(digest.as_str()))
            .one(&self.txn)
            .await
            .map_err(translate)?;
        let Some(model) = found else {
            return Ok(SubmissionConfirmation::Unknown);
        };
        if updated.rows_affected == 1 {
            return into_submission(model).map(SubmissionConfirmation::Confirmed);
        }
        if model.confirmed_at.is_some() {
            Ok(SubmissionConfirmation::AlreadyConfirmed)
        } else {
            Ok(SubmissionConfirmation::Expired)
        }
    }

    async fn delete_expired(&self, cutoff: DateTime<Utc>) -> Result<u64, RepositoryError> {
        let result = submission::Entity::delete_many()
            .filter(submission::Column::ExpiresAt.lt(cutoff))
            .exec(&self.txn)
            .await
            .map_err(translate)?;
        Ok(result.rows_affected)
    }

    async fn clients_with_email(&self, email: &EmailAddress) -> Result<Vec<(TenantId, ClientId)>, RepositoryError> {
        let rows: Vec<(Uuid, Uuid)> = client::Entity::find()
            .select_only()
            .column(client::Column::TenantId)
            .column(client::Column::Id)
            .filter(ExprTrait::eq(
                Expr::expr(Func::lower(Expr::col(client::Column::Email))),
                email.normalized(),
            ))
            .order_by_asc(client::Column::TenantId)
            .order_by_asc(client::Column::Id)
            .into_tuple()
            .all(&self.txn)
            .await
            .map_err(translate)?;
        Ok(rows
            .into_iter()
            .map(|(tenant, id)| (TenantId::from_uuid(tenant), ClientId::from_uuid(id)))
            .collect())
    }

    async fn insert_operator_case(&self, c: &OperatorPrivacyRequest) -> Result<(), RepositoryError> {
        let model = operator_privacy_request::Model {
            id: c.id.as_uuid(),
            request_type: c.request_type.as_str().to_owned(),
            subject_email: c.subject_email.as_str().to_owned(),
            organization_hint: c.organization_hint.clone(),
            client_reference: c.client_reference.clone(),
            details: c.details.clone(),
            status: c.status.as_str().to_owned(),
            received_at: c.received_at,
            due_on: c.due_on,
            identity_verified_at: c.identity_verified_at,
            identity_method: c.identity_method.map(|m| m.as_str().to_owned()),
        };
        operator_privacy_request::Entity::insert(operator_privacy_request::ActiveModel::from(model))
            .exec_without_returning(&self.txn)
            .await
            .map_err(translate)?;
        Ok(())
    }

    async fn operator_cases(&self, limit: u32) -> Result<Vec<OperatorPrivacyRequest>, RepositoryError> {
        let rows = operator_privacy_request::Entity::find()
            .order_by_desc(operator_privacy_request::Column::Id)
            .limit(u64::from(limit))
            .all(&self.txn)
            .await
            .map_err(translate)?;
        rows.into_iter().map(into_operator_case).collect()
    }
}

fn into_submission(m: submission::Model) -> Result<PrivacySubmission, RepositoryError> {
    Ok(PrivacySubmission {
        id: PrivacySubmissionId::from_uuid(m.id),
        request_type: parse(
            &m.request_type,
            "privacy_request_submissions.request_type",
            RequestType::parse,
        )?,
        email: EmailAddress::parse(&m.email).map_err(|e| corrupt("privacy_request_submissions.email", e))?,
        organization_hint: m.organization_hint,
        client_reference: m.client_reference,
        details: m.details,
        token_digest: m.token_digest.map(TokenDigest::from_stored),
        submitted_at: m.submitted_at,
        expires_at: m.expires_at,
        confirmed_at: m.confirmed_at,
    })
}

fn into_operator_case(m: operator_privacy_request::Model) -> Result<OperatorPrivacyRequest, RepositoryError> {
    Ok(OperatorPrivacyRequest {
        id: PrivacyRequestId::from_uuid(m.id),
        request_type: parse(
            &m.request_type,
            "operator_privacy_requests.request_type",
            RequestType::parse,
        )?,
        subject_email: EmailAddress::parse(&m.subject_email)
            .map_err(|e| corrupt("operator_privacy_requests.subject_email", e))?,
        organization_hint: m.organization_hint,
        client_reference: m.client_reference,
        details: m.details,
        status: parse(&m.status, "operator_privacy_requests.status", RequestStatus::parse)?,
        received_at: m.received_at,
        due_on: m.due_on,
        identity_verified_at: m.identity_verified_at,
        identity_method: m
            .identity_method
            .map(|t| parse(&t, "operator_privacy_requests.identity_method", IdentityMethod::parse))
            .transpose()?,
    })
}
