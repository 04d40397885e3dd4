//! The consent ledger, analytics, policy versions, privacy requests and
//! public submissions on the memory store, with the semantics of the SQL
//! adapter: ids and natural keys unique, lists newest first with cursors,
//! a confirmation token confirms once.

use std::collections::{BTreeMap, BTreeSet};

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};

use super::{MemoryUnit, duplicate, newest_first, take};
use crate::kernel::email::EmailAddress;
use crate::kernel::pagination::{Page, PageRequest};
use crate::kernel::repository::RepositoryError;
use crate::kernel::tokens::TokenDigest;
use crate::privacy::consent::{AnalyticsEvent, ConsentEvent};
use crate::privacy::policies::{PolicyAcceptance, PolicyKind, PolicyVersion};
use crate::privacy::ports::{
    AnalyticsRepository, ConsentRepository, PolicyRepository, PrivacyRequestFilter, PrivacyRequestRepository,
    PrivacySubmissionRepository, SubmissionConfirmation,
};
use crate::privacy::requests::{OperatorPrivacyRequest, PrivacyRequest, PrivacyRequestEvent, PrivacySubmission};
use crate::{ClientId, PrivacyRequestId, PrivacySubmissionId, TenantId, UserId};

#[async_trait]
impl ConsentRepository for MemoryUnit {
    async fn append(&self, event: &ConsentEvent) -> Result<(), RepositoryError> {
        let mut state = self.state();
        if state.consents.iter().any(|e| e.id == event.id) {
            return Err(duplicate("consent_events_pkey"));
        }
        state.consents.push(event.clone());
        Ok(())
    }

    async fn latest(&self, tenant: TenantId, user: UserId) -> Result<Vec<ConsentEvent>, RepositoryError> {
        let mut latest: BTreeMap<_, ConsentEvent> = BTreeMap::new();
        for event in self
            .state()
            .consents
            .iter()
            .filter(|e| e.tenant_id == tenant && e.user_id == user)
        {
            let newer = latest
                .get(&event.purpose)
                .is_none_or(|seen| (event.occurred_at, event.id) > (seen.occurred_at, seen.id));
            if newer {
                latest.insert(event.purpose, event.clone());
            }
        }
        Ok(latest.into_values().collect())
    }

    async fn history(
        &self,
        tenant: TenantId,
        user: UserId,
        page: PageRequest,
    ) -> Result<Page<ConsentEvent>, RepositoryError> {
        let events = self
            .state()
            .consents
            .iter()
            .filter(|e| e.tenant_id == tenant && e.user_id == user)
            .cloned()
            .collect();
        Ok(newest_first(events, page, |e| e.id.as_uuid()))
    }
}

#[async_trait]
impl AnalyticsRepository for MemoryUnit {
    async fn insert(&self, event: &AnalyticsEvent) -> Result<(), RepositoryError> {
        self.state().analytics.push(event.clone());
        Ok(())
    }

    async fn count(&self, name: &str, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<u64, RepositoryError> {
        let n = self
            .state()
            .analytics
            .iter()
            .filter(|e| e.name.as_str() == name && e.hour >= from && e.hour < to)
            .count();
        Ok(u64::try_from(n).unwrap_or(u64::MAX))
    }
}

#[async_trait]
impl PolicyRepository for MemoryUnit {
    async fn insert(&self, version: &PolicyVersion) -> Result<(), RepositoryError> {
        let mut state = self.state();
        if state
            .policies
            .iter()
            .any(|p| p.kind == version.kind && p.version == version.version)
        {
            return Err(duplicate("policy_versions_pkey"));
        }
        state.policies.push(version.clone());
        Ok(())
    }

    async fn get(&self, kind: PolicyKind, version: &str) -> Result<Option<PolicyVersion>, RepositoryError> {
        Ok(self
            .state()
            .policies
            .iter()
            .find(|p| p.kind == kind && p.version == version)
            .cloned())
    }

