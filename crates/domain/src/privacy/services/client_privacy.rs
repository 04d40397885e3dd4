//! A client's rights over their data, exercised through the tenant (the
//! controller): restriction of processing, objection, and erasure that
//! knows the law — what no law requires is deleted, what the statutory
//! retention of accounting records requires is kept, restricted, under a
//! legal hold with its end date, and deleted by the sweeper when the hold
//! ends. Owners and admins act; the outcome is recorded without the data.

use std::collections::BTreeSet;
use std::sync::Arc;

use chrono::NaiveDate;
use serde::Serialize;

use super::record;
use super::{organization, today};
use crate::ClientId;
use crate::access::Authenticated;
use crate::access::audit::{AuditAction, RequestOrigin};
use crate::access::user::Forbidden;
use crate::invoicing::client::{Client, ClientDetails};
use crate::invoicing::invoice::{InvoiceStatus, LegalHold};
use crate::kernel::clock::Clock;
use crate::kernel::errors::{Unexpected, unexpected_from};
use crate::kernel::files::FileStore;
use crate::kernel::ids::IdGenerator;
use crate::privacy::ConsentPurpose;
use crate::privacy::ports::ErasureRecord;
use crate::privacy::ports::PrivacyStore;
use crate::privacy::retention::StatutoryPeriods;
use crate::tenancy::Country;

/// One line of an erasure report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ErasedItem {
    /// What, such as `contact details` or `draft invoices`.
    pub what: String,
    /// How many records.
    pub count: u64,
}

/// What an erasure kept, why and until when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RetainedItem {
    /// What, such as `finalized invoices`.
    pub what: String,
    /// How many records.
    pub count: u64,
    /// The law that requires keeping them.
    pub legal_basis: String,
    /// The last day they are kept (the latest of them); deleted after it.
    pub until: NaiveDate,
}

/// The outcome of an erasure, as the requester is told and the record keeps it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ErasureReport {
    /// The record's id.
    pub erasure_id: uuid::Uuid,
    /// Deleted for good.
    pub deleted: Vec<ErasedItem>,
    /// Stripped of personal data.
    pub anonymized: Vec<ErasedItem>,
    /// Kept under legal hold, restricted.
    pub retained: Vec<RetainedItem>,
}

/// Why a client's privacy settings could not be changed.
#[derive(Debug, thiserror::Error)]
pub enum ClientPrivacyError {
    /// Only owners and admins act on privacy rights.
    #[error(transparent)]
    Forbidden(#[from] Forbidden),
    /// No such client.
    #[error("no such client")]
    NotFound,
    /// The client was erased already.
    #[error("the client's data was erased already")]
    AlreadyErased,
    /// Storage failed.
    #[error(transparent)]
    Unexpected(Unexpected),
}

unexpected_from!(ClientPrivacyError);

/// The legal basis for keeping accounting records in `country`.
#[must_use]
pub fn retention_basis(country: Country, years: u32) -> String {
    let law = match country.code() {
        "DE" => "§ 147 AO and § 14b UStG",
        "FR" => "art. L123-22 Code de commerce and art. L102 B LPF",
        "AT" => "§ 132 BAO",
        _ => "the statutory retention of accounting records",
    };
    format!("GDPR Art. 17(3)(b): {law} ({years} years from the end of the year of issue)")
}

/// Client privacy use cases.
#[derive(Clone)]
pub struct ClientPrivacyService {
    store: Arc<dyn PrivacyStore>,
    clock: Arc<dyn Clock>,
    ids: Arc<dyn IdGenerator>,
    files: Arc<dyn FileStore>,
    statutory: StatutoryPeriods,
}

impl ClientPrivacyService {
    /// The service on the privacy store with the deployment's statutory periods.
    #[must_use]
    pub fn new(
        store: Arc<dyn PrivacyStore>,
        clock: Arc<dyn Clock>,
        ids: Arc<dyn IdGenerator>,
        files: Arc<dyn FileStore>,
        statutory: StatutoryPeriods,
    ) -> Self {
        Self {
            store,
            clock,
            ids,
            files,
            statutory,
        }
    }

