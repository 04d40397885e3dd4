//! Stripe: the API client, the two port implementations (a tenant's own
//! account and the operator's Billing account) and the webhook codec.

mod client;
mod gateway;
pub mod objects;
mod subscriptions;
mod webhooks;

pub use client::{STRIPE_API_VERSION, STRIPE_BASE_URL, StripeClient};
pub use gateway::{CONNECT_EVENTS, StripeGateway};
pub use subscriptions::{OPERATOR_EVENTS, StripeSubscriptions};
pub use webhooks::{STRIPE_TOLERANCE_SECS, StripeWebhooks, stripe_signature_header};
