//! The incident register's use cases. The operator opens, updates and
//! closes incidents, records the authority's notification, and notifies
//! the people affected: every user of each affected organization (its
//! owners told as owners), one queued service notice per person in the
//! same unit of work as the notice's record, so notifying again (or after
//! a crash) sends nobody a second notice. Owners of an affected
//! organization read the incidents that affect it.

use std::sync::Arc;

use uuid::Uuid;

use crate::access::user::{Forbidden, Principal, Role, User};
use crate::kernel::clock::Clock;
use crate::kernel::errors::{Unexpected, unexpected_from};
use crate::kernel::ids::IdGenerator;
use crate::kernel::pagination::{Page, PageRequest};
use crate::kernel::repository::RepositoryError;
use crate::kernel::validation::ValidationErrors;
use crate::messaging::outbox::Effect;
use crate::privacy::incidents::{
    AffectedTenants, Incident, IncidentChanges, IncidentDraft, IncidentNotice, IncidentRuleError, IncidentStatus,
    IncidentUpdate,
};
use crate::privacy::ports::{PrivacyStore, PrivacyUnit};
use crate::{IncidentId, TenantId};

/// An incident with what the register knows about it now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IncidentEntry {
    /// The incident.
    pub incident: Incident,
    /// Whether the authority is overdue now.
    pub overdue: bool,
}

/// An incident with its history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IncidentRecord {
    /// The incident and its overdue flag.
    pub entry: IncidentEntry,
    /// Its history, oldest first.
    pub history: Vec<IncidentUpdate>,
    /// How many people were given a notice.
    pub notices: u64,
}

/// What notifying the people affected did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NoticeRun {
    /// Notices queued now.
    pub queued: u64,
    /// People notified before, not again.
    pub already: u64,
}

/// Why an operator's change of the register failed.
#[derive(Debug, thiserror::Error)]
pub enum IncidentError {
    /// A field is invalid.
    #[error("invalid incident: {0}")]
    Invalid(ValidationErrors),
    /// No such incident.
    #[error("no such incident")]
    NotFound,
    /// The incident's rules refuse it.
    #[error(transparent)]
    Rule(IncidentRuleError),
    /// Storage failed.
    #[error(transparent)]
    Unexpected(Unexpected),
}

impl From<IncidentRuleError> for IncidentError {
    fn from(error: IncidentRuleError) -> Self {
        match error {
            IncidentRuleError::Invalid(errors) => Self::Invalid(errors),
            rule => Self::Rule(rule),
        }
    }
}

/// Why an owner could not read the register.
#[derive(Debug, thiserror::Error)]
pub enum ReadIncidentError {
    /// Only owners read it.
    #[error(transparent)]
    Forbidden(#[from] Forbidden),
    /// No such incident affects the organization.
    #[error("no such incident")]
    NotFound,
    /// Storage failed.
    #[error(transparent)]
    Unexpected(Unexpected),
}

unexpected_from!(IncidentError, ReadIncidentError);

/// Users read per page while notifying.
const SCAN_PAGE: u32 = 100;

/// The incident register's use cases.
#[derive(Clone)]
pub struct IncidentService {
    store: Arc<dyn PrivacyStore>,
    clock: Arc<dyn Clock>,
    ids: Arc<dyn IdGenerator>,
}

impl std::fmt::Debug for IncidentService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("IncidentService")
    }
}

impl IncidentService {
    /// The service on the privacy store.
    #[must_use]
    pub fn new(store: Arc<dyn PrivacyStore>, clock: Arc<dyn Clock>, ids: Arc<dyn IdGenerator>) -> Self {
        Self { store, clock, ids }
    }

    fn entry(&self, incident: Incident) -> IncidentEntry {
        let overdue = incident.overdue(self.clock.now());
        IncidentEntry { incident, overdue }
    }

    async fn record(&self, uow: &dyn PrivacyUnit, incident: Incident) -> Result<IncidentRecord, RepositoryError> {
        let history = uow.incidents().updates(incident.id).await?;
        let notices = uow.incidents().notices(incident.id).await?;
        Ok(IncidentRecord {
            entry: self.entry(incident),
            history,
            notices,
        })
    }

