//! Invoice use cases: drafts, finalization with gap-free numbers, sending,
//! the client's public view; payments in `payments.rs`.

use super::issuing::{self, FinalizeFailure};
use std::sync::Arc;

use super::{issuer, statutory_hold_end, today};
use crate::InvoiceId;
use crate::access::user::Principal;
use crate::invoicing::invoice::{FinalizeRuleError, Invoice, InvoiceContent, InvoiceFields, InvoiceStatus};
use crate::invoicing::ports::InvoiceFilter;
use crate::invoicing::ports::{InvoicingStore, InvoicingUnit};
use crate::invoicing::reminders::InvoiceReminder;
use crate::kernel::clock::Clock;
use crate::kernel::ids::IdGenerator;
use crate::kernel::money::MoneyError;
use crate::kernel::pagination::{Page, PageRequest};
use crate::kernel::repository::RepositoryError;
use crate::kernel::tokens::TokenGenerator;
use crate::kernel::validation::ValidationErrors;
use crate::messaging::outbox::Effect;
use crate::privacy::retention::StatutoryPeriods;

mod errors;
mod payments;

pub use errors::{
    CreateInvoiceError, DeleteInvoiceError, FinalizeInvoiceError, GetInvoiceError, InvoiceQuery, InvoiceView,
    ListInvoicesError, ListPaymentsError, ListRemindersError, MonthlyCap, PublicInvoice, PublicInvoiceError,
    RecordPaymentError, SendInvoiceError, UpdateInvoiceError,
};

/// Invoice use cases.
#[derive(Clone)]
pub struct InvoiceService {
    store: Arc<dyn InvoicingStore>,
    clock: Arc<dyn Clock>,
    ids: Arc<dyn IdGenerator>,
    tokens: Arc<dyn TokenGenerator>,
    statutory: StatutoryPeriods,
}

impl InvoiceService {
    /// The service on `ports`, keeping finalized invoices for the `statutory` periods.
    #[must_use]
    pub fn new(
        store: Arc<dyn InvoicingStore>,
        clock: Arc<dyn Clock>,
        ids: Arc<dyn IdGenerator>,
        tokens: Arc<dyn TokenGenerator>,
        statutory: StatutoryPeriods,
    ) -> Self {
        Self {
            store,
            clock,
            ids,
            tokens,
            statutory,
        }
    }

    /// Creates a draft. Without a currency, the client's currency is used,
    /// else the organization's default.
    ///
    /// # Errors
    /// See [`CreateInvoiceError`].
    pub async fn create(&self, who: &Principal, mut fields: InvoiceFields) -> Result<InvoiceView, CreateInvoiceError> {
        let writer = who.writer("create invoices")?;
        let uow = self.store.begin().await?;
        let organization = issuer(uow.as_ref(), writer.tenant()).await?;
        if let Some(client_id) = fields.client_id {
            let client = uow
                .clients()
                .get(writer.tenant(), client_id)
                .await?
                .ok_or_else(|| CreateInvoiceError::Invalid(unknown_client()))?;
            if fields.currency.is_none() {
                let currency = client.details.currency.unwrap_or(organization.default_currency);
                fields.currency = Some(currency.code().to_owned());
            }
        }
        let content = InvoiceContent::parse(fields).map_err(CreateInvoiceError::Invalid)?;
        let now = self.clock.now();
        let invoice = Invoice::draft(InvoiceId::from_uuid(self.ids.new_uuid()), writer.tenant(), content, now)
            .map_err(|e| CreateInvoiceError::Invalid(amount_overflow(&e)))?;
        uow.invoices().insert(&invoice).await?;
        uow.commit().await?;
        let overdue = invoice.is_overdue(today(self.clock.as_ref(), &organization));
        Ok(InvoiceView { invoice, overdue })
    }

