//! The repository test suite, run against SQLite and PostgreSQL alike: every
//! case is a plain async function taking a migrated store, and
//! `on_both_backends!` turns each into one test per backend.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::{DateTime, NaiveDate, TimeDelta, TimeZone as _, Utc};
use fakturo_database::scratch::{ScratchDatabase, ScratchError};
use fakturo_database::{Backend, DatabaseSettings, SqlStore, connect, migrate};
use fakturo_domain::access::ports::{IdempotencyRecord, PasswordHash};
use fakturo_domain::access::session::Session;
use fakturo_domain::access::user::{Role, User};
use fakturo_domain::invoicing::client::{Client, ClientDetails, ClientFields, ClientPrivacy};
use fakturo_domain::invoicing::invoice::payment::{Payment, PaymentMethod};
use fakturo_domain::invoicing::invoice::{Invoice, InvoiceContent, InvoiceFields, InvoiceStatus, LineFields};
use fakturo_domain::invoicing::ports::InvoiceFilter;
use fakturo_domain::kernel::email::EmailAddress;
use fakturo_domain::kernel::money::{Currency, Money};
use fakturo_domain::kernel::numbering::NumberPattern;
use fakturo_domain::kernel::pagination::PageRequest;
use fakturo_domain::kernel::repository::RepositoryError;
use fakturo_domain::kernel::tokens::SecretToken;
use fakturo_domain::tenancy::{Country, Organization, TimeZone};
use fakturo_domain::{ClientId, InvoiceId, PaymentId, SessionId, TenantId, UserId};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use uuid::Uuid;

/// A migrated store on a fresh database, or `None` (with one printed line) when skipped.
async fn scratch_store(backend: Backend) -> Option<(ScratchDatabase, SqlStore)> {
    let scratch = match ScratchDatabase::create(backend).await {
        Ok(scratch) => scratch,
        Err(skip @ ScratchError::Skipped(_)) => {
            fakturo_database::scratch::announce_skip(&skip);
            return None;
        }
        Err(error) => panic!("{error}"),
    };
    let settings = DatabaseSettings {
        url: scratch.url().to_owned(),
        max_connections: 10,
        acquire_timeout: std::time::Duration::from_secs(30),
    };
    let db = connect(&settings).await.expect("connect");
    migrate(&db).await.expect("migrate");
    Some((scratch, SqlStore::new(db)))
}

macro_rules! on_both_backends {
    ($($case:ident),+ $(,)?) => {
        mod sqlite {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $case() {
                if let Some((_scratch, store)) = crate::scratch_store(fakturo_database::Backend::Sqlite).await {
                    super::$case(store).await;
                }
            })+
        }
        mod postgres {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $case() {
                if let Some((_scratch, store)) = crate::scratch_store(fakturo_database::Backend::Postgres).await {
                    super::$case(store).await;
                }
            })+
        }
    };
}

mod access;
mod billing;
mod data_map;
mod privacy;
mod privacy_requests;

on_both_backends!(
    organizations_and_users_round_trip,
    sessions_expire_and_can_be_ended,
    clients_crud_pagination_and_isolation,
    invoices_round_trip_and_filter,
    drafts_update_and_delete_only_while_draft,
    numbering_counts_per_series_and_rolls_back,
    payments_check_the_amount_they_saw,
    idempotency_records_claim_replay_and_release,
    jobs_are_claimed_once_retried_and_buried,
);

fn at(day: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, day, 12, 0, 0).unwrap()
}

fn id() -> Uuid {
    Uuid::now_v7()
}

fn organization() -> Organization {
    Organization {
        id: TenantId::from_uuid(id()),
        name: "Muster GmbH".into(),
        country: Country::parse("DE").unwrap(),
        default_currency: Currency::parse("EUR").unwrap(),
        time_zone: TimeZone::parse("Europe/Berlin").unwrap(),
        invoice_number_pattern: NumberPattern::default_invoice(),
        default_payment_terms_days: 14,
        created_at: at(1),
        closure: None,
        profile: fakturo_domain::tenancy::OrganizationProfile::default(),
    }
}

