use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use async_trait::async_trait;
use chrono::{DateTime, TimeZone, Utc};

use super::*;
use crate::access::ports::{
    AccessStore, AccessUnit, ApiTokenRepository, AuditRepository, IdempotencyRepository, IdentityRepository,
    IntegrationRepository, InvitationRepository, MockPasswordHasher, OneTimeTokenRepository, SessionRepository,
    ThrottleRepository, UserRepository,
};
use crate::kernel::clock::ManualClock;
use crate::kernel::ids::MockIdGenerator;
use crate::kernel::tokens::MockTokenGenerator;
use crate::messaging::outbox::NewJob;
use crate::privacy::policies::PolicyVersion;

/// A store that answers the policy reads a sign-up starts with (nothing
/// published: the configured version is in force) and nothing else: any
/// other repository panics. It counts the units of work opened.
#[derive(Default)]
struct PolicyReadsOnly {
    begun: AtomicUsize,
}

struct PolicyReadsOnlyUnit;

#[async_trait]
impl AccessStore for PolicyReadsOnly {
    async fn begin(&self) -> Result<Box<dyn AccessUnit>, RepositoryError> {
        self.begun.fetch_add(1, Ordering::SeqCst);
        Ok(Box::new(PolicyReadsOnlyUnit))
    }
}

macro_rules! unreachable_repositories {
    ($($name:ident: $port:ident),+ $(,)?) => {
        $(fn $name(&self) -> &dyn $port {
            panic!(concat!("a refused sign-up must not reach ", stringify!($name)))
        })+
    };
}

#[async_trait]
impl AccessUnit for PolicyReadsOnlyUnit {
    unreachable_repositories!(
        users: UserRepository,
        sessions: SessionRepository,
        api_tokens: ApiTokenRepository,
        one_time_tokens: OneTimeTokenRepository,
        invitations: InvitationRepository,
        identities: IdentityRepository,
        throttles: ThrottleRepository,
        audit: AuditRepository,
        integrations: IntegrationRepository,
        idempotency: IdempotencyRepository,
    );

    async fn organization(&self, _: TenantId) -> Result<Option<Organization>, RepositoryError> {
        panic!("a refused sign-up must not read the organization");
    }
    async fn create_organization(&self, _: &Organization) -> Result<(), RepositoryError> {
        panic!("a refused sign-up must not create an organization");
    }
    async fn published_policy(
        &self,
        _: PolicyKind,
        _: DateTime<Utc>,
    ) -> Result<Option<PolicyVersion>, RepositoryError> {
        Ok(None)
    }
    async fn record_policy_acceptance(&self, _: &PolicyAcceptance) -> Result<bool, RepositoryError> {
        panic!("read only");
    }
    async fn policy_acceptance(
        &self,
        _: TenantId,
        _: UserId,
        _: PolicyKind,
        _: &str,
    ) -> Result<Option<PolicyAcceptance>, RepositoryError> {
        Ok(None)
    }
    async fn enqueue(&self, _: &NewJob) -> Result<bool, RepositoryError> {
        panic!("a refused sign-up must not queue an email");
    }
    async fn commit(self: Box<Self>) -> Result<(), RepositoryError> {
        panic!("a refused sign-up must not commit");
    }
}

fn service(passwords: MockPasswordHasher, store: Arc<PolicyReadsOnly>) -> AccountService {
    let effective_at = Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap();
    AccountService::new(
        store,
        Arc::new(ManualClock::new(Utc.with_ymd_and_hms(2026, 11, 22, 10, 0, 0).unwrap())),
        Arc::new(MockIdGenerator::new()),
        Arc::new(MockTokenGenerator::new()),
        Arc::new(passwords),
        AccountPolicy {
            session_lifetime: TimeDelta::hours(24),
            session_idle_timeout: TimeDelta::hours(2),
            throttle: ThrottlePolicy::default(),
            policies: PolicyDefaults {
                privacy: EffectivePolicy {
                    version: "2026-11-01".into(),
                    effective_at,
                },
                terms: EffectivePolicy {
                    version: "2026-11-01".into(),
                    effective_at,
                },
                material_notice: TimeDelta::days(30),
            },
            minimum_age: 16,
            default_payment_terms_days: 14,
        },
    )
}

fn fields() -> SignupFields {
    SignupFields {
        email: "ada@example.com".into(),
        password: Password::new_secret("correct horse battery".into()).unwrap(),
        name: "Ada".into(),
        organization_name: "Ada Design".into(),
        country: "DE".into(),
        accept_policy_version: "2026-11-01".into(),
        confirm_minimum_age: true,
    }
}

#[tokio::test]
async fn refused_signups_reach_neither_the_hasher_nor_the_stored_data() {
    let mut passwords = MockPasswordHasher::new();
    passwords.expect_hash().never();
    let store = Arc::new(PolicyReadsOnly::default());
    let accounts = service(passwords, store.clone());

    let too_young = SignupFields {
        confirm_minimum_age: false,
        ..fields()
    };
    assert!(matches!(
        accounts.signup(too_young).await,
        Err(SignupError::AgeNotConfirmed { minimum: 16 })
    ));
    let invalid = SignupFields {
        email: "nope".into(),
        country: "Germany".into(),
        ..fields()
    };
    match accounts.signup(invalid).await {
        Err(SignupError::Invalid(errors)) => {
            let fields: Vec<_> = errors.errors().iter().map(|e| e.field.as_str()).collect();
            assert_eq!(fields, ["email", "country"]);
        }
        other => panic!("expected a validation error, got {other:?}"),
    }
    assert_eq!(store.begun.load(Ordering::SeqCst), 0, "decided without the store");

    // The version in force is read from the store (published versions,
    // else the configured one) and nothing else is touched.
    let old_policy = SignupFields {
        accept_policy_version: "2020-01-01".into(),
        ..fields()
    };
    assert!(matches!(
        accounts.signup(old_policy).await,
        Err(SignupError::PolicyNotAccepted { current }) if current == "2026-11-01"
    ));
    assert_eq!(store.begun.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn hashing_failures_are_unexpected_not_wrong_passwords() {
    let mut passwords = MockPasswordHasher::new();
    passwords
        .expect_hash()
        .times(1)
        .returning(|_| Err(crate::access::ports::HashError("no memory".into())));
    let accounts = service(passwords, Arc::new(PolicyReadsOnly::default()));
    assert!(matches!(
        accounts.signup(fields()).await,
        Err(SignupError::Unexpected(_))
    ));
}
