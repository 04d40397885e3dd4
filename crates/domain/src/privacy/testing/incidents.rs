//! The incident register on the memory store, with the SQL adapter's
//! semantics: ids unique, lists newest first, one notice per recipient.

use async_trait::async_trait;

use super::{MemoryUnit, duplicate, newest_first, take};
use crate::kernel::pagination::{Page, PageRequest};
use crate::kernel::repository::RepositoryError;
use crate::privacy::incidents::{Incident, IncidentNotice, IncidentUpdate};
use crate::privacy::ports::IncidentRepository;
use crate::{IncidentId, TenantId};

#[async_trait]
impl IncidentRepository for MemoryUnit {
    async fn insert(&self, incident: &Incident) -> Result<(), RepositoryError> {
        let mut state = self.state();
        if state.incidents.contains_key(&incident.id) {
            return Err(duplicate("incidents_pkey"));
        }
        state.incidents.insert(incident.id, incident.clone());
        Ok(())
    }

    async fn get(&self, id: IncidentId) -> Result<Option<Incident>, RepositoryError> {
        Ok(self.state().incidents.get(&id).cloned())
    }

    async fn list(&self, limit: u32) -> Result<Vec<Incident>, RepositoryError> {
        let mut all: Vec<Incident> = self.state().incidents.values().cloned().collect();
        all.sort_by_key(|incident| std::cmp::Reverse(incident.id));
        all.truncate(take(limit));
        Ok(all)
    }

    async fn update(&self, incident: &Incident) -> Result<bool, RepositoryError> {
        let mut state = self.state();
        let Some(stored) = state.incidents.get_mut(&incident.id) else {
            return Ok(false);
        };
        let affected = stored.affected.clone();
        *stored = incident.clone();
        stored.affected = affected;
        Ok(true)
    }

    async fn append_update(&self, update: &IncidentUpdate) -> Result<(), RepositoryError> {
        let mut state = self.state();
        if state.incident_updates.iter().any(|u| u.id == update.id) {
            return Err(duplicate("incident_updates_pkey"));
        }
        state.incident_updates.push(update.clone());
        Ok(())
    }

    async fn updates(&self, id: IncidentId) -> Result<Vec<IncidentUpdate>, RepositoryError> {
        Ok(self
            .state()
            .incident_updates
            .iter()
            .filter(|u| u.incident_id == id)
            .cloned()
            .collect())
    }

    async fn get_for_tenant(&self, tenant: TenantId, id: IncidentId) -> Result<Option<Incident>, RepositoryError> {
        Ok(self
            .state()
            .incidents
            .get(&id)
            .filter(|incident| incident.affected.includes(tenant))
            .cloned())
    }

    async fn list_for_tenant(&self, tenant: TenantId, page: PageRequest) -> Result<Page<Incident>, RepositoryError> {
        let affecting: Vec<Incident> = self
            .state()
            .incidents
            .values()
            .filter(|incident| incident.affected.includes(tenant))
            .cloned()
            .collect();
        Ok(newest_first(affecting, page, |incident| incident.id.as_uuid()))
    }

    async fn record_notice(&self, notice: &IncidentNotice) -> Result<bool, RepositoryError> {
        let mut state = self.state();
        let known = state
            .incident_notices
            .iter()
            .any(|n| n.incident_id == notice.incident_id && n.user_id == notice.user_id);
        if !known {
            state.incident_notices.push(notice.clone());
        }
        Ok(!known)
    }

    async fn notices(&self, id: IncidentId) -> Result<u64, RepositoryError> {
        let count = self
            .state()
            .incident_notices
            .iter()
            .filter(|n| n.incident_id == id)
            .count();
        Ok(u64::try_from(count).unwrap_or(u64::MAX))
    }
}