    /// The statutory periods in force.
    #[must_use]
    pub fn statutory(&self) -> &StatutoryPeriods {
        &self.statutory
    }

    /// Restricts (or lifts the restriction of) processing of a client's data:
    /// while restricted, no reminder, courtesy email, analytics or AI touches it.
    ///
    /// # Errors
    /// See [`ClientPrivacyError`].
    pub async fn set_restriction(
        &self,
        who: &Authenticated,
        id: ClientId,
        restricted: bool,
        origin: &RequestOrigin,
    ) -> Result<Client, ClientPrivacyError> {
        self.change(who, id, origin, "restriction", |client| {
            client.privacy.restricted = restricted;
            if restricted { "restricted" } else { "lifted" }
        })
        .await
    }

    /// Records the client's objections: to consent-based purposes, and to
    /// reminders and courtesy emails (`contact`). Replaces earlier ones.
    ///
    /// # Errors
    /// See [`ClientPrivacyError`].
    pub async fn set_objections(
        &self,
        who: &Authenticated,
        id: ClientId,
        purposes: BTreeSet<ConsentPurpose>,
        contact: bool,
        origin: &RequestOrigin,
    ) -> Result<Client, ClientPrivacyError> {
        self.change(who, id, origin, "objection", move |client| {
            client.privacy.objections = purposes;
            client.privacy.objects_to_contact = contact;
            "recorded"
        })
        .await
    }

    async fn change(
        &self,
        who: &Authenticated,
        id: ClientId,
        origin: &RequestOrigin,
        kind: &'static str,
        apply: impl FnOnce(&mut Client) -> &'static str,
    ) -> Result<Client, ClientPrivacyError> {
        let tenant = who.principal.manager("change a client's privacy settings")?.tenant();
        let uow = self.store.begin().await?;
        let mut client = uow.client(tenant, id).await?.ok_or(ClientPrivacyError::NotFound)?;
        let outcome = apply(&mut client);
        client.updated_at = self.clock.now();
        uow.update_client(&client).await?;
        record(
            uow.as_ref(),
            self.clock.as_ref(),
            self.ids.as_ref(),
            tenant,
            who.actor(),
            AuditAction::ProcessingRestricted,
            origin,
            |e| e.about("client", id.as_uuid()).with(kind, outcome),
        )
        .await?;
        uow.commit().await?;
        Ok(client)
    }

