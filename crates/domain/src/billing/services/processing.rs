//! Webhook processing: each stored event is applied exactly once, in its own
//! unit of work that also settles the inbox entry. A concurrent worker on
//! the same entry loses at commit (a conflict) and finds it settled when it
//! tries again; a crash before commit leaves the entry `Received` for the
//! next run.

use std::sync::Arc;

use crate::billing::events::{BillingEvent, DecodedEvent};
use crate::billing::gateway::BillingApiError;
use crate::billing::plan::BillingSettings;
use crate::billing::ports::{BillingStore, SubscriptionProvider, WebhookCodec};
use crate::billing::services::apply::{self, CheckoutStep, Outcome};
use crate::billing::subscription::SubscriptionSnapshot;
use crate::billing::webhook::{InboxEntry, InboxKey, InboxState, WebhookAccount, WebhookProvider};
use crate::kernel::clock::Clock;
use crate::kernel::errors::{Unexpected, unexpected_from};
use crate::kernel::ids::IdGenerator;
use crate::kernel::repository::RepositoryError;

/// The codec of each provider.
#[derive(Clone)]
pub struct WebhookCodecs {
    /// Stripe's (tenants' and the operator's accounts).
    pub stripe: Arc<dyn WebhookCodec>,
    /// Paddle's.
    pub paddle: Arc<dyn WebhookCodec>,
}

impl WebhookCodecs {
    fn of(&self, provider: WebhookProvider) -> &dyn WebhookCodec {
        match provider {
            WebhookProvider::Stripe => self.stripe.as_ref(),
            WebhookProvider::Paddle => self.paddle.as_ref(),
        }
    }
}

/// What processing one entry did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Processed {
    /// Applied (or an event type Fakturo ignores).
    Applied,
    /// Parked with the reason.
    Parked(String),
    /// Settled before, or no such entry: nothing done.
    AlreadySettled,
}

/// Why an entry stays `Received` for a later run.
#[derive(Debug, thiserror::Error)]
pub enum ProcessError {
    /// Fetching the current subscription failed.
    #[error("the provider could not be asked")]
    Provider(#[source] BillingApiError),
    /// A concurrent unit settled the entry first.
    #[error("a concurrent worker settled the entry")]
    Conflict,
    /// Storage failed.
    #[error(transparent)]
    Unexpected(Unexpected),
}

unexpected_from!(ProcessError);

/// The counts of one processing run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ProcessRun {
    /// Entries applied.
    pub applied: u32,
    /// Entries parked.
    pub parked: u32,
    /// Entries left for a later run.
    pub failed: u32,
}

/// Applies inbox entries.
#[derive(Clone)]
pub struct WebhookProcessor {
    store: Arc<dyn BillingStore>,
    codecs: WebhookCodecs,
    subscriptions: Option<Arc<dyn SubscriptionProvider>>,
    settings: Arc<BillingSettings>,
    clock: Arc<dyn Clock>,
    ids: Arc<dyn IdGenerator>,
}

impl WebhookProcessor {
    /// The service on its ports; `subscriptions` is the operator's provider,
    /// if one is configured (Stripe subscription events fetch from it);
    /// `ids` names the owners' notices it queues.
    #[must_use]
    pub fn new(
        store: Arc<dyn BillingStore>,
        codecs: WebhookCodecs,
        subscriptions: Option<Arc<dyn SubscriptionProvider>>,
        settings: Arc<BillingSettings>,
        clock: Arc<dyn Clock>,
        ids: Arc<dyn IdGenerator>,
    ) -> Self {
        Self {
            store,
            codecs,
            subscriptions,
            settings,
            clock,
            ids,
        }
    }

    /// Processes up to `limit` received entries, oldest first.
    ///
    /// # Errors
    /// [`Unexpected`] if the inbox cannot be read; failures of single
    /// entries are counted in [`ProcessRun::failed`] and retried next run.
    pub async fn process_pending(&self, limit: u32) -> Result<ProcessRun, Unexpected> {
        let keys = self.store.begin().await?.inbox().received(limit).await?;
        let mut run = ProcessRun::default();
        for key in keys {
            match self.process(&key).await {
                Ok(Processed::Applied) => run.applied += 1,
                Ok(Processed::Parked(_)) => run.parked += 1,
                Ok(Processed::AlreadySettled) => {}
                Err(_) => run.failed += 1,
            }
        }
        Ok(run)
    }

    /// Processes one entry exactly once.
    ///
    /// # Errors
    /// - [`ProcessError::Provider`] if the current subscription could not be fetched.
    /// - [`ProcessError::Conflict`] if a concurrent worker settled it first.
    /// - [`ProcessError::Unexpected`] if storage failed.
    pub async fn process(&self, key: &InboxKey) -> Result<Processed, ProcessError> {
        let Some(entry) = self.store.begin().await?.inbox().get(key).await? else {
            return Ok(Processed::AlreadySettled);
        };
        if entry.state != InboxState::Received {
            return Ok(Processed::AlreadySettled);
        }
        let decoded = match self.codecs.of(key.provider).decode(&entry.raw_body) {
            Ok(decoded) => decoded,
            Err(error) => return self.settle(&entry, Outcome::Parked(error.to_string()), None).await,
        };
        // Asked before the unit opens: nothing external inside a transaction.
        let fetched = self.fetch_current(&entry, &decoded).await?;
        self.settle(&entry, Outcome::Done, Some((decoded, fetched))).await
    }

