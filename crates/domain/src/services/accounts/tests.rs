use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use async_trait::async_trait;
use chrono::{DateTime, TimeZone, Utc};

use super::*;
use crate::access::ports::IdempotencyRepository;
use crate::access::ports::MockPasswordHasher;
use crate::access::ports::{
    ApiTokenRepository, AuditRepository, IdentityRepository, IntegrationRepository, InvitationRepository,
    OneTimeTokenRepository, ThrottleRepository,
};
use crate::access::ports::{SessionRepository, UserRepository};
use crate::invoicing::ports::CreditNoteRepository;
use crate::invoicing::ports::{
    ClientRepository, InvoiceRepository, NumberingRepository, RecurringInvoiceRepository, ReminderRepository,
};
use crate::kernel::clock::ManualClock;
use crate::kernel::ids::MockIdGenerator;
use crate::kernel::tokens::MockTokenGenerator;
use crate::messaging::ports::JobRepository;
use crate::ports::{Store, UnitOfWork};
use crate::privacy::policies::PolicyVersion;
use crate::privacy::ports::{
    AnalyticsRepository, ConsentRepository, ExportRepository, PolicyRepository, PrivacyRepository,
    PrivacyRequestRepository, PrivacySubmissionRepository,
};
use crate::tenancy::ports::OrganizationRepository;
use crate::work::ports::{FileRepository, NoteRepository, WorkOrderRepository};

/// A store that answers the policy reads a sign-up starts with (nothing
/// published: the configured version is in force) and nothing else: any
/// other repository panics. It counts the units of work opened.
#[derive(Default)]
struct PolicyReadsOnly {
    begun: AtomicUsize,
}

struct PolicyReadsOnlyUnit;

#[async_trait]
impl Store for PolicyReadsOnly {
    async fn begin(&self) -> Result<Box<dyn UnitOfWork>, RepositoryError> {
        self.begun.fetch_add(1, Ordering::SeqCst);
        Ok(Box::new(PolicyReadsOnlyUnit))
    }
    async fn ping(&self) -> Result<(), RepositoryError> {
        Ok(())
    }
}

/// A file store that must not be reached.
struct UnreachableFiles;

#[async_trait]
impl crate::kernel::files::FileStore for UnreachableFiles {
    async fn put(
        &self,
        _: &crate::kernel::files::ObjectKey,
        _: Vec<u8>,
    ) -> Result<(), crate::kernel::files::FileStoreError> {
        panic!("files must not be reached");
    }
    async fn put_file(
        &self,
        _: &crate::kernel::files::ObjectKey,
        _: &std::path::Path,
    ) -> Result<u64, crate::kernel::files::FileStoreError> {
        panic!("files must not be reached");
    }
    async fn get(&self, _: &crate::kernel::files::ObjectKey) -> Result<Vec<u8>, crate::kernel::files::FileStoreError> {
        panic!("files must not be reached");
    }
    async fn open(
        &self,
        _: &crate::kernel::files::ObjectKey,
    ) -> Result<crate::kernel::files::ObjectReader, crate::kernel::files::FileStoreError> {
        panic!("files must not be reached");
    }
    async fn size(&self, _: &crate::kernel::files::ObjectKey) -> Result<u64, crate::kernel::files::FileStoreError> {
        panic!("files must not be reached");
    }
    async fn delete(&self, _: &crate::kernel::files::ObjectKey) -> Result<(), crate::kernel::files::FileStoreError> {
        panic!("files must not be reached");
    }
    async fn list(
        &self,
        _: &crate::kernel::files::KeyPrefix,
    ) -> Result<Vec<crate::kernel::files::ObjectKey>, crate::kernel::files::FileStoreError> {
        panic!("files must not be reached");
    }
    async fn delete_prefix(
        &self,
        _: &crate::kernel::files::KeyPrefix,
    ) -> Result<u64, crate::kernel::files::FileStoreError> {
        panic!("files must not be reached");
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
impl UnitOfWork for PolicyReadsOnlyUnit {
    unreachable_repositories!(
        organizations: OrganizationRepository,
        users: UserRepository,
        sessions: SessionRepository,
        clients: ClientRepository,
        invoices: InvoiceRepository,
        numbering: NumberingRepository,
        idempotency: IdempotencyRepository,
        jobs: JobRepository,
        recurring: RecurringInvoiceRepository,
        reminders: ReminderRepository,
        api_tokens: ApiTokenRepository,
        one_time_tokens: OneTimeTokenRepository,
        invitations: InvitationRepository,
        identities: IdentityRepository,
        throttles: ThrottleRepository,
        audit: AuditRepository,
        integrations: IntegrationRepository,
        consents: ConsentRepository,
        analytics: AnalyticsRepository,
        privacy_requests: PrivacyRequestRepository,
        privacy_submissions: PrivacySubmissionRepository,
        exports: ExportRepository,
        data_rights: PrivacyRepository,
        work_orders: WorkOrderRepository,
        notes: NoteRepository,
        files: FileRepository,
        credit_notes: CreditNoteRepository,
    );

    fn policies(&self) -> &dyn PolicyRepository {
        self
    }

    async fn commit(self: Box<Self>) -> Result<(), RepositoryError> {
        panic!("a refused sign-up must not commit");
    }
}

#[async_trait]
impl PolicyRepository for PolicyReadsOnlyUnit {
    async fn insert(&self, _: &PolicyVersion) -> Result<(), RepositoryError> {
        panic!("read only");
    }
    async fn get(&self, _: PolicyKind, _: &str) -> Result<Option<PolicyVersion>, RepositoryError> {
        Ok(None)
    }
    async fn in_force(&self, _: PolicyKind, _: DateTime<Utc>) -> Result<Option<PolicyVersion>, RepositoryError> {
        Ok(None)
    }
    async fn upcoming(&self, _: PolicyKind, _: DateTime<Utc>) -> Result<Option<PolicyVersion>, RepositoryError> {
        Ok(None)
    }
    async fn newest(&self, _: PolicyKind) -> Result<Option<PolicyVersion>, RepositoryError> {
        Ok(None)
    }
    async fn record_acceptance(&self, _: &PolicyAcceptance) -> Result<bool, RepositoryError> {
        panic!("read only");
    }
    async fn acceptance(
        &self,
        _: TenantId,
        _: UserId,
        _: PolicyKind,
        _: &str,
    ) -> Result<Option<PolicyAcceptance>, RepositoryError> {
        Ok(None)
    }
}

fn service(passwords: MockPasswordHasher, store: Arc<PolicyReadsOnly>) -> AccountService {
    let ports = Ports {
        store,
        clock: Arc::new(ManualClock::new(Utc.with_ymd_and_hms(2026, 11, 22, 10, 0, 0).unwrap())),
        ids: Arc::new(MockIdGenerator::new()),
        tokens: Arc::new(MockTokenGenerator::new()),
        passwords: Arc::new(passwords),
        secrets: Arc::new(crate::kernel::secrets::MockSecretBox::new()),
        files: Arc::new(UnreachableFiles),
    };
    let effective_at = Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap();
    AccountService::new(
        ports,
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