    /// Erases a client's personal data as far as the law allows. Drafts,
    /// reminders history and schedules are deleted; finalized invoices and
    /// their payments are kept, restricted, until the end of their statutory
    /// period; the client's record keeps only what those invoices need (or
    /// goes entirely when nothing is kept).
    ///
    /// # Errors
    /// See [`ClientPrivacyError`].
    pub async fn erase(
        &self,
        who: &Authenticated,
        id: ClientId,
        privacy_request_id: Option<uuid::Uuid>,
        origin: &RequestOrigin,
    ) -> Result<ErasureReport, ClientPrivacyError> {
        let tenant = who.principal.manager("erase a client's data")?.tenant();
        let now = self.clock.now();
        let uow = self.store.begin().await?;
        let org = organization(uow.as_ref(), tenant).await?;
        let mut client = uow.client(tenant, id).await?.ok_or(ClientPrivacyError::NotFound)?;
        if client.privacy.erased_at.is_some() {
            return Err(ClientPrivacyError::AlreadyErased);
        }
        let mut report = ErasureReport {
            erasure_id: self.ids.new_uuid(),
            ..ErasureReport::default()
        };
        let (mut drafts, mut reminders, mut kept, mut payments) = (0, 0, 0, 0);
        let mut until: Option<NaiveDate> = None;
        for invoice in uow.client_invoices(tenant, id).await? {
            reminders += uow.erasures().delete_reminders(tenant, invoice.id).await?;
            if invoice.status == InvoiceStatus::Draft {
                uow.delete_draft_invoice(tenant, invoice.id).await?;
                drafts += 1;
                continue;
            }
            let hold_until = super::statutory_hold_end(
                uow.as_ref(),
                &self.statutory,
                &org,
                &invoice,
                today(self.clock.as_ref(), &org),
            )
            .await?;
            uow.erasures()
                .set_hold(
                    tenant,
                    invoice.id,
                    LegalHold {
                        restricted: true,
                        until: Some(hold_until),
                    },
                )
                .await?;
            kept += 1;
            payments += uow.erasures().count_payments(tenant, invoice.id).await?;
            until = until.max(Some(hold_until));
        }
        let schedules = uow.client_schedules(tenant, id).await?;
        for schedule in &schedules {
            uow.delete_schedule(tenant, *schedule).await?;
        }
        let jobs = uow.delete_client_jobs(tenant, id).await?;
        let content = uow.remove_client_attachments(tenant, id).await?;
        push(&mut report.deleted, "jobs", jobs);
        push(&mut report.deleted, "notes", content.notes);
        push(
            &mut report.deleted,
            "files (records and stored bytes)",
            u64::try_from(content.files.len()).unwrap_or(u64::MAX),
        );
        push(&mut report.deleted, "draft invoices", drafts);
        push(&mut report.deleted, "payment reminders sent or planned", reminders);
        push(
            &mut report.deleted,
            "recurring invoices",
            u64::try_from(schedules.len()).unwrap_or(u64::MAX),
        );
        match until {
            Some(until) => {
                let basis = retention_basis(org.country, self.statutory.years(org.country));
                report.retained.push(RetainedItem {
                    what: "finalized invoices (with the buyer's name, address and tax id as issued)".into(),
                    count: kept,
                    legal_basis: basis.clone(),
                    until,
                });
                if payments > 0 {
                    report.retained.push(RetainedItem {
                        what: "payments recorded against them".into(),
                        count: payments,
                        legal_basis: basis,
                        until,
                    });
                }
                client.details = anonymized(&client.details, id);
                client.privacy.restricted = true;
                client.privacy.erased_at = Some(now);
                client.updated_at = now;
                uow.update_client(&client).await?;
                push(
                    &mut report.deleted,
                    "contact details (email, phone, address, tax id, language)",
                    1,
                );
                push(&mut report.anonymized, "client record (name replaced)", 1);
            }
            None => {
                uow.delete_client(tenant, id).await?;
                push(&mut report.deleted, "client record with its contact details", 1);
            }
        }
        let json = serde_json::to_string(&report).map_err(|e| Unexpected(Box::new(e)))?;
        uow.erasures()
            .insert_erasure(&ErasureRecord {
                id: report.erasure_id,
                tenant_id: tenant,
                client_id: id,
                privacy_request_id,
                performed_by: who.principal.user_id,
                performed_at: now,
                report: json,
            })
            .await?;
        record(
            uow.as_ref(),
            self.clock.as_ref(),
            self.ids.as_ref(),
            tenant,
            who.actor(),
            AuditAction::DataErased,
            origin,
            |e| {
                e.about("client", id.as_uuid())
                    .with("retained_invoices", &kept.to_string())
                    .with("deleted_drafts", &drafts.to_string())
            },
        )
        .await?;
        // The stored bytes go before the commit: if it fails, the records
        // are still there and a retry deletes them again, whereas bytes
        // deleted after an interrupted commit would stay unreferenced.
        for key in &content.files {
            self.files.delete(key).await.map_err(|e| Unexpected(Box::new(e)))?;
        }
        uow.commit().await?;
        Ok(report)
    }
}

fn push(items: &mut Vec<ErasedItem>, what: &str, count: u64) {
    if count > 0 {
        items.push(ErasedItem {
            what: what.to_owned(),
            count,
        });
    }
}

/// The client's details stripped of everything personal; the name becomes
/// a placeholder (the issued invoices keep the buyer as printed).
fn anonymized(details: &ClientDetails, id: ClientId) -> ClientDetails {
    let short: String = id.as_uuid().simple().to_string().chars().rev().take(6).collect();
    ClientDetails {
        name: format!("Erased client {short}"),
        email: None,
        phone: None,
        address: None,
        country: details.country,
        tax_id: None,
        currency: details.currency,
        locale: None,
        reminders_enabled: false,
    }
}
