//! Fakturo's billing adapter: the provider APIs behind the domain's billing
//! ports, and the webhook signature checks.
//!
//! - [`stripe`]: [`StripeClient`] (only the calls Fakturo needs, form
//!   encoded, `Stripe-Version` pinned to [`STRIPE_API_VERSION`]), the
//!   [`StripeGateway`] (a tenant's own account: `PaymentGateway`), the
//!   [`StripeSubscriptions`] (the operator's account: `SubscriptionProvider`)
//!   and [`StripeWebhooks`] (`Stripe-Signature`, `WebhookCodec`).
//! - [`paddle`]: [`PaddleClient`] (JSON), the [`PaddleProvider`]
//!   (`SubscriptionProvider`) and [`PaddleWebhooks`] (`Paddle-Signature`).
//!
//! Every POST carries the caller's `Idempotency-Key`, so the retries of 429
//! and 5xx answers (bounded exponential backoff, `Retry-After` respected)
//! never charge twice. Keys never appear in `Debug`, errors or logs.

mod form;
mod http;
pub mod paddle;
mod signature;
pub mod stripe;

pub use http::{HttpSettings, RetryPolicy};
pub use paddle::{PADDLE_API_VERSION, PaddleClient, PaddleProvider, PaddleWebhooks};
pub use stripe::{STRIPE_API_VERSION, StripeClient, StripeGateway, StripeSubscriptions, StripeWebhooks};
