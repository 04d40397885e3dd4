//! Unit tests of the billing services on the in-memory store, fake
//! providers and a manual clock.

mod checkout;
mod entitlements;
mod intake;
mod notices;
mod processing;
mod recovery;
mod subscription_events;
mod subscriptions;
mod support;
