//! Steps shared by several use cases: finalizing an invoice with the next
//! number of its series, and enqueueing side effects in the caller's unit
//! of work (the outbox).

use chrono::{DateTime, NaiveDate, Utc};

use crate::TenantId;
use crate::invoicing::invoice::{FinalizeRuleError, Invoice};
use crate::invoicing::ports::InvoicingUnit;
use crate::kernel::clock::Clock;
use crate::kernel::ids::IdGenerator;
use crate::kernel::repository::RepositoryError;
use crate::kernel::tokens::TokenGenerator;
use crate::messaging::outbox::{DEFAULT_MAX_ATTEMPTS, Effect, NewJob};
use crate::tenancy::Organization;

/// Why finalization failed inside a unit of work.
#[derive(Debug)]
pub(crate) enum FinalizeFailure {
    /// The invoice breaks a rule.
    Rule(FinalizeRuleError),
    /// Storage failed.
    Store(RepositoryError),
}

/// Decides the invoice's dates as of `today`, takes the next number of its
/// series (inside `uow`, so a rollback returns it) and freezes it. The
/// caller saves the invoice in the same unit of work.
pub(crate) async fn finalize(
    uow: &dyn InvoicingUnit,
    invoice: &mut Invoice,
    organization: &Organization,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<(), FinalizeFailure> {
    let dates = invoice
        .finalization_dates(today, organization.default_payment_terms_days)
        .map_err(FinalizeFailure::Rule)?;
    let pattern = &organization.invoice_number_pattern;
    let sequence = uow
        .numbering()
        .next_in_series(organization.id, &pattern.series_key(dates.issue_date))
        .await
        .map_err(FinalizeFailure::Store)?;
    let client = uow
        .clients()
        .get(organization.id, invoice.content.client_id)
        .await
        .map_err(FinalizeFailure::Store)?;
    invoice.buyer = client.map(|client| crate::invoicing::invoice::Buyer::of(&client.details));
    invoice.mark_finalized(pattern.render(dates.issue_date, sequence), dates, now);
    Ok(())
}

/// Records a side effect to be performed after commit. The same `key`
/// enqueued twice is recorded once.
pub(crate) async fn enqueue(
    uow: &dyn InvoicingUnit,
    ids: &dyn IdGenerator,
    clock: &dyn Clock,
    tenant: TenantId,
    effect: Effect,
    key: String,
) -> Result<bool, RepositoryError> {
    let job = NewJob {
        id: ids.new_uuid(),
        tenant_id: Some(tenant),
        effect,
        idempotency_key: key,
        run_at: clock.now(),
        max_attempts: DEFAULT_MAX_ATTEMPTS,
    };
    uow.enqueue(&job).await
}

/// Gives a finalized invoice its public link token if it has none yet.
pub(crate) async fn ensure_public_token(
    uow: &dyn InvoicingUnit,
    tokens: &dyn TokenGenerator,
    invoice: &mut Invoice,
) -> Result<(), RepositoryError> {
    if invoice.delivery.public_token.is_none() {
        invoice.delivery.public_token = Some(tokens.public_token());
        uow.invoices()
            .set_delivery(invoice.tenant_id, invoice.id, &invoice.delivery)
            .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests;
