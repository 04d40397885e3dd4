//! Users and sessions on the memory store's unit of work, with the
//! semantics of the SQL adapter: emails unique across the deployment,
//! tenant-scoped keys, deleting a user cascades to what hangs off them.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{MemoryUnit, StoredUser};
use crate::access::ports::{PasswordHash, SessionRepository, UserRepository};
use crate::access::session::Session;
use crate::access::user::{Role, User};
use crate::kernel::email::EmailAddress;
use crate::kernel::pagination::{Page, PageRequest};
use crate::kernel::repository::RepositoryError;
use crate::kernel::tokens::TokenDigest;
use crate::{SessionId, TenantId, UserId};

fn limit_plus_one(page: PageRequest) -> usize {
    usize::try_from(page.limit).unwrap_or(usize::MAX).saturating_add(1)
}

/// Newest first by id, strictly older than the cursor, one more than the
/// page to tell whether more follow.
pub(super) fn newest_first<T>(mut items: Vec<T>, page: PageRequest, id_of: impl Fn(&T) -> Uuid) -> Page<T> {
    items.sort_by_key(|item| std::cmp::Reverse(id_of(item)));
    let items = items
        .into_iter()
        .filter(|item| page.after.is_none_or(|after| id_of(item) < after))
        .take(limit_plus_one(page))
        .collect();
    Page::from_overfetch(items, page.limit, id_of)
}

fn duplicate(constraint: &str) -> RepositoryError {
    RepositoryError::Duplicate {
        constraint: constraint.into(),
    }
}

#[async_trait]
impl UserRepository for MemoryUnit {
    async fn insert(&self, user: &User, password_hash: &PasswordHash) -> Result<(), RepositoryError> {
        let mut state = self.state();
        if state.users.values().any(|s| s.user.id == user.id) {
            return Err(duplicate("users_pkey"));
        }
        let email = user.email.normalized();
        if state.users.values().any(|s| s.user.email.normalized() == email) {
            return Err(duplicate("users_email_key"));
        }
        state.users.insert(
            (user.tenant_id, user.id),
            StoredUser {
                user: user.clone(),
                password_hash: password_hash.clone(),
            },
        );
        Ok(())
    }

    async fn find_credentials(&self, normalized_email: &str) -> Result<Option<(User, PasswordHash)>, RepositoryError> {
        Ok(self
            .state()
            .users
            .values()
            .find(|s| s.user.email.normalized() == normalized_email)
            .map(|s| (s.user.clone(), s.password_hash.clone())))
    }

    async fn get(&self, tenant: TenantId, user: UserId) -> Result<Option<User>, RepositoryError> {
        Ok(self.state().users.get(&(tenant, user)).map(|s| s.user.clone()))
    }

    async fn first_owner(&self, tenant: TenantId) -> Result<Option<User>, RepositoryError> {
        Ok(self
            .state()
            .users
            .values()
            .filter(|s| s.user.tenant_id == tenant && s.user.role == Role::Owner)
            .min_by_key(|s| (s.user.created_at, s.user.id))
            .map(|s| s.user.clone()))
    }

    async fn list(&self, tenant: TenantId, page: PageRequest) -> Result<Page<User>, RepositoryError> {
        let all = self
            .state()
            .users
            .values()
            .filter(|s| s.user.tenant_id == tenant)
            .map(|s| s.user.clone())
            .collect();
        Ok(newest_first(all, page, |u| u.id.as_uuid()))
    }

    async fn count_owners(&self, tenant: TenantId) -> Result<u64, RepositoryError> {
        let owners = self
            .state()
            .users
            .values()
            .filter(|s| s.user.tenant_id == tenant && s.user.role == Role::Owner)
            .count();
        Ok(u64::try_from(owners).unwrap_or(u64::MAX))
    }

    async fn set_role(&self, tenant: TenantId, user: UserId, role: Role) -> Result<bool, RepositoryError> {
        Ok(match self.state().users.get_mut(&(tenant, user)) {
            Some(stored) => {
                stored.user.role = role;
                true
            }
            None => false,
        })
    }

    async fn set_password(&self, tenant: TenantId, user: UserId, hash: &PasswordHash) -> Result<bool, RepositoryError> {
        Ok(match self.state().users.get_mut(&(tenant, user)) {
            Some(stored) => {
                stored.password_hash = hash.clone();
                true
            }
            None => false,
        })
    }

