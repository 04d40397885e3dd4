//! Operator tasks of billing: `billing reconcile` asks Stripe about
//! checkout sessions still open after an hour and applies what it says (the
//! polling safety net for lost webhooks), then applies any webhook events
//! still waiting in the inbox.

use std::sync::Arc;

use fakturo_domain::kernel::clock::Clock;

use super::OpsError;
use crate::adapters::SystemClock;
use crate::application::{Billing, wire};
use crate::settings::Settings;

/// Reconciles up to 500 sessions open for more than an hour.
///
/// # Errors
/// [`OpsError`] if the database cannot be opened or read.
pub async fn billing_reconcile(settings: &Settings) -> Result<String, OpsError> {
    billing_reconcile_at(settings, Arc::new(SystemClock)).await
}

/// [`billing_reconcile`] on another clock (tests).
///
/// # Errors
/// [`OpsError`] if the database cannot be opened or read.
pub async fn billing_reconcile_at(settings: &Settings, clock: Arc<dyn Clock>) -> Result<String, OpsError> {
    let wiring = wire(settings.clone(), clock).await?;
    let billing = &wiring.state.services.billing;
    let run = billing
        .reconciler
        .reconcile(Billing::reconcile_after(), 500)
        .await
        .map_err(|e| OpsError::Task(e.to_string()))?;
    let mut settled = 0;
    loop {
        let now = billing.process_webhooks(100).await;
        if now == 0 {
            break;
        }
        settled += now;
    }
    let _ = wiring.sql.connection().clone().close().await;
    Ok(format!(
        "billing reconcile: {} session(s) checked, {} completed, {} expired, {} still open, {} failed; \
         {settled} waiting webhook event(s) settled\n",
        run.checked, run.completed, run.expired, run.still_open, run.failed
    ))
}
