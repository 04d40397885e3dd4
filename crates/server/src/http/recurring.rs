//! Recurring invoices: schedules that issue finalized invoices on their dates.

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use fakturo_domain::invoicing::recurring::RecurringInvoice;
use fakturo_domain::invoicing::services::RecurringFields;
use fakturo_domain::{ClientId, RecurringInvoiceId};
use poem_openapi::param::{Header, Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::types::MaybeUndefined;
use poem_openapi::{ApiResponse, Enum, Object, OpenApi};
use uuid::Uuid;

use super::auth::Auth;
use super::decimal::DecimalString;
use super::invoices::{LineInput, line_fields, patch};
use super::pagination::page_request;
use super::problem::ApiError;
use super::{ApiTags, AppState};

pub struct RecurringApi {
    state: Arc<AppState>,
}

impl RecurringApi {
    pub fn new(state: Arc<AppState>) -> Self {
        Self { state }
    }
}

/// How often invoices are issued.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[oai(rename_all = "snake_case")]
enum FrequencyDto {
    Weekly,
    Monthly,
    Quarterly,
    Yearly,
}

impl FrequencyDto {
    fn as_str(self) -> &'static str {
        match self {
            Self::Weekly => "weekly",
            Self::Monthly => "monthly",
            Self::Quarterly => "quarterly",
            Self::Yearly => "yearly",
        }
    }
}

/// The content of each generated invoice.
#[derive(Object, Clone)]
#[oai(deny_unknown_fields)]
struct TemplateInput {
    /// ISO 4217; default: the client's currency, else the organization's.
    currency: Option<String>,
    /// The lines of each invoice.
    lines: Vec<LineInput>,
    /// Notes printed on each invoice.
    notes: Option<String>,
    /// Days from issue to due date; default: the organization's terms.
    payment_terms_days: Option<u32>,
}

/// A new recurring invoice.
#[derive(Object, Clone)]
#[oai(deny_unknown_fields)]
struct RecurringCreate {
    client_id: Uuid,
    template: TemplateInput,
    frequency: FrequencyDto,
    /// Units of `frequency` between issues; default 1.
    interval: Option<u32>,
    /// The first issue date and the anchor of every later one (a schedule
    /// from the 31st issues on the last day of shorter months).
    start_date: NaiveDate,
    /// Stop after this many invoices.
    end_after_count: Option<u32>,
    /// Issue nothing after this date.
    end_on: Option<NaiveDate>,
    /// Email each invoice to the client when issued.
    auto_send: bool,
}

/// Changes to a recurring invoice's template, absent fields kept.
#[derive(Object, Clone)]
#[oai(deny_unknown_fields)]
struct TemplatePatch {
    currency: Option<String>,
    lines: Option<Vec<LineInput>>,
    notes: MaybeUndefined<String>,
    payment_terms_days: MaybeUndefined<u32>,
}

/// Changes to a recurring invoice: absent fields are kept, `null` clears.
#[derive(Object, Clone)]
#[oai(deny_unknown_fields)]
struct RecurringPatch {
    client_id: Option<Uuid>,
    template: Option<TemplatePatch>,
    frequency: Option<FrequencyDto>,
    interval: Option<u32>,
    start_date: Option<NaiveDate>,
    end_after_count: MaybeUndefined<u32>,
    end_on: MaybeUndefined<NaiveDate>,
    auto_send: Option<bool>,
}

/// One template line.
#[derive(Object)]
struct TemplateLineView {
    description: String,
    quantity: DecimalString,
    unit_price: DecimalString,
    tax_rate: DecimalString,
    discount_percent: DecimalString,
    product_id: Option<Uuid>,
}

/// The content of each generated invoice.
#[derive(Object)]
struct TemplateView {
    currency: String,
    lines: Vec<TemplateLineView>,
    notes: Option<String>,
    payment_terms_days: Option<u32>,
}

