//! The repository ports implemented on [`crate::store::SqlUnitOfWork`], one
//! file per port.

mod sql_client_repository;
mod sql_idempotency_repository;
mod sql_invoice_repository;
mod sql_job_repository;
mod sql_numbering_repository;
mod sql_organization_repository;
mod sql_recurring_invoice_repository;
mod sql_reminder_repository;
mod sql_session_repository;
mod sql_user_repository;
