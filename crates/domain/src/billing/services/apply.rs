//! Applying what an event (or a reconciled session) says, inside one billing
//! unit. Every step is idempotent: applying the same facts twice changes
//! nothing the second time, and a refund that arrives before its payment is
//! kept until the payment is recorded.

use chrono::{DateTime, TimeDelta, Utc};

use crate::TenantId;
use crate::billing::events::{CheckoutFacts, RefundFacts, TransactionFacts};
use crate::billing::notices::{SubscriptionNotice, WhenEnded};
use crate::billing::plan::BillingSettings;
use crate::billing::ports::{BillingUnit, OnlinePayment, OnlineRefund, PaymentOutcome};
use crate::billing::records::{BillingTransaction, CheckoutRecord, CheckoutStatus, PendingRefund};
use crate::billing::subscription::{Subscription, SubscriptionSnapshot};
use crate::billing::webhook::WebhookProvider;
use crate::kernel::ids::IdGenerator;
use crate::kernel::money::{Currency, Money};
use crate::kernel::repository::RepositoryError;
use crate::messaging::outbox::{DEFAULT_MAX_ATTEMPTS, Effect, NewJob};
use crate::tenancy::organization::Closure;

/// What applying did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// Applied, or nothing to do.
    Done,
    /// Not applicable, with the reason.
    Parked(String),
}

fn parked(reason: &str) -> Result<Outcome, RepositoryError> {
    Ok(Outcome::Parked(reason.to_owned()))
}

/// Which checkout event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CheckoutStep {
    /// `checkout.session.completed` (paid or awaiting payment).
    Completed,
    /// `checkout.session.async_payment_succeeded`.
    AsyncSucceeded,
    /// `checkout.session.async_payment_failed`.
    AsyncFailed,
}

/// Applies a checkout event of `tenant`'s account.
pub(crate) async fn checkout(
    unit: &dyn BillingUnit,
    tenant: TenantId,
    facts: &CheckoutFacts,
    step: CheckoutStep,
    at: DateTime<Utc>,
) -> Result<Outcome, RepositoryError> {
    if facts.tenant != Some(tenant) {
        return parked("the session's metadata names another tenant or none");
    }
    let Some(invoice) = facts.invoice else {
        return parked("the session's metadata names no invoice");
    };
    let Ok(currency) = Currency::parse(&facts.currency.to_ascii_uppercase()) else {
        return parked("the session's currency is not supported");
    };
    // One record per payment: a PaymentIntent's own event finds its session's record.
    let mut existing = unit.checkouts().by_session(tenant, &facts.session_id).await?;
    if let (None, Some(payment_intent)) = (&existing, facts.payment_intent.as_deref()) {
        existing = unit.checkouts().by_payment_intent(tenant, payment_intent).await?;
    }
    if existing.as_ref().is_some_and(|record| record.invoice != invoice) {
        return parked("the session belongs to another invoice");
    }
    let mut record = existing.unwrap_or_else(|| CheckoutRecord {
        tenant,
        invoice,
        session_id: facts.session_id.clone(),
        payment_intent: None,
        amount_minor: facts.amount_minor,
        currency: currency.code().to_owned(),
        status: CheckoutStatus::Open,
        refunded_minor: 0,
        created_at: at,
        updated_at: at,
    });
    if facts.payment_intent.is_some() {
        record.payment_intent.clone_from(&facts.payment_intent);
    }
    record.updated_at = at;
    let paid = match step {
        CheckoutStep::Completed => facts.paid,
        CheckoutStep::AsyncSucceeded => true,
        CheckoutStep::AsyncFailed => {
            if record.status != CheckoutStatus::Paid {
                record.status = CheckoutStatus::Failed;
            }
            unit.checkouts().save(&record).await?;
            return Ok(Outcome::Done);
        }
    };
    if !paid {
        if matches!(record.status, CheckoutStatus::Open | CheckoutStatus::Expired) {
            record.status = CheckoutStatus::AwaitingPayment;
        }
        unit.checkouts().save(&record).await?;
        return Ok(Outcome::Done);
    }
    let Some(payment_intent) = record.payment_intent.clone() else {
        return parked("a paid session without a PaymentIntent");
    };
    let payment = OnlinePayment {
        reference: payment_intent.clone(),
        amount: Money::from_minor(facts.amount_minor, currency),
        received_at: at,
    };
    match unit
        .invoice_payments()
        .record_card_payment(tenant, invoice, &payment)
        .await?
    {
        PaymentOutcome::Recorded | PaymentOutcome::AlreadyRecorded => {}
        PaymentOutcome::InvoiceNotFound => return parked("the tenant has no such invoice"),
        PaymentOutcome::Refused(reason) => {
            return Ok(Outcome::Parked(format!("the invoice refused the payment: {reason}")));
        }
    }
    record.status = CheckoutStatus::Paid;
    if let Some(pending) = unit.checkouts().pending_refund(tenant, &payment_intent).await? {
        // The refund's own outcome does not undo the payment just recorded.
        refund_paid(unit, &mut record, &pending.charge_id, pending.amount_refunded_minor, at).await?;
        unit.checkouts().remove_pending_refund(tenant, &payment_intent).await?;
    }
    unit.checkouts().save(&record).await?;
    Ok(Outcome::Done)
}

