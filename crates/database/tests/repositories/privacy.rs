//! The privacy repositories on both backends: the consent ledger,
//! analytics events, policy versions and acceptances, the users scan of
//! deployment-wide notices, and the migration that carries existing users'
//! acceptances over. Privacy requests are in `privacy_requests.rs`.

use fakturo_database::SqlStore;
use fakturo_domain::access::ports::PasswordHash;
use fakturo_domain::kernel::email::EmailAddress;
use fakturo_domain::kernel::pagination::PageRequest;
use fakturo_domain::kernel::repository::RepositoryError;
use fakturo_domain::privacy::ConsentPurpose;
use fakturo_domain::privacy::consent::{AnalyticsEvent, ConsentChannel, ConsentEvent, EventName};
use fakturo_domain::privacy::policies::{AcceptanceChannel, PolicyAcceptance, PolicyKind, PolicyVersion};
use fakturo_domain::{ConsentEventId, TenantId, UserId};

use crate::{at, id, organization, user};

on_both_backends!(
    the_consent_ledger_keeps_every_event_and_knows_the_latest,
    analytics_events_are_anonymous_counts_by_name_and_hour,
    policy_versions_are_found_by_date_and_acceptances_kept_once,
    users_are_scanned_in_key_order_across_tenants,
);

pub(crate) async fn seeded_user(store: &SqlStore, email: &str) -> (TenantId, UserId) {
    let org = organization();
    let owner = user(org.id, email);
    let uow = store.begin().await.unwrap();
    uow.organizations().insert(&org).await.unwrap();
    uow.users()
        .insert(&owner, &PasswordHash::from_phc("x".into()))
        .await
        .unwrap();
    uow.commit().await.unwrap();
    (org.id, owner.id)
}

fn consent(tenant: TenantId, user: UserId, purpose: ConsentPurpose, granted: bool, day: u32) -> ConsentEvent {
    ConsentEvent {
        id: ConsentEventId::from_uuid(id()),
        tenant_id: tenant,
        user_id: user,
        purpose,
        granted,
        policy_version: "2026-11-01".into(),
        channel: ConsentChannel::Web,
        occurred_at: at(day),
    }
}

async fn the_consent_ledger_keeps_every_event_and_knows_the_latest(store: SqlStore) {
    let (tenant, user) = seeded_user(&store, "ledger@example.com").await;
    let events = [
        consent(tenant, user, ConsentPurpose::MarketingEmail, true, 2),
        consent(tenant, user, ConsentPurpose::Analytics, true, 3),
        consent(tenant, user, ConsentPurpose::MarketingEmail, false, 4),
    ];
    let uow = store.begin().await.unwrap();
    for event in &events {
        uow.consents().append(event).await.unwrap();
    }
    uow.commit().await.unwrap();
    // (A refused write ends a PostgreSQL transaction: it gets its own unit.)
    let uow = store.begin().await.unwrap();
    assert!(matches!(
        uow.consents().append(&events[0]).await,
        Err(RepositoryError::Duplicate { .. })
    ));
    drop(uow);

    let uow = store.begin().await.unwrap();
    let mut latest = uow.consents().latest(tenant, user).await.unwrap();
    latest.sort_by_key(|e| e.purpose);
    assert_eq!(latest, vec![events[1].clone(), events[2].clone()]);
    let first = uow
        .consents()
        .history(tenant, user, PageRequest::new(Some(2), None).unwrap())
        .await
        .unwrap();
    assert_eq!(first.items, vec![events[2].clone(), events[1].clone()], "newest first");
    let cursor = first.next_cursor.unwrap();
    let second = uow
        .consents()
        .history(tenant, user, PageRequest::new(Some(2), Some(&cursor)).unwrap())
        .await
        .unwrap();
    assert_eq!((second.items, second.next_cursor), (vec![events[0].clone()], None));
    let stranger = TenantId::from_uuid(id());
    assert!(uow.consents().latest(stranger, user).await.unwrap().is_empty());
    assert!(
        uow.consents()
            .history(stranger, user, PageRequest::first())
            .await
            .unwrap()
            .items
            .is_empty()
    );
}