fn user(tenant: TenantId, email: &str) -> User {
    User {
        id: UserId::from_uuid(id()),
        tenant_id: tenant,
        email: EmailAddress::parse(email).unwrap(),
        name: "Erika Mustermann".into(),
        role: Role::Owner,
        accepted_policy_version: "2026-11-01".into(),
        email_verified_at: None,
        created_at: at(1),
    }
}

fn client(tenant: TenantId, name: &str) -> Client {
    Client {
        id: ClientId::from_uuid(id()),
        tenant_id: tenant,
        details: ClientDetails::parse(ClientFields {
            name: Some(name.into()),
            email: Some("billing@example.com".into()),
            country: Some("FR".into()),
            currency: Some("EUR".into()),
            ..ClientFields::default()
        })
        .unwrap(),
        privacy: ClientPrivacy::default(),
        created_at: at(2),
        updated_at: at(2),
    }
}

fn line(quantity: &str, unit_price: &str, tax_rate: &str) -> LineFields {
    LineFields {
        description: "Design work".into(),
        quantity: quantity.into(),
        unit_price: unit_price.into(),
        tax_rate: tax_rate.into(),
        discount_percent: Some("0".into()),
        product_id: None,
    }
}

fn worked_example(tenant: TenantId, client: ClientId) -> Invoice {
    let content = InvoiceContent::parse(InvoiceFields {
        client_id: Some(client),
        currency: Some("EUR".into()),
        due_date: Some(Some(NaiveDate::from_ymd_opt(2026, 12, 15).unwrap())),
        notes: Some(Some("Thank you!".into())),
        lines: Some(vec![
            line("3", "19.99", "19"),
            line("1.5", "80.00", "7"),
            line("2", "0.333", "19"),
        ]),
        ..InvoiceFields::default()
    })
    .unwrap();
    Invoice::draft(InvoiceId::from_uuid(id()), tenant, content, at(3)).unwrap()
}

/// A tenant with one client, committed.
async fn seeded(store: &SqlStore) -> (Organization, Client) {
    let org = organization();
    let c = client(org.id, "Client SARL");
    let uow = store.begin().await.unwrap();
    uow.organizations().insert(&org).await.unwrap();
    uow.clients().insert(&c).await.unwrap();
    uow.commit().await.unwrap();
    (org, c)
}

async fn organizations_and_users_round_trip(store: SqlStore) {
    let org = organization();
    let owner = user(org.id, "Erika@Example.com");
    let hash = PasswordHash::from_phc("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into());
    let uow = store.begin().await.unwrap();
    uow.organizations().insert(&org).await.unwrap();
    uow.users().insert(&owner, &hash).await.unwrap();
    uow.commit().await.unwrap();

    let uow = store.begin().await.unwrap();
    assert_eq!(uow.organizations().get(org.id).await.unwrap(), Some(org.clone()));
    let (found, found_hash) = uow
        .users()
        .find_credentials("erika@example.com")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found, owner);
    assert_eq!(found_hash, hash);
    assert_eq!(uow.users().get(org.id, owner.id).await.unwrap(), Some(owner.clone()));
    let stranger = TenantId::from_uuid(id());
    assert_eq!(uow.users().get(stranger, owner.id).await.unwrap(), None);
    let twin = user(org.id, "erika@EXAMPLE.com");
    assert!(matches!(
        uow.users().insert(&twin, &hash).await,
        Err(RepositoryError::Duplicate { .. })
    ));
}