    async fn rename(&self, tenant: TenantId, user: UserId, name: &str) -> Result<bool, RepositoryError> {
        Ok(self
            .state()
            .users
            .get_mut(&(tenant, user))
            .map(|stored| stored.user.name = name.to_owned())
            .is_some())
    }

    async fn change_email(
        &self,
        tenant: TenantId,
        user: UserId,
        email: &EmailAddress,
        at: DateTime<Utc>,
    ) -> Result<bool, RepositoryError> {
        let mut state = self.state();
        let wanted = email.normalized();
        if state
            .users
            .iter()
            .any(|(key, s)| *key != (tenant, user) && s.user.email.normalized() == wanted)
        {
            return Err(duplicate("users_email_key"));
        }
        Ok(state
            .users
            .get_mut(&(tenant, user))
            .map(|stored| {
                stored.user.email = email.clone();
                stored.user.email_verified_at = Some(at);
            })
            .is_some())
    }

    async fn mark_email_verified(
        &self,
        tenant: TenantId,
        user: UserId,
        at: DateTime<Utc>,
    ) -> Result<(), RepositoryError> {
        if let Some(stored) = self.state().users.get_mut(&(tenant, user)) {
            stored.user.email_verified_at = Some(at);
        }
        Ok(())
    }

    async fn scan(&self, after: Option<(TenantId, UserId)>, limit: u32) -> Result<Vec<User>, RepositoryError> {
        let limit = usize::try_from(limit).unwrap_or(usize::MAX);
        Ok(self
            .state()
            .users
            .iter()
            .filter(|(key, _)| after.is_none_or(|after| **key > after))
            .take(limit)
            .map(|(_, s)| s.user.clone())
            .collect())
    }

    async fn delete(&self, tenant: TenantId, user: UserId) -> Result<bool, RepositoryError> {
        let mut state = self.state();
        if state.users.remove(&(tenant, user)).is_none() {
            return Ok(false);
        }
        state
            .sessions
            .retain(|_, s| !(s.tenant_id == tenant && s.user_id == user));
        state
            .api_tokens
            .retain(|_, t| !(t.tenant_id == tenant && t.user_id == user));
        state
            .one_time_tokens
            .retain(|_, t| !(t.tenant_id == Some(tenant) && t.user_id == Some(user)));
        state
            .identities
            .retain(|_, i| !(i.tenant_id == tenant && i.user_id == user));
        Ok(true)
    }
}

#[async_trait]
impl SessionRepository for MemoryUnit {
    async fn insert(&self, session: &Session) -> Result<(), RepositoryError> {
        let mut state = self.state();
        let key = (session.tenant_id, session.id);
        if state.sessions.contains_key(&key) {
            return Err(duplicate("sessions_pkey"));
        }
        if state.sessions.values().any(|s| s.token_digest == session.token_digest) {
            return Err(duplicate("sessions_token_digest_key"));
        }
        state.sessions.insert(key, session.clone());
        Ok(())
    }

    async fn find_active(
        &self,
        digest: &TokenDigest,
        now: DateTime<Utc>,
        idle_cutoff: DateTime<Utc>,
    ) -> Result<Option<Session>, RepositoryError> {
        Ok(self
            .state()
            .sessions
            .values()
            .find(|s| s.token_digest == *digest && s.expires_at > now && s.last_seen_at > idle_cutoff)
            .cloned())
    }

    async fn touch(&self, tenant: TenantId, session: SessionId, now: DateTime<Utc>) -> Result<(), RepositoryError> {
        if let Some(stored) = self.state().sessions.get_mut(&(tenant, session)) {
            stored.last_seen_at = now;
        }
        Ok(())
    }

    async fn delete(&self, tenant: TenantId, session: SessionId) -> Result<bool, RepositoryError> {
        Ok(self.state().sessions.remove(&(tenant, session)).is_some())
    }

    async fn delete_for_user(
        &self,
        tenant: TenantId,
        user: UserId,
        keep: Option<SessionId>,
    ) -> Result<u64, RepositoryError> {
        let mut state = self.state();
        let before = state.sessions.len();
        state
            .sessions
            .retain(|_, s| !(s.tenant_id == tenant && s.user_id == user && Some(s.id) != keep));
        Ok(u64::try_from(before - state.sessions.len()).unwrap_or(u64::MAX))
    }
}
