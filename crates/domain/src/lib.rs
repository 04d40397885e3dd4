//! Fakturo's domain: the invoicing model, its rules, the ports through which
//! it reaches the outside world, and the use cases (services) built on them.
//!
//! This crate performs no I/O. Databases, HTTP, email and clocks are adapters
//! that implement the traits in [`ports`]; the services in [`services`] take
//! those ports and a [`user::Principal`], check the principal's role, and do
//! one unit of work each.

pub mod api_tokens;
pub mod audit;
pub mod client;
pub mod consent;
pub mod data_map;
pub mod email;
pub mod exports;
pub mod ids;
pub mod integrations;
pub mod invoice;
pub mod jobs;
pub mod money;
pub mod notes;
pub mod one_time_tokens;
pub mod pagination;
pub mod policies;
pub mod ports;
pub mod privacy;
pub mod privacy_requests;
pub mod recurring;
pub mod reminders;
pub mod retention;
pub mod services;
pub mod session;
pub mod team;
pub mod tenant;
pub mod throttle;
pub mod user;
pub mod validation;
pub mod work;

pub use ids::{
    AnalyticsEventId, ApiTokenId, AuditEventId, ClientId, ConsentEventId, InvitationId, InvoiceId, InvoiceLineId,
    PaymentId, PrivacyRequestEventId, PrivacyRequestId, PrivacySubmissionId, RecurringInvoiceId, SessionId, TenantId,
    UserId,
};
pub use money::{Currency, Money, MoneyError};
