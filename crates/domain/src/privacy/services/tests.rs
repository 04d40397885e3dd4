//! Tests of the privacy services on the in-memory store: one German
//! organization (Berlin time) with an owner, an admin, a member and an
//! accountant, a manual clock, counting ids and tokens, a memory file
//! store, and every privacy service wired on them. The closure service's
//! password check runs on an access memory store holding the same users.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, TimeDelta, TimeZone, Utc};

use super::{
    ClientPrivacyService, ClosureService, ConsentService, ExportService, MarketingService, PolicyService,
    PrivacyDelivery, PrivacyRequestService, RetentionService,
};
use crate::access::audit::{IpPrefix, RequestOrigin};
use crate::access::ports::Password;
use crate::access::services::{AccountPolicy, AccountService};
use crate::access::session::{Authenticated, Credential};
use crate::access::testing::{
    FakePasswordHasher, MemoryStore as AccessStore, SequentialIds, SequentialTokens, StoredUser,
};
use crate::access::throttle::ThrottlePolicy;
use crate::access::user::{Principal, Role, User};
use crate::invoicing::client::{Client, ClientDetails, ClientFields, ClientPrivacy};
use crate::invoicing::invoice::{Invoice, InvoiceContent, InvoiceStatus};
use crate::kernel::clock::{Clock, ManualClock};
use crate::kernel::email::EmailAddress;
use crate::kernel::ids::IdGenerator;
use crate::kernel::money::{Currency, Money};
use crate::kernel::numbering::NumberPattern;
use crate::messaging::outbox::{Job, JobStatus, NewJob};
use crate::privacy::policies::{EffectivePolicy, PolicyDefaults};
use crate::privacy::retention::{RetentionPolicy, StatutoryPeriods};
use crate::privacy::testing::{MemoryFiles, MemoryState, MemoryStore};
use crate::tenancy::{Country, Organization, OrganizationProfile, TimeZone as Zone};
use crate::{ClientId, InvoiceId, SessionId, TenantId, UserId};

mod client_privacy;
mod closure;
mod consent;
mod delivery;
mod erasure;
mod exports;
mod incidents;
mod marketing;
mod policies;
mod privacy_requests;
mod public_requests;
mod retention;
mod store;

/// The configured policy versions.
pub(super) const POLICY: &str = "2026-11-01";
/// The owner's password.
pub(super) const PASSWORD: &str = "correct horse battery";

/// 2026-11-22 10:00 UTC, when every test starts.
pub(super) fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 22, 10, 0, 0).unwrap()
}

pub(super) fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
}

pub(super) fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

pub(super) fn defaults() -> PolicyDefaults {
    let effective_at = at(2026, 11, 1, 0, 0);
    PolicyDefaults {
        privacy: EffectivePolicy {
            version: POLICY.into(),
            effective_at,
        },
        terms: EffectivePolicy {
            version: POLICY.into(),
            effective_at,
        },
        material_notice: TimeDelta::days(30),
    }
}

fn account_policy() -> AccountPolicy {
    AccountPolicy {
        session_lifetime: TimeDelta::hours(24),
        session_idle_timeout: TimeDelta::hours(2),
        throttle: ThrottlePolicy::default(),
        policies: defaults(),
        minimum_age: 16,
        default_payment_terms_days: 14,
    }
}

/// Every privacy service on one memory store.
pub(super) struct World {
    pub store: MemoryStore,
    pub access: AccessStore,
    pub files: Arc<MemoryFiles>,
    pub clock: Arc<ManualClock>,
    pub ids: Arc<SequentialIds>,
    pub tokens: Arc<SequentialTokens>,
    pub passwords: Arc<FakePasswordHasher>,
    pub tenant: TenantId,
    pub owner: User,
    pub admin: User,
    pub member: User,
    pub accountant: User,
}

