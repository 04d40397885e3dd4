//! Fakturo's domain: the invoicing model, its rules, the ports through which
//! it reaches the outside world, and the use cases (services) built on them.
//!
//! This crate performs no I/O. Databases, HTTP, email and clocks are adapters
//! that implement the traits in each area's `ports`; the services take those
//! ports and an [`access::Principal`], check the principal's role, and do one
//! unit of work each.

pub mod access;
pub mod billing;
pub mod invoicing;
pub mod kernel;
pub mod messaging;
pub mod privacy;
pub mod tenancy;
pub mod work;

pub use kernel::ids::{
    AnalyticsEventId, ApiTokenId, AuditEventId, ClientId, ConsentEventId, FileId, InvitationId, InvoiceId,
    InvoiceLineId, PaymentId, PrivacyRequestEventId, PrivacyRequestId, PrivacySubmissionId, RecurringInvoiceId,
    SessionId, TenantId, UserId,
};
pub use kernel::money::{Currency, Money, MoneyError};