async fn sessions_expire_and_can_be_ended(store: SqlStore) {
    let org = organization();
    let owner = user(org.id, "owner@example.com");
    let token = SecretToken::new("token-1".into());
    let session = Session {
        id: SessionId::from_uuid(id()),
        tenant_id: org.id,
        user_id: owner.id,
        token_digest: token.digest(),
        created_at: at(1),
        expires_at: at(1) + TimeDelta::hours(24),
        last_seen_at: at(1),
    };
    let uow = store.begin().await.unwrap();
    uow.organizations().insert(&org).await.unwrap();
    uow.users()
        .insert(&owner, &PasswordHash::from_phc("x".into()))
        .await
        .unwrap();
    uow.sessions().insert(&session).await.unwrap();
    uow.commit().await.unwrap();

    let uow = store.begin().await.unwrap();
    let digest = token.digest();
    let idle = TimeDelta::hours(2);
    assert_eq!(
        uow.sessions().find_active(&digest, at(1), at(1) - idle).await.unwrap(),
        Some(session.clone())
    );
    let later = at(1) + TimeDelta::hours(3);
    assert_eq!(
        uow.sessions().find_active(&digest, later, later - idle).await.unwrap(),
        None,
        "idle for three hours"
    );
    uow.sessions()
        .touch(org.id, session.id, later - TimeDelta::hours(1))
        .await
        .unwrap();
    assert!(
        uow.sessions()
            .find_active(&digest, later, later - idle)
            .await
            .unwrap()
            .is_some(),
        "used an hour ago"
    );
    assert_eq!(
        uow.sessions()
            .find_active(&digest, at(2), at(2) - TimeDelta::days(2))
            .await
            .unwrap(),
        None,
        "expired after 24 h however active"
    );
    assert!(
        !uow.sessions()
            .delete(TenantId::from_uuid(id()), session.id)
            .await
            .unwrap()
    );
    assert!(uow.sessions().delete(org.id, session.id).await.unwrap());
    assert_eq!(
        uow.sessions()
            .find_active(&digest, at(1), at(1) - TimeDelta::days(1))
            .await
            .unwrap(),
        None
    );
}

async fn clients_crud_pagination_and_isolation(store: SqlStore) {
    let (org, first) = seeded(&store).await;
    let uow = store.begin().await.unwrap();
    for n in 0..4 {
        uow.clients()
            .insert(&client(org.id, &format!("Client {n}")))
            .await
            .unwrap();
    }
    uow.commit().await.unwrap();

    let uow = store.begin().await.unwrap();
    let mut names = Vec::new();
    let mut page = PageRequest::new(Some(2), None).unwrap();
    loop {
        let found = uow.clients().list(org.id, page).await.unwrap();
        assert!(found.items.len() <= 2);
        names.extend(found.items.iter().map(|c| c.details.name.clone()));
        match found.next_cursor {
            Some(cursor) => page = PageRequest::new(Some(2), Some(&cursor)).unwrap(),
            None => break,
        }
    }
    assert_eq!(names, ["Client 3", "Client 2", "Client 1", "Client 0", "Client SARL"]);

    let other = organization();
    uow.organizations().insert(&other).await.unwrap();
    assert_eq!(uow.clients().get(other.id, first.id).await.unwrap(), None);
    assert!(
        uow.clients()
            .list(other.id, PageRequest::first())
            .await
            .unwrap()
            .items
            .is_empty()
    );
    assert!(!uow.clients().delete(other.id, first.id).await.unwrap());

    let mut changed = first.clone();
    changed.details.name = "Renamed SARL".into();
    changed.details.phone = Some("+33 1 23 45 67 89".into());
    assert!(uow.clients().update(&changed).await.unwrap());
    assert_eq!(uow.clients().get(org.id, first.id).await.unwrap(), Some(changed));
    let mut foreign = first.clone();
    foreign.tenant_id = other.id;
    assert!(
        !uow.clients().update(&foreign).await.unwrap(),
        "no write through a foreign tenant"
    );
    assert!(!uow.clients().has_invoices(org.id, first.id).await.unwrap());
    assert!(uow.clients().delete(org.id, first.id).await.unwrap());
    assert_eq!(uow.clients().get(org.id, first.id).await.unwrap(), None);
}