    /// Opens an incident (an operator task).
    ///
    /// # Errors
    /// [`IncidentError::Invalid`] for bad facts or an unknown organization.
    pub async fn open(&self, draft: IncidentDraft) -> Result<IncidentRecord, IncidentError> {
        let now = self.clock.now();
        let uow = self.store.begin().await?;
        let mut unknown = ValidationErrors::new();
        for tenant in &draft.tenants {
            if uow.organization(*tenant).await?.is_none() {
                unknown.add("tenants", "unknown_organization", format!("no organization {tenant}"));
            }
        }
        let id = IncidentId::from_uuid(self.ids.new_uuid());
        let (incident, opened) = match Incident::open(id, self.ids.new_uuid(), draft, now) {
            Err(mut errors) => {
                for error in unknown.errors() {
                    errors.add(error.field.clone(), error.code, error.message.clone());
                }
                return Err(IncidentError::Invalid(errors));
            }
            Ok(_) if !unknown.is_empty() => return Err(IncidentError::Invalid(unknown)),
            Ok(opened) => opened,
        };
        uow.incidents().insert(&incident).await?;
        uow.incidents().append_update(&opened).await?;
        let record = self.record(uow.as_ref(), incident).await?;
        uow.commit().await?;
        Ok(record)
    }

    async fn change(
        &self,
        id: IncidentId,
        apply: impl FnOnce(&mut Incident, Uuid) -> Result<IncidentUpdate, IncidentRuleError>,
    ) -> Result<IncidentRecord, IncidentError> {
        let uow = self.store.begin().await?;
        let mut incident = uow.incidents().get(id).await?.ok_or(IncidentError::NotFound)?;
        let update = apply(&mut incident, self.ids.new_uuid())?;
        if !uow.incidents().update(&incident).await? {
            return Err(IncidentError::NotFound);
        }
        uow.incidents().append_update(&update).await?;
        let record = self.record(uow.as_ref(), incident).await?;
        uow.commit().await?;
        Ok(record)
    }

    /// Changes an incident's facts, with the operator's note.
    ///
    /// # Errors
    /// See [`IncidentError`]; a closed incident is `Rule(Closed)`.
    pub async fn update(
        &self,
        id: IncidentId,
        changes: IncidentChanges,
        note: &str,
    ) -> Result<IncidentRecord, IncidentError> {
        let now = self.clock.now();
        self.change(id, |incident, update_id| incident.update(update_id, changes, note, now))
            .await
    }

    /// Records the authority's notification at `at` (now when `None`).
    ///
    /// # Errors
    /// See [`IncidentError`].
    pub async fn notify_authority(
        &self,
        id: IncidentId,
        at: Option<chrono::DateTime<chrono::Utc>>,
        reference: &str,
    ) -> Result<IncidentRecord, IncidentError> {
        let now = self.clock.now();
        self.change(id, |incident, update_id| {
            incident.notify_authority(update_id, at.unwrap_or(now), reference, now)
        })
        .await
    }

    /// Closes an incident whose authority was notified.
    ///
    /// # Errors
    /// See [`IncidentError`].
    pub async fn close(&self, id: IncidentId, note: &str) -> Result<IncidentRecord, IncidentError> {
        let now = self.clock.now();
        self.change(id, |incident, update_id| incident.close(update_id, note, now))
            .await
    }

    /// One incident with its history (the operator's view).
    ///
    /// # Errors
    /// [`IncidentError::NotFound`] or `Unexpected`.
    pub async fn show(&self, id: IncidentId) -> Result<IncidentRecord, IncidentError> {
        let uow = self.store.begin().await?;
        let incident = uow.incidents().get(id).await?.ok_or(IncidentError::NotFound)?;
        Ok(self.record(uow.as_ref(), incident).await?)
    }

    /// The register, newest first, each with its history.
    ///
    /// # Errors
    /// [`Unexpected`] when storage fails.
    pub async fn register(&self, limit: u32) -> Result<Vec<IncidentRecord>, Unexpected> {
        let uow = self.store.begin().await?;
        let mut records = Vec::new();
        for incident in uow.incidents().list(limit).await? {
            records.push(self.record(uow.as_ref(), incident).await?);
        }
        Ok(records)
    }

    /// Queues a service notice to every person the incident affects who
    /// was not notified of it before: every user of each affected
    /// organization. No consent gates it (Art. 34 makes it mandatory).
    ///
    /// # Errors
    /// See [`IncidentError`]; a closed incident is `Rule(Closed)`.
    pub async fn notify_people(&self, id: IncidentId) -> Result<NoticeRun, IncidentError> {
        let now = self.clock.now();
        let uow = self.store.begin().await?;
        let mut incident = uow.incidents().get(id).await?.ok_or(IncidentError::NotFound)?;
        if incident.status == IncidentStatus::Closed {
            return Err(IncidentRuleError::Closed.into());
        }
        let mut run = NoticeRun::default();
        match &incident.affected {
            AffectedTenants::All => {
                let mut after = None;
                loop {
                    let users = uow.scan_users(after, SCAN_PAGE).await?;
                    let Some(last) = users.last() else { break };
                    after = Some((last.tenant_id, last.id));
                    self.notify_users(uow.as_ref(), id, &users, &mut run).await?;
                }
            }
            AffectedTenants::Some(tenants) => {
                for tenant in tenants {
                    self.notify_tenant(uow.as_ref(), id, *tenant, &mut run).await?;
                }
            }
        }
        if run.queued > 0 {
            let update = incident.people_notified(self.ids.new_uuid(), run.queued, now)?;
            uow.incidents().update(&incident).await?;
            uow.incidents().append_update(&update).await?;
        }
        uow.commit().await?;
        Ok(run)
    }

