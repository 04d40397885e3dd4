//! Policy versions: which privacy policy and terms are in force (the newest
//! published version whose date has come, else the configured one), the
//! operator's publication of a new version (refused when a material change
//! comes sooner than the notice period; every user of every tenant is
//! notified by email, one job each), and users' acceptances.

use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::access::Authenticated;
use crate::kernel::clock::Clock;
use crate::kernel::errors::{Unexpected, unexpected_from};
use crate::kernel::ids::IdGenerator;
use crate::kernel::repository::RepositoryError;
use crate::kernel::validation::ValidationErrors;
use crate::messaging::outbox::Effect;
use crate::privacy::policies::{
    AcceptanceChannel, EffectivePolicy, PolicyAcceptance, PolicyDefaults, PolicyDraft, PolicyKind, PolicyVersion,
    PublicationRefused,
};
use crate::privacy::ports::PrivacyStore;
use crate::privacy::ports::PrivacyUnit;

/// The version of `kind` in force at `now`, read inside `uow`.
pub(crate) async fn in_force(
    uow: &dyn PrivacyUnit,
    defaults: &PolicyDefaults,
    kind: PolicyKind,
    now: DateTime<Utc>,
) -> Result<EffectivePolicy, RepositoryError> {
    let published = uow.policies().in_force(kind, now).await?;
    Ok(defaults.in_force(kind, published.as_ref()))
}

/// One policy as the public sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyStatus {
    /// The version in force.
    pub current: EffectivePolicy,
    /// A published version that is not in force yet.
    pub upcoming: Option<PolicyVersion>,
}

/// Both policies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CurrentPolicies {
    /// The privacy policy.
    pub privacy: PolicyStatus,
    /// The terms of service.
    pub terms: PolicyStatus,
}

/// What a publication did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Publication {
    /// The published version.
    pub version: PolicyVersion,
    /// Notice emails queued (one per user).
    pub notices_queued: usize,
}

/// Why a version could not be published.
#[derive(Debug, thiserror::Error)]
pub enum PublishPolicyError {
    /// The rules refuse it.
    #[error(transparent)]
    Refused(#[from] PublicationRefused),
    /// Storage failed.
    #[error(transparent)]
    Unexpected(Unexpected),
}

/// Why an acceptance could not be recorded.
#[derive(Debug, thiserror::Error)]
pub enum AcceptPolicyError {
    /// Unknown kind or channel.
    #[error("invalid acceptance: {0}")]
    Invalid(ValidationErrors),
    /// Neither the version in force nor the upcoming one.
    #[error("only the current {kind} version {current} or an upcoming published one can be accepted")]
    NotAcceptable {
        /// Which policy.
        kind: &'static str,
        /// The version in force.
        current: String,
    },
    /// Storage failed.
    #[error(transparent)]
    Unexpected(Unexpected),
}

unexpected_from!(PublishPolicyError, AcceptPolicyError);

/// Policy use cases.
#[derive(Clone)]
pub struct PolicyService {
    store: Arc<dyn PrivacyStore>,
    clock: Arc<dyn Clock>,
    ids: Arc<dyn IdGenerator>,
    defaults: PolicyDefaults,
}

/// Users notified per page of the scan.
const SCAN_PAGE: u32 = 500;

impl PolicyService {
    /// The service on the privacy store with the deployment's configured versions.
    #[must_use]
    pub fn new(
        store: Arc<dyn PrivacyStore>,
        clock: Arc<dyn Clock>,
        ids: Arc<dyn IdGenerator>,
        defaults: PolicyDefaults,
    ) -> Self {
        Self {
            store,
            clock,
            ids,
            defaults,
        }
    }

    /// The configured versions and notice period.
    #[must_use]
    pub fn defaults(&self) -> &PolicyDefaults {
        &self.defaults
    }

    /// The versions in force now and any upcoming ones.
    ///
    /// # Errors
    /// [`Unexpected`] when storage fails.
    pub async fn current(&self) -> Result<CurrentPolicies, Unexpected> {
        let now = self.clock.now();
        let uow = self.store.begin().await?;
        let mut status = Vec::with_capacity(2);
        for kind in PolicyKind::ALL {
            status.push(PolicyStatus {
                current: in_force(uow.as_ref(), &self.defaults, kind, now).await?,
                upcoming: uow.policies().upcoming(kind, now).await?,
            });
        }
        let terms = status.pop();
        let privacy = status.pop();
        match (privacy, terms) {
            (Some(privacy), Some(terms)) => Ok(CurrentPolicies { privacy, terms }),
            _ => Err(Unexpected(Box::new(RepositoryError::Corrupt("policy kinds".into())))),
        }
    }