impl World {
    pub fn new() -> Self {
        let world = Self {
            store: MemoryStore::new(),
            access: AccessStore::new(),
            files: Arc::new(MemoryFiles::new()),
            clock: Arc::new(ManualClock::new(start())),
            ids: Arc::new(SequentialIds::new()),
            tokens: Arc::new(SequentialTokens::new()),
            passwords: Arc::new(FakePasswordHasher::new()),
            tenant: TenantId::from_uuid(uuid::Uuid::nil()),
            owner: placeholder(),
            admin: placeholder(),
            member: placeholder(),
            accountant: placeholder(),
        };
        let tenant = world.organization("Muster GmbH", "DE", "Europe/Berlin");
        Self {
            owner: world.user(tenant, "owner@muster.example", Role::Owner),
            admin: world.user(tenant, "admin@muster.example", Role::Admin),
            member: world.user(tenant, "member@muster.example", Role::Member),
            accountant: world.user(tenant, "books@muster.example", Role::Accountant),
            tenant,
            ..world
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    pub fn snapshot(&self) -> MemoryState {
        self.store.snapshot()
    }

    /// An organization stored in both stores.
    pub fn organization(&self, name: &str, country: &str, zone: &str) -> TenantId {
        let country = Country::parse(country).unwrap();
        let organization = Organization {
            id: TenantId::from_uuid(self.ids.new_uuid()),
            name: name.into(),
            country,
            default_currency: Currency::EUR,
            time_zone: Zone::parse(zone).unwrap(),
            invoice_number_pattern: NumberPattern::default_invoice(),
            default_payment_terms_days: 14,
            created_at: self.now(),
            closure: None,
            profile: OrganizationProfile::default(),
        };
        let id = organization.id;
        self.access.edit(|s| {
            s.organizations.insert(id, organization.clone());
        });
        self.store.edit(|s| {
            s.organizations.insert(id, organization);
        });
        id
    }

    /// A user stored in both stores, with [`PASSWORD`].
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
        self.access.edit(|s| {
            s.users.insert((tenant, user.id), stored);
        });
        self.store.edit(|s| {
            s.users.insert((tenant, user.id), user.clone());
        });
        user
    }

    /// A client of the tenant stored directly.
    pub fn client(&self, name: &str, email: Option<&str>) -> Client {
        self.client_of(self.tenant, name, email)
    }

    pub fn client_of(&self, tenant: TenantId, name: &str, email: Option<&str>) -> Client {
        let details = ClientDetails::parse(ClientFields {
            name: Some(name.to_owned()),
            email: email.map(str::to_owned),
            phone: Some("+49 30 1234567".into()),
            address: Some("Hauptstr. 1\n10115 Berlin".into()),
            tax_id: Some("DE123456789".into()),
            ..ClientFields::default()
        })
        .unwrap();
        let client = Client {
            id: ClientId::from_uuid(self.ids.new_uuid()),
            tenant_id: tenant,
            details,
            privacy: ClientPrivacy::default(),
            created_at: self.now(),
            updated_at: self.now(),
        };
        self.store.edit(|s| {
            s.clients.insert((tenant, client.id), client.clone());
        });
        client
    }

    /// An invoice of `client` stored directly (no lines), issued on `issued`.
    pub fn invoice(&self, client: &Client, status: InvoiceStatus, issued: Option<NaiveDate>) -> Invoice {
        let content = InvoiceContent {
            client_id: client.id,
            currency: Currency::EUR,
            issue_date: issued,
            due_date: None,
            payment_terms_days: None,
            notes: None,
            lines: Vec::new(),
        };
        let finalized = (status != InvoiceStatus::Draft).then(|| self.now());
        let number = finalized.map(|_| format!("INV-{}", self.ids.issued()));
        let invoice = Invoice::new(
            InvoiceId::from_uuid(self.ids.new_uuid()),
            client.tenant_id,
            number,
            status,
            content,
            Money::zero(Currency::EUR),
            finalized,
            self.now(),
            self.now(),
        )
        .unwrap();
        self.store.edit(|s| {
            s.invoices.insert((invoice.tenant_id, invoice.id), invoice.clone());
        });
        invoice
    }

    pub fn advance(&self, by: TimeDelta) {
        self.clock.advance(by);
    }

    pub fn client_privacy(&self) -> ClientPrivacyService {
        ClientPrivacyService::new(
            Arc::new(self.store.clone()),
            self.clock.clone(),
            self.ids.clone(),
            self.files.clone(),
            StatutoryPeriods::default(),
        )
    }

    pub fn accounts(&self) -> AccountService {
        AccountService::new(
            Arc::new(self.access.clone()),
            self.clock.clone(),
            self.ids.clone(),
            self.tokens.clone(),
            self.passwords.clone(),
            account_policy(),
        )
    }

    pub fn closure(&self) -> ClosureService {
        ClosureService::new(
            Arc::new(self.store.clone()),
            self.clock.clone(),
            self.ids.clone(),
            self.accounts(),
            30,
        )
    }

    pub fn consent(&self) -> ConsentService {
        ConsentService::new(
            Arc::new(self.store.clone()),
            self.clock.clone(),
            self.ids.clone(),
            defaults(),
        )
    }

    pub fn exports(&self) -> ExportService {
        ExportService::new(Arc::new(self.store.clone()), self.clock.clone(), self.ids.clone(), 7)
    }

    pub fn marketing(&self) -> MarketingService {
        MarketingService::new(Arc::new(self.store.clone()), self.clock.clone(), self.ids.clone())
    }

    pub fn policies(&self) -> PolicyService {
        PolicyService::new(
            Arc::new(self.store.clone()),
            self.clock.clone(),
            self.ids.clone(),
            defaults(),
        )
    }

    pub fn requests(&self) -> PrivacyRequestService {
        PrivacyRequestService::new(
            Arc::new(self.store.clone()),
            self.clock.clone(),
            self.ids.clone(),
            crate::privacy::requests::DeadlineRule::OneMonth,
        )
    }

    pub fn retention(&self, policy: RetentionPolicy) -> RetentionService {
        RetentionService::new(
            Arc::new(self.store.clone()),
            self.clock.clone(),
            self.files.clone(),
            policy,
        )
    }

    pub fn incidents(&self) -> super::IncidentService {
        super::IncidentService::new(Arc::new(self.store.clone()), self.clock.clone(), self.ids.clone())
    }

    pub fn delivery(&self) -> PrivacyDelivery {
        PrivacyDelivery::new(Arc::new(self.store.clone()), self.clock.clone(), self.tokens.clone())
    }
}

fn placeholder() -> User {
    User {
        id: UserId::from_uuid(uuid::Uuid::nil()),
        tenant_id: TenantId::from_uuid(uuid::Uuid::nil()),
        email: EmailAddress::parse("nobody@example.com").unwrap(),
        name: String::new(),
        role: Role::Member,
        accepted_policy_version: String::new(),
        email_verified_at: None,
        created_at: start(),
    }
}

pub(super) fn principal(user: &User) -> Principal {
    Principal {
        user_id: user.id,
        tenant_id: user.tenant_id,
        role: user.role,
    }
}

/// The user signed in with a session.
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

pub(super) fn password(text: &str) -> Password {
    Password::presented(text.into())
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

/// The validation errors as `field:code`.
pub(super) fn codes(errors: &crate::kernel::validation::ValidationErrors) -> Vec<String> {
    errors
        .errors()
        .iter()
        .map(|e| format!("{}:{}", e.field, e.code))
        .collect()
}
