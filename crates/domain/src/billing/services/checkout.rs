//! Online checkout of an invoice's balance on the tenant's Stripe account,
//! and the reconcile task: the polling safety net for lost webhooks.

use std::sync::Arc;

use chrono::TimeDelta;

use crate::InvoiceId;
use crate::billing::events::CheckoutFacts;
use crate::billing::gateway::{BillingApiError, CheckoutSession, InvoiceCheckout, SessionStatus};
use crate::billing::ports::{BillingStore, GatewayKeys, PaymentGateway};
use crate::billing::records::{CheckoutRecord, CheckoutStatus};
use crate::billing::services::apply::{self, CheckoutStep, Outcome};
use crate::kernel::clock::Clock;
use crate::kernel::errors::{Unexpected, unexpected_from};
use crate::kernel::secrets::RevealedSecret;

/// The idempotency key of an invoice's checkout: the same invoice and
/// balance open the same session however often Pay is pressed.
#[must_use]
pub fn checkout_idempotency_key(invoice: InvoiceId, amount_minor: i64, currency: &str) -> String {
    format!(
        "fakturo-checkout-{invoice}-{amount_minor}-{}",
        currency.to_ascii_lowercase()
    )
}

/// Why no checkout was opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenCheckoutError {
    /// Nothing is due.
    #[error("nothing is due on the invoice")]
    NothingDue,
    /// Stripe refused or could not be reached.
    #[error(transparent)]
    Provider(#[from] BillingApiError),
    /// Storage failed.
    #[error(transparent)]
    Unexpected(Unexpected),
}

unexpected_from!(OpenCheckoutError);

/// Opens checkout sessions for invoices.
#[derive(Clone)]
pub struct OnlineCheckout {
    store: Arc<dyn BillingStore>,
    gateway: Arc<dyn PaymentGateway>,
    clock: Arc<dyn Clock>,
}

impl OnlineCheckout {
    /// The service on its ports.
    #[must_use]
    pub fn new(store: Arc<dyn BillingStore>, gateway: Arc<dyn PaymentGateway>, clock: Arc<dyn Clock>) -> Self {
        Self { store, gateway, clock }
    }

    /// Creates the session on the tenant's account (the caller checked that
    /// the invoice is payable and computed the balance) and keeps its
    /// record for the reconcile task.
    ///
    /// # Errors
    /// - [`OpenCheckoutError::NothingDue`] if the amount is not positive.
    /// - [`OpenCheckoutError::Provider`] if Stripe refused or is unavailable.
    /// - [`OpenCheckoutError::Unexpected`] if storage failed.
    pub async fn open(
        &self,
        key: &RevealedSecret,
        checkout: &InvoiceCheckout,
    ) -> Result<CheckoutSession, OpenCheckoutError> {
        if checkout.amount_minor <= 0 {
            return Err(OpenCheckoutError::NothingDue);
        }
        let session = self.gateway.create_checkout(key, checkout).await?;
        let unit = self.store.begin().await?;
        if unit
            .checkouts()
            .by_session(checkout.tenant, &session.id)
            .await?
            .is_none()
        {
            let now = self.clock.now();
            let record = CheckoutRecord {
                tenant: checkout.tenant,
                invoice: checkout.invoice,
                session_id: session.id.clone(),
                payment_intent: session.payment_intent.clone(),
                amount_minor: checkout.amount_minor,
                currency: checkout.currency.to_ascii_uppercase(),
                status: CheckoutStatus::Open,
                refunded_minor: 0,
                created_at: now,
                updated_at: now,
            };
            unit.checkouts().save(&record).await?;
            unit.commit().await?;
        }
        Ok(session)
    }
}

/// The counts of one reconcile run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReconcileRun {
    /// Sessions asked about.
    pub checked: u32,
    /// Found paid (or awaiting payment) and applied.
    pub completed: u32,
    /// Found expired.
    pub expired: u32,
    /// Still open.
    pub still_open: u32,
    /// Could not be asked or applied (no key, provider down, parked).
    pub failed: u32,
}

/// Asks Stripe about sessions still open after a while and applies what it says.
#[derive(Clone)]
pub struct CheckoutReconciler {
    store: Arc<dyn BillingStore>,
    gateway: Arc<dyn PaymentGateway>,
    keys: Arc<dyn GatewayKeys>,
    clock: Arc<dyn Clock>,
}

impl CheckoutReconciler {
    /// The service on its ports.
    #[must_use]
    pub fn new(
        store: Arc<dyn BillingStore>,
        gateway: Arc<dyn PaymentGateway>,
        keys: Arc<dyn GatewayKeys>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            store,
            gateway,
            keys,
            clock,
        }
    }

    /// Reconciles up to `limit` sessions open for longer than `older_than`.
    ///
    /// # Errors
    /// [`Unexpected`] if the records cannot be read; single sessions that
    /// fail are counted in [`ReconcileRun::failed`].
    pub async fn reconcile(&self, older_than: TimeDelta, limit: u32) -> Result<ReconcileRun, Unexpected> {
        let cutoff = self.clock.now() - older_than;
        let records = self.store.begin().await?.checkouts().open_before(cutoff, limit).await?;
        let mut run = ReconcileRun::default();
        for record in records {
            run.checked += 1;
            let Ok(Some(key)) = self.keys.stripe_key(record.tenant).await else {
                run.failed += 1;
                continue;
            };
            let Ok(session) = self.gateway.retrieve_session(&key, &record.session_id).await else {
                run.failed += 1;
                continue;
            };
            match self.apply(&record, &session).await {
                Ok(SessionStatus::Open) => run.still_open += 1,
                Ok(SessionStatus::Complete) => run.completed += 1,
                Ok(SessionStatus::Expired) => run.expired += 1,
                Err(_) => run.failed += 1,
            }
        }
        Ok(run)
    }

    async fn apply(&self, record: &CheckoutRecord, session: &CheckoutSession) -> Result<SessionStatus, Unexpected> {
        let now = self.clock.now();
        let unit = self.store.begin().await?;
        match session.status {
            SessionStatus::Open => return Ok(SessionStatus::Open),
            SessionStatus::Expired => {
                let mut expired = record.clone();
                expired.status = CheckoutStatus::Expired;
                expired.updated_at = now;
                unit.checkouts().save(&expired).await?;
            }
            SessionStatus::Complete => {
                let facts = CheckoutFacts {
                    session_id: session.id.clone(),
                    payment_intent: session.payment_intent.clone(),
                    paid: session.paid,
                    tenant: session.tenant,
                    invoice: session.invoice,
                    amount_minor: session.amount_minor,
                    currency: session.currency.clone(),
                };
                let outcome =
                    apply::checkout(unit.as_ref(), record.tenant, &facts, CheckoutStep::Completed, now).await?;
                if let Outcome::Parked(reason) = outcome {
                    return Err(Unexpected(reason.into()));
                }
            }
        }
        unit.commit().await?;
        Ok(session.status)
    }
}