    /// Publishes a version (an operator task) and queues a notice to every
    /// user of every tenant, in one unit of work.
    ///
    /// # Errors
    /// See [`PublishPolicyError`].
    pub async fn publish(&self, draft: PolicyDraft) -> Result<Publication, PublishPolicyError> {
        let now = self.clock.now();
        let uow = self.store.begin().await?;
        let newest = uow.policies().newest(draft.kind).await?;
        let exists = uow.policies().get(draft.kind, draft.version.trim()).await?.is_some();
        let version = draft.check(now, &self.defaults, newest.as_ref(), exists)?;
        match uow.policies().insert(&version).await {
            Err(RepositoryError::Duplicate { .. }) => {
                return Err(PublicationRefused::VersionExists {
                    kind: version.kind,
                    version: version.version,
                }
                .into());
            }
            other => other?,
        }
        let mut notices_queued = 0;
        let mut after = None;
        loop {
            let users = uow.scan_users(after, SCAN_PAGE).await?;
            let Some(last) = users.last() else {
                break;
            };
            after = Some((last.tenant_id, last.id));
            for user in &users {
                let effect = Effect::SendPolicyNotice {
                    user_id: user.id,
                    policy: version.kind,
                    version: version.version.clone(),
                };
                if super::enqueue(
                    uow.as_ref(),
                    self.clock.as_ref(),
                    self.ids.as_ref(),
                    user.tenant_id,
                    effect,
                    format!("policy-notice:{}:{}:{}", version.kind, version.version, user.id),
                )
                .await?
                {
                    notices_queued += 1;
                }
            }
        }
        uow.commit().await?;
        Ok(Publication {
            version,
            notices_queued,
        })
    }

    /// Records that the signed-in user accepts a version of a policy: the
    /// one in force, or a published one not in force yet. Returns the
    /// acceptance and whether it is new (accepting again changes nothing).
    ///
    /// # Errors
    /// See [`AcceptPolicyError`].
    pub async fn accept(
        &self,
        who: &Authenticated,
        kind: &str,
        version: &str,
        channel: Option<&str>,
    ) -> Result<(PolicyAcceptance, bool), AcceptPolicyError> {
        let mut errors = ValidationErrors::new();
        let kind = PolicyKind::parse(kind);
        if kind.is_none() {
            errors.add("kind", "invalid_policy_kind", "must be privacy or terms");
        }
        let channel = match channel.map(AcceptanceChannel::parse) {
            None => Some(AcceptanceChannel::Api),
            Some(Some(AcceptanceChannel::Signup | AcceptanceChannel::Invitation) | None) => {
                errors.add("channel", "invalid_channel", "must be api, web or mobile");
                None
            }
            Some(channel) => channel,
        };
        let (Some(kind), Some(channel)) = (kind, channel) else {
            return Err(AcceptPolicyError::Invalid(errors));
        };
        let principal = who.principal;
        let tenant = principal.reader().tenant();
        let now = self.clock.now();
        let uow = self.store.begin().await?;
        let current = in_force(uow.as_ref(), &self.defaults, kind, now).await?;
        let acceptable = version == current.version
            || uow
                .policies()
                .get(kind, version)
                .await?
                .is_some_and(|published| published.effective_at > now);
        if !acceptable {
            return Err(AcceptPolicyError::NotAcceptable {
                kind: kind.as_str(),
                current: current.version,
            });
        }
        let acceptance = PolicyAcceptance {
            tenant_id: tenant,
            user_id: principal.user_id,
            kind,
            version: version.to_owned(),
            accepted_at: now,
            channel,
        };
        if uow.policies().record_acceptance(&acceptance).await? {
            uow.commit().await?;
            return Ok((acceptance, true));
        }
        let earlier = uow
            .policies()
            .acceptance(tenant, principal.user_id, kind, version)
            .await?
            .ok_or_else(|| RepositoryError::Corrupt("an acceptance vanished".into()))?;
        Ok((earlier, false))
    }
}