    /// One invoice.
    ///
    /// # Errors
    /// See [`GetInvoiceError`].
    pub async fn get(&self, who: &Principal, id: InvoiceId) -> Result<InvoiceView, GetInvoiceError> {
        let tenant = who.reader().tenant();
        let uow = self.store.begin().await?;
        let invoice = uow.invoices().get(tenant, id).await?.ok_or(GetInvoiceError::NotFound)?;
        let today = today(self.clock.as_ref(), &issuer(uow.as_ref(), tenant).await?);
        let overdue = invoice.is_overdue(today);
        Ok(InvoiceView { invoice, overdue })
    }

    /// A page of invoices, newest first.
    ///
    /// # Errors
    /// See [`ListInvoicesError`].
    pub async fn list(
        &self,
        who: &Principal,
        query: InvoiceQuery,
        page: PageRequest,
    ) -> Result<Page<InvoiceView>, ListInvoicesError> {
        let tenant = who.reader().tenant();
        let uow = self.store.begin().await?;
        let today = today(self.clock.as_ref(), &issuer(uow.as_ref(), tenant).await?);
        let filter = InvoiceFilter {
            status: query.status,
            client_id: query.client_id,
            overdue_on: query.overdue.filter(|wanted| *wanted).map(|_| today),
        };
        let mut found = uow.invoices().list(tenant, filter, page).await?;
        if query.overdue == Some(false) {
            found.items.retain(|invoice| !invoice.is_overdue(today));
        }
        Ok(found.map(|invoice| {
            let overdue = invoice.is_overdue(today);
            InvoiceView { invoice, overdue }
        }))
    }

    /// Changes a draft.
    ///
    /// # Errors
    /// See [`UpdateInvoiceError`]; `NotDraft` once finalized.
    pub async fn update(
        &self,
        who: &Principal,
        id: InvoiceId,
        fields: InvoiceFields,
    ) -> Result<InvoiceView, UpdateInvoiceError> {
        let writer = who.writer("change invoices")?;
        let uow = self.store.begin().await?;
        let mut invoice = uow
            .invoices()
            .get_for_update(writer.tenant(), id)
            .await?
            .ok_or(UpdateInvoiceError::NotFound)?;
        if invoice.status != InvoiceStatus::Draft {
            return Err(UpdateInvoiceError::NotDraft);
        }
        if let Some(client_id) = fields.client_id
            && uow.clients().get(writer.tenant(), client_id).await?.is_none()
        {
            return Err(UpdateInvoiceError::Invalid(unknown_client()));
        }
        let content = invoice.content.patched(fields).map_err(UpdateInvoiceError::Invalid)?;
        invoice
            .replace_content(content, self.clock.now())
            .map_err(|error| match error {
                FinalizeRuleError::NotDraft => UpdateInvoiceError::NotDraft,
                FinalizeRuleError::Incomplete(errors) => UpdateInvoiceError::Invalid(errors),
            })?;
        match uow.invoices().update_draft(&invoice).await {
            Err(RepositoryError::Conflict) => return Err(UpdateInvoiceError::NotDraft),
            other => other?,
        }
        let today = today(self.clock.as_ref(), &issuer(uow.as_ref(), writer.tenant()).await?);
        uow.commit().await?;
        let overdue = invoice.is_overdue(today);
        Ok(InvoiceView { invoice, overdue })
    }

