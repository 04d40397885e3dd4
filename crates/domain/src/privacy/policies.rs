//! Versions of the privacy policy and the terms of service. The operator
//! publishes a version with the date it takes effect; the version in force
//! is the newest published one whose date has come, else the one the
//! deployment is configured with. A material change may not take effect
//! sooner than the notice period after it is published, and every
//! publication notifies every user. What each user accepted, when and
//! through which channel is recorded ([`PolicyAcceptance`]).

use std::fmt;

use chrono::{DateTime, SecondsFormat, TimeDelta, Timelike, Utc};
use serde::{Deserialize, Serialize};

use crate::kernel::validation::{HasCode, ValidationErrors, required_text};
use crate::{TenantId, UserId};

/// Which policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PolicyKind {
    /// The privacy policy; its current version must be accepted to sign up.
    Privacy,
    /// The terms of service.
    Terms,
}

impl PolicyKind {
    /// Both kinds.
    pub const ALL: [Self; 2] = [Self::Privacy, Self::Terms];

    /// The stable name.
    #[must_use]
    pub const fn as_str(&self) -> &'static str {
        match self {
            Self::Privacy => "privacy",
            Self::Terms => "terms",
        }
    }

    /// Parses the stable name.
    #[must_use]
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// What people call it.
    #[must_use]
    pub const fn title(&self) -> &'static str {
        match self {
            Self::Privacy => "privacy policy",
            Self::Terms => "terms of service",
        }
    }
}

impl fmt::Display for PolicyKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A published version (deployment-wide, not tenant data).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyVersion {
    /// Which policy.
    pub kind: PolicyKind,
    /// The version identifier, such as `2027-01-15`.
    pub version: String,
    /// When it takes (or took) effect.
    pub effective_at: DateTime<Utc>,
    /// Whether it changes something that matters to users (needs notice).
    pub material: bool,
    /// What changed, in a few sentences for the notice email.
    pub summary: String,
    /// When it was published.
    pub published_at: DateTime<Utc>,
}

/// A version and when it took effect: what `GET /public/policies/current` shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EffectivePolicy {
    /// The version identifier.
    pub version: String,
    /// When it took effect.
    pub effective_at: DateTime<Utc>,
}

/// The deployment's configuration: the versions in force before anything
/// is published, and the notice a material change needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyDefaults {
    /// The configured privacy policy.
    pub privacy: EffectivePolicy,
    /// The configured terms of service.
    pub terms: EffectivePolicy,
    /// How long before it takes effect a material change must be published.
    pub material_notice: TimeDelta,
}

impl PolicyDefaults {
    /// The configured version of `kind`.
    #[must_use]
    pub fn configured(&self, kind: PolicyKind) -> &EffectivePolicy {
        match kind {
            PolicyKind::Privacy => &self.privacy,
            PolicyKind::Terms => &self.terms,
        }
    }

    /// The version in force: the newest published one whose date has come
    /// (`published_in_force`, as the repository found it), else the configured one.
    #[must_use]
    pub fn in_force(&self, kind: PolicyKind, published_in_force: Option<&PolicyVersion>) -> EffectivePolicy {
        match published_in_force {
            Some(published) => EffectivePolicy {
                version: published.version.clone(),
                effective_at: published.effective_at,
            },
            None => self.configured(kind).clone(),
        }
    }
}

/// A version to publish, unvalidated.
#[derive(Clone, Debug)]
pub struct PolicyDraft {
    /// Which policy.
    pub kind: PolicyKind,
    /// The version identifier.
    pub version: String,
    /// When it takes effect.
    pub effective_at: DateTime<Utc>,
    /// Whether the change is material.
    pub material: bool,
    /// What changed.
    pub summary: String,
}

/// Why a version may not be published.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PublicationRefused {
    /// The version or summary is blank or too long.
    #[error("invalid policy version: {0}")]
    Invalid(ValidationErrors),
    /// A material change takes effect too soon.
    #[error(
        "a material change needs {notice_days} days' notice: it can take effect at {} at the earliest, not {}",
        .earliest.to_rfc3339_opts(SecondsFormat::Secs, true),
        .requested.to_rfc3339_opts(SecondsFormat::Secs, true)
    )]
    NoticeTooShort {
        /// The notice period in days.
        notice_days: i64,
        /// The earliest allowed effective time.
        earliest: DateTime<Utc>,
        /// The requested effective time.
        requested: DateTime<Utc>,
    },
    /// The version identifier is taken.
    #[error("the {kind} version {version} exists already")]
    VersionExists {
        /// Which policy.
        kind: PolicyKind,
        /// The version.
        version: String,
    },
    /// The version does not take effect after the newest known one.
    #[error(
        "the new version must take effect after the newest {kind} version {latest} (effective {latest_effective_at})"
    )]
    NotNewer {
        /// Which policy.
        kind: PolicyKind,
        /// The newest known version.
        latest: String,
        /// When it takes effect.
        latest_effective_at: DateTime<Utc>,
    },
}

