//! Invoice use cases: drafts, finalization with gap-free numbers, payments.

use super::issuing::{self, FinalizeFailure};
use super::{Ports, organization, today};
use crate::access::user::{Forbidden, Principal};
use crate::invoicing::client::Client;
use crate::invoicing::invoice::payment::{Payment, PaymentFields, PaymentInput, PaymentRuleError};
use crate::invoicing::invoice::{FinalizeRuleError, Invoice, InvoiceContent, InvoiceFields, InvoiceStatus};
use crate::invoicing::ports::InvoiceFilter;
use crate::invoicing::reminders::InvoiceReminder;
use crate::kernel::errors::{Unexpected, unexpected_from};
use crate::kernel::money::MoneyError;
use crate::kernel::pagination::{Page, PageRequest};
use crate::kernel::repository::RepositoryError;
use crate::kernel::validation::ValidationErrors;
use crate::messaging::outbox::Effect;
use crate::ports::UnitOfWork;
use crate::privacy::retention::StatutoryPeriods;
use crate::tenancy::Organization;
use crate::{ClientId, InvoiceId, PaymentId};

/// An invoice as the tenant sees it today.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvoiceView {
    /// The invoice.
    pub invoice: Invoice,
    /// Unpaid after its due date, reckoned in the tenant's time zone.
    pub overdue: bool,
}

/// List filters as the caller gives them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct InvoiceQuery {
    /// Only this status.
    pub status: Option<InvoiceStatus>,
    /// Only this client.
    pub client_id: Option<ClientId>,
    /// `Some(true)`: only overdue invoices; `Some(false)`: only those not overdue.
    pub overdue: Option<bool>,
}