    async fn fetch_current(
        &self,
        entry: &InboxEntry,
        decoded: &DecodedEvent,
    ) -> Result<Option<SubscriptionSnapshot>, ProcessError> {
        let Some(BillingEvent::SubscriptionUpdated(change)) = &decoded.event else {
            return Ok(None);
        };
        if change.snapshot.is_some() || entry.key.account != WebhookAccount::Operator {
            return Ok(None);
        }
        let Some(provider) = self
            .subscriptions
            .as_ref()
            .filter(|p| p.provider() == entry.key.provider)
        else {
            return Ok(None);
        };
        provider
            .fetch_subscription(&change.subscription_id, self.clock.now())
            .await
            .map(Some)
            .map_err(ProcessError::Provider)
    }

    async fn settle(
        &self,
        entry: &InboxEntry,
        outcome: Outcome,
        event: Option<(DecodedEvent, Option<SubscriptionSnapshot>)>,
    ) -> Result<Processed, ProcessError> {
        let unit = self.store.begin().await?;
        match unit.inbox().get(&entry.key).await? {
            Some(current) if current.state == InboxState::Received => {}
            _ => return Ok(Processed::AlreadySettled),
        }
        let outcome = match event {
            Some((decoded, fetched)) => self.apply(unit.as_ref(), entry, &decoded, fetched).await?,
            None => outcome,
        };
        let (state, processed) = match outcome {
            Outcome::Done => (InboxState::Processed, Processed::Applied),
            Outcome::Parked(reason) => (InboxState::Parked { reason: reason.clone() }, Processed::Parked(reason)),
        };
        unit.inbox().settle(&entry.key, &state, self.clock.now()).await?;
        match unit.commit().await {
            Ok(()) => Ok(processed),
            Err(RepositoryError::Conflict | RepositoryError::Duplicate { .. }) => Err(ProcessError::Conflict),
            Err(error) => Err(error.into()),
        }
    }

    async fn apply(
        &self,
        unit: &dyn crate::billing::ports::BillingUnit,
        entry: &InboxEntry,
        decoded: &DecodedEvent,
        fetched: Option<SubscriptionSnapshot>,
    ) -> Result<Outcome, RepositoryError> {
        let Some(event) = &decoded.event else {
            return Ok(Outcome::Done);
        };
        let at = decoded.occurred_at;
        match (event, entry.key.account) {
            (BillingEvent::CheckoutCompleted(facts), WebhookAccount::Tenant(tenant)) => {
                apply::checkout(unit, tenant, facts, CheckoutStep::Completed, at).await
            }
            (BillingEvent::AsyncPaymentSucceeded(facts), WebhookAccount::Tenant(tenant)) => {
                apply::checkout(unit, tenant, facts, CheckoutStep::AsyncSucceeded, at).await
            }
            (BillingEvent::PaymentSucceeded(facts), WebhookAccount::Tenant(tenant)) => {
                apply::checkout(unit, tenant, facts, CheckoutStep::AsyncSucceeded, at).await
            }
            (BillingEvent::AsyncPaymentFailed(facts), WebhookAccount::Tenant(tenant)) => {
                apply::checkout(unit, tenant, facts, CheckoutStep::AsyncFailed, at).await
            }
            (BillingEvent::ChargeRefunded(facts), WebhookAccount::Tenant(tenant)) => {
                apply::refund(unit, tenant, facts, at).await
            }
            // The operator's own checkouts and charges: the subscription and
            // transaction events carry what matters.
            (
                BillingEvent::CheckoutCompleted(_)
                | BillingEvent::AsyncPaymentSucceeded(_)
                | BillingEvent::AsyncPaymentFailed(_)
                | BillingEvent::PaymentSucceeded(_)
                | BillingEvent::ChargeRefunded(_),
                WebhookAccount::Operator,
            ) => Ok(Outcome::Done),
            (BillingEvent::SubscriptionUpdated(change), WebhookAccount::Operator) => {
                match fetched.as_ref().or(change.snapshot.as_ref()) {
                    Some(snapshot) => {
                        let now = self.clock.now();
                        apply::subscription(unit, &self.settings, snapshot, now, self.ids.as_ref()).await
                    }
                    None => Ok(Outcome::Parked(
                        "a subscription event without its state and no provider to fetch it from".to_owned(),
                    )),
                }
            }
            (BillingEvent::TransactionRecorded(facts), WebhookAccount::Operator) => {
                apply::transaction(unit, entry.key.provider, facts, at).await
            }
            (
                BillingEvent::SubscriptionUpdated(_) | BillingEvent::TransactionRecorded(_),
                WebhookAccount::Tenant(_),
            ) => Ok(Outcome::Parked("an operator event on a tenant's endpoint".to_owned())),
        }
    }
}
