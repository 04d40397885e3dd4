//! The record of processing activities as a PDF, laid out by the documents
//! crate's report template in the invoices' style.

use chrono::NaiveDate;
use fakturo_documents::{Report, ReportSection, ReportTable};
use fakturo_domain::privacy::processing_record::{ProcessingActivity, ProcessingRecord};

use super::{DocumentFailure, render_permit, renderer};

/// The record as a PDF.
///
/// # Errors
/// [`DocumentFailure::Render`] if typst fails; `Interrupted` if the task is cancelled.
pub async fn pdf(record: &ProcessingRecord) -> Result<Vec<u8>, DocumentFailure> {
    let report = report(record);
    let _permit = render_permit().await?;
    tokio::task::spawn_blocking(move || Ok(renderer()?.render_report(&report)?))
        .await
        .map_err(|_| DocumentFailure::Interrupted)?
}

fn activity_table(activities: &[ProcessingActivity]) -> ReportTable {
    ReportTable {
        header: [
            "Data category",
            "Purpose and legal basis",
            "Data subjects",
            "Personal data",
            "Kept",
        ]
        .map(str::to_owned)
        .to_vec(),
        rows: activities
            .iter()
            .map(|a| {
                vec![
                    a.category.replace('_', " "),
                    format!("{} — {}", a.purpose, a.legal_basis),
                    a.data_subjects.join("; "),
                    if a.personal_data.is_empty() {
                        "—".to_owned()
                    } else {
                        a.personal_data.join(", ")
                    },
                    a.retention.clone(),
                ]
            })
            .collect(),
    }
}

/// The record laid out as report sections.
#[must_use]
pub fn report(record: &ProcessingRecord) -> Report {
    let operator = record.perspective == "operator";
    let mut sections = Vec::new();
    let mut parties = vec![format!("Controller: {}", record.controller.name)];
    if let Some(contact) = &record.controller.contact {
        parties.push(format!("Data-protection contact: {contact}"));
    }
    if let Some(processor) = &record.processor {
        let mut line = format!("Processor (Art. 28): {}", processor.name);
        if !processor.address.is_empty() {
            line.push_str(&format!(", {}", processor.address.join(", ")));
        }
        if let Some(contact) = &processor.contact {
            line.push_str(&format!(", {contact}"));
        }
        parties.push(line);
    }
    sections.push(ReportSection {
        heading: "Parties".into(),
        paragraphs: parties,
        table: None,
    });
    sections.push(ReportSection {
        heading: if operator {
            "Processing as controller (Art. 30(1))".into()
        } else {
            "Processing activities (Art. 30(1))".into()
        },
        paragraphs: vec![
            "Generated from the data map of every stored column, its retention rule and its legal basis.".into(),
        ],
        table: Some(activity_table(&record.activities)),
    });
    if !record.on_behalf_of_organizations.is_empty() {
        sections.push(ReportSection {
            heading: "Processing on behalf of organizations (Art. 30(2))".into(),
            paragraphs: vec![
                "Each organization is the controller of this data; the operator processes it only on its instructions."
                    .into(),
            ],
            table: Some(activity_table(&record.on_behalf_of_organizations)),
        });
    }
    if !record.consent_purposes.is_empty() {
        sections.push(ReportSection {
            heading: "Processing that takes consent".into(),
            paragraphs: Vec::new(),
            table: Some(activity_table(&record.consent_purposes)),
        });
    }
    sections.push(ReportSection {
        heading: "Recipients (sub-processors)".into(),
        paragraphs: Vec::new(),
        table: Some(ReportTable {
            header: ["Recipient", "Purpose", "Data", "Location"].map(str::to_owned).to_vec(),
            rows: record
                .recipients
                .iter()
                .map(|r| {
                    vec![
                        r.name.clone(),
                        r.purpose.clone(),
                        r.data_categories.join(", "),
                        r.location.clone(),
                    ]
                })
                .collect(),
        }),
    });
    sections.push(ReportSection {
        heading: "Transfers to third countries".into(),
        paragraphs: if record.transfers.is_empty() {
            vec!["None.".into()]
        } else {
            record.transfers.clone()
        },
        table: None,
    });
    sections.push(ReportSection {
        heading: "Technical and organisational measures (Art. 32)".into(),
        paragraphs: record.security_measures.iter().map(|m| format!("• {m}")).collect(),
        table: None,
    });
    Report {
        title: "Record of processing activities".into(),
        author: record.controller.name.clone(),
        author_lines: record.controller.address.clone(),
        subtitle: Some(format!(
            "GDPR Art. 30 · generated {}",
            record.generated_at.format("%Y-%m-%d %H:%M UTC")
        )),
        issued_on: record.generated_at.date_naive().max(NaiveDate::MIN),
        sections,
    }
}
