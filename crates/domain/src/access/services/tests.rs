//! Tests of the access services on the in-memory store: one world with a
//! manual clock, counting ids and tokens, the fake hasher and secret box,
//! and every service wired on them.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;

use chrono::{DateTime, TimeDelta, TimeZone, Utc};

use super::accounts::SignupFields;
use super::{
    AccountDelivery, AccountPolicy, AccountService, ApiTokenService, AuditService, IdempotencyService,
    IntegrationService, TeamService,
};
use crate::access::audit::{IpPrefix, RequestOrigin};
use crate::access::ports::Password;
use crate::access::session::{Authenticated, Credential};
use crate::access::testing::{
    FakePasswordHasher, FakeSecretBox, MemoryState, MemoryStore, SequentialIds, SequentialTokens, StoredUser,
};
use crate::access::throttle::ThrottlePolicy;
use crate::access::user::{Principal, Role, User};
use crate::kernel::clock::{Clock, ManualClock};
use crate::kernel::email::EmailAddress;
use crate::kernel::ids::IdGenerator;
use crate::kernel::numbering::NumberPattern;
use crate::messaging::outbox::{Job, JobStatus, NewJob};
use crate::privacy::policies::{EffectivePolicy, PolicyDefaults};
use crate::tenancy::{Country, Organization, OrganizationProfile, default_currency_for, default_time_zone_for};
use crate::{SessionId, TenantId, UserId};

mod api_tokens;
mod audit;
mod delivery;
mod external;
mod flows;
mod idempotency;
mod integrations;
mod links;
mod members;
mod passwords;
mod sessions;
mod signup;
mod store;
mod store_security;
mod team;
mod throttle;

/// The configured privacy policy version.
pub(super) const POLICY: &str = "2026-11-01";
/// The password of every user the world creates.
pub(super) const PASSWORD: &str = "correct horse battery";

/// 2026-11-22 10:00 UTC, when every test starts.
pub(super) fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 22, 10, 0, 0).unwrap()
}

pub(super) fn policy() -> AccountPolicy {
    let effective_at = Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap();
    AccountPolicy {
        session_lifetime: TimeDelta::hours(24),
        session_idle_timeout: TimeDelta::hours(2),
        throttle: ThrottlePolicy::default(),
        policies: PolicyDefaults {
            privacy: EffectivePolicy {
                version: POLICY.into(),
                effective_at,
            },
            terms: EffectivePolicy {
                version: POLICY.into(),
                effective_at,
            },
            material_notice: TimeDelta::days(30),
        },
        minimum_age: 16,
        default_payment_terms_days: 14,
    }
}

/// Every access service on one memory store.
pub(super) struct World {
    pub store: MemoryStore,
    pub clock: Arc<ManualClock>,
    pub ids: Arc<SequentialIds>,
    pub tokens: Arc<SequentialTokens>,
    pub passwords: Arc<FakePasswordHasher>,
    pub secrets: Arc<FakeSecretBox>,
    pub accounts: AccountService,
    pub team: TeamService,
    pub api_tokens: ApiTokenService,
    pub integrations: IntegrationService,
    pub idempotency: IdempotencyService,
    pub audit: AuditService,
    pub delivery: AccountDelivery,
}