/// Why an invoice could not be created.
#[derive(Debug, thiserror::Error)]
pub enum CreateInvoiceError {
    /// The role may not write.
    #[error(transparent)]
    Forbidden(#[from] Forbidden),
    /// Invalid fields (including an unknown client).
    #[error("invalid invoice: {0}")]
    Invalid(ValidationErrors),
    /// Storage failed.
    #[error(transparent)]
    Unexpected(Unexpected),
}

/// Why an invoice could not be read.
#[derive(Debug, thiserror::Error)]
pub enum GetInvoiceError {
    /// No such invoice in the tenant.
    #[error("no such invoice")]
    NotFound,
    /// Storage failed.
    #[error(transparent)]
    Unexpected(Unexpected),
}

/// Why invoices could not be listed.
#[derive(Debug, thiserror::Error)]
pub enum ListInvoicesError {
    /// Storage failed.
    #[error(transparent)]
    Unexpected(Unexpected),
}

/// Why a draft could not be changed.
#[derive(Debug, thiserror::Error)]
pub enum UpdateInvoiceError {
    /// The role may not write.
    #[error(transparent)]
    Forbidden(#[from] Forbidden),
    /// No such invoice in the tenant.
    #[error("no such invoice")]
    NotFound,
    /// Finalized invoices are immutable.
    #[error("the invoice is finalized and can no longer be changed")]
    NotDraft,
    /// Invalid fields.
    #[error("invalid invoice: {0}")]
    Invalid(ValidationErrors),
    /// Storage failed.
    #[error(transparent)]
    Unexpected(Unexpected),
}

/// Why a draft could not be deleted.
#[derive(Debug, thiserror::Error)]
pub enum DeleteInvoiceError {
    /// The role may not write.
    #[error(transparent)]
    Forbidden(#[from] Forbidden),
    /// No such invoice in the tenant.
    #[error("no such invoice")]
    NotFound,
    /// Finalized invoices are kept; void them with a credit note.
    #[error("the invoice is finalized and cannot be deleted")]
    NotDraft,
    /// A finalized invoice inside its statutory retention period.
    #[error(
        "finalized invoices must be kept until {until} ({years} years from the end of the year of issue in {country}); \
         void it with a credit note instead"
    )]
    LegalHold {
        /// The last day it must be kept.
        until: chrono::NaiveDate,
        /// The statutory years.
        years: u32,
        /// The organization's country.
        country: &'static str,
    },
    /// Storage failed.
    #[error(transparent)]
    Unexpected(Unexpected),
}

/// Why a draft could not be finalized.
#[derive(Debug, thiserror::Error)]
pub enum FinalizeInvoiceError {
    /// The role may not write.
    #[error(transparent)]
    Forbidden(#[from] Forbidden),
    /// No such invoice in the tenant.
    #[error("no such invoice")]
    NotFound,
    /// Already finalized.
    #[error("the invoice is already finalized")]
    NotDraft,
    /// Missing lines, negative total or inconsistent dates.
    #[error("the invoice is not ready to be finalized: {0}")]
    Incomplete(ValidationErrors),
    /// The series' next number is already used (the pattern was changed so
    /// that two series render the same numbers). Nothing was written.
    #[error("the number {0} is already used")]
    NumberTaken(String),
    /// Storage failed.
    #[error(transparent)]
    Unexpected(Unexpected),
}

/// Why a payment could not be recorded.
#[derive(Debug, thiserror::Error)]
pub enum RecordPaymentError {
    /// The role may not write.
    #[error(transparent)]
    Forbidden(#[from] Forbidden),
    /// No such invoice in the tenant.
    #[error("no such invoice")]
    NotFound,
    /// Invalid fields.
    #[error("invalid payment: {0}")]
    Invalid(ValidationErrors),
    /// The invoice cannot take this payment.
    #[error(transparent)]
    Rule(#[from] PaymentRuleError),
    /// Storage failed.
    #[error(transparent)]
    Unexpected(Unexpected),
}

/// Why an invoice could not be sent.
#[derive(Debug, thiserror::Error)]
pub enum SendInvoiceError {
    /// The role may not write.
    #[error(transparent)]
    Forbidden(#[from] Forbidden),
    /// No such invoice in the tenant.
    #[error("no such invoice")]
    NotFound,
    /// Drafts are not legal documents yet; void invoices are cancelled.
    #[error("only finalized invoices that are not void can be sent")]
    NotSendable,
    /// The client has no email address.
    #[error("the client has no email address; add one to send the invoice")]
    NoRecipient,
    /// Storage failed.
    #[error(transparent)]
    Unexpected(Unexpected),
}

/// Why the reminders of an invoice could not be listed.
#[derive(Debug, thiserror::Error)]
pub enum ListRemindersError {
    /// No such invoice in the tenant.
    #[error("no such invoice")]
    NotFound,
    /// Storage failed.
    #[error(transparent)]
    Unexpected(Unexpected),
}

/// Why a public invoice page could not be shown.
#[derive(Debug, thiserror::Error)]
pub enum PublicInvoiceError {
    /// No finalized invoice has this token.
    #[error("no such invoice")]
    NotFound,
    /// Storage failed.
    #[error(transparent)]
    Unexpected(Unexpected),
}

/// What the client's public page shows.
#[derive(Clone, Debug)]
pub struct PublicInvoice {
    /// The invoice.
    pub invoice: InvoiceView,
    /// The issuer.
    pub organization: Organization,
    /// The client invoiced.
    pub client: Client,
}

unexpected_from!(SendInvoiceError, ListRemindersError, PublicInvoiceError);

unexpected_from!(
    CreateInvoiceError,
    GetInvoiceError,
    ListInvoicesError,
    UpdateInvoiceError,
    DeleteInvoiceError,
    FinalizeInvoiceError,
    RecordPaymentError,
);

/// Invoice use cases.
#[derive(Clone, Debug)]
pub struct InvoiceService {
    ports: Ports,
    statutory: StatutoryPeriods,
}

impl InvoiceService {
    /// The service on `ports`, keeping finalized invoices for the `statutory` periods.
    #[must_use]
    pub fn new(ports: Ports, statutory: StatutoryPeriods) -> Self {
        Self { ports, statutory }
    }

    /// Creates a draft. Without a currency, the client's currency is used,
    /// else the organization's default.
    ///
    /// # Errors
    /// See [`CreateInvoiceError`].
    pub async fn create(&self, who: &Principal, mut fields: InvoiceFields) -> Result<InvoiceView, CreateInvoiceError> {
        let writer = who.writer("create invoices")?;
        let uow = self.ports.store.begin().await?;
        let organization = organization(uow.as_ref(), writer.tenant()).await?;
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
        let now = self.ports.clock.now();
        let invoice = Invoice::draft(
            InvoiceId::from_uuid(self.ports.ids.new_uuid()),
            writer.tenant(),
            content,
            now,
        )
        .map_err(|e| CreateInvoiceError::Invalid(amount_overflow(&e)))?;
        uow.invoices().insert(&invoice).await?;
        uow.commit().await?;
        let overdue = invoice.is_overdue(today(&self.ports, &organization));
        Ok(InvoiceView { invoice, overdue })
    }

    /// One invoice.
    ///
    /// # Errors
    /// See [`GetInvoiceError`].
    pub async fn get(&self, who: &Principal, id: InvoiceId) -> Result<InvoiceView, GetInvoiceError> {
        let tenant = who.reader().tenant();
        let uow = self.ports.store.begin().await?;
        let invoice = uow.invoices().get(tenant, id).await?.ok_or(GetInvoiceError::NotFound)?;
        let today = today(&self.ports, &organization(uow.as_ref(), tenant).await?);
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
        let uow = self.ports.store.begin().await?;
        let today = today(&self.ports, &organization(uow.as_ref(), tenant).await?);
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
        let uow = self.ports.store.begin().await?;
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
            .replace_content(content, self.ports.clock.now())
            .map_err(|error| match error {
                FinalizeRuleError::NotDraft => UpdateInvoiceError::NotDraft,
                FinalizeRuleError::Incomplete(errors) => UpdateInvoiceError::Invalid(errors),
            })?;
        match uow.invoices().update_draft(&invoice).await {
            Err(RepositoryError::Conflict) => return Err(UpdateInvoiceError::NotDraft),
            other => other?,
        }
        let today = today(&self.ports, &organization(uow.as_ref(), writer.tenant()).await?);
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
        let uow = self.ports.store.begin().await?;
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
            let org = organization(uow.as_ref(), writer.tenant()).await?;
            let today = today(&self.ports, &org);
            let until = super::statutory_hold_end(uow.as_ref(), &self.statutory, &org, &invoice, today).await?;
            let until = invoice.hold.until.map_or(until, |held| until.max(held));
            if today <= until {
                return Err(DeleteInvoiceError::LegalHold {
                    until,
                    years: self.statutory.years(org.country),
                    country: org.country.code(),
                });
            }
            uow.data_rights().delete_held_invoice(writer.tenant(), id).await?;
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
        let writer = who.writer("finalize invoices")?;
        let uow = self.ports.store.begin().await?;
        let mut invoice = uow
            .invoices()
            .get_for_update(writer.tenant(), id)
            .await?
            .ok_or(FinalizeInvoiceError::NotFound)?;
        let organization = organization(uow.as_ref(), writer.tenant()).await?;
        let today = today(&self.ports, &organization);
        let now = self.ports.clock.now();
        issuing::finalize(uow.as_ref(), &mut invoice, &organization, today, now)
            .await
            .map_err(|failure| match failure {
                FinalizeFailure::Rule(FinalizeRuleError::NotDraft) => FinalizeInvoiceError::NotDraft,
                FinalizeFailure::Rule(FinalizeRuleError::Incomplete(errors)) => {
                    FinalizeInvoiceError::Incomplete(errors)
                }
                FinalizeFailure::Store(error) => error.into(),
            })?;
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
        let uow = self.ports.store.begin().await?;
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
        issuing::ensure_public_token(uow.as_ref(), &self.ports, &mut invoice).await?;
        let key = format!("invoice-email:{}:{}", invoice.id, self.ports.ids.new_uuid());
        let effect = Effect::SendInvoiceEmail { invoice_id: invoice.id };
        issuing::enqueue(uow.as_ref(), &self.ports, writer.tenant(), effect, key).await?;
        let today = today(&self.ports, &organization(uow.as_ref(), writer.tenant()).await?);
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
        let uow = self.ports.store.begin().await?;
        let invoice = public_invoice(uow.as_ref(), token)
            .await?
            .ok_or(PublicInvoiceError::NotFound)?;
        let organization = organization(uow.as_ref(), invoice.tenant_id).await?;
        let client = uow
            .clients()
            .get(invoice.tenant_id, invoice.content.client_id)
            .await?
            .ok_or(PublicInvoiceError::NotFound)?;
        let overdue = invoice.is_overdue(today(&self.ports, &organization));
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
        let uow = self.ports.store.begin().await?;
        if uow.invoices().get(tenant, id).await?.is_none() {
            return Err(ListRemindersError::NotFound);
        }
        Ok(uow.reminders().for_invoice(tenant, id).await?)
    }

    /// Records a payment and updates the invoice's status.
    ///
    /// # Errors
    /// See [`RecordPaymentError`].
    pub async fn record_payment(
        &self,
        who: &Principal,
        id: InvoiceId,
        fields: PaymentFields,
    ) -> Result<(Payment, InvoiceView), RecordPaymentError> {
        let writer = who.writer("record payments")?;
        let uow = self.ports.store.begin().await?;
        let mut invoice = uow
            .invoices()
            .get_for_update(writer.tenant(), id)
            .await?
            .ok_or(RecordPaymentError::NotFound)?;
        let today = today(&self.ports, &organization(uow.as_ref(), writer.tenant()).await?);
        let input =
            PaymentInput::parse(fields, invoice.content.currency, today).map_err(RecordPaymentError::Invalid)?;
        let now = self.ports.clock.now();
        invoice.apply_payment(input.amount, now)?;
        let payment = Payment {
            id: PaymentId::from_uuid(self.ports.ids.new_uuid()),
            tenant_id: writer.tenant(),
            invoice_id: invoice.id,
            amount: input.amount,
            paid_on: input.paid_on,
            method: input.method,
            reference: input.reference,
            created_at: now,
        };
        record(uow.as_ref(), &invoice, &payment).await?;
        // Clients who received the invoice by email get a receipt the same way.
        if invoice.delivery.sent_at.is_some() {
            let effect = Effect::SendPaymentReceipt {
                invoice_id: invoice.id,
                payment_id: payment.id,
            };
            let key = format!("payment-receipt:{}", payment.id);
            issuing::enqueue(uow.as_ref(), &self.ports, writer.tenant(), effect, key).await?;
        }
        uow.commit().await?;
        let overdue = invoice.is_overdue(today);
        Ok((payment, InvoiceView { invoice, overdue }))
    }
}

async fn record(uow: &dyn UnitOfWork, invoice: &Invoice, payment: &Payment) -> Result<(), RecordPaymentError> {
    match uow.invoices().record_payment(invoice, payment).await {
        // The row lock makes this unreachable on PostgreSQL and SQLite alike;
        // should it happen, the caller may simply retry.
        Err(RepositoryError::Conflict) => Err(RecordPaymentError::Unexpected(RepositoryError::Conflict.into())),
        other => Ok(other?),
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
pub(super) async fn public_invoice(uow: &dyn UnitOfWork, token: &str) -> Result<Option<Invoice>, RepositoryError> {
    if token.len() < 16 || token.len() > 64 {
        return Ok(None);
    }
    Ok(uow
        .invoices()
        .find_by_public_token(token)
        .await?
        .filter(|invoice| invoice.status != InvoiceStatus::Draft && !invoice.hold.restricted))
}
