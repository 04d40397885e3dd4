//! Billing use cases: webhook intake and processing, online checkout of
//! invoices and its reconcile task, the tenant's subscription and the
//! owners' notices about it.

mod apply;
mod checkout;
mod connect;
mod delivery;
mod intake;
mod processing;
mod subscriptions;
#[cfg(test)]
mod tests;

pub use checkout::{CheckoutReconciler, OnlineCheckout, OpenCheckoutError, ReconcileRun, checkout_idempotency_key};
pub use connect::{ConnectionView, StripeConnect, StripeConnectError};
pub use delivery::BillingDelivery;
pub use intake::{Delivery, IntakeError, Received, WebhookIntake};
pub use processing::{ProcessError, ProcessRun, Processed, WebhookCodecs, WebhookProcessor};
pub use subscriptions::{
    EntitlementError, PortalError, SubscriptionCheckoutError, SubscriptionService, SubscriptionView,
};
