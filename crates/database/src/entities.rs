//! sea-orm entities, one per table. They stay inside this crate: the
//! repositories convert them to and from domain types, and neither the
//! domain nor the HTTP layer ever sees a `Model`.

pub mod analytics_event;
pub mod api_token;
pub mod audit_event;
pub mod billing_transaction;
pub mod checkout_session;
pub mod client;
pub mod consent_event;
pub mod credit_note;
pub mod erasure;
pub mod export;
pub mod file;
pub mod idempotency_key;
pub mod integration_credential;
pub mod invitation;
pub mod invoice;
pub mod invoice_line;
pub mod invoice_reminder;
pub mod job;
pub mod login_throttle;
pub mod note;
pub mod number_counter;
pub mod one_time_token;
pub mod operator_privacy_request;
pub mod organization;
pub mod payment;
pub mod pending_refund;
pub mod policy_acceptance;
pub mod policy_version;
pub mod privacy_request;
pub mod privacy_request_event;
pub mod privacy_request_submission;
pub mod recurring_invoice;
pub mod recurring_run;
pub mod reminder_settings;
pub mod retention_run;
pub mod session;
pub mod stripe_connection;
pub mod subscription;
pub mod user;
pub mod user_identity;
pub mod webhook_inbox;
pub mod work_order;
