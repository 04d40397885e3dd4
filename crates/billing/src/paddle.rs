//! Paddle Billing: the API client, the `SubscriptionProvider` port on the
//! operator's account, and the webhook codec.

mod client;
mod convert;
pub mod objects;
mod provider;
mod webhooks;

pub use client::{PADDLE_API_VERSION, PADDLE_BASE_URL, PADDLE_SANDBOX_URL, PaddleClient};
pub use provider::{PADDLE_EVENTS, PaddleProvider};
pub use webhooks::{PADDLE_TOLERANCE_SECS, PaddleWebhooks, paddle_signature_header};
