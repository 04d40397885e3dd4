//! Invoices: drafts, finalization, payments.

mod types;

use std::sync::Arc;

use fakturo_domain::invoicing::invoice::payment::{Payment, PaymentFields};
use fakturo_domain::invoicing::invoice::{InvoiceFields, LineFields};
use fakturo_domain::invoicing::services::{InvoiceQuery, InvoiceView as DomainInvoiceView};
use fakturo_domain::{ClientId, InvoiceId};
use poem_openapi::OpenApi;
use poem_openapi::param::{Header, Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::types::MaybeUndefined;
use uuid::Uuid;

use super::auth::Auth;
use super::pagination::page_request;
use super::problem::ApiError;
use super::{ApiTags, AppState};
pub(super) use types::LineInput;
use types::{
    BuyerView, InvoiceCreate, InvoiceCreated, InvoiceDeleted, InvoiceList, InvoicePatch, InvoiceSending, InvoiceView,
    LineView, Method, PaymentCreate, PaymentCreated, PaymentList, PaymentRecorded, PaymentView, ReminderList,
    ReminderView, Status, TaxBreakdownView,
};

pub struct InvoicesApi {
    state: Arc<AppState>,
}

impl InvoicesApi {
    pub fn new(state: Arc<AppState>) -> Self {
        Self { state }
    }

    fn base(&self) -> &str {
        self.state.settings.http.public_base()
    }
}

fn view(found: DomainInvoiceView, public_base: &str) -> InvoiceView {
    let invoice = found.invoice;
    let totals = invoice.totals().clone();
    let lines = invoice
        .content
        .lines
        .iter()
        .zip(&totals.lines)
        .map(|(line, amounts)| LineView {
            description: line.description.clone(),
            quantity: line.quantity.to_string().into(),
            unit_price: line.unit_price.to_string().into(),
            tax_rate: line.tax_rate.to_string().into(),
            discount_percent: line.discount_percent.to_string().into(),
            product_id: line.product_id,
            net_amount: amounts.net.to_string().into(),
            tax_amount: amounts.tax.to_string().into(),
        })
        .collect();
    InvoiceView {
        id: invoice.id.as_uuid(),
        number: invoice.number.clone(),
        status: invoice.status.into(),
        client_id: invoice.content.client_id.as_uuid(),
        currency: invoice.content.currency.code().to_owned(),
        issue_date: invoice.content.issue_date,
        due_date: invoice.content.due_date,
        payment_terms_days: invoice.content.payment_terms_days,
        notes: invoice.content.notes.clone(),
        lines,
        tax_breakdown: totals
            .tax_breakdown
            .iter()
            .map(|group| TaxBreakdownView {
                tax_rate: group.rate.to_string().into(),
                taxable_amount: group.taxable.to_string().into(),
                tax_amount: group.tax.to_string().into(),
            })
            .collect(),
        subtotal: totals.subtotal.to_string().into(),
        tax_total: totals.tax_total.to_string().into(),
        total: totals.total.to_string().into(),
        amount_paid: invoice.amount_paid.to_string().into(),
        balance_due: invoice.balance_due().to_string().into(),
        overdue: found.overdue,
        public_url: invoice
            .public_link_token()
            .map(|token| format!("{public_base}/i/{token}")),
        sent_at: invoice.delivery.sent_at,
        sent_to: invoice.delivery.sent_to.clone(),
        buyer: invoice.buyer.as_ref().map(|b| BuyerView {
            name: b.name.clone(),
            address: b.address.clone(),
            country: b.country.clone(),
            tax_id: b.tax_id.clone(),
        }),
        restricted: invoice.hold.restricted,
        legal_hold_until: invoice.hold.until,
        finalized_at: invoice.finalized_at,
        created_at: invoice.created_at,
        updated_at: invoice.updated_at,
    }
}

fn payment_view(payment: &Payment) -> PaymentView {
    PaymentView {
        id: payment.id.as_uuid(),
        invoice_id: payment.invoice_id.as_uuid(),
        amount: payment.amount.to_string().into(),
        currency: payment.amount.currency().code().to_owned(),
        paid_on: payment.paid_on,
        method: match payment.method {
            fakturo_domain::invoicing::invoice::payment::PaymentMethod::BankTransfer => Method::BankTransfer,
            fakturo_domain::invoicing::invoice::payment::PaymentMethod::Card => Method::Card,
            fakturo_domain::invoicing::invoice::payment::PaymentMethod::Cash => Method::Cash,
            fakturo_domain::invoicing::invoice::payment::PaymentMethod::Cheque => Method::Cheque,
            fakturo_domain::invoicing::invoice::payment::PaymentMethod::Other => Method::Other,
        },
        reference: payment.reference.clone(),
        created_at: payment.created_at,
    }
}

pub(super) fn line_fields(lines: Vec<LineInput>) -> Vec<LineFields> {
    lines
        .into_iter()
        .map(|line| LineFields {
            description: line.description,
            quantity: line.quantity.0,
            unit_price: line.unit_price.0,
            tax_rate: line.tax_rate.0,
            discount_percent: line.discount_percent.map(|d| d.0),
            product_id: line.product_id,
        })
        .collect()
}

/// Absent keeps (`None`), `null` clears (`Some(None)`).
pub(super) fn patch<T>(value: MaybeUndefined<T>) -> Option<Option<T>> {
    match value {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => Some(None),
        MaybeUndefined::Value(v) => Some(Some(v)),
    }
}

#[OpenApi(prefix_path = "/api/v1", tag = "ApiTags::Invoices")]
impl InvoicesApi {
    /// Create a draft invoice.
    #[oai(path = "/invoices", method = "post", operation_id = "create_invoice")]
    async fn create(
        &self,
        auth: Auth,
        /// Makes retries safe: a repeat with the same key and body returns the first response.
        #[oai(name = "Idempotency-Key")]
        idempotency_key: Header<Option<String>>,
        body: Json<InvoiceCreate>,
    ) -> Result<InvoiceCreated, ApiError> {
        let who = self.state.authenticate(auth).await?;
        let request = body.0;
        let created = self
            .state
            .idempotent(
                who.principal.tenant_id,
                idempotency_key.0,
                "POST /invoices",
                &request,
                || async {
                    let request = request.clone();
                    let fields = InvoiceFields {
                        client_id: Some(ClientId::from_uuid(request.client_id)),
                        currency: request.currency,
                        issue_date: Some(request.issue_date),
                        due_date: Some(request.due_date),
                        payment_terms_days: Some(request.payment_terms_days),
                        notes: Some(request.notes),
                        lines: Some(line_fields(request.lines)),
                    };
                    let created = self.state.services.invoices.create(&who.principal, fields).await?;
                    Ok(view(created, self.base()))
                },
            )
            .await?;
        Ok(InvoiceCreated::Created(Json(created)))
    }

    /// List invoices, newest first.
    #[oai(path = "/invoices", method = "get", operation_id = "list_invoices")]
    async fn list(
        &self,
        auth: Auth,
        /// Only invoices with this status.
        status: Query<Option<Status>>,
        /// Only this client's invoices.
        client_id: Query<Option<Uuid>>,
        /// `true`: only overdue invoices; `false`: only those not overdue.
        overdue: Query<Option<bool>>,
        /// Page size, 1 to 100 (default 50).
        #[oai(validator(minimum(value = "1"), maximum(value = "100")))]
        limit: Query<Option<u32>>,
        /// The `next_cursor` of the previous page.
        cursor: Query<Option<String>>,
    ) -> Result<Json<InvoiceList>, ApiError> {
        let who = self.state.authenticate(auth).await?;
        let page = page_request(limit.0, cursor.0.as_deref())?;
        let query = InvoiceQuery {
            status: status.0.map(Into::into),
            client_id: client_id.0.map(ClientId::from_uuid),
            overdue: overdue.0,
        };
        let found = self.state.services.invoices.list(&who.principal, query, page).await?;
        Ok(Json(InvoiceList {
            data: found.items.into_iter().map(|i| view(i, self.base())).collect(),
            next_cursor: found.next_cursor,
        }))
    }

    /// Get an invoice with its computed totals.
    #[oai(path = "/invoices/:id", method = "get", operation_id = "get_invoice")]
    async fn get(&self, auth: Auth, id: Path<Uuid>) -> Result<Json<InvoiceView>, ApiError> {
        let who = self.state.authenticate(auth).await?;
        let found = self
            .state
            .services
            .invoices
            .get(&who.principal, InvoiceId::from_uuid(id.0))
            .await?;
        Ok(Json(view(found, self.base())))
    }

    /// Change a draft. Finalized invoices answer 409 `invoice_not_draft`.
    #[oai(path = "/invoices/:id", method = "patch", operation_id = "update_invoice")]
    async fn update(
        &self,
        auth: Auth,
        id: Path<Uuid>,
        body: Json<InvoicePatch>,
    ) -> Result<Json<InvoiceView>, ApiError> {
        let who = self.state.authenticate(auth).await?;
        let request = body.0;
        let fields = InvoiceFields {
            client_id: request.client_id.map(ClientId::from_uuid),
            currency: request.currency,
            issue_date: patch(request.issue_date),
            due_date: patch(request.due_date),
            payment_terms_days: patch(request.payment_terms_days),
            notes: patch(request.notes),
            lines: request.lines.map(line_fields),
        };
        let updated = self
            .state
            .services
            .invoices
            .update(&who.principal, InvoiceId::from_uuid(id.0), fields)
            .await?;
        Ok(Json(view(updated, self.base())))
    }

    /// Delete a draft. Finalized invoices answer 409 `invoice_not_draft`.
    #[oai(path = "/invoices/:id", method = "delete", operation_id = "delete_invoice")]
    async fn delete(&self, auth: Auth, id: Path<Uuid>) -> Result<InvoiceDeleted, ApiError> {
        let who = self.state.authenticate(auth).await?;
        self.state
            .services
            .invoices
            .delete(&who.principal, InvoiceId::from_uuid(id.0))
            .await?;
        Ok(InvoiceDeleted::Deleted)
    }

    /// Finalize a draft: assigns the next gap-free number of its series and
    /// freezes it. Beyond the plan's invoices per month: 402 `plan_limit_reached`.
    #[oai(path = "/invoices/:id/finalize", method = "post", operation_id = "finalize_invoice")]
    async fn finalize(&self, auth: Auth, id: Path<Uuid>) -> Result<Json<InvoiceView>, ApiError> {
        let who = self.state.authenticate(auth).await?;
        // The plan's monthly invoices (402 `plan_limit_reached`), checked again
        // inside the finalizing transaction; roles are checked by the service.
        let cap = match who.principal.writer("finalize invoices") {
            Ok(_) => {
                let billing = &self.state.services.billing;
                billing.invoice_cap(who.principal.tenant_id).await?
            }
            Err(_) => None,
        };
        let finalized = self
            .state
            .services
            .invoices
            .finalize_within(&who.principal, InvoiceId::from_uuid(id.0), cap)
            .await?;
        Ok(Json(view(finalized, self.base())))
    }

    /// Email the client a link to the invoice's public page.
    #[oai(path = "/invoices/:id/send", method = "post", operation_id = "send_invoice")]
    async fn send(&self, auth: Auth, id: Path<Uuid>) -> Result<InvoiceSending, ApiError> {
        let who = self.state.authenticate(auth).await?;
        let sent = self
            .state
            .services
            .invoices
            .send(&who.principal, InvoiceId::from_uuid(id.0))
            .await?;
        Ok(InvoiceSending::Accepted(Json(view(sent, self.base()))))
    }

    /// The payment reminders of an invoice: what was sent, when, to whom.
    #[oai(
        path = "/invoices/:id/reminders",
        method = "get",
        operation_id = "list_invoice_reminders"
    )]
    async fn reminders(&self, auth: Auth, id: Path<Uuid>) -> Result<Json<ReminderList>, ApiError> {
        let who = self.state.authenticate(auth).await?;
        let reminders = self
            .state
            .services
            .invoices
            .reminders(&who.principal, InvoiceId::from_uuid(id.0))
            .await?;
        Ok(Json(ReminderList {
            data: reminders
                .into_iter()
                .map(|r| ReminderView {
                    days_from_due: r.days_from_due,
                    due_on: r.due_on,
                    status: r.status.as_str().to_owned(),
                    recipient: r.recipient,
                    sent_at: r.sent_at,
                })
                .collect(),
        }))
    }

    /// The payments of an invoice, newest first: recorded by hand, paid
    /// online, and online refunds (negative amounts).
    #[oai(path = "/invoices/:id/payments", method = "get", operation_id = "list_payments")]
    async fn list_payments(
        &self,
        auth: Auth,
        id: Path<Uuid>,
        /// Page size, 1 to 100 (default 50).
        #[oai(validator(minimum(value = "1"), maximum(value = "100")))]
        limit: Query<Option<u32>>,
        /// The `next_cursor` of the previous page.
        cursor: Query<Option<String>>,
    ) -> Result<Json<PaymentList>, ApiError> {
        let who = self.state.authenticate(auth).await?;
        let page = page_request(limit.0, cursor.0.as_deref())?;
        let found = self
            .state
            .services
            .invoices
            .payments(&who.principal, InvoiceId::from_uuid(id.0), page)
            .await?;
        Ok(Json(PaymentList {
            data: found.items.iter().map(payment_view).collect(),
            next_cursor: found.next_cursor,
        }))
    }

    /// Record a payment; the invoice becomes `partially_paid` or `paid`.
    #[oai(path = "/invoices/:id/payments", method = "post", operation_id = "create_payment")]
    async fn create_payment(
        &self,
        auth: Auth,
        id: Path<Uuid>,
        /// Makes retries safe: a repeat with the same key and body returns the first response.
        #[oai(name = "Idempotency-Key")]
        idempotency_key: Header<Option<String>>,
        body: Json<PaymentCreate>,
    ) -> Result<PaymentCreated, ApiError> {
        let who = self.state.authenticate(auth).await?;
        let request = body.0;
        let operation = format!("POST /invoices/{}/payments", id.0);
        let recorded = self
            .state
            .idempotent(
                who.principal.tenant_id,
                idempotency_key.0,
                &operation,
                &request,
                || async {
                    let request = request.clone();
                    let fields = PaymentFields {
                        amount: request.amount.0,
                        paid_on: request.paid_on,
                        method: request.method.as_str().to_owned(),
                        reference: request.reference,
                    };
                    let (payment, invoice) = self
                        .state
                        .services
                        .invoices
                        .record_payment(&who.principal, InvoiceId::from_uuid(id.0), fields)
                        .await?;
                    Ok(PaymentRecorded {
                        payment: payment_view(&payment),
                        invoice: view(invoice, self.base()),
                    })
                },
            )
            .await?;
        Ok(PaymentCreated::Created(Json(recorded)))
    }
}
