//! What an organization's owners are told about their subscription: a
//! payment that failed, an end that is coming, an end that came. Each is
//! decided from the change between the state applied before and the state
//! applied now, so a repeated or older event tells nobody anything twice.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::UserId;
use crate::billing::subscription::{Subscription, SubscriptionStatus};
use crate::kernel::email::EmailAddress;

/// One notice to the owners.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SubscriptionNotice {
    /// A renewal payment failed; the provider retries, the plan stays in
    /// force meanwhile.
    PaymentFailed,
    /// The subscription is set to end at `at` (cancelled for the period's end).
    WillEnd {
        /// When it ends.
        at: DateTime<Utc>,
    },
    /// The subscription ended.
    Ended {
        /// When the organization's data will be purged, if ending the
        /// subscription started the closure window; `None`: it is read-only.
        purge_after: Option<DateTime<Utc>>,
    },
}

impl SubscriptionNotice {
    /// The stable name, for idempotency keys and templates.
    #[must_use]
    pub const fn as_str(&self) -> &'static str {
        match self {
            Self::PaymentFailed => "payment_failed",
            Self::WillEnd { .. } => "will_end",
            Self::Ended { .. } => "ended",
        }
    }

    /// The notices that moving from `before` to `after` calls for (`Ended`
    /// without a purge date: the caller fills it in). A `before` of another
    /// subscription counts as nothing known.
    #[must_use]
    pub fn between(before: Option<&Subscription>, after: &Subscription) -> Vec<Self> {
        let before = before.filter(|b| b.subscription_id == after.subscription_id && b.provider == after.provider);
        let was = before.map_or(SubscriptionStatus::None, |b| b.status);
        let mut notices = Vec::new();
        if after.status == SubscriptionStatus::PastDue && was != SubscriptionStatus::PastDue {
            notices.push(Self::PaymentFailed);
        }
        if let Some(at) = after.cancel_at {
            let known = before.and_then(|b| b.cancel_at) == Some(at);
            if after.status != SubscriptionStatus::Canceled && !known {
                notices.push(Self::WillEnd { at });
            }
        }
        if after.status == SubscriptionStatus::Canceled && was != SubscriptionStatus::Canceled {
            notices.push(Self::Ended { purge_after: None });
        }
        notices
    }

    /// What tells this notice apart from another of the same subscription,
    /// for the job's idempotency key: a later failure or a new end date is
    /// a new notice, the same one delivered again is not.
    #[must_use]
    pub fn discriminator(&self, after: &Subscription) -> String {
        match self {
            Self::PaymentFailed => format!("payment_failed:{}", after.ordering_key.timestamp()),
            Self::WillEnd { at } => format!("will_end:{}", at.timestamp()),
            Self::Ended { .. } => "ended".to_owned(),
        }
    }
}

/// An owner of an organization, as billing notices address them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BillingContact {
    /// The user.
    pub id: UserId,
    /// Where notices go.
    pub email: EmailAddress,
    /// Their name; empty when unknown.
    pub name: String,
}

/// What happens to an organization whose subscription ended.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WhenEnded {
    /// It stays, read-only: reads, exports, privacy requests and closure
    /// still work; a new subscription lifts it.
    #[default]
    ReadOnly,
    /// It enters the closure window (as if the owner had closed it): export
    /// and reopening stay possible until the window ends, then it is purged.
    Close,
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::TenantId;
    use crate::billing::webhook::WebhookProvider;

    fn subscription(id: &str, status: SubscriptionStatus, cancel_at: Option<DateTime<Utc>>) -> Subscription {
        Subscription {
            tenant: TenantId::from_uuid(uuid::Uuid::from_u128(1)),
            provider: WebhookProvider::Paddle,
            subscription_id: id.to_owned(),
            customer_id: None,
            plan: None,
            status,
            current_period_end: None,
            cancel_at,
            ordering_key: Utc.with_ymd_and_hms(2026, 12, 1, 10, 0, 0).single().unwrap_or_default(),
        }
    }

    #[test]
    fn a_failed_renewal_an_end_date_and_the_end_are_each_told_once() {
        use SubscriptionStatus::{Active, Canceled, PastDue, Trialing};
        let at = Utc.with_ymd_and_hms(2027, 1, 1, 0, 0, 0).single().unwrap_or_default();
        let active = subscription("sub_1", Active, None);
        let past_due = subscription("sub_1", PastDue, None);
        assert_eq!(
            SubscriptionNotice::between(Some(&active), &past_due),
            [SubscriptionNotice::PaymentFailed]
        );
        assert_eq!(SubscriptionNotice::between(Some(&past_due), &past_due), []);
        assert_eq!(SubscriptionNotice::between(Some(&past_due), &active), []);

        let ending = subscription("sub_1", Active, Some(at));
        assert_eq!(
            SubscriptionNotice::between(Some(&active), &ending),
            [SubscriptionNotice::WillEnd { at }]
        );
        assert_eq!(SubscriptionNotice::between(Some(&ending), &ending), []);
        let later = at + chrono::TimeDelta::days(30);
        assert_eq!(
            SubscriptionNotice::between(Some(&ending), &subscription("sub_1", Active, Some(later))),
            [SubscriptionNotice::WillEnd { at: later }]
        );

        let ended = subscription("sub_1", Canceled, Some(at));
        assert_eq!(
            SubscriptionNotice::between(Some(&ending), &ended),
            [SubscriptionNotice::Ended { purge_after: None }]
        );
        assert_eq!(SubscriptionNotice::between(Some(&ended), &ended), []);
        assert_eq!(
            SubscriptionNotice::between(None, &subscription("sub_1", Trialing, None)),
            []
        );
    }

    #[test]
    fn another_subscription_before_counts_as_nothing_known() {
        let old = subscription("sub_old", SubscriptionStatus::PastDue, None);
        let new = subscription("sub_new", SubscriptionStatus::PastDue, None);
        assert_eq!(
            SubscriptionNotice::between(Some(&old), &new),
            [SubscriptionNotice::PaymentFailed]
        );
    }
}