/// Records on the invoice whatever of `refunded_total` is not recorded yet.
async fn refund_paid(
    unit: &dyn BillingUnit,
    record: &mut CheckoutRecord,
    charge_id: &str,
    refunded_total: i64,
    at: DateTime<Utc>,
) -> Result<Outcome, RepositoryError> {
    let delta = refunded_total.saturating_sub(record.refunded_minor);
    if delta <= 0 {
        return Ok(Outcome::Done);
    }
    let (Ok(currency), Some(payment_reference)) = (Currency::parse(&record.currency), record.payment_intent.clone())
    else {
        return parked("the checkout record is incomplete");
    };
    let refund = OnlineRefund {
        payment_reference,
        refund_reference: format!("{charge_id}:{refunded_total}"),
        amount: Money::from_minor(delta, currency),
        refunded_at: at,
    };
    match unit
        .invoice_payments()
        .record_refund(record.tenant, record.invoice, &refund)
        .await?
    {
        PaymentOutcome::Recorded | PaymentOutcome::AlreadyRecorded => {
            record.refunded_minor = refunded_total;
            record.updated_at = at;
            Ok(Outcome::Done)
        }
        PaymentOutcome::InvoiceNotFound => parked("the tenant has no such invoice"),
        PaymentOutcome::Refused(reason) => Ok(Outcome::Parked(format!("the invoice refused the refund: {reason}"))),
    }
}

/// Applies a refund event of `tenant`'s account.
pub(crate) async fn refund(
    unit: &dyn BillingUnit,
    tenant: TenantId,
    facts: &RefundFacts,
    at: DateTime<Utc>,
) -> Result<Outcome, RepositoryError> {
    let Some(payment_intent) = facts.payment_intent.as_deref() else {
        return parked("a refund without a PaymentIntent");
    };
    match unit.checkouts().by_payment_intent(tenant, payment_intent).await? {
        Some(mut record) if record.status == CheckoutStatus::Paid => {
            if !record.currency.eq_ignore_ascii_case(&facts.currency) {
                return parked("the refund's currency differs from the payment's");
            }
            let outcome = refund_paid(unit, &mut record, &facts.charge_id, facts.amount_refunded_minor, at).await?;
            unit.checkouts().save(&record).await?;
            Ok(outcome)
        }
        _ => {
            // The payment is not recorded yet: keep the refund for when it is.
            let previous = unit.checkouts().pending_refund(tenant, payment_intent).await?;
            let total = previous
                .map_or(0, |pending| pending.amount_refunded_minor)
                .max(facts.amount_refunded_minor);
            let pending = PendingRefund {
                tenant,
                payment_intent: payment_intent.to_owned(),
                charge_id: facts.charge_id.clone(),
                amount_refunded_minor: total,
                currency: facts.currency.to_ascii_uppercase(),
            };
            unit.checkouts().save_pending_refund(&pending).await?;
            Ok(Outcome::Done)
        }
    }
}

