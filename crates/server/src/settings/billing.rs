//! `[billing]`: which provider charges tenants (`none` by default: nothing
//! is limited and no account is needed), the plans with their provider
//! price ids, limits and features, the trial, the operator's keys and
//! webhook secrets (never printed), the providers' base URLs (a fake's in
//! tests) and Paddle's signature tolerance. Parsed once into the domain's
//! [`BillingSettings`].

use fakturo_domain::billing::{BillingProvider, BillingSettings, Feature, Plan, PlanId, PlanLimits, WhenEnded};
use fakturo_domain::kernel::secrets::RevealedSecret;
use serde::{Deserialize, Serialize};

/// `[billing]`
#[derive(Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct BillingSection {
    /// `none`, `paddle` or `stripe`.
    pub provider: BillingProvider,
    /// Days of trial on a new subscription.
    pub trial_days: u32,
    /// The plan of a tenant without a subscription (empty: read-only until
    /// it subscribes, when a provider is configured).
    pub default_plan: String,
    /// Where owners return from the provider's checkout and portal; empty:
    /// `http.app_url` (else `http.public_url`).
    pub return_url: String,
    /// What an ended subscription does to the organization: `read_only`
    /// (the default) or `close` (the closure window of
    /// `retention.closure_grace_days` starts, as if the owner had closed it).
    pub when_ended: WhenEnded,
    /// `[[billing.plans]]`
    pub plans: Vec<PlanSection>,
    /// `[billing.stripe]`
    pub stripe: StripeSection,
    /// `[billing.paddle]`
    pub paddle: PaddleSection,
}

impl Default for BillingSection {
    fn default() -> Self {
        Self {
            provider: BillingProvider::None,
            trial_days: 14,
            default_plan: String::new(),
            return_url: String::new(),
            when_ended: WhenEnded::ReadOnly,
            plans: Vec::new(),
            stripe: StripeSection::default(),
            paddle: PaddleSection::default(),
        }
    }
}

/// `[[billing.plans]]`
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PlanSection {
    /// A stable id such as `starter`.
    pub id: String,
    /// What owners see.
    pub name: String,
    /// The provider's price ids (`price_…`, `pri_…`).
    #[serde(default)]
    pub price_ids: Vec<String>,
    /// Finalized invoices per calendar month (absent: unlimited).
    pub invoices_per_month: Option<u64>,
    /// Users in the organization (absent: unlimited).
    pub users: Option<u64>,
    /// Stored file bytes (absent: unlimited).
    pub storage_bytes: Option<u64>,
    /// `online_payments`, `sms`, `ai_extraction`.
    #[serde(default)]
    pub features: Vec<Feature>,
}

/// `[billing.stripe]`: the Stripe API (tenants' accounts and, with
/// `provider = "stripe"`, the operator's).
#[derive(Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct StripeSection {
    /// The API's base URL.
    pub api_url: String,
    /// The operator's secret key (`sk_…`), for Stripe Billing.
    pub secret_key: String,
    /// The operator endpoint's signing secrets (`whsec_…`), comma-separated
    /// during a rotation.
    pub webhook_secrets: String,
}

impl Default for StripeSection {
    fn default() -> Self {
        Self {
            api_url: "https://api.stripe.com".to_owned(),
            secret_key: String::new(),
            webhook_secrets: String::new(),
        }
    }
}

/// `[billing.paddle]`
#[derive(Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct PaddleSection {
    /// The API's base URL (`https://sandbox-api.paddle.com` for the sandbox).
    pub api_url: String,
    /// The operator's API key.
    pub api_key: String,
    /// The notification destination's secret keys, comma-separated during a rotation.
    pub webhook_secrets: String,
    /// Seconds a `Paddle-Signature` timestamp may be off.
    pub tolerance_seconds: u64,
}

impl Default for PaddleSection {
    fn default() -> Self {
        Self {
            api_url: "https://api.paddle.com".to_owned(),
            api_key: String::new(),
            webhook_secrets: String::new(),
            tolerance_seconds: 5,
        }
    }
}