async fn invoices_round_trip_and_filter(store: SqlStore) {
    let (org, c) = seeded(&store).await;
    let draft = worked_example(org.id, c.id);
    let uow = store.begin().await.unwrap();
    uow.invoices().insert(&draft).await.unwrap();
    let loaded = uow.invoices().get(org.id, draft.id).await.unwrap().unwrap();
    assert_eq!(loaded, draft);
    assert_eq!(loaded.totals().total.to_string(), "200.56");
    assert_eq!(loaded.content.lines[2].unit_price.to_string(), "0.333");
    assert!(uow.clients().has_invoices(org.id, c.id).await.unwrap());
    assert_eq!(
        uow.invoices().get(TenantId::from_uuid(id()), draft.id).await.unwrap(),
        None
    );

    let mut open = worked_example(org.id, c.id);
    uow.invoices().insert(&open).await.unwrap();
    let dates = open
        .finalization_dates(NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(), 14)
        .unwrap();
    open.mark_finalized("INV-2026-0001".into(), dates, at(20));
    uow.invoices().save_finalized(&open).await.unwrap();
    assert!(matches!(
        uow.invoices().save_finalized(&open).await,
        Err(RepositoryError::Conflict)
    ));

    let all = uow
        .invoices()
        .list(org.id, InvoiceFilter::default(), PageRequest::first())
        .await
        .unwrap();
    assert_eq!(all.items.len(), 2);
    assert_eq!(all.items[0].id, open.id, "newest first");
    let open_only = InvoiceFilter {
        status: Some(InvoiceStatus::Open),
        ..InvoiceFilter::default()
    };
    let found = uow
        .invoices()
        .list(org.id, open_only, PageRequest::first())
        .await
        .unwrap();
    assert_eq!(found.items, vec![open.clone()]);
    let overdue_on = |day| InvoiceFilter {
        overdue_on: Some(NaiveDate::from_ymd_opt(2026, 12, day).unwrap()),
        ..InvoiceFilter::default()
    };
    assert!(
        uow.invoices()
            .list(org.id, overdue_on(15), PageRequest::first())
            .await
            .unwrap()
            .items
            .is_empty()
    );
    assert_eq!(
        uow.invoices()
            .list(org.id, overdue_on(16), PageRequest::first())
            .await
            .unwrap()
            .items
            .len(),
        1
    );
    uow.commit().await.unwrap();
}

async fn drafts_update_and_delete_only_while_draft(store: SqlStore) {
    let (org, c) = seeded(&store).await;
    let mut draft = worked_example(org.id, c.id);
    let uow = store.begin().await.unwrap();
    uow.invoices().insert(&draft).await.unwrap();
    let content = draft
        .content
        .patched(InvoiceFields {
            lines: Some(vec![line("1", "10", "19")]),
            ..InvoiceFields::default()
        })
        .unwrap();
    draft.replace_content(content, at(4)).unwrap();
    uow.invoices().update_draft(&draft).await.unwrap();
    let loaded = uow.invoices().get(org.id, draft.id).await.unwrap().unwrap();
    assert_eq!(loaded.content.lines.len(), 1);
    assert_eq!(loaded.totals().total.to_string(), "11.90");

    let dates = draft
        .finalization_dates(NaiveDate::from_ymd_opt(2026, 11, 4).unwrap(), 14)
        .unwrap();
    let mut finalized = draft.clone();
    finalized.mark_finalized("INV-2026-0001".into(), dates, at(4));
    uow.invoices().save_finalized(&finalized).await.unwrap();
    assert!(matches!(
        uow.invoices().update_draft(&draft).await,
        Err(RepositoryError::Conflict)
    ));
    assert!(!uow.invoices().delete_draft(org.id, draft.id).await.unwrap());
    let other = worked_example(org.id, c.id);
    uow.invoices().insert(&other).await.unwrap();
    assert!(uow.invoices().delete_draft(org.id, other.id).await.unwrap());
    assert_eq!(uow.invoices().get(org.id, other.id).await.unwrap(), None);
    uow.commit().await.unwrap();
}

