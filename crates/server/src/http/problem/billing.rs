//! The problem table of billing: webhook intake, connecting Stripe,
//! subscriptions and the plan's limits (402 `plan_limit_reached`).

use super::ErrorCode;
use fakturo_domain::billing::gateway::BillingApiError;
use fakturo_domain::billing::services::{
    EntitlementError, IntakeError, PortalError, StripeConnectError, SubscriptionCheckoutError,
};
use fakturo_domain::billing::{Limit, PlanLimitReached};

use super::ApiError;

/// 402 naming the limit and the upgrade route.
pub(crate) fn plan_limit(reached: &PlanLimitReached) -> ApiError {
    let detail = match (reached.limit, reached.allowed) {
        (Limit::ActiveSubscription, _) => {
            "The organization has no running subscription, so it is read-only. Subscribe with \
             POST /api/v1/subscription/checkout."
                .to_owned()
        }
        (limit, Some(allowed)) => format!(
            "The plan allows {allowed} ({}). Upgrade with POST /api/v1/subscription/checkout.",
            limit.as_str()
        ),
        (limit, None) => format!(
            "The plan does not include {}. Upgrade with POST /api/v1/subscription/checkout.",
            limit.as_str()
        ),
    };
    ApiError::new(ErrorCode::PlanLimitReached, detail)
}

/// A provider call that failed, without the provider's words.
pub(crate) fn provider(error: &BillingApiError) -> ApiError {
    match error {
        BillingApiError::Rejected { .. } => ApiError::new(
            ErrorCode::BillingProviderRefused,
            "The payment provider refused the request.",
        ),
        BillingApiError::Unexpected(_) => {
            tracing::error!(error = %error, "a payment provider call failed");
            ApiError::new(
                ErrorCode::BillingProviderUnavailable,
                "The payment provider could not be reached. Please try again.",
            )
        }
        _ => ApiError::new(
            ErrorCode::BillingProviderUnavailable,
            "The payment provider could not be reached. Please try again.",
        ),
    }
}

fn not_configured() -> ApiError {
    ApiError::new(
        ErrorCode::BillingNotConfigured,
        "This deployment charges no subscriptions (billing.provider = \"none\").",
    )
}

problem_table! {
    IntakeError => |e| match e {
        IntakeError::NotConfigured => ApiError::new(ErrorCode::WebhookNotConfigured, e.to_string()),
        IntakeError::Signature(_) => ApiError::new(ErrorCode::WebhookSignatureInvalid, e.to_string()),
        IntakeError::Malformed(_) => ApiError::new(ErrorCode::WebhookMalformed, "The verified body is not an event."),
        IntakeError::Unexpected(u) => ApiError::unexpected(&u),
    };
    EntitlementError => |e| match e {
        EntitlementError::PlanLimitReached(reached) => plan_limit(&reached),
        EntitlementError::Unexpected(u) => ApiError::unexpected(&u),
    };
    SubscriptionCheckoutError => |e| match e {
        SubscriptionCheckoutError::NotConfigured => not_configured(),
        SubscriptionCheckoutError::UnknownPlan => ApiError::new(ErrorCode::UnknownPlan, "No such plan is offered."),
        SubscriptionCheckoutError::Provider(p) => provider(&p),
        SubscriptionCheckoutError::Unexpected(u) => ApiError::unexpected(&u),
    };
    PortalError => |e| match e {
        PortalError::NotConfigured => not_configured(),
        PortalError::NoCustomer => ApiError::new(ErrorCode::NoSubscription, e.to_string()),
        PortalError::Provider(p) => provider(&p),
        PortalError::Unexpected(u) => ApiError::unexpected(&u),
    };
    StripeConnectError => |e| match e {
        StripeConnectError::Integration(i) => i.into(),
        StripeConnectError::KeyRefused => ApiError::new(ErrorCode::StripeKeyRefused, "Stripe refused the secret key."),
        StripeConnectError::Provider(p) => provider(&p),
        StripeConnectError::Unexpected(u) => ApiError::unexpected(&u),
    };
}
