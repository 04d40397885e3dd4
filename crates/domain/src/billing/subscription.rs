//! A tenant's subscription to the operator's plans, as the provider reports
//! it and as it is kept here.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::TenantId;
use crate::billing::plan::PlanId;
use crate::billing::webhook::WebhookProvider;

/// Where a subscription stands.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubscriptionStatus {
    /// Never subscribed.
    #[default]
    None,
    /// In its trial.
    Trialing,
    /// Paid and running.
    Active,
    /// A payment failed; the provider retries.
    PastDue,
    /// Paused by the customer or the operator.
    Paused,
    /// Ended.
    Canceled,
}

impl SubscriptionStatus {
    /// The stable name used in the API and in storage.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Trialing => "trialing",
            Self::Active => "active",
            Self::PastDue => "past_due",
            Self::Paused => "paused",
            Self::Canceled => "canceled",
        }
    }

    /// Parses the stable name.
    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        [
            Self::None,
            Self::Trialing,
            Self::Active,
            Self::PastDue,
            Self::Paused,
            Self::Canceled,
        ]
        .into_iter()
        .find(|status| status.as_str() == text)
    }

    /// Whether the plan's limits apply (rather than read-only).
    #[must_use]
    pub const fn is_running(self) -> bool {
        matches!(self, Self::Trialing | Self::Active | Self::PastDue)
    }
}

/// A subscription as the provider reports it at one moment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubscriptionSnapshot {
    /// Who reports it.
    pub provider: WebhookProvider,
    /// The provider's subscription id.
    pub subscription_id: String,
    /// The provider's customer id.
    pub customer_id: Option<String>,
    /// The tenant named in the subscription's metadata or custom data.
    pub tenant: Option<TenantId>,
    /// The prices subscribed to.
    pub price_ids: Vec<String>,
    /// Its status.
    pub status: SubscriptionStatus,
    /// The end of the current billing period.
    pub current_period_end: Option<DateTime<Utc>>,
    /// When it is scheduled to end.
    pub cancel_at: Option<DateTime<Utc>>,
    /// The provider's order: Paddle's `occurred_at`, or when the current
    /// object was fetched from Stripe. An older snapshot never replaces a
    /// newer one.
    pub ordering_key: DateTime<Utc>,
}

/// A tenant's subscription as kept here.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subscription {
    /// The subscribed tenant.
    pub tenant: TenantId,
    /// Who charges it.
    pub provider: WebhookProvider,
    /// The provider's subscription id.
    pub subscription_id: String,
    /// The provider's customer id.
    pub customer_id: Option<String>,
    /// The plan its prices belong to; `None` for a price not configured.
    pub plan: Option<PlanId>,
    /// Its status.
    pub status: SubscriptionStatus,
    /// The end of the current billing period.
    pub current_period_end: Option<DateTime<Utc>>,
    /// When it is scheduled to end.
    pub cancel_at: Option<DateTime<Utc>>,
    /// The ordering key of the snapshot applied last.
    pub ordering_key: DateTime<Utc>,
}