async fn numbering_counts_per_series_and_rolls_back(store: SqlStore) {
    let (org, _) = seeded(&store).await;
    let uow = store.begin().await.unwrap();
    assert_eq!(uow.numbering().next_in_series(org.id, "INV-2026-#").await.unwrap(), 1);
    assert_eq!(uow.numbering().next_in_series(org.id, "INV-2026-#").await.unwrap(), 2);
    assert_eq!(uow.numbering().next_in_series(org.id, "INV-2027-#").await.unwrap(), 1);
    uow.commit().await.unwrap();

    let uow = store.begin().await.unwrap();
    assert_eq!(uow.numbering().next_in_series(org.id, "INV-2026-#").await.unwrap(), 3);
    drop(uow); // rolled back: number 3 is not used up

    let uow = store.begin().await.unwrap();
    assert_eq!(uow.numbering().next_in_series(org.id, "INV-2026-#").await.unwrap(), 3);
    let other = organization();
    uow.organizations().insert(&other).await.unwrap();
    assert_eq!(uow.numbering().next_in_series(other.id, "INV-2026-#").await.unwrap(), 1);
    uow.commit().await.unwrap();
}

async fn payments_check_the_amount_they_saw(store: SqlStore) {
    let (org, c) = seeded(&store).await;
    let mut invoice = worked_example(org.id, c.id);
    let uow = store.begin().await.unwrap();
    uow.invoices().insert(&invoice).await.unwrap();
    let dates = invoice
        .finalization_dates(NaiveDate::from_ymd_opt(2026, 11, 4).unwrap(), 14)
        .unwrap();
    invoice.mark_finalized("INV-2026-0001".into(), dates, at(4));
    uow.invoices().save_finalized(&invoice).await.unwrap();

    let eur = Currency::parse("EUR").unwrap();
    let stale = invoice.clone();
    invoice.apply_payment(Money::from_minor(10_000, eur), at(5)).unwrap();
    let payment = Payment {
        id: PaymentId::from_uuid(id()),
        tenant_id: org.id,
        invoice_id: invoice.id,
        amount: Money::from_minor(10_000, eur),
        paid_on: NaiveDate::from_ymd_opt(2026, 11, 5).unwrap(),
        method: PaymentMethod::BankTransfer,
        reference: Some("RF18 5390 0754 7034".into()),
        created_at: at(5),
    };
    uow.invoices().record_payment(&invoice, &payment).await.unwrap();
    let loaded = uow
        .invoices()
        .get_for_update(org.id, invoice.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(loaded.status, InvoiceStatus::PartiallyPaid);
    assert_eq!(loaded.balance_due().to_string(), "100.56");

    // A writer that read the invoice before the first payment loses.
    let mut late = stale;
    late.apply_payment(Money::from_minor(500, eur), at(5)).unwrap();
    let second = Payment {
        id: PaymentId::from_uuid(id()),
        amount: Money::from_minor(500, eur),
        ..payment
    };
    assert!(matches!(
        uow.invoices().record_payment(&late, &second).await,
        Err(RepositoryError::Conflict)
    ));
    uow.commit().await.unwrap();
}

async fn idempotency_records_claim_replay_and_release(store: SqlStore) {
    let (org, _) = seeded(&store).await;
    let record = IdempotencyRecord {
        tenant_id: org.id,
        key: "create-client-42".into(),
        request_digest: "d1".into(),
        started_at: at(1),
        response: None,
    };
    let uow = store.begin().await.unwrap();
    assert!(uow.idempotency().try_insert(&record).await.unwrap());
    assert!(!uow.idempotency().try_insert(&record).await.unwrap());
    uow.idempotency()
        .complete(org.id, &record.key, "{\"id\":1}")
        .await
        .unwrap();
    let stored = uow.idempotency().get(org.id, &record.key).await.unwrap().unwrap();
    assert_eq!(stored.response, Some("{\"id\":1}".to_owned()));
    let replacement = IdempotencyRecord {
        request_digest: "d2".into(),
        started_at: at(3),
        ..record.clone()
    };
    assert!(!uow.idempotency().take_over(at(2), &replacement).await.unwrap());
    assert!(uow.idempotency().take_over(at(1), &replacement).await.unwrap());
    let stored = uow.idempotency().get(org.id, &record.key).await.unwrap().unwrap();
    assert_eq!((stored.request_digest.as_str(), stored.response), ("d2", None));
    uow.idempotency().release(org.id, &record.key).await.unwrap();
    assert_eq!(uow.idempotency().get(org.id, &record.key).await.unwrap(), None);
    uow.commit().await.unwrap();
}

async fn jobs_are_claimed_once_retried_and_buried(store: SqlStore) {
    use fakturo_domain::messaging::outbox::{Effect, JobStatus, NewJob};
    use fakturo_domain::messaging::ports::JobQueue;

    let (org, _) = seeded(&store).await;
    let job = |key: &str, run_at| NewJob {
        id: id(),
        tenant_id: Some(org.id),
        effect: Effect::SendInvoiceEmail {
            invoice_id: InvoiceId::from_uuid(id()),
        },
        idempotency_key: key.into(),
        run_at,
        max_attempts: 2,
    };
    let uow = store.begin().await.unwrap();
    assert!(uow.jobs().enqueue(&job("a", at(1))).await.unwrap());
    assert!(uow.jobs().enqueue(&job("b", at(1))).await.unwrap());
    assert!(
        !uow.jobs().enqueue(&job("a", at(1))).await.unwrap(),
        "same key, one job"
    );
    assert!(uow.jobs().enqueue(&job("later", at(9))).await.unwrap());
    drop(uow); // rolled back: an outbox entry exists only if its transaction commits
    assert!(
        store
            .claim("w", at(2), TimeDelta::minutes(5), 10)
            .await
            .unwrap()
            .is_empty()
    );

    let uow = store.begin().await.unwrap();
    for (key, run_at) in [("a", at(1)), ("b", at(1)), ("later", at(9))] {
        assert!(uow.jobs().enqueue(&job(key, run_at)).await.unwrap());
    }
    uow.commit().await.unwrap();

    let claimed = store.claim("w1", at(2), TimeDelta::minutes(5), 10).await.unwrap();
    assert_eq!(claimed.len(), 2, "only due jobs");
    assert!(
        claimed
            .iter()
            .all(|j| j.status == JobStatus::Running && j.attempts == 1)
    );
    assert!(
        store
            .claim("w2", at(2), TimeDelta::minutes(5), 10)
            .await
            .unwrap()
            .is_empty(),
        "leased"
    );
    let lease_over = at(2) + TimeDelta::minutes(6);
    let reclaimed = store.claim("w2", lease_over, TimeDelta::minutes(5), 10).await.unwrap();
    assert_eq!(reclaimed.len(), 2, "a crashed worker's jobs are taken again");
    assert!(reclaimed.iter().all(|j| j.attempts == 2));

    let (first, second) = (&reclaimed[0], &reclaimed[1]);
    store.complete(first.id, lease_over).await.unwrap();
    store.fail(second.id, "smtp timeout", None, lease_over).await.unwrap();
    let dead = store.list(JobStatus::Dead, 10).await.unwrap();
    assert_eq!(dead.len(), 1);
    assert_eq!(dead[0].last_error.as_deref(), Some("smtp timeout"));
    assert_eq!(store.list(JobStatus::Done, 10).await.unwrap().len(), 1);
    assert!(store.retry(second.id, lease_over).await.unwrap());
    assert!(
        !store.retry(first.id, lease_over).await.unwrap(),
        "only dead jobs are retried"
    );
    let revived = store.claim("w3", lease_over, TimeDelta::minutes(5), 10).await.unwrap();
    assert_eq!(revived.len(), 1);
    assert_eq!(revived[0].attempts, 1, "a retried job gets a fresh set of attempts");
    store
        .fail(
            revived[0].id,
            "again",
            Some(lease_over + TimeDelta::minutes(1)),
            lease_over,
        )
        .await
        .unwrap();
    assert!(
        store
            .claim("w3", lease_over, TimeDelta::minutes(5), 10)
            .await
            .unwrap()
            .is_empty(),
        "backing off"
    );
    let retried = store
        .claim("w3", lease_over + TimeDelta::minutes(1), TimeDelta::minutes(5), 10)
        .await
        .unwrap();
    assert_eq!(retried.len(), 1);
    assert_eq!(retried[0].last_error.as_deref(), Some("again"));
}

/// Amounts, quantities and prices survive both databases exactly.
fn money_round_trips(backend: Backend) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let Some((_scratch, store)) = runtime.block_on(scratch_store(backend)) else {
        return;
    };
    let (org, c) = runtime.block_on(seeded(&store));
    let strategy = (
        prop_oneof![Just("EUR"), Just("JPY"), Just("BHD")],
        prop::collection::vec(
            (
                1..=999_999_999_i64,
                0..=6_u32,
                -999_999_999_999_i64..=999_999_999_999,
                0..=6_u32,
            ),
            1..6,
        ),
        0..=i64::MAX / 4,
    );
    let mut runner = TestRunner::new(Config::with_cases(48));
    runner
        .run(&strategy, |(code, lines, paid)| {
            let currency = Currency::parse(code).unwrap();
            let fields: Vec<LineFields> = lines
                .iter()
                .map(|&(q, qs, p, ps)| LineFields {
                    description: "Line".into(),
                    quantity: rust_decimal_text(q, qs),
                    unit_price: rust_decimal_text(p, ps),
                    tax_rate: "19".into(),
                    discount_percent: None,
                    product_id: None,
                })
                .collect();
            let Ok(content) = InvoiceContent::parse(InvoiceFields {
                client_id: Some(c.id),
                currency: Some(code.into()),
                lines: Some(fields),
                ..InvoiceFields::default()
            }) else {
                return Ok(()); // out of the accepted range: nothing to store
            };
            let Ok(mut invoice) = Invoice::draft(InvoiceId::from_uuid(id()), org.id, content, at(3)) else {
                return Ok(()); // totals overflow i64: refused before storage
            };
            invoice.amount_paid = Money::from_minor(paid, currency);
            runtime.block_on(async {
                let uow = store.begin().await.unwrap();
                uow.invoices().insert(&invoice).await.unwrap();
                let loaded = uow.invoices().get(org.id, invoice.id).await.unwrap().unwrap();
                prop_assert_eq!(&loaded, &invoice);
                prop_assert_eq!(loaded.amount_paid.minor(), paid);
                uow.commit().await.unwrap();
                Ok(())
            })
        })
        .unwrap();
}

