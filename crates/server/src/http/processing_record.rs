//! The organization's record of processing activities (GDPR Art. 30), for
//! its owner: as JSON, and as a PDF to hand to an authority.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use fakturo_domain::privacy::processing_record::{ProcessingActivity, ProcessingRecord, RecordParty};
use poem_openapi::payload::{Binary, Json};
use poem_openapi::{ApiResponse, Object, OpenApi};

use super::auth::Auth;
use super::documents::failure;
use super::problem::ApiError;
use super::{ApiTags, AppState};
use crate::documents::processing_record;

pub struct ProcessingRecordApi {
    state: Arc<AppState>,
}

impl ProcessingRecordApi {
    pub fn new(state: Arc<AppState>) -> Self {
        Self { state }
    }
}

/// A controller or processor.
#[derive(Object)]
struct PartyView {
    name: String,
    /// The postal address, one line per element.
    address: Vec<String>,
    /// Where data-protection questions go.
    contact: Option<String>,
}

/// One processing activity: a data category and why it is processed.
#[derive(Object)]
struct ActivityView {
    /// The data category, such as `accounting_records`, or the consent purpose.
    category: String,
    purpose: String,
    /// The legal basis under GDPR Art. 6.
    legal_basis: String,
    data_subjects: Vec<String>,
    /// The personal data as `table.column` of the data map.
    personal_data: Vec<String>,
    /// How long it is kept.
    retention: String,
}

/// A recipient of the data: a sub-processor.
#[derive(Object)]
struct RecipientView {
    name: String,
    purpose: String,
    data_categories: Vec<String>,
    location: String,
    transfer_safeguard: String,
}

/// A record of processing activities.
#[derive(Object)]
struct ProcessingRecordView {
    /// `organization` (here) or `operator`.
    perspective: String,
    generated_at: DateTime<Utc>,
    controller: PartyView,
    /// The operator, processing for the organization (Art. 28).
    processor: Option<PartyView>,
    activities: Vec<ActivityView>,
    recipients: Vec<RecipientView>,
    /// Transfers to third countries and their safeguards.
    transfers: Vec<String>,
    /// The technical and organisational measures (Art. 32).
    security_measures: Vec<String>,
}

#[derive(ApiResponse)]
enum RecordPdf {
    /// The record as a PDF.
    #[oai(status = 200, content_type = "application/pdf")]
    File(
        Binary<Vec<u8>>,
        #[oai(header = "Content-Disposition")] String,
        #[oai(header = "Cache-Control")] String,
    ),
}

fn party(p: RecordParty) -> PartyView {
    PartyView {
        name: p.name,
        address: p.address,
        contact: p.contact,
    }
}

fn activity(a: ProcessingActivity) -> ActivityView {
    ActivityView {
        category: a.category,
        purpose: a.purpose,
        legal_basis: a.legal_basis,
        data_subjects: a.data_subjects,
        personal_data: a.personal_data,
        retention: a.retention,
    }
}

fn view(record: ProcessingRecord) -> ProcessingRecordView {
    ProcessingRecordView {
        perspective: record.perspective,
        generated_at: record.generated_at,
        controller: party(record.controller),
        processor: record.processor.map(party),
        activities: record.activities.into_iter().map(activity).collect(),
        recipients: record
            .recipients
            .into_iter()
            .map(|r| RecipientView {
                name: r.name,
                purpose: r.purpose,
                data_categories: r.data_categories,
                location: r.location,
                transfer_safeguard: r.transfer_safeguard,
            })
            .collect(),
        transfers: record.transfers,
        security_measures: record.security_measures,
    }
}

#[OpenApi(prefix_path = "/api/v1", tag = "ApiTags::Privacy")]
impl ProcessingRecordApi {
    /// The organization's record of processing activities (owner only),
    /// generated from the data map, the retention rules and the
    /// sub-processor register.
    #[oai(
        path = "/privacy/processing-record",
        method = "get",
        operation_id = "get_processing_record"
    )]
    async fn get(&self, auth: Auth) -> Result<Json<ProcessingRecordView>, ApiError> {
        let who = self.state.authenticate(auth).await?;
        let record = self
            .state
            .services
            .processing_record
            .for_organization(&who.principal)
            .await?;
        Ok(Json(view(record)))
    }

    /// The same record as a PDF, laid out like the invoices (owner only).
    #[oai(
        path = "/privacy/processing-record/pdf",
        method = "get",
        operation_id = "processing_record_pdf"
    )]
    async fn pdf(&self, auth: Auth) -> Result<RecordPdf, ApiError> {
        let who = self.state.authenticate(auth).await?;
        let record = self
            .state
            .services
            .processing_record
            .for_organization(&who.principal)
            .await?;
        let name = format!(
            "attachment; filename=\"processing-record-{}.pdf\"",
            record.generated_at.format("%Y-%m-%d")
        );
        let bytes = processing_record::pdf(&record).await.map_err(failure)?;
        Ok(RecordPdf::File(Binary(bytes), name, "private, no-store".to_owned()))
    }
}