impl PolicyDraft {
    /// Checks the draft at `now` against the newest known version of its
    /// kind (published, else configured) and whether its identifier exists.
    ///
    /// # Errors
    /// [`PublicationRefused`] saying why.
    pub fn check(
        self,
        now: DateTime<Utc>,
        defaults: &PolicyDefaults,
        newest_published: Option<&PolicyVersion>,
        version_exists: bool,
    ) -> Result<PolicyVersion, PublicationRefused> {
        let mut errors = ValidationErrors::new();
        let version = errors.check("version", version_identifier(&self.version));
        let summary = errors.check("summary", required_text(&self.summary, 2000));
        let (Some(version), Some(summary)) = (version, summary) else {
            return Err(PublicationRefused::Invalid(errors));
        };
        let configured = defaults.configured(self.kind);
        if version_exists || version == configured.version {
            return Err(PublicationRefused::VersionExists {
                kind: self.kind,
                version,
            });
        }
        let (latest, latest_effective_at) = match newest_published {
            Some(published) if published.effective_at >= configured.effective_at => {
                (published.version.clone(), published.effective_at)
            }
            _ => (configured.version.clone(), configured.effective_at),
        };
        if self.effective_at <= latest_effective_at {
            return Err(PublicationRefused::NotNewer {
                kind: self.kind,
                latest,
                latest_effective_at,
            });
        }
        let earliest = whole_second_after(now + defaults.material_notice);
        if self.material && self.effective_at < earliest {
            return Err(PublicationRefused::NoticeTooShort {
                notice_days: defaults.material_notice.num_days(),
                earliest,
                requested: self.effective_at,
            });
        }
        Ok(PolicyVersion {
            kind: self.kind,
            version,
            effective_at: self.effective_at,
            material: self.material,
            summary,
            published_at: now,
        })
    }
}

/// `instant` rounded up to a whole second, so the earliest time a message
/// names is itself allowed.
fn whole_second_after(instant: DateTime<Utc>) -> DateTime<Utc> {
    match instant.with_nanosecond(0) {
        Some(whole) if whole < instant => whole + TimeDelta::seconds(1),
        _ => instant,
    }
}

/// Why a version identifier was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("must be 1 to 32 characters of letters, digits, '.', '_' and '-'")]
pub struct VersionError;

impl HasCode for VersionError {
    fn code(&self) -> &'static str {
        "invalid_version"
    }
}

/// A version identifier: 1 to 32 characters of letters, digits, `.`, `_` and `-`.
fn version_identifier(text: &str) -> Result<String, VersionError> {
    let text = text.trim();
    let valid = (1..=32).contains(&text.len())
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if valid { Ok(text.to_owned()) } else { Err(VersionError) }
}

/// How an acceptance was given.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AcceptanceChannel {
    /// At sign-up.
    Signup,
    /// When joining an organization by invitation.
    Invitation,
    /// Through the API.
    Api,
    /// In the web application.
    Web,
    /// In a mobile application.
    Mobile,
}

impl AcceptanceChannel {
    /// Every channel.
    pub const ALL: [Self; 5] = [Self::Signup, Self::Invitation, Self::Api, Self::Web, Self::Mobile];

    /// The stable name.
    #[must_use]
    pub const fn as_str(&self) -> &'static str {
        match self {
            Self::Signup => "signup",
            Self::Invitation => "invitation",
            Self::Api => "api",
            Self::Web => "web",
            Self::Mobile => "mobile",
        }
    }

    /// Parses the stable name.
    #[must_use]
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == name)
    }
}

/// A user's acceptance of a policy version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyAcceptance {
    /// The user's organization.
    pub tenant_id: TenantId,
    /// The user.
    pub user_id: UserId,
    /// Which policy.
    pub kind: PolicyKind,
    /// Which version.
    pub version: String,
    /// When.
    pub accepted_at: DateTime<Utc>,
    /// How.
    pub channel: AcceptanceChannel,
}

#[cfg(test)]
mod tests;