async fn analytics_events_are_anonymous_counts_by_name_and_hour(store: SqlStore) {
    let name = |n: &str| EventName::parse(n).unwrap();
    let uow = store.begin().await.unwrap();
    uow.analytics()
        .insert(&AnalyticsEvent::at(name("invoice.created"), at(5)))
        .await
        .unwrap();
    uow.analytics()
        .insert(&AnalyticsEvent::at(name("invoice.created"), at(5)))
        .await
        .unwrap();
    uow.analytics()
        .insert(&AnalyticsEvent::at(name("invoice.sent"), at(5)))
        .await
        .unwrap();
    let (from, to) = (at(5) - chrono::TimeDelta::hours(1), at(5) + chrono::TimeDelta::hours(1));
    assert_eq!(uow.analytics().count("invoice.created", from, to).await.unwrap(), 2);
    assert_eq!(uow.analytics().count("invoice.sent", from, to).await.unwrap(), 1);
    let later = at(5) + chrono::TimeDelta::hours(2);
    assert_eq!(uow.analytics().count("invoice.created", later, later).await.unwrap(), 0);
}

fn version(kind: PolicyKind, version: &str, effective_day: u32) -> PolicyVersion {
    PolicyVersion {
        kind,
        version: version.into(),
        effective_at: at(effective_day),
        material: true,
        summary: "What changed.".into(),
        published_at: at(1),
    }
}

async fn policy_versions_are_found_by_date_and_acceptances_kept_once(store: SqlStore) {
    let (tenant, user) = seeded_user(&store, "policies@example.com").await;
    let v10 = version(PolicyKind::Privacy, "v10", 10);
    let v20 = version(PolicyKind::Privacy, "v20", 20);
    let terms = version(PolicyKind::Terms, "v10", 15);
    let uow = store.begin().await.unwrap();
    for v in [&v20, &v10, &terms] {
        uow.policies().insert(v).await.unwrap();
    }
    uow.commit().await.unwrap();
    let uow = store.begin().await.unwrap();
    assert!(matches!(
        uow.policies().insert(&v10).await,
        Err(RepositoryError::Duplicate { .. })
    ));
    drop(uow);
    let uow = store.begin().await.unwrap();
    let policies = uow.policies();
    assert_eq!(
        policies.get(PolicyKind::Privacy, "v10").await.unwrap(),
        Some(v10.clone())
    );
    assert_eq!(policies.get(PolicyKind::Privacy, "v99").await.unwrap(), None);
    assert_eq!(policies.in_force(PolicyKind::Privacy, at(9)).await.unwrap(), None);
    assert_eq!(
        policies.in_force(PolicyKind::Privacy, at(10)).await.unwrap(),
        Some(v10.clone())
    );
    assert_eq!(
        policies.upcoming(PolicyKind::Privacy, at(10)).await.unwrap(),
        Some(v20.clone())
    );
    assert_eq!(
        policies.in_force(PolicyKind::Privacy, at(25)).await.unwrap(),
        Some(v20.clone())
    );
    assert_eq!(policies.upcoming(PolicyKind::Privacy, at(25)).await.unwrap(), None);
    assert_eq!(policies.newest(PolicyKind::Privacy).await.unwrap(), Some(v20));
    assert_eq!(policies.in_force(PolicyKind::Terms, at(16)).await.unwrap(), Some(terms));

    let acceptance = PolicyAcceptance {
        tenant_id: tenant,
        user_id: user,
        kind: PolicyKind::Privacy,
        version: "v10".into(),
        accepted_at: at(11),
        channel: AcceptanceChannel::Web,
    };
    assert!(policies.record_acceptance(&acceptance).await.unwrap());
    let again = PolicyAcceptance {
        accepted_at: at(12),
        channel: AcceptanceChannel::Api,
        ..acceptance.clone()
    };
    assert!(
        !policies.record_acceptance(&again).await.unwrap(),
        "the first one stays"
    );
    assert_eq!(
        policies
            .acceptance(tenant, user, PolicyKind::Privacy, "v10")
            .await
            .unwrap(),
        Some(acceptance)
    );
    assert_eq!(
        policies
            .acceptance(TenantId::from_uuid(id()), user, PolicyKind::Privacy, "v10")
            .await
            .unwrap(),
        None
    );
}