    async fn in_force(&self, kind: PolicyKind, now: DateTime<Utc>) -> Result<Option<PolicyVersion>, RepositoryError> {
        Ok(self
            .state()
            .policies
            .iter()
            .filter(|p| p.kind == kind && p.effective_at <= now)
            .max_by_key(|p| (p.effective_at, p.published_at))
            .cloned())
    }

    async fn upcoming(&self, kind: PolicyKind, now: DateTime<Utc>) -> Result<Option<PolicyVersion>, RepositoryError> {
        Ok(self
            .state()
            .policies
            .iter()
            .filter(|p| p.kind == kind && p.effective_at > now)
            .min_by_key(|p| (p.effective_at, p.published_at))
            .cloned())
    }

    async fn newest(&self, kind: PolicyKind) -> Result<Option<PolicyVersion>, RepositoryError> {
        Ok(self
            .state()
            .policies
            .iter()
            .filter(|p| p.kind == kind)
            .max_by_key(|p| (p.effective_at, p.published_at))
            .cloned())
    }

    async fn record_acceptance(&self, acceptance: &PolicyAcceptance) -> Result<bool, RepositoryError> {
        let mut state = self.state();
        let seen = state.acceptances.iter().any(|a| {
            a.tenant_id == acceptance.tenant_id
                && a.user_id == acceptance.user_id
                && a.kind == acceptance.kind
                && a.version == acceptance.version
        });
        if seen {
            return Ok(false);
        }
        state.acceptances.push(acceptance.clone());
        Ok(true)
    }

    async fn acceptance(
        &self,
        tenant: TenantId,
        user: UserId,
        kind: PolicyKind,
        version: &str,
    ) -> Result<Option<PolicyAcceptance>, RepositoryError> {
        Ok(self
            .state()
            .acceptances
            .iter()
            .find(|a| a.tenant_id == tenant && a.user_id == user && a.kind == kind && a.version == version)
            .cloned())
    }
}

#[async_trait]
impl PrivacyRequestRepository for MemoryUnit {
    async fn insert(&self, request: &PrivacyRequest) -> Result<(), RepositoryError> {
        let mut state = self.state();
        if state.requests.keys().any(|(_, id)| *id == request.id) {
            return Err(duplicate("privacy_requests_pkey"));
        }
        state.requests.insert((request.tenant_id, request.id), request.clone());
        Ok(())
    }

    async fn get(&self, tenant: TenantId, id: PrivacyRequestId) -> Result<Option<PrivacyRequest>, RepositoryError> {
        Ok(self.state().requests.get(&(tenant, id)).cloned())
    }

    async fn list(
        &self,
        tenant: TenantId,
        filter: PrivacyRequestFilter,
        page: PageRequest,
    ) -> Result<Page<PrivacyRequest>, RepositoryError> {
        let found = self
            .state()
            .requests
            .values()
            .filter(|r| r.tenant_id == tenant)
            .filter(|r| filter.status.is_none_or(|s| r.status == s))
            .filter(|r| {
                filter
                    .overdue
                    .is_none_or(|(overdue, today)| r.is_overdue(today) == overdue)
            })
            .cloned()
            .collect();
        Ok(newest_first(found, page, |r| r.id.as_uuid()))
    }

    async fn update(&self, request: &PrivacyRequest) -> Result<bool, RepositoryError> {
        Ok(match self.state().requests.get_mut(&(request.tenant_id, request.id)) {
            Some(stored) => {
                *stored = request.clone();
                true
            }
            None => false,
        })
    }

    async fn append_event(&self, event: &PrivacyRequestEvent) -> Result<(), RepositoryError> {
        let mut state = self.state();
        if state.request_events.iter().any(|e| e.id == event.id) {
            return Err(duplicate("privacy_request_events_pkey"));
        }
        state.request_events.push(event.clone());
        Ok(())
    }

