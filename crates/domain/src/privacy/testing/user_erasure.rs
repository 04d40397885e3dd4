//! One person's erasure in the memory store, as far as it keeps them: the
//! account, their own exports, the queued work that names them, and the
//! network of the security events they caused.

use async_trait::async_trait;

use super::MemoryUnit;
use crate::access::user::User;
use crate::kernel::email::EmailAddress;
use crate::kernel::repository::RepositoryError;
use crate::privacy::exports::ExportScope;
use crate::privacy::ports::{UserErasureOutcome, UserErasureRepository};

#[async_trait]
impl UserErasureRepository for MemoryUnit {
    async fn find_user_by_email(&self, email: &EmailAddress) -> Result<Option<User>, RepositoryError> {
        let wanted = email.normalized();
        Ok(self
            .state()
            .users
            .values()
            .find(|u| u.email.normalized() == wanted)
            .cloned())
    }

    async fn erase_user(&self, user: &User) -> Result<UserErasureOutcome, RepositoryError> {
        let mut state = self.state();
        let mut outcome = UserErasureOutcome::default();
        let key = (user.tenant_id, user.id);
        let accounts = u64::from(state.users.remove(&key).is_some());
        outcome.deleted.insert("user account".into(), accounts);
        let own: Vec<_> = state
            .exports
            .iter()
            .filter(|(_, e)| e.tenant_id == user.tenant_id && e.scope == ExportScope::User(user.id))
            .map(|(k, _)| *k)
            .collect();
        for k in &own {
            if let Some(export) = state.exports.remove(k) {
                outcome
                    .archives
                    .extend(export.object_key.as_deref().and_then(|key| key.parse().ok()));
            }
        }
        outcome.deleted.insert("own data exports".into(), own.len() as u64);
        let id = user.id.as_uuid().to_string();
        let before = state.jobs.len();
        state.jobs.retain(|job| {
            let text = serde_json::to_string(&job.effect).unwrap_or_default();
            !(job.tenant_id == Some(user.tenant_id) && (text.contains(&id) || text.contains(user.email.as_str())))
        });
        outcome.deleted.insert(
            "queued work addressed to the user".into(),
            (before - state.jobs.len()) as u64,
        );
        let mut stripped = 0;
        for event in &mut state.audit {
            if event.tenant_id == user.tenant_id && event.actor.user_id == Some(user.id) && event.ip.is_some() {
                event.ip = None;
                stripped += 1;
            }
        }
        outcome
            .pseudonymized
            .insert("security log entries (network removed)".into(), stripped);
        Ok(outcome)
    }
}
