//! Billing use cases: webhook intake and processing, online checkout of
//! invoices and its reconcile task, and the tenant's subscription.

mod apply;
mod checkout;
mod connect;
mod intake;
mod processing;
mod subscriptions;
#[cfg(test)]
mod tests;

pub use checkout::{CheckoutReconciler, OnlineCheckout, OpenCheckoutError, ReconcileRun, checkout_idempotency_key};
pub use connect::{ConnectionView, StripeConnect, StripeConnectError};
pub use intake::{Delivery, IntakeError, Received, WebhookIntake};
pub use processing::{ProcessError, ProcessRun, Processed, WebhookCodecs, WebhookProcessor};
pub use subscriptions::{
    EntitlementError, PortalError, SubscriptionCheckoutError, SubscriptionService, SubscriptionView,
};
