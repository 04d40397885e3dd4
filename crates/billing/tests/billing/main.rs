//! The billing adapter's integration tests, one binary: the clients against
//! wiremock fakes that check Stripe's and Paddle's documented parameters,
//! localstripe (a real stateful Stripe fake), and the webhook signatures
//! cross-checked with the official Python SDKs.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod end_to_end;
mod localstripe;
mod paddle_api;
mod sdk_signatures;
mod stripe_api;
mod support;
