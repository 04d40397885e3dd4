//! Billing: a tenant's clients paying invoices online through the tenant's
//! own Stripe account, the operator's plans, subscriptions and entitlements,
//! and the inbox every provider's webhook events pass through.
//!
//! The provider APIs and the signature checks live in the `fakturo-billing`
//! adapter crate; this area holds the rules: an event is stored once,
//! applied once, never applied to another tenant, and subscription state
//! only moves forward in the provider's order.

pub mod entitlements;
pub mod events;
pub mod gateway;
pub mod notices;
pub mod plan;
pub mod ports;
pub mod records;
pub mod services;
pub mod subscription;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
pub mod webhook;

pub use entitlements::{Limit, Need, PlanInForce, PlanLimitReached, Usage};
pub use events::{BillingEvent, CheckoutFacts, DecodedEvent, RefundFacts, SubscriptionChange, TransactionFacts};
pub use notices::{BillingContact, SubscriptionNotice, WhenEnded};
pub use plan::{BillingProvider, BillingSettings, Feature, Plan, PlanId, PlanLimits};
pub use subscription::{Subscription, SubscriptionSnapshot, SubscriptionStatus};
pub use webhook::{InboxEntry, InboxKey, InboxState, WebhookAccount, WebhookProvider};
