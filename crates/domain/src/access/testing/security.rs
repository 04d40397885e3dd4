//! API tokens, single-use tokens, invitations, identities, throttles, the
//! audit log, integrations and idempotency records on the memory store's
//! unit of work, with the semantics of the SQL adapter.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::MemoryUnit;
use super::accounts::newest_first;
use crate::access::api_tokens::ApiToken;
use crate::access::audit::AuditEvent;
use crate::access::integrations::{Provider, StoredCredentials};
use crate::access::one_time_tokens::{OneTimeToken, Redemption, TokenPurpose};
use crate::access::ports::{
    ApiTokenRepository, AuditFilter, AuditRepository, ExternalIdentity, IdempotencyRecord, IdempotencyRepository,
    IdentityRepository, IntegrationRepository, InvitationRepository, OneTimeTokenRepository, ThrottleRepository,
};
use crate::access::team::Invitation;
use crate::access::throttle::{ThrottleKey, ThrottleState};
use crate::kernel::pagination::{Page, PageRequest};
use crate::kernel::repository::RepositoryError;
use crate::kernel::tokens::TokenDigest;
use crate::{ApiTokenId, InvitationId, TenantId, UserId};

fn duplicate(constraint: &str) -> RepositoryError {
    RepositoryError::Duplicate {
        constraint: constraint.into(),
    }
}

