//! The repository ports implemented on [`crate::store::SqlUnitOfWork`], one
//! file per port.

mod sql_analytics_repository;
mod sql_api_token_repository;
mod sql_audit_repository;
mod sql_checkout_repository;
mod sql_client_repository;
mod sql_consent_repository;
mod sql_content_repository;
mod sql_erasure_repository;
mod sql_expiry;
mod sql_export_repository;
mod sql_idempotency_repository;
mod sql_identity_repository;
mod sql_incident_repository;
mod sql_integration_repository;
mod sql_invitation_repository;
mod sql_invoice_payments;
mod sql_invoice_repository;
mod sql_invoice_rows;
mod sql_job_repository;
mod sql_numbering_repository;
mod sql_one_time_token_repository;
mod sql_organization_repository;
mod sql_policy_repository;
mod sql_privacy_request_repository;
mod sql_privacy_submission_repository;
mod sql_recurring_invoice_repository;
mod sql_reminder_repository;
mod sql_session_repository;
mod sql_stripe_connection_repository;
mod sql_subscription_repository;
mod sql_throttle_repository;
mod sql_user_erasure_repository;
mod sql_user_repository;
mod sql_webhook_inbox_repository;