/// Applies a subscription snapshot unless a newer one was applied.
pub(crate) async fn subscription(
    unit: &dyn BillingUnit,
    settings: &BillingSettings,
    snapshot: &SubscriptionSnapshot,
    now: DateTime<Utc>,
    ids: &dyn IdGenerator,
) -> Result<Outcome, RepositoryError> {
    let known = unit
        .subscriptions()
        .by_provider_id(snapshot.provider, &snapshot.subscription_id)
        .await?;
    let tenant = match (snapshot.tenant, &known) {
        (Some(named), Some(known)) if known.tenant != named => {
            return parked("the subscription's metadata names another tenant than its owner");
        }
        (Some(named), _) => named,
        (None, Some(known)) => known.tenant,
        (None, None) => return parked("an unknown subscription without a tenant in its metadata"),
    };
    let current = unit.subscriptions().get(tenant).await?;
    if let Some(current) = &current {
        let same = current.subscription_id == snapshot.subscription_id;
        if (same && current.ordering_key >= snapshot.ordering_key) || current.ordering_key > snapshot.ordering_key {
            // An older (or the same) state than the one applied: ignore it.
            return Ok(Outcome::Done);
        }
    }
    let subscription = Subscription {
        tenant,
        provider: snapshot.provider,
        subscription_id: snapshot.subscription_id.clone(),
        customer_id: snapshot.customer_id.clone(),
        plan: settings
            .plan_for_prices(&snapshot.price_ids)
            .map(|plan| plan.id.clone()),
        status: snapshot.status,
        current_period_end: snapshot.current_period_end,
        cancel_at: snapshot.cancel_at,
        ordering_key: snapshot.ordering_key,
    };
    unit.subscriptions().save(&subscription).await?;
    for notice in SubscriptionNotice::between(current.as_ref(), &subscription) {
        let notice = match notice {
            SubscriptionNotice::Ended { .. } => SubscriptionNotice::Ended {
                purge_after: end(unit, settings, tenant, now).await?,
            },
            other => other,
        };
        notify_owners(unit, &subscription, notice, now, ids).await?;
    }
    Ok(Outcome::Done)
}

/// What an ended subscription does: the closure window's end if it starts
/// one (or one had started), `None` when the organization turns read-only.
async fn end(
    unit: &dyn BillingUnit,
    settings: &BillingSettings,
    tenant: TenantId,
    now: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>, RepositoryError> {
    if settings.when_ended != WhenEnded::Close {
        return Ok(None);
    }
    let closure = Closure {
        closed_at: now,
        purge_after: now + TimeDelta::days(i64::from(settings.closure_grace_days)),
    };
    // Closed before by its owner: that window stands, and the notice names no new date.
    Ok(unit
        .organizations()
        .start_closure(tenant, closure)
        .await?
        .then_some(closure.purge_after))
}

/// Queues `notice` for each owner, once per owner and notice.
async fn notify_owners(
    unit: &dyn BillingUnit,
    subscription: &Subscription,
    notice: SubscriptionNotice,
    now: DateTime<Utc>,
    ids: &dyn IdGenerator,
) -> Result<(), RepositoryError> {
    let discriminator = notice.discriminator(subscription);
    for owner in unit.organizations().owners(subscription.tenant).await? {
        let job = NewJob {
            id: ids.new_uuid(),
            tenant_id: Some(subscription.tenant),
            effect: Effect::SendSubscriptionNotice {
                owner_id: owner.id,
                notice,
            },
            idempotency_key: format!(
                "subscription-notice:{}:{}:{discriminator}:{}",
                subscription.provider.as_str(),
                subscription.subscription_id,
                owner.id
            ),
            run_at: now,
            max_attempts: DEFAULT_MAX_ATTEMPTS,
        };
        unit.organizations().queue(&job).await?;
    }
    Ok(())
}

/// Keeps an operator's transaction in the tenant's billing records.
pub(crate) async fn transaction(
    unit: &dyn BillingUnit,
    provider: WebhookProvider,
    facts: &TransactionFacts,
    at: DateTime<Utc>,
) -> Result<Outcome, RepositoryError> {
    let tenant = match (facts.tenant, facts.subscription_id.as_deref()) {
        (Some(tenant), _) => tenant,
        (None, Some(subscription_id)) => match unit.subscriptions().by_provider_id(provider, subscription_id).await? {
            Some(subscription) => subscription.tenant,
            None => return parked("a transaction of an unknown subscription"),
        },
        (None, None) => return parked("a transaction without a tenant or subscription"),
    };
    let transaction = BillingTransaction {
        tenant,
        provider,
        provider_reference: facts.reference.clone(),
        amount_minor: facts.amount_minor,
        currency: facts.currency.to_ascii_uppercase(),
        status: facts.status.clone(),
        occurred_at: at,
        invoice_url: facts.invoice_url.clone(),
    };
    unit.transactions().record(&transaction).await?;
    Ok(Outcome::Done)
}