    /// Deletes a draft, or a finalized invoice whose statutory retention
    /// period is over (with its payments and reminders).
    ///
    /// # Errors
    /// See [`DeleteInvoiceError`]; `LegalHold` with the date inside the period.
    pub async fn delete(&self, who: &Principal, id: InvoiceId) -> Result<(), DeleteInvoiceError> {
        let writer = who.writer("delete invoices")?;
        let uow = self.store.begin().await?;
        let invoice = uow
            .invoices()
            .get_for_update(writer.tenant(), id)
            .await?
            .ok_or(DeleteInvoiceError::NotFound)?;
        if invoice.status == InvoiceStatus::Draft {
            if !uow.invoices().delete_draft(writer.tenant(), id).await? {
                return Err(DeleteInvoiceError::NotDraft);
            }
        } else {
            let org = issuer(uow.as_ref(), writer.tenant()).await?;
            let today = today(self.clock.as_ref(), &org);
            let until = statutory_hold_end(uow.as_ref(), &self.statutory, &org, &invoice, today).await?;
            let until = invoice.hold.until.map_or(until, |held| until.max(held));
            if today <= until {
                return Err(DeleteInvoiceError::LegalHold {
                    until,
                    years: self.statutory.years(org.country),
                    country: org.country.code(),
                });
            }
            uow.invoices().delete_finalized(writer.tenant(), id).await?;
        }
        uow.commit().await?;
        Ok(())
    }

    /// Finalizes a draft: fixes its dates, assigns the next gap-free number
    /// of its series and freezes it — all in one transaction, so a failure
    /// leaves neither a number used up nor a half-finalized invoice.
    ///
    /// # Errors
    /// See [`FinalizeInvoiceError`].
    pub async fn finalize(&self, who: &Principal, id: InvoiceId) -> Result<InvoiceView, FinalizeInvoiceError> {
        self.finalize_within(who, id, None).await
    }

    /// Finalizes a draft unless `cap` invoices were finalized this month.
    /// The count is taken after the series' counter is locked, inside the
    /// same transaction, so two finalizations at the cap cannot both pass.
    ///
    /// # Errors
    /// See [`FinalizeInvoiceError`]; [`FinalizeInvoiceError::MonthlyCapReached`] at the cap.
    pub async fn finalize_within(
        &self,
        who: &Principal,
        id: InvoiceId,
        cap: Option<MonthlyCap>,
    ) -> Result<InvoiceView, FinalizeInvoiceError> {
        let writer = who.writer("finalize invoices")?;
        let uow = self.store.begin().await?;
        let mut invoice = uow
            .invoices()
            .get_for_update(writer.tenant(), id)
            .await?
            .ok_or(FinalizeInvoiceError::NotFound)?;
        let organization = issuer(uow.as_ref(), writer.tenant()).await?;
        let today = today(self.clock.as_ref(), &organization);
        let now = self.clock.now();
        issuing::finalize(uow.as_ref(), &mut invoice, &organization, today, now)
            .await
            .map_err(|failure| match failure {
                FinalizeFailure::Rule(FinalizeRuleError::NotDraft) => FinalizeInvoiceError::NotDraft,
                FinalizeFailure::Rule(FinalizeRuleError::Incomplete(errors)) => {
                    FinalizeInvoiceError::Incomplete(errors)
                }
                FinalizeFailure::Store(error) => error.into(),
            })?;
        if let Some(cap) = cap {
            // The counter row is locked now: a concurrent finalization has committed or waits.
            let used = uow.invoices().finalized_since(writer.tenant(), cap.month_start).await?;
            if used >= cap.limit {
                return Err(FinalizeInvoiceError::MonthlyCapReached { limit: cap.limit });
            }
        }
        match uow.invoices().save_finalized(&invoice).await {
            Err(RepositoryError::Conflict) => return Err(FinalizeInvoiceError::NotDraft),
            Err(RepositoryError::Duplicate { .. }) => {
                return Err(FinalizeInvoiceError::NumberTaken(
                    invoice.number.clone().unwrap_or_default(),
                ));
            }
            other => other?,
        }
        uow.commit().await?;
        let overdue = invoice.is_overdue(today);
        Ok(InvoiceView { invoice, overdue })
    }