impl World {
    pub fn new() -> Self {
        let store = MemoryStore::new();
        let shared = Arc::new(store.clone());
        let clock = Arc::new(ManualClock::new(start()));
        let ids = Arc::new(SequentialIds::new());
        let tokens = Arc::new(SequentialTokens::new());
        let passwords = Arc::new(FakePasswordHasher::new());
        let secrets = Arc::new(FakeSecretBox::new("k1"));
        let accounts = AccountService::new(
            shared.clone(),
            clock.clone(),
            ids.clone(),
            tokens.clone(),
            passwords.clone(),
            policy(),
        );
        let team = TeamService::new(
            shared.clone(),
            clock.clone(),
            ids.clone(),
            passwords.clone(),
            accounts.clone(),
        );
        Self {
            api_tokens: ApiTokenService::new(shared.clone(), clock.clone(), ids.clone(), tokens.clone()),
            integrations: IntegrationService::new(shared.clone(), clock.clone(), ids.clone(), secrets.clone()),
            idempotency: IdempotencyService::new(shared.clone(), clock.clone()),
            audit: AuditService::new(shared.clone()),
            delivery: AccountDelivery::new(shared, clock.clone(), tokens.clone()),
            store,
            clock,
            ids,
            tokens,
            passwords,
            secrets,
            accounts,
            team,
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    pub fn snapshot(&self) -> MemoryState {
        self.store.snapshot()
    }

    /// An organization stored directly.
    pub fn organization(&self, name: &str) -> TenantId {
        let country = Country::parse("DE").unwrap();
        let organization = Organization {
            id: TenantId::from_uuid(self.ids.new_uuid()),
            name: name.into(),
            country,
            default_currency: default_currency_for(country),
            time_zone: default_time_zone_for(country),
            invoice_number_pattern: NumberPattern::default_invoice(),
            default_payment_terms_days: 14,
            created_at: self.now(),
            closure: None,
            profile: OrganizationProfile::default(),
        };
        let id = organization.id;
        self.store.edit(|s| {
            s.organizations.insert(id, organization);
        });
        id
    }

    /// A user stored directly, with [`PASSWORD`] and a verified address.
    pub fn user(&self, tenant: TenantId, email: &str, role: Role) -> User {
        let user = User {
            id: UserId::from_uuid(self.ids.new_uuid()),
            tenant_id: tenant,
            email: EmailAddress::parse(email).unwrap(),
            name: email.split('@').next().unwrap().to_owned(),
            role,
            accepted_policy_version: POLICY.into(),
            email_verified_at: Some(self.now()),
            created_at: self.now(),
        };
        let stored = StoredUser {
            user: user.clone(),
            password_hash: FakePasswordHasher::hash_of(PASSWORD),
        };
        self.store.edit(|s| {
            s.users.insert((tenant, user.id), stored);
        });
        user
    }

    /// Changes a stored user.
    pub fn edit_user(&self, user: &User, change: impl FnOnce(&mut StoredUser)) {
        self.store
            .edit(|s| change(s.users.get_mut(&(user.tenant_id, user.id)).unwrap()));
    }

    /// An organization "Ada Design" with its owner ada@example.com.
    pub fn owner(&self) -> User {
        let tenant = self.organization("Ada Design");
        self.user(tenant, "ada@example.com", Role::Owner)
    }

    /// Another organization "Other Ltd" with its owner olga@example.org.
    pub fn owner_elsewhere(&self) -> User {
        let tenant = self.organization("Other Ltd");
        self.user(tenant, "olga@example.org", Role::Owner)
    }

    pub fn advance(&self, by: TimeDelta) {
        self.clock.advance(by);
    }
}

pub(super) fn principal(user: &User) -> Principal {
    Principal {
        user_id: user.id,
        tenant_id: user.tenant_id,
        role: user.role,
    }
}

/// The user signed in with a session (not stored: enough for services that
/// only read the credential's kind).
pub(super) fn signed_in(user: &User) -> Authenticated {
    Authenticated {
        principal: principal(user),
        credential: Credential::Session(SessionId::from_uuid(uuid::Uuid::from_u128(u128::MAX))),
        account_closed: false,
    }
}

/// The user acting through an API token.
pub(super) fn by_api_token(user: &User) -> Authenticated {
    Authenticated {
        principal: principal(user),
        credential: Credential::ApiToken(crate::ApiTokenId::from_uuid(uuid::Uuid::from_u128(u128::MAX))),
        account_closed: false,
    }
}

pub(super) fn origin() -> RequestOrigin {
    RequestOrigin {
        ip: Some(IpPrefix::from_stored("192.0.2.0/24".into())),
    }
}

pub(super) fn other_network() -> RequestOrigin {
    RequestOrigin {
        ip: Some(IpPrefix::from_stored("198.51.100.0/24".into())),
    }
}

pub(super) fn password(text: &str) -> Password {
    Password::presented(text.into())
}

pub(super) fn signup_fields() -> SignupFields {
    SignupFields {
        email: "grace@example.com".into(),
        password: Password::new_secret(PASSWORD.into()).unwrap(),
        name: "Grace".into(),
        organization_name: "Grace Consulting".into(),
        country: "DE".into(),
        accept_policy_version: POLICY.into(),
        confirm_minimum_age: true,
    }
}

/// The queued job as a worker would claim it.
pub(super) fn claimed(job: &NewJob) -> Job {
    Job {
        id: job.id,
        tenant_id: job.tenant_id,
        effect: job.effect.clone(),
        idempotency_key: job.idempotency_key.clone(),
        status: JobStatus::Running,
        attempts: 1,
        max_attempts: job.max_attempts,
        run_at: job.run_at,
        locked_until: None,
        last_error: None,
        created_at: job.run_at,
        updated_at: job.run_at,
    }
}

/// The fields named by a validation error, in order.
pub(super) fn fields_of(errors: &crate::kernel::validation::ValidationErrors) -> Vec<&str> {
    errors.errors().iter().map(|e| e.field.as_str()).collect()
}