/// A recurring invoice.
#[derive(Object)]
struct RecurringView {
    id: Uuid,
    client_id: Uuid,
    template: TemplateView,
    frequency: FrequencyDto,
    interval: u32,
    start_date: NaiveDate,
    end_after_count: Option<u32>,
    end_on: Option<NaiveDate>,
    auto_send: bool,
    /// `active`, `paused` or `completed`.
    status: String,
    /// The next invoice's issue date; `null` when paused or completed.
    next_issue_date: Option<NaiveDate>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

/// A page of recurring invoices, newest first.
#[derive(Object)]
struct RecurringList {
    data: Vec<RecurringView>,
    next_cursor: Option<String>,
}

#[derive(ApiResponse)]
enum RecurringCreated {
    /// The new schedule.
    #[oai(status = 201)]
    Created(Json<RecurringView>),
}

#[derive(ApiResponse)]
enum RecurringDeleted {
    /// The schedule is gone; the invoices it issued stay.
    #[oai(status = 204)]
    Deleted,
}

fn view(r: RecurringInvoice) -> RecurringView {
    let frequency = match r.schedule.frequency {
        fakturo_domain::invoicing::recurring::Frequency::Weekly => FrequencyDto::Weekly,
        fakturo_domain::invoicing::recurring::Frequency::Monthly => FrequencyDto::Monthly,
        fakturo_domain::invoicing::recurring::Frequency::Quarterly => FrequencyDto::Quarterly,
        fakturo_domain::invoicing::recurring::Frequency::Yearly => FrequencyDto::Yearly,
    };
    RecurringView {
        id: r.id.as_uuid(),
        client_id: r.client_id.as_uuid(),
        next_issue_date: r.next_issue_date(),
        template: TemplateView {
            currency: r.template.currency.code().to_owned(),
            lines: r
                .template
                .lines
                .iter()
                .map(|line| TemplateLineView {
                    description: line.description.clone(),
                    quantity: line.quantity.to_string().into(),
                    unit_price: line.unit_price.to_string().into(),
                    tax_rate: line.tax_rate.to_string().into(),
                    discount_percent: line.discount_percent.to_string().into(),
                    product_id: line.product_id,
                })
                .collect(),
            notes: r.template.notes,
            payment_terms_days: r.template.payment_terms_days,
        },
        frequency,
        interval: r.schedule.interval,
        start_date: r.schedule.start_date,
        end_after_count: r.schedule.end_after_count,
        end_on: r.schedule.end_on,
        auto_send: r.auto_send,
        status: r.status.as_str().to_owned(),
        created_at: r.created_at,
        updated_at: r.updated_at,
    }
}

#[OpenApi(prefix_path = "/api/v1", tag = "ApiTags::Recurring")]
impl RecurringApi {
    /// Create a recurring invoice.
    #[oai(
        path = "/recurring-invoices",
        method = "post",
        operation_id = "create_recurring_invoice"
    )]
    async fn create(
        &self,
        auth: Auth,
        /// Makes retries safe: a repeat with the same key and body returns the first response.
        #[oai(name = "Idempotency-Key")]
        idempotency_key: Header<Option<String>>,
        body: Json<RecurringCreate>,
    ) -> Result<RecurringCreated, ApiError> {
        let who = self.state.authenticate(auth).await?;
        let request = body.0;
        let created = self
            .state
            .idempotent(
                who.principal.tenant_id,
                idempotency_key.0,
                "POST /recurring-invoices",
                &request,
                || async {
                    let request = request.clone();
                    let fields = RecurringFields {
                        client_id: Some(ClientId::from_uuid(request.client_id)),
                        currency: request.template.currency,
                        lines: Some(line_fields(request.template.lines)),
                        notes: Some(request.template.notes),
                        payment_terms_days: Some(request.template.payment_terms_days),
                        frequency: Some(request.frequency.as_str().to_owned()),
                        interval: request.interval,
                        start_date: Some(request.start_date),
                        end_after_count: Some(request.end_after_count),
                        end_on: Some(request.end_on),
                        auto_send: Some(request.auto_send),
                    };
                    let created = self.state.services.recurring.create(&who.principal, fields).await?;
                    Ok(view(created))
                },
            )
            .await?;
        Ok(RecurringCreated::Created(Json(created)))
    }

    /// List recurring invoices, newest first.
    #[oai(
        path = "/recurring-invoices",
        method = "get",
        operation_id = "list_recurring_invoices"
    )]
    async fn list(
        &self,
        auth: Auth,
        /// Page size, 1 to 100 (default 50).
        #[oai(validator(minimum(value = "1"), maximum(value = "100")))]
        limit: Query<Option<u32>>,
        /// The `next_cursor` of the previous page.
        cursor: Query<Option<String>>,
    ) -> Result<Json<RecurringList>, ApiError> {
        let who = self.state.authenticate(auth).await?;
        let page = page_request(limit.0, cursor.0.as_deref())?;
        let found = self.state.services.recurring.list(&who.principal, page).await?;
        Ok(Json(RecurringList {
            data: found.items.into_iter().map(view).collect(),
            next_cursor: found.next_cursor,
        }))
    }

    /// Get a recurring invoice.
    #[oai(
        path = "/recurring-invoices/:id",
        method = "get",
        operation_id = "get_recurring_invoice"
    )]
    async fn get(&self, auth: Auth, id: Path<Uuid>) -> Result<Json<RecurringView>, ApiError> {
        let who = self.state.authenticate(auth).await?;
        let found = self
            .state
            .services
            .recurring
            .get(&who.principal, RecurringInvoiceId::from_uuid(id.0))
            .await?;
        Ok(Json(view(found)))
    }

    /// Change a recurring invoice's template or schedule.
    #[oai(
        path = "/recurring-invoices/:id",
        method = "patch",
        operation_id = "update_recurring_invoice"
    )]
    async fn update(
        &self,
        auth: Auth,
        id: Path<Uuid>,
        body: Json<RecurringPatch>,
    ) -> Result<Json<RecurringView>, ApiError> {
        let who = self.state.authenticate(auth).await?;
        let request = body.0;
        let template = request.template;
        let fields = RecurringFields {
            client_id: request.client_id.map(ClientId::from_uuid),
            currency: template.as_ref().and_then(|t| t.currency.clone()),
            lines: template.as_ref().and_then(|t| t.lines.clone()).map(line_fields),
            notes: template.as_ref().and_then(|t| patch(t.notes.clone())),
            payment_terms_days: template.as_ref().and_then(|t| patch(t.payment_terms_days)),
            frequency: request.frequency.map(|f| f.as_str().to_owned()),
            interval: request.interval,
            start_date: request.start_date,
            end_after_count: patch(request.end_after_count),
            end_on: patch(request.end_on),
            auto_send: request.auto_send,
        };
        let updated = self
            .state
            .services
            .recurring
            .update(&who.principal, RecurringInvoiceId::from_uuid(id.0), fields)
            .await?;
        Ok(Json(view(updated)))
    }

    /// Delete a recurring invoice; the invoices it issued stay.
    #[oai(
        path = "/recurring-invoices/:id",
        method = "delete",
        operation_id = "delete_recurring_invoice"
    )]
    async fn delete(&self, auth: Auth, id: Path<Uuid>) -> Result<RecurringDeleted, ApiError> {
        let who = self.state.authenticate(auth).await?;
        self.state
            .services
            .recurring
            .delete(&who.principal, RecurringInvoiceId::from_uuid(id.0))
            .await?;
        Ok(RecurringDeleted::Deleted)
    }

    /// Pause a recurring invoice: nothing is issued until it is resumed.
    #[oai(
        path = "/recurring-invoices/:id/pause",
        method = "post",
        operation_id = "pause_recurring_invoice"
    )]
    async fn pause(&self, auth: Auth, id: Path<Uuid>) -> Result<Json<RecurringView>, ApiError> {
        let who = self.state.authenticate(auth).await?;
        let paused = self
            .state
            .services
            .recurring
            .pause(&who.principal, RecurringInvoiceId::from_uuid(id.0))
            .await?;
        Ok(Json(view(paused)))
    }

    /// Resume a paused recurring invoice from its next date on or after today.
    #[oai(
        path = "/recurring-invoices/:id/resume",
        method = "post",
        operation_id = "resume_recurring_invoice"
    )]
    async fn resume(&self, auth: Auth, id: Path<Uuid>) -> Result<Json<RecurringView>, ApiError> {
        let who = self.state.authenticate(auth).await?;
        let resumed = self
            .state
            .services
            .recurring
            .resume(&who.principal, RecurringInvoiceId::from_uuid(id.0))
            .await?;
        Ok(Json(view(resumed)))
    }
}
