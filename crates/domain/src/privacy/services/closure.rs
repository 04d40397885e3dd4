//! Closing an account: the owner confirms with their password; for the
//! grace period (30 days by default) the organization can still export its
//! data and reopen, and nothing else; then the sweeper purges every record
//! of the tenant except what the deployment's legal-hold setting keeps.

use std::sync::Arc;

use chrono::{DateTime, TimeDelta, Utc};

use super::organization;
use super::record;
use crate::access::audit::{AuditAction, RequestOrigin};
use crate::access::ports::Password;
use crate::access::services::AccountService;
use crate::access::user::Forbidden;
use crate::access::{Authenticated, Credential};
use crate::kernel::clock::Clock;
use crate::kernel::errors::{Unexpected, unexpected_from};
use crate::kernel::ids::IdGenerator;
use crate::privacy::ports::PrivacyStore;
use crate::tenancy::Closure;

/// Why an account could not be closed or reopened.
#[derive(Debug, thiserror::Error)]
pub enum ClosureError {
    /// Only the owner closes and reopens.
    #[error(transparent)]
    Forbidden(#[from] Forbidden),
    /// The password does not match (or the account has none: set one first).
    #[error("the password is not correct")]
    WrongPassword,
    /// Closed already.
    #[error("the account is closed already")]
    AlreadyClosed,
    /// Closing and reopening take a signed-in session, not an API token.
    #[error("sign in to close or reopen the account; API tokens cannot")]
    SessionRequired,
    /// Not closed.
    #[error("the account is not closed")]
    NotClosed,
    /// The grace period is over; the purge is due.
    #[error("the grace period ended on {0}; the account can no longer be reopened")]
    GracePeriodOver(DateTime<Utc>),
    /// Storage or hashing failed.
    #[error(transparent)]
    Unexpected(Unexpected),
}

unexpected_from!(ClosureError);
crate::access::ports::hash_error_from!(ClosureError);

/// Account closure use cases.
#[derive(Clone)]
pub struct ClosureService {
    store: Arc<dyn PrivacyStore>,
    clock: Arc<dyn Clock>,
    ids: Arc<dyn IdGenerator>,
    accounts: AccountService,
    grace_days: u32,
}

impl ClosureService {
    /// The service on the privacy store with a grace period of `grace_days`.
    #[must_use]
    pub fn new(
        store: Arc<dyn PrivacyStore>,
        clock: Arc<dyn Clock>,
        ids: Arc<dyn IdGenerator>,
        accounts: AccountService,
        grace_days: u32,
    ) -> Self {
        Self {
            store,
            clock,
            ids,
            accounts,
            grace_days,
        }
    }

    /// Closes the account after checking the owner's password.
    ///
    /// # Errors
    /// See [`ClosureError`].
    pub async fn close(
        &self,
        who: &Authenticated,
        password: Password,
        origin: &RequestOrigin,
    ) -> Result<Closure, ClosureError> {
        let owner = who.principal.owner("close the account")?;
        if !matches!(who.credential, Credential::Session(_)) {
            return Err(ClosureError::SessionRequired);
        }
        let tenant = owner.tenant();
        if !self.accounts.confirm_password(&who.principal, &password).await? {
            return Err(ClosureError::WrongPassword);
        }
        let now = self.clock.now();
        let uow = self.store.begin().await?;
        if organization(uow.as_ref(), tenant).await?.closure.is_some() {
            return Err(ClosureError::AlreadyClosed);
        }
        let closure = Closure {
            closed_at: now,
            purge_after: now + TimeDelta::days(i64::from(self.grace_days)),
        };
        uow.set_closure(tenant, Some(closure)).await?;
        record(
            uow.as_ref(),
            self.clock.as_ref(),
            self.ids.as_ref(),
            tenant,
            who.actor(),
            AuditAction::AccountClosed,
            origin,
            |e| {
                e.with("state", "closed")
                    .with("purge_after", &closure.purge_after.to_rfc3339())
            },
        )
        .await?;
        uow.commit().await?;
        Ok(closure)
    }

    /// Reopens a closed account within its grace period.
    ///
    /// # Errors
    /// See [`ClosureError`].
    pub async fn reopen(&self, who: &Authenticated, origin: &RequestOrigin) -> Result<(), ClosureError> {
        let tenant = who.principal.owner("reopen the account")?.tenant();
        if !matches!(who.credential, Credential::Session(_)) {
            return Err(ClosureError::SessionRequired);
        }
        let now = self.clock.now();
        let uow = self.store.begin().await?;
        let closure = organization(uow.as_ref(), tenant)
            .await?
            .closure
            .ok_or(ClosureError::NotClosed)?;
        if closure.purge_after <= now {
            return Err(ClosureError::GracePeriodOver(closure.purge_after));
        }
        uow.set_closure(tenant, None).await?;
        record(
            uow.as_ref(),
            self.clock.as_ref(),
            self.ids.as_ref(),
            tenant,
            who.actor(),
            AuditAction::AccountClosed,
            origin,
            |e| e.with("state", "reopened"),
        )
        .await?;
        uow.commit().await?;
        Ok(())
    }
}