async fn users_are_scanned_in_key_order_across_tenants(store: SqlStore) {
    for n in 0..3 {
        seeded_user(&store, &format!("scan-{n}@example.com")).await;
    }
    let uow = store.begin().await.unwrap();
    let mut seen = Vec::new();
    let mut after = None;
    loop {
        let page = uow.users().scan(after, 2).await.unwrap();
        let Some(last) = page.last() else { break };
        after = Some((last.tenant_id, last.id));
        seen.extend(page.into_iter().map(|u| (u.tenant_id, u.id)));
    }
    let mut sorted = seen.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(seen, sorted, "in key order, each once");
    assert_eq!(seen.len(), 3);
}

/// Users who signed up before acceptances were recorded keep the version on
/// their user row as an acceptance; invited users are told apart.
async fn acceptances_are_carried_over(backend: fakturo_database::Backend) {
    use fakturo_database::scratch::{ScratchDatabase, ScratchError};
    use fakturo_database::{DatabaseSettings, connect, migrate};
    use fakturo_domain::InvitationId;
    use fakturo_domain::access::team::Invitation;
    use fakturo_domain::access::user::Role;
    use fakturo_migrations::{Migrator, MigratorTrait};

    let scratch = match ScratchDatabase::create(backend).await {
        Ok(scratch) => scratch,
        Err(skip @ ScratchError::Skipped(_)) => {
            fakturo_database::scratch::announce_skip(&skip);
            return;
        }
        Err(error) => panic!("{error}"),
    };
    let settings = DatabaseSettings {
        url: scratch.url().to_owned(),
        max_connections: 2,
        acquire_timeout: std::time::Duration::from_secs(30),
    };
    let db = connect(&settings).await.unwrap();
    Migrator::up(&db, Some(4)).await.unwrap();
    let store = SqlStore::new(db.clone());
    let org = organization();
    let owner = user(org.id, "founder@example.com");
    let mut member = user(org.id, "Joiner@Example.com");
    member.role = Role::Member;
    member.created_at = at(5);
    let invitation = Invitation {
        id: InvitationId::from_uuid(id()),
        tenant_id: org.id,
        email: EmailAddress::parse("joiner@example.com").unwrap(),
        role: Role::Member,
        invited_by: owner.id,
        token_digest: None,
        created_at: at(4),
        expires_at: at(11),
        accepted_at: Some(at(5)),
        revoked_at: None,
    };
    // The organization as the schema of then had it (later migrations add columns).
    {
        use sea_orm::ConnectionTrait;
        use sea_orm::sea_query::{Alias, Query};
        let insert = Query::insert()
            .into_table(Alias::new("organizations"))
            .columns(
                [
                    "id",
                    "name",
                    "country",
                    "default_currency",
                    "time_zone",
                    "invoice_number_pattern",
                    "default_payment_terms_days",
                    "created_at",
                ]
                .map(Alias::new),
            )
            .values([
                org.id.as_uuid().into(),
                org.name.clone().into(),
                "DE".into(),
                "EUR".into(),
                "Europe/Berlin".into(),
                org.invoice_number_pattern.as_str().into(),
                14_i32.into(),
                org.created_at.into(),
            ])
            .unwrap()
            .to_owned();
        db.execute(&insert).await.unwrap();
    }
    let uow = store.begin().await.unwrap();
    let hash = PasswordHash::from_phc("x".into());
    uow.users().insert(&owner, &hash).await.unwrap();
    uow.users().insert(&member, &hash).await.unwrap();
    uow.invitations().insert(&invitation).await.unwrap();
    uow.commit().await.unwrap();

    migrate(&db).await.unwrap();
    let uow = store.begin().await.unwrap();
    let carried = |u: UserId| {
        let uow = &uow;
        async move {
            uow.policies()
                .acceptance(org.id, u, PolicyKind::Privacy, "2026-11-01")
                .await
                .unwrap()
                .unwrap()
        }
    };
    let founder = carried(owner.id).await;
    assert_eq!(
        (founder.channel, founder.accepted_at),
        (AcceptanceChannel::Signup, at(1))
    );
    let joiner = carried(member.id).await;
    assert_eq!(
        (joiner.channel, joiner.accepted_at),
        (AcceptanceChannel::Invitation, at(5))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acceptances_are_carried_over_on_sqlite() {
    acceptances_are_carried_over(fakturo_database::Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acceptances_are_carried_over_on_postgres() {
    acceptances_are_carried_over(fakturo_database::Backend::Postgres).await;
}
