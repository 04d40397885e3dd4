//! Entitlements: what a tenant's plan lets it write. Only writes ask; reads,
//! exports, privacy requests and account closure never do, so they are never
//! blocked.

use crate::billing::plan::{BillingProvider, BillingSettings, Feature, Plan};
use crate::billing::subscription::Subscription;

/// What the tenant uses now.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Usage {
    /// Invoices finalized this calendar month.
    pub invoices_this_month: u64,
    /// Members of the organization.
    pub users: u64,
    /// Bytes of stored files.
    pub storage_bytes: u64,
}

/// What a write needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Need {
    /// One more finalized invoice this month.
    Invoice,
    /// One more member.
    User,
    /// This many more stored bytes.
    StorageBytes(u64),
    /// A feature.
    Feature(Feature),
}

/// The limit a write ran into.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Limit {
    /// `invoices_per_month`.
    InvoicesPerMonth,
    /// `users`.
    Users,
    /// `storage_bytes`.
    StorageBytes,
    /// A feature the plan lacks.
    Feature(Feature),
    /// No running subscription: the organization is read-only.
    ActiveSubscription,
}

impl Limit {
    /// The name used in the error body.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::InvoicesPerMonth => "invoices_per_month",
            Self::Users => "users",
            Self::StorageBytes => "storage_bytes",
            Self::Feature(feature) => feature.as_str(),
            Self::ActiveSubscription => "active_subscription",
        }
    }
}

/// A write beyond the plan (`402 plan_limit_reached`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the plan's limit {} is reached", limit.as_str())]
pub struct PlanLimitReached {
    /// Which limit.
    pub limit: Limit,
    /// What the plan allows, for a counted limit.
    pub allowed: Option<u64>,
}

impl PlanLimitReached {
    /// The stable error code.
    pub const CODE: &'static str = "plan_limit_reached";
}

/// What governs a tenant's writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlanInForce<'a> {
    /// No provider: nothing is limited.
    Unlimited,
    /// A plan's limits and features.
    Plan(&'a Plan),
    /// No running subscription and no default plan.
    ReadOnly,
}

impl<'a> PlanInForce<'a> {
    /// The plan governing a tenant with `subscription` (none if it never
    /// subscribed). A running subscription on a price not configured falls
    /// back to the default plan.
    #[must_use]
    pub fn of(settings: &'a BillingSettings, subscription: Option<&Subscription>) -> Self {
        if settings.provider == BillingProvider::None {
            return Self::Unlimited;
        }
        let default = || {
            settings
                .default_plan
                .as_ref()
                .and_then(|id| settings.plan(id))
                .map_or(Self::ReadOnly, Self::Plan)
        };
        match subscription {
            Some(subscription) if subscription.status.is_running() => subscription
                .plan
                .as_ref()
                .and_then(|id| settings.plan(id))
                .map_or_else(default, Self::Plan),
            Some(_) => Self::ReadOnly,
            None => default(),
        }
    }

    /// Whether a write needing `need` is allowed at `usage`.
    ///
    /// # Errors
    /// [`PlanLimitReached`] naming the limit.
    pub fn allows(self, usage: &Usage, need: Need) -> Result<(), PlanLimitReached> {
        let plan = match self {
            Self::Unlimited => return Ok(()),
            Self::ReadOnly => {
                return Err(PlanLimitReached {
                    limit: Limit::ActiveSubscription,
                    allowed: None,
                });
            }
            Self::Plan(plan) => plan,
        };
        let within = |limit: Limit, allowed: Option<u64>, after: u64| match allowed {
            Some(allowed) if after > allowed => Err(PlanLimitReached {
                limit,
                allowed: Some(allowed),
            }),
            _ => Ok(()),
        };
        match need {
            Need::Invoice => within(
                Limit::InvoicesPerMonth,
                plan.limits.invoices_per_month,
                usage.invoices_this_month.saturating_add(1),
            ),
            Need::User => within(Limit::Users, plan.limits.users, usage.users.saturating_add(1)),
            Need::StorageBytes(bytes) => within(
                Limit::StorageBytes,
                plan.limits.storage_bytes,
                usage.storage_bytes.saturating_add(bytes),
            ),
            Need::Feature(feature) if plan.has(feature) => Ok(()),
            Need::Feature(feature) => Err(PlanLimitReached {
                limit: Limit::Feature(feature),
                allowed: None,
            }),
        }
    }
}

/// Whether a tenant with `subscription` at `usage` may do a write needing
/// `need`.
///
/// # Errors
/// [`PlanLimitReached`] naming the limit.
pub fn check(
    settings: &BillingSettings,
    subscription: Option<&Subscription>,
    usage: &Usage,
    need: Need,
) -> Result<(), PlanLimitReached> {
    PlanInForce::of(settings, subscription).allows(usage, need)
}