fn rust_decimal_text(mantissa: i64, scale: u32) -> String {
    rust_decimal::Decimal::new(mantissa, scale).to_string()
}

#[test]
fn money_round_trips_through_sqlite() {
    money_round_trips(Backend::Sqlite);
}

#[test]
fn money_round_trips_through_postgres() {
    money_round_trips(Backend::Postgres);
}

/// The server refuses a schema newer than itself, and reports one that is behind.
#[tokio::test]
async fn a_newer_schema_is_refused_and_an_older_one_reported() {
    use fakturo_database::{ConnectError, check_schema};
    use sea_orm::ConnectionTrait;

    let scratch = ScratchDatabase::create(Backend::Sqlite).await.unwrap();
    let settings = DatabaseSettings {
        url: scratch.url().to_owned(),
        max_connections: 1,
        acquire_timeout: std::time::Duration::from_secs(5),
    };
    let db = connect(&settings).await.unwrap();
    assert!(matches!(check_schema(&db).await, Err(ConnectError::SchemaBehind(n)) if n > 0));
    migrate(&db).await.unwrap();
    check_schema(&db).await.unwrap();
    migrate(&db).await.unwrap(); // idempotent
    db.execute_unprepared(
        "INSERT INTO seaql_migrations (version, applied_at) VALUES ('m29991231_000001_from_the_future', 0)",
    )
    .await
    .unwrap();
    let refused = migrate(&db).await;
    assert!(
        matches!(&refused, Err(ConnectError::SchemaTooNew(names)) if names.contains("from_the_future")),
        "{refused:?}"
    );
    assert!(matches!(check_schema(&db).await, Err(ConnectError::SchemaTooNew(_))));
}
