//! Fakturo's domain: invoicing with exact money and gap-free numbers,
//! privacy built into the model, and the use cases (services) of a
//! business-management back end — by business area, with no I/O.
//!
//! # Areas
//!
//! | module | what it holds |
//! |---|---|
//! | [`kernel`] | money, ids, email addresses, pagination, validation, the [`kernel::clock::Clock`] port, [`kernel::repository::RepositoryError`] |
//! | [`tenancy`] | organizations and their settings |
//! | [`access`] | users, roles and principals, sessions, API tokens, emailed links, the team, throttling, the security log |
//! | [`invoicing`] | clients, invoices and their totals, numbering, payments, credit notes, recurring invoices, reminders |
//! | [`work`] | contractors' jobs, notes, stored files |
//! | [`billing`] | online payments of invoices, the operator's plans, subscriptions and entitlements, the webhook inbox |
//! | [`messaging`] | the outbox: effects performed after commit, and what an email says |
//! | [`privacy`] | data map, retention, consent ledger, policies, privacy requests, exports, erasure, closure |
//!
//! Each area has its model, a `ports` module with the repository traits and
//! the area's own unit of work (`InvoicingUnit`, `AccessUnit`, …), and
//! `services` whose constructors name exactly the ports they use. Adapters
//! (SQL, SMTP, S3, Stripe, …) implement the ports in other crates; a service
//! takes an [`access::Principal`], checks its role, and runs one unit of
//! work.
//!
//! # Money
//!
//! Amounts are exact decimals in a currency; totals round per line and per
//! tax rate, half away from zero:
//!
//! ```
//! use fakturo_domain::Currency;
//! use fakturo_domain::invoicing::invoice::totals::{PricedLine, compute_totals};
//! use fakturo_domain::kernel::money::parse_decimal;
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let line = |quantity: &str, price: &str, rate: &str| -> Result<PricedLine, Box<dyn std::error::Error>> {
//!     Ok(PricedLine {
//!         quantity: parse_decimal(quantity)?,
//!         unit_price: parse_decimal(price)?,
//!         tax_rate: parse_decimal(rate)?,
//!         discount_percent: parse_decimal("0")?,
//!     })
//! };
//! let lines = [line("3", "19.99", "19")?, line("1.5", "80.00", "7")?, line("2", "0.333", "19")?];
//! let totals = compute_totals(&lines, Currency::EUR)?;
//! assert_eq!(totals.subtotal.to_string(), "180.64");
//! assert_eq!(totals.tax_total.to_string(), "19.92");
//! assert_eq!(totals.total.to_string(), "200.56");
//! # Ok(())
//! # }
//! ```
//!
//! # Trying it without a database
//!
//! The `testing` feature (on by default) provides in-memory stores of the
//! areas' ports; `examples/embed.rs` builds, totals and finalizes an invoice
//! on one: `cargo run -p fakturo-domain --example embed`.

pub mod access;
pub mod billing;
pub mod invoicing;
pub mod kernel;
pub mod messaging;
pub mod privacy;
pub mod tenancy;
pub mod work;

pub use kernel::ids::IncidentId;
pub use kernel::ids::{
    AnalyticsEventId, ApiTokenId, AuditEventId, ClientId, ConsentEventId, FileId, InvitationId, InvoiceId,
    InvoiceLineId, PaymentId, PrivacyRequestEventId, PrivacyRequestId, PrivacySubmissionId, RecurringInvoiceId,
    SessionId, TenantId, UserId,
};
pub use kernel::money::{Currency, Money, MoneyError};
