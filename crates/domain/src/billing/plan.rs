//! The operator's plans as configured: which provider charges tenants, the
//! plans with their provider price ids, limits and features, and the trial.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Who charges the operator's tenants. `None` (the default) charges nobody
/// and limits nothing, so a development setup needs no provider account.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BillingProvider {
    /// No provider: every tenant has every feature.
    #[default]
    None,
    /// Paddle Billing (possibly as merchant of record).
    Paddle,
    /// Stripe Billing on the operator's account.
    Stripe,
}

/// A feature a plan may include.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Feature {
    /// A tenant's clients pay invoices online.
    OnlinePayments,
    /// SMS notifications.
    Sms,
    /// Reading documents into drafts with an AI extractor.
    AiExtraction,
}

impl Feature {
    /// The stable name used in configuration and error bodies.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::OnlinePayments => "online_payments",
            Self::Sms => "sms",
            Self::AiExtraction => "ai_extraction",
        }
    }
}

impl fmt::Display for Feature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A plan's id as configured (`starter`, `pro`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PlanId(pub String);

impl fmt::Display for PlanId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a plan allows; `None` means unlimited.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanLimits {
    /// Invoices finalized per calendar month.
    pub invoices_per_month: Option<u64>,
    /// Members of the organization.
    pub users: Option<u64>,
    /// Bytes of stored files.
    pub storage_bytes: Option<u64>,
}

/// One plan of the operator's price list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    /// Its id.
    pub id: PlanId,
    /// Its display name.
    pub name: String,
    /// The provider's price ids that put a subscription on this plan.
    pub price_ids: Vec<String>,
    /// Its limits.
    pub limits: PlanLimits,
    /// Its features.
    pub features: Vec<Feature>,
}

impl Plan {
    /// Whether the plan includes `feature`.
    #[must_use]
    pub fn has(&self, feature: Feature) -> bool {
        self.features.contains(&feature)
    }
}

/// The billing configuration the domain needs.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillingSettings {
    /// Who charges tenants.
    pub provider: BillingProvider,
    /// The price list.
    pub plans: Vec<Plan>,
    /// Days of trial a new subscription starts with.
    pub trial_days: u32,
    /// The plan of a tenant without a subscription; `None` makes such a
    /// tenant read-only until it subscribes.
    pub default_plan: Option<PlanId>,
    /// What an ended subscription does to the organization.
    pub when_ended: crate::billing::notices::WhenEnded,
    /// Days of the closure window an ended subscription starts, with
    /// [`WhenEnded::Close`](crate::billing::notices::WhenEnded::Close).
    pub closure_grace_days: u32,
}

impl BillingSettings {
    /// The plan with `id`.
    #[must_use]
    pub fn plan(&self, id: &PlanId) -> Option<&Plan> {
        self.plans.iter().find(|plan| &plan.id == id)
    }

    /// The first plan one of `price_ids` belongs to.
    #[must_use]
    pub fn plan_for_prices(&self, price_ids: &[String]) -> Option<&Plan> {
        self.plans
            .iter()
            .find(|plan| plan.price_ids.iter().any(|price| price_ids.contains(price)))
    }
}
