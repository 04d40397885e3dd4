//! One person's erasure without closing the organization: a user erases
//! their own account (confirming with their password), or the operator
//! erases an account by its address (a child's account, a request sent to
//! the operator). The account and what only concerns it go; the
//! organization's business records stay, naming the user's random id, a
//! pseudonym that nothing leads back from. An owner hands the organization
//! to another owner first (or closes the account).

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;

use super::client_privacy::ErasedItem;
use super::record;
use crate::access::audit::{Actor, AuditAction, RequestOrigin};
use crate::access::ports::Password;
use crate::access::services::AccountService;
use crate::access::user::{Role, User};
use crate::access::{Authenticated, Credential};
use crate::kernel::clock::Clock;
use crate::kernel::email::EmailAddress;
use crate::kernel::errors::{Unexpected, unexpected_from};
use crate::kernel::files::FileStore;
use crate::kernel::ids::IdGenerator;
use crate::privacy::ports::{PrivacyStore, PrivacyUnit};
use crate::{TenantId, UserId};

/// Why an account could not be erased.
#[derive(Debug, thiserror::Error)]
pub enum UserErasureError {
    /// Erasing one's account takes a signed-in session, not an API token.
    #[error("sign in to erase your account; API tokens cannot")]
    SessionRequired,
    /// The password does not match (or the account has none: set one first).
    #[error("the password is not correct")]
    WrongPassword,
    /// Owners hand the organization over (or close the account) first.
    #[error(
        "an owner cannot erase their account while they own the organization: make another user owner and \
         step down first, or close the account"
    )]
    OwnerMustTransfer,
    /// No account has that address (the operator's erasure).
    #[error("no account has that email address")]
    NotFound,
    /// Storage failed.
    #[error(transparent)]
    Unexpected(Unexpected),
}

unexpected_from!(UserErasureError);
crate::access::ports::hash_error_from!(UserErasureError);

/// What an account's erasure did, as the person (or operator) is told and
/// the security log keeps it (as counts, without the data).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct UserErasureReport {
    /// The erased account's id, now a pseudonym.
    pub user_id: UserId,
    /// The organization the account belonged to.
    pub tenant_id: TenantId,
    /// Deleted for good.
    pub deleted: Vec<ErasedItem>,
    /// Kept with the person's details stripped.
    pub pseudonymized: Vec<ErasedItem>,
    /// What stays and why.
    pub retained: Vec<String>,
}

/// What erasure keeps of every account, in the words the report uses.
const RETAINED: [&str; 3] = [
    "the organization's invoices, clients, notes and files the user made, naming only the pseudonym",
    "the security log's entries the user caused (without their network), until the security-event retention ends",
    "the user's consent and policy decisions, as proof, naming only the pseudonym, until their retention ends",
];

/// Erasure of one person's account.
#[derive(Clone)]
pub struct UserErasureService {
    store: Arc<dyn PrivacyStore>,
    clock: Arc<dyn Clock>,
    ids: Arc<dyn IdGenerator>,
    files: Arc<dyn FileStore>,
    accounts: AccountService,
}

impl UserErasureService {
    /// The service on the privacy store; `accounts` checks passwords and
    /// `files` holds the archives of the user's exports.
    #[must_use]
    pub fn new(
        store: Arc<dyn PrivacyStore>,
        clock: Arc<dyn Clock>,
        ids: Arc<dyn IdGenerator>,
        files: Arc<dyn FileStore>,
        accounts: AccountService,
    ) -> Self {
        Self {
            store,
            clock,
            ids,
            files,
            accounts,
        }
    }

    /// Erases the signed-in user's own account after checking their password.
    /// The security log records the erasure without the request's network.
    ///
    /// # Errors
    /// See [`UserErasureError`].
    pub async fn erase_self(
        &self,
        who: &Authenticated,
        password: Password,
    ) -> Result<UserErasureReport, UserErasureError> {
        if !matches!(who.credential, Credential::Session(_)) {
            return Err(UserErasureError::SessionRequired);
        }
        if who.principal.role == Role::Owner {
            return Err(UserErasureError::OwnerMustTransfer);
        }
        if !self.accounts.confirm_password(&who.principal, &password).await? {
            return Err(UserErasureError::WrongPassword);
        }
        let uow = self.store.begin().await?;
        let user = uow
            .user(who.principal.tenant_id, who.principal.user_id)
            .await?
            .ok_or(UserErasureError::NotFound)?;
        if user.role == Role::Owner {
            return Err(UserErasureError::OwnerMustTransfer);
        }
        self.erase(uow, &user, who.actor()).await
    }

    /// Erases the account signing in with `email` (the operator's task).
    ///
    /// # Errors
    /// See [`UserErasureError`].
    pub async fn erase_by_email(&self, email: &EmailAddress) -> Result<UserErasureReport, UserErasureError> {
        let uow = self.store.begin().await?;
        let user = uow
            .user_erasures()
            .find_user_by_email(email)
            .await?
            .ok_or(UserErasureError::NotFound)?;
        if user.role == Role::Owner {
            return Err(UserErasureError::OwnerMustTransfer);
        }
        self.erase(uow, &user, Actor::system()).await
    }

    async fn erase(
        &self,
        uow: Box<dyn PrivacyUnit>,
        user: &User,
        actor: Actor,
    ) -> Result<UserErasureReport, UserErasureError> {
        let outcome = uow.user_erasures().erase_user(user).await?;
        let report = UserErasureReport {
            user_id: user.id,
            tenant_id: user.tenant_id,
            deleted: items(&outcome.deleted),
            pseudonymized: items(&outcome.pseudonymized),
            retained: RETAINED.iter().map(|line| (*line).to_owned()).collect(),
        };
        let deleted: u64 = outcome.deleted.values().sum();
        record(
            uow.as_ref(),
            self.clock.as_ref(),
            self.ids.as_ref(),
            user.tenant_id,
            actor,
            AuditAction::DataErased,
            // The erased person's network is what the erasure removes from
            // the log; its own entry does not bring it back.
            &RequestOrigin::default(),
            |e| {
                e.about("user", user.id.as_uuid())
                    .with("deleted_records", &deleted.to_string())
                    .with("archives", &outcome.archives.len().to_string())
            },
        )
        .await?;
        // As with a client's erasure, the stored bytes go before the commit:
        // a failed commit leaves the records, and a retry deletes them again.
        for key in &outcome.archives {
            self.files.delete(key).await.map_err(|e| Unexpected(Box::new(e)))?;
        }
        uow.commit().await?;
        Ok(report)
    }
}

fn items(counts: &BTreeMap<String, u64>) -> Vec<ErasedItem> {
    counts
        .iter()
        .filter(|(_, count)| **count > 0)
        .map(|(what, count)| ErasedItem {
            what: what.clone(),
            count: *count,
        })
        .collect()
}