    /// Emails the client a link to the invoice's public page: gives the
    /// invoice its unguessable token if it has none, and enqueues the email
    /// in the same transaction (the worker delivers it and records when and
    /// to whom it went).
    ///
    /// # Errors
    /// See [`SendInvoiceError`].
    pub async fn send(&self, who: &Principal, id: InvoiceId) -> Result<InvoiceView, SendInvoiceError> {
        let writer = who.writer("send invoices")?;
        let uow = self.store.begin().await?;
        let mut invoice = uow
            .invoices()
            .get_for_update(writer.tenant(), id)
            .await?
            .ok_or(SendInvoiceError::NotFound)?;
        if matches!(invoice.status, InvoiceStatus::Draft | InvoiceStatus::Void) {
            return Err(SendInvoiceError::NotSendable);
        }
        let client = uow
            .clients()
            .get(writer.tenant(), invoice.content.client_id)
            .await?
            .ok_or(SendInvoiceError::NotFound)?;
        if client.details.email.is_none() {
            return Err(SendInvoiceError::NoRecipient);
        }
        issuing::ensure_public_token(uow.as_ref(), self.tokens.as_ref(), &mut invoice).await?;
        let key = format!("invoice-email:{}:{}", invoice.id, self.ids.new_uuid());
        let effect = Effect::SendInvoiceEmail { invoice_id: invoice.id };
        issuing::enqueue(
            uow.as_ref(),
            self.ids.as_ref(),
            self.clock.as_ref(),
            writer.tenant(),
            effect,
            key,
        )
        .await?;
        let today = today(self.clock.as_ref(), &issuer(uow.as_ref(), writer.tenant()).await?);
        uow.commit().await?;
        let overdue = invoice.is_overdue(today);
        Ok(InvoiceView { invoice, overdue })
    }

    /// The client's view of an invoice, by its public token. Drafts are never
    /// shown, whatever the token.
    ///
    /// # Errors
    /// [`PublicInvoiceError::NotFound`] for unknown tokens and drafts alike.
    pub async fn public_view(&self, token: &str) -> Result<PublicInvoice, PublicInvoiceError> {
        let uow = self.store.begin().await?;
        let invoice = public_invoice(uow.as_ref(), token)
            .await?
            .ok_or(PublicInvoiceError::NotFound)?;
        let organization = issuer(uow.as_ref(), invoice.tenant_id).await?;
        let client = uow
            .clients()
            .get(invoice.tenant_id, invoice.content.client_id)
            .await?
            .ok_or(PublicInvoiceError::NotFound)?;
        let overdue = invoice.is_overdue(today(self.clock.as_ref(), &organization));
        Ok(PublicInvoice {
            invoice: InvoiceView { invoice, overdue },
            organization,
            client,
        })
    }

    /// The payment reminders of an invoice: what was sent, when, to whom.
    ///
    /// # Errors
    /// See [`ListRemindersError`].
    pub async fn reminders(&self, who: &Principal, id: InvoiceId) -> Result<Vec<InvoiceReminder>, ListRemindersError> {
        let tenant = who.reader().tenant();
        let uow = self.store.begin().await?;
        if uow.invoices().get(tenant, id).await?.is_none() {
            return Err(ListRemindersError::NotFound);
        }
        Ok(uow.reminders().for_invoice(tenant, id).await?)
    }
}

fn unknown_client() -> ValidationErrors {
    ValidationErrors::single("client_id", "not_found", "no such client")
}

fn amount_overflow(error: &MoneyError) -> ValidationErrors {
    ValidationErrors::single("lines", "out_of_range", format!("an amount {error}"))
}

/// The invoice behind a public link: `None` for a malformed or unknown
/// token, a draft, or an invoice kept only under legal hold after an
/// erasure (shown to the organization, no longer to whoever holds the link).
pub(super) async fn public_invoice(uow: &dyn InvoicingUnit, token: &str) -> Result<Option<Invoice>, RepositoryError> {
    if token.len() < 16 || token.len() > 64 {
        return Ok(None);
    }
    Ok(uow
        .invoices()
        .find_by_public_token(token)
        .await?
        .filter(|invoice| invoice.public_link_token() == Some(token) && !invoice.hold.restricted))
}

#[cfg(test)]
mod tests;
