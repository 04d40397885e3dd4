//! Fakturo's domain: the invoicing model, its rules, the ports through which
//! it reaches the outside world, and the use cases (services) built on them.
//!
//! This crate performs no I/O. Databases, HTTP, email and clocks are adapters
//! that implement the traits in [`ports`]; the services in [`services`] take
//! those ports and a [`user::Principal`], check the principal's role, and do
//! one unit of work each.

pub mod client;
pub mod email;
pub mod ids;
pub mod invoice;
pub mod jobs;
pub mod money;
pub mod pagination;
pub mod ports;
pub mod recurring;
pub mod reminders;
pub mod services;
pub mod session;
pub mod tenant;
pub mod user;
pub mod validation;

pub use ids::{ClientId, InvoiceId, InvoiceLineId, PaymentId, RecurringInvoiceId, SessionId, TenantId, UserId};
pub use money::{Currency, Money, MoneyError};