impl std::fmt::Debug for BillingSection {
    /// Keys and secrets are never printed.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BillingSection")
            .field("provider", &self.provider)
            .field("trial_days", &self.trial_days)
            .field("plans", &self.plans)
            .field("stripe_api_url", &self.stripe.api_url)
            .field("paddle_api_url", &self.paddle.api_url)
            .finish_non_exhaustive()
    }
}

fn secrets(list: &str) -> Vec<RevealedSecret> {
    list.split(',')
        .map(str::trim)
        .filter(|secret| !secret.is_empty())
        .map(|secret| RevealedSecret::new(secret.to_owned()))
        .collect()
}

impl StripeSection {
    /// The operator endpoint's signing secrets.
    #[must_use]
    pub fn operator_webhook_secrets(&self) -> Vec<RevealedSecret> {
        secrets(&self.webhook_secrets)
    }
}

impl PaddleSection {
    /// The notification destination's secrets.
    #[must_use]
    pub fn webhook_secrets(&self) -> Vec<RevealedSecret> {
        secrets(&self.webhook_secrets)
    }
}

impl BillingSection {
    /// The domain's billing settings; an ended subscription's closure window
    /// lasts `closure_grace_days`.
    #[must_use]
    pub fn domain(&self, closure_grace_days: u32) -> BillingSettings {
        BillingSettings {
            provider: self.provider,
            plans: self
                .plans
                .iter()
                .map(|plan| Plan {
                    id: PlanId(plan.id.clone()),
                    name: plan.name.clone(),
                    price_ids: plan.price_ids.clone(),
                    limits: PlanLimits {
                        invoices_per_month: plan.invoices_per_month,
                        users: plan.users,
                        storage_bytes: plan.storage_bytes,
                    },
                    features: plan.features.clone(),
                })
                .collect(),
            trial_days: self.trial_days,
            default_plan: (!self.default_plan.trim().is_empty()).then(|| PlanId(self.default_plan.clone())),
            when_ended: self.when_ended,
            closure_grace_days,
        }
    }

    /// Checks the section; the key and why, on the first problem.
    ///
    /// # Errors
    /// The key that is wrong and a sentence.
    pub fn validate(&self) -> Result<(), (&'static str, String)> {
        let url = |text: &str| text.starts_with("http://") || text.starts_with("https://");
        if !url(&self.stripe.api_url) {
            return Err((
                "billing.stripe.api_url",
                "must be an http:// or https:// URL".to_owned(),
            ));
        }
        if !url(&self.paddle.api_url) {
            return Err((
                "billing.paddle.api_url",
                "must be an http:// or https:// URL".to_owned(),
            ));
        }
        if !(1..=300).contains(&self.paddle.tolerance_seconds) {
            return Err((
                "billing.paddle.tolerance_seconds",
                "must be between 1 and 300".to_owned(),
            ));
        }
        if self.trial_days > 365 {
            return Err(("billing.trial_days", "must be at most 365".to_owned()));
        }
        let mut ids = std::collections::BTreeSet::new();
        for plan in &self.plans {
            if plan.id.trim().is_empty() || !ids.insert(plan.id.as_str()) {
                return Err(("billing.plans", format!("has an empty or repeated id {:?}", plan.id)));
            }
        }
        if !self.default_plan.trim().is_empty() && !ids.contains(self.default_plan.as_str()) {
            return Err(("billing.default_plan", "must name one of billing.plans".to_owned()));
        }
        match self.provider {
            BillingProvider::None => {}
            BillingProvider::Stripe if self.stripe.secret_key.trim().is_empty() => {
                return Err((
                    "billing.stripe.secret_key",
                    "must be set when billing.provider is stripe".to_owned(),
                ));
            }
            BillingProvider::Paddle if self.paddle.api_key.trim().is_empty() => {
                return Err((
                    "billing.paddle.api_key",
                    "must be set when billing.provider is paddle".to_owned(),
                ));
            }
            BillingProvider::Stripe | BillingProvider::Paddle => {}
        }
        Ok(())
    }
}