    async fn notify_tenant(
        &self,
        uow: &dyn PrivacyUnit,
        id: IncidentId,
        tenant: TenantId,
        run: &mut NoticeRun,
    ) -> Result<(), RepositoryError> {
        let mut page = PageRequest {
            limit: SCAN_PAGE,
            after: None,
        };
        loop {
            let found = uow.users(tenant, page).await?;
            self.notify_users(uow, id, &found.items, run).await?;
            let Some(cursor) = found.next_cursor else {
                return Ok(());
            };
            page = PageRequest::new(Some(SCAN_PAGE), Some(&cursor))
                .map_err(|_| RepositoryError::Corrupt("a user page's cursor".into()))?;
        }
    }

    async fn notify_users(
        &self,
        uow: &dyn PrivacyUnit,
        id: IncidentId,
        users: &[User],
        run: &mut NoticeRun,
    ) -> Result<(), RepositoryError> {
        let now = self.clock.now();
        for user in users {
            let notice = IncidentNotice {
                tenant_id: user.tenant_id,
                incident_id: id,
                user_id: user.id,
                as_owner: user.role == Role::Owner,
                queued_at: now,
            };
            if !uow.incidents().record_notice(&notice).await? {
                run.already += 1;
                continue;
            }
            super::enqueue(
                uow,
                self.clock.as_ref(),
                self.ids.as_ref(),
                user.tenant_id,
                Effect::SendIncidentNotice {
                    incident_id: id,
                    user_id: user.id,
                },
                format!("incident-notice:{id}:{}", user.id),
            )
            .await?;
            run.queued += 1;
        }
        Ok(())
    }

    /// A page of the incidents that affect the owner's organization.
    ///
    /// # Errors
    /// [`ReadIncidentError::Forbidden`] for anyone but an owner.
    pub async fn list_for(&self, who: &Principal, page: PageRequest) -> Result<Page<IncidentEntry>, ReadIncidentError> {
        let tenant = who.owner("read the incident register")?.tenant();
        let uow = self.store.begin().await?;
        let found = uow.incidents().list_for_tenant(tenant, page).await?;
        Ok(found.map(|incident| self.entry(incident)))
    }

    /// One incident that affects the owner's organization, with its history.
    ///
    /// # Errors
    /// [`ReadIncidentError::Forbidden`] for anyone but an owner, `NotFound`
    /// for an incident that does not affect the organization.
    pub async fn get_for(&self, who: &Principal, id: IncidentId) -> Result<IncidentRecord, ReadIncidentError> {
        let tenant = who.owner("read the incident register")?.tenant();
        let uow = self.store.begin().await?;
        let incident = uow
            .incidents()
            .get_for_tenant(tenant, id)
            .await?
            .ok_or(ReadIncidentError::NotFound)?;
        let history = uow.incidents().updates(id).await?;
        Ok(IncidentRecord {
            entry: self.entry(incident),
            history,
            notices: 0,
        })
    }

    /// Every incident that affects the organization, with its history: the
    /// register's part in the organization's export.
    ///
    /// # Errors
    /// [`Unexpected`] when storage fails.
    pub async fn exported(&self, tenant: TenantId) -> Result<Vec<IncidentRecord>, Unexpected> {
        let uow = self.store.begin().await?;
        let mut records = Vec::new();
        let mut page = PageRequest {
            limit: SCAN_PAGE,
            after: None,
        };
        loop {
            let found = uow.incidents().list_for_tenant(tenant, page).await?;
            for incident in found.items {
                let history = uow.incidents().updates(incident.id).await?;
                records.push(IncidentRecord {
                    entry: self.entry(incident),
                    history,
                    notices: 0,
                });
            }
            let Some(cursor) = found.next_cursor else {
                return Ok(records);
            };
            page = PageRequest::new(Some(SCAN_PAGE), Some(&cursor))
                .map_err(|_| RepositoryError::Corrupt("an incident page's cursor".into()))?;
        }
    }
}