fn count(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

#[async_trait]
impl ApiTokenRepository for MemoryUnit {
    async fn insert(&self, token: &ApiToken) -> Result<(), RepositoryError> {
        let mut state = self.state();
        let key = (token.tenant_id, token.id);
        if state.api_tokens.contains_key(&key) {
            return Err(duplicate("api_tokens_pkey"));
        }
        if state.api_tokens.values().any(|t| t.token_digest == token.token_digest) {
            return Err(duplicate("api_tokens_token_digest_key"));
        }
        state.api_tokens.insert(key, token.clone());
        Ok(())
    }

    async fn find_active(&self, digest: &TokenDigest) -> Result<Option<ApiToken>, RepositoryError> {
        Ok(self
            .state()
            .api_tokens
            .values()
            .find(|t| t.token_digest == *digest && t.revoked_at.is_none())
            .cloned())
    }

    async fn get(&self, tenant: TenantId, id: ApiTokenId) -> Result<Option<ApiToken>, RepositoryError> {
        Ok(self.state().api_tokens.get(&(tenant, id)).cloned())
    }

    async fn list(
        &self,
        tenant: TenantId,
        user: Option<UserId>,
        page: PageRequest,
    ) -> Result<Page<ApiToken>, RepositoryError> {
        let all = self
            .state()
            .api_tokens
            .values()
            .filter(|t| t.tenant_id == tenant && user.is_none_or(|u| t.user_id == u))
            .cloned()
            .collect();
        Ok(newest_first(all, page, |t| t.id.as_uuid()))
    }

    async fn revoke(&self, tenant: TenantId, id: ApiTokenId, at: DateTime<Utc>) -> Result<bool, RepositoryError> {
        Ok(match self.state().api_tokens.get_mut(&(tenant, id)) {
            Some(token) if token.revoked_at.is_none() => {
                token.revoked_at = Some(at);
                true
            }
            _ => false,
        })
    }

    async fn revoke_all_for_user(
        &self,
        tenant: TenantId,
        user: UserId,
        at: DateTime<Utc>,
    ) -> Result<u64, RepositoryError> {
        let mut revoked = 0;
        for token in self.state().api_tokens.values_mut() {
            if token.tenant_id == tenant && token.user_id == user && token.revoked_at.is_none() {
                token.revoked_at = Some(at);
                revoked += 1;
            }
        }
        Ok(revoked)
    }

    async fn touch(&self, tenant: TenantId, id: ApiTokenId, at: DateTime<Utc>) -> Result<(), RepositoryError> {
        if let Some(token) = self.state().api_tokens.get_mut(&(tenant, id)) {
            token.last_used_at = Some(at);
        }
        Ok(())
    }
}

#[async_trait]
impl OneTimeTokenRepository for MemoryUnit {
    async fn insert(&self, token: &OneTimeToken) -> Result<(), RepositoryError> {
        let mut state = self.state();
        let key = token.digest.as_str().to_owned();
        if state.one_time_tokens.contains_key(&key) {
            return Err(duplicate("one_time_tokens_pkey"));
        }
        state.one_time_tokens.insert(key, token.clone());
        Ok(())
    }

    async fn redeem(
        &self,
        digest: &TokenDigest,
        purpose: TokenPurpose,
        now: DateTime<Utc>,
    ) -> Result<Redemption, RepositoryError> {
        let mut state = self.state();
        let Some(token) = state
            .one_time_tokens
            .get_mut(digest.as_str())
            .filter(|t| t.purpose == purpose)
        else {
            return Ok(Redemption::Unknown);
        };
        if token.used_at.is_some() {
            return Ok(Redemption::AlreadyUsed);
        }
        if token.expires_at <= now {
            return Ok(Redemption::Expired);
        }
        token.used_at = Some(now);
        Ok(Redemption::Redeemed(token.clone()))
    }

    async fn expire_for_user(
        &self,
        tenant: TenantId,
        user: UserId,
        purpose: TokenPurpose,
        now: DateTime<Utc>,
    ) -> Result<u64, RepositoryError> {
        let mut expired = 0;
        for token in self.state().one_time_tokens.values_mut() {
            if token.tenant_id == Some(tenant)
                && token.user_id == Some(user)
                && token.purpose == purpose
                && token.used_at.is_none()
            {
                token.used_at = Some(now);
                expired += 1;
            }
        }
        Ok(expired)
    }

    async fn delete_expired(&self, cutoff: DateTime<Utc>) -> Result<u64, RepositoryError> {
        let mut state = self.state();
        let before = state.one_time_tokens.len();
        state.one_time_tokens.retain(|_, t| t.expires_at >= cutoff);
        Ok(count(before - state.one_time_tokens.len()))
    }
}

#[async_trait]
impl InvitationRepository for MemoryUnit {
    async fn insert(&self, invitation: &Invitation) -> Result<(), RepositoryError> {
        let mut state = self.state();
        let key = (invitation.tenant_id, invitation.id);
        if state.invitations.contains_key(&key) {
            return Err(duplicate("invitations_pkey"));
        }
        state.invitations.insert(key, invitation.clone());
        Ok(())
    }

    async fn get(&self, tenant: TenantId, id: InvitationId) -> Result<Option<Invitation>, RepositoryError> {
        Ok(self.state().invitations.get(&(tenant, id)).cloned())
    }

    async fn find_by_token(&self, digest: &TokenDigest) -> Result<Option<Invitation>, RepositoryError> {
        Ok(self
            .state()
            .invitations
            .values()
            .find(|i| i.token_digest.as_ref() == Some(digest))
            .cloned())
    }

    async fn list(&self, tenant: TenantId, page: PageRequest) -> Result<Page<Invitation>, RepositoryError> {
        let all = self
            .state()
            .invitations
            .values()
            .filter(|i| i.tenant_id == tenant)
            .cloned()
            .collect();
        Ok(newest_first(all, page, |i| i.id.as_uuid()))
    }

    async fn update(&self, invitation: &Invitation) -> Result<bool, RepositoryError> {
        let mut state = self.state();
        let collides = invitation.token_digest.is_some()
            && state
                .invitations
                .values()
                .any(|other| other.id != invitation.id && other.token_digest == invitation.token_digest);
        if collides {
            return Err(duplicate("invitations_token_digest_key"));
        }
        Ok(
            match state.invitations.get_mut(&(invitation.tenant_id, invitation.id)) {
                Some(stored) => {
                    *stored = invitation.clone();
                    true
                }
                None => false,
            },
        )
    }
}

#[async_trait]
impl IdentityRepository for MemoryUnit {
    async fn find(&self, provider: &str, subject: &str) -> Result<Option<ExternalIdentity>, RepositoryError> {
        Ok(self
            .state()
            .identities
            .get(&(provider.to_owned(), subject.to_owned()))
            .cloned())
    }

    async fn insert(&self, identity: &ExternalIdentity) -> Result<(), RepositoryError> {
        let mut state = self.state();
        let key = (identity.provider.clone(), identity.subject.clone());
        if state.identities.contains_key(&key) {
            return Err(duplicate("external_identities_pkey"));
        }
        state.identities.insert(key, identity.clone());
        Ok(())
    }
}

fn throttle_key(key: &ThrottleKey) -> (String, String) {
    (key.subject.clone(), key.network.as_str().to_owned())
}

#[async_trait]
impl ThrottleRepository for MemoryUnit {
    async fn get(&self, key: &ThrottleKey) -> Result<ThrottleState, RepositoryError> {
        Ok(self
            .state()
            .throttles
            .get(&throttle_key(key))
            .cloned()
            .unwrap_or_default())
    }

    async fn save(&self, key: &ThrottleKey, state: &ThrottleState, _now: DateTime<Utc>) -> Result<(), RepositoryError> {
        self.state().throttles.insert(throttle_key(key), state.clone());
        Ok(())
    }

    async fn clear(&self, key: &ThrottleKey) -> Result<(), RepositoryError> {
        self.state().throttles.remove(&throttle_key(key));
        Ok(())
    }
}

#[async_trait]
impl AuditRepository for MemoryUnit {
    async fn append(&self, event: &AuditEvent) -> Result<(), RepositoryError> {
        self.state().audit.push(event.clone());
        Ok(())
    }

    async fn list(
        &self,
        tenant: TenantId,
        filter: AuditFilter,
        page: PageRequest,
    ) -> Result<Page<AuditEvent>, RepositoryError> {
        let about = |e: &AuditEvent, user: UserId| {
            e.actor.user_id == Some(user)
                || e.target
                    .as_ref()
                    .is_some_and(|t| t.kind == "user" && t.id == user.as_uuid())
        };
        let all = self
            .state()
            .audit
            .iter()
            .filter(|e| e.tenant_id == tenant)
            .filter(|e| filter.action.is_none_or(|a| e.action == a))
            .filter(|e| filter.user.is_none_or(|u| about(e, u)))
            .cloned()
            .collect();
        Ok(newest_first(all, page, |e| e.id.as_uuid()))
    }
}

#[async_trait]
impl IntegrationRepository for MemoryUnit {
    async fn get(&self, tenant: TenantId, provider: Provider) -> Result<Option<StoredCredentials>, RepositoryError> {
        Ok(self.state().integrations.get(&(tenant, provider.as_str())).cloned())
    }

    async fn save(&self, credentials: &StoredCredentials) -> Result<(), RepositoryError> {
        self.state().integrations.insert(
            (credentials.tenant_id, credentials.provider.as_str()),
            credentials.clone(),
        );
        Ok(())
    }

    async fn delete(&self, tenant: TenantId, provider: Provider) -> Result<bool, RepositoryError> {
        Ok(self.state().integrations.remove(&(tenant, provider.as_str())).is_some())
    }

    async fn scan(
        &self,
        after: Option<(TenantId, Provider)>,
        limit: u32,
    ) -> Result<Vec<StoredCredentials>, RepositoryError> {
        let after = after.map(|(tenant, provider)| (tenant, provider.as_str()));
        let limit = usize::try_from(limit).unwrap_or(usize::MAX);
        Ok(self
            .state()
            .integrations
            .iter()
            .filter(|(key, _)| after.is_none_or(|after| **key > after))
            .take(limit)
            .map(|(_, c)| c.clone())
            .collect())
    }
}

#[async_trait]
impl IdempotencyRepository for MemoryUnit {
    async fn try_insert(&self, record: &IdempotencyRecord) -> Result<bool, RepositoryError> {
        let mut state = self.state();
        let key = (record.tenant_id, record.key.clone());
        if state.idempotency.contains_key(&key) {
            return Ok(false);
        }
        state.idempotency.insert(key, record.clone());
        Ok(true)
    }

    async fn get(&self, tenant: TenantId, key: &str) -> Result<Option<IdempotencyRecord>, RepositoryError> {
        Ok(self.state().idempotency.get(&(tenant, key.to_owned())).cloned())
    }

    async fn take_over(
        &self,
        previous_start: DateTime<Utc>,
        replacement: &IdempotencyRecord,
    ) -> Result<bool, RepositoryError> {
        let mut state = self.state();
        Ok(
            match state
                .idempotency
                .get_mut(&(replacement.tenant_id, replacement.key.clone()))
            {
                Some(stored) if stored.started_at == previous_start => {
                    *stored = replacement.clone();
                    stored.response = None;
                    true
                }
                _ => false,
            },
        )
    }

    async fn complete(&self, tenant: TenantId, key: &str, response: &str) -> Result<(), RepositoryError> {
        if let Some(stored) = self.state().idempotency.get_mut(&(tenant, key.to_owned())) {
            stored.response = Some(response.to_owned());
        }
        Ok(())
    }

    async fn release(&self, tenant: TenantId, key: &str) -> Result<(), RepositoryError> {
        self.state().idempotency.remove(&(tenant, key.to_owned()));
        Ok(())
    }
}