    async fn events(
        &self,
        tenant: TenantId,
        id: PrivacyRequestId,
    ) -> Result<Vec<PrivacyRequestEvent>, RepositoryError> {
        let mut events: Vec<PrivacyRequestEvent> = self
            .state()
            .request_events
            .iter()
            .filter(|e| e.tenant_id == tenant && e.request_id == id)
            .cloned()
            .collect();
        events.sort_by_key(|e| (e.at, e.id));
        Ok(events)
    }

    async fn tenants_with_open_due_before(&self, date: NaiveDate) -> Result<Vec<TenantId>, RepositoryError> {
        let tenants: BTreeSet<TenantId> = self
            .state()
            .requests
            .values()
            .filter(|r| r.status.is_open() && r.due_on < date)
            .map(|r| r.tenant_id)
            .collect();
        Ok(tenants.into_iter().collect())
    }
}

#[async_trait]
impl PrivacySubmissionRepository for MemoryUnit {
    async fn insert(&self, submission: &PrivacySubmission) -> Result<(), RepositoryError> {
        let mut state = self.state();
        if state.submissions.contains_key(&submission.id) {
            return Err(duplicate("privacy_submissions_pkey"));
        }
        state.submissions.insert(submission.id, submission.clone());
        Ok(())
    }

    async fn get(&self, id: PrivacySubmissionId) -> Result<Option<PrivacySubmission>, RepositoryError> {
        Ok(self.state().submissions.get(&id).cloned())
    }

    async fn set_token(&self, id: PrivacySubmissionId, digest: &TokenDigest) -> Result<bool, RepositoryError> {
        let mut state = self.state();
        if state
            .submissions
            .values()
            .any(|s| s.id != id && s.token_digest.as_ref() == Some(digest))
        {
            return Err(duplicate("privacy_submissions_token_digest_key"));
        }
        Ok(match state.submissions.get_mut(&id) {
            Some(submission) => {
                submission.token_digest = Some(digest.clone());
                true
            }
            None => false,
        })
    }

    async fn confirm(
        &self,
        digest: &TokenDigest,
        now: DateTime<Utc>,
    ) -> Result<SubmissionConfirmation, RepositoryError> {
        let mut state = self.state();
        let Some(submission) = state
            .submissions
            .values_mut()
            .find(|s| s.token_digest.as_ref() == Some(digest))
        else {
            return Ok(SubmissionConfirmation::Unknown);
        };
        if submission.confirmed_at.is_some() {
            return Ok(SubmissionConfirmation::AlreadyConfirmed);
        }
        if submission.expires_at <= now {
            return Ok(SubmissionConfirmation::Expired);
        }
        submission.confirmed_at = Some(now);
        Ok(SubmissionConfirmation::Confirmed(submission.clone()))
    }

    async fn delete_expired(&self, cutoff: DateTime<Utc>) -> Result<u64, RepositoryError> {
        let mut state = self.state();
        let before = state.submissions.len();
        state.submissions.retain(|_, s| s.expires_at >= cutoff);
        Ok(u64::try_from(before - state.submissions.len()).unwrap_or(u64::MAX))
    }

    async fn clients_with_email(&self, email: &EmailAddress) -> Result<Vec<(TenantId, ClientId)>, RepositoryError> {
        let wanted = email.normalized();
        Ok(self
            .state()
            .clients
            .iter()
            .filter(|(_, c)| c.details.email.as_ref().is_some_and(|e| e.normalized() == wanted))
            .map(|(key, _)| *key)
            .collect())
    }

    async fn insert_operator_case(&self, case: &OperatorPrivacyRequest) -> Result<(), RepositoryError> {
        let mut state = self.state();
        if state.operator_cases.iter().any(|c| c.id == case.id) {
            return Err(duplicate("operator_privacy_requests_pkey"));
        }
        state.operator_cases.push(case.clone());
        Ok(())
    }

    async fn operator_cases(&self, limit: u32) -> Result<Vec<OperatorPrivacyRequest>, RepositoryError> {
        let mut cases = self.state().operator_cases.clone();
        cases.sort_by_key(|c| std::cmp::Reverse((c.received_at, c.id)));
        cases.truncate(take(limit));
        Ok(cases)
    }
}
