//! The webhook inbox: every provider event is stored once, with its raw body,
//! before it is processed.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::TenantId;

/// A provider that sends webhook events.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WebhookProvider {
    /// Stripe (a tenant's account or the operator's).
    Stripe,
    /// Paddle Billing (the operator's account).
    Paddle,
}

impl WebhookProvider {
    /// The stable name used in storage.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Stripe => "stripe",
            Self::Paddle => "paddle",
        }
    }
}

/// Whose account an event comes from: the endpoint it was posted to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum WebhookAccount {
    /// A tenant's own Stripe account (`/webhooks/stripe-connect/{tenant_id}`).
    Tenant(TenantId),
    /// The operator's account (`/webhooks/stripe`, `/webhooks/paddle`).
    Operator,
}

impl fmt::Display for WebhookAccount {
    /// The stored form: `tenant:{uuid}` or `operator`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Tenant(tenant) => write!(f, "tenant:{tenant}"),
            Self::Operator => f.write_str("operator"),
        }
    }
}

impl WebhookAccount {
    /// Parses the stored form written by `Display`.
    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        if text == "operator" {
            return Some(Self::Operator);
        }
        text.strip_prefix("tenant:")?.parse().ok().map(Self::Tenant)
    }
}

/// The unique key of an inbox entry: provider, account and the provider's
/// event id (a unique constraint in storage).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct InboxKey {
    /// Who sent it.
    pub provider: WebhookProvider,
    /// Whose account.
    pub account: WebhookAccount,
    /// The provider's event id (`evt_…`, `evt_01…`).
    pub event_id: String,
}

/// Where an inbox entry stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum InboxState {
    /// Stored, not yet processed.
    Received,
    /// Applied (or deliberately ignored).
    Processed,
    /// Not applicable; kept with the reason for a person to look at.
    Parked {
        /// Why, without personal data.
        reason: String,
    },
}

/// One stored event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InboxEntry {
    /// Its unique key.
    pub key: InboxKey,
    /// The provider's event type (`checkout.session.completed`).
    pub event_type: String,
    /// The body exactly as received and verified.
    pub raw_body: Vec<u8>,
    /// When it was received.
    pub received_at: DateTime<Utc>,
    /// Its state.
    pub state: InboxState,
    /// When it was processed or parked.
    pub settled_at: Option<DateTime<Utc>>,
}
