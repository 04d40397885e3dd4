//! Encrypted backups on the real databases: the restore drill (data made
//! through the API → `backup` → `restore` into a fresh database → every
//! table's row count and checksum identical, and the restored database
//! serves the same invoices), no plaintext in a backup file, refusals (a
//! database holding any table, the wrong key, the other backend, no
//! recipient), and the expiry clock of `retention.backup_days`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDateTime, TimeDelta, Utc};
use fakturo_database::Backend;
use fakturo_database::scratch::ScratchDatabase;
use fakturo_server::{Settings, ops};
use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::on_both_backends;
use crate::support::TestApp;

on_both_backends!(
    the_restore_drill_gives_back_every_row,
    a_restore_is_refused_unless_everything_fits,
    backups_expire_after_backup_days_as_of_a_date,
);

/// A backup folder, and in another folder the private key.
struct BackupSetup {
    settings: Settings,
    backups: tempfile::TempDir,
    identity: PathBuf,
    _keys: tempfile::TempDir,
}

fn backup_setup(app: &TestApp) -> BackupSetup {
    let backups = tempfile::tempdir().unwrap();
    let keys = tempfile::tempdir().unwrap();
    let identity = keys.path().join("backup-identity.txt");
    let key_file = ops::backup_keygen();
    std::fs::write(&identity, &key_file).unwrap();
    let recipient = key_file
        .lines()
        .find_map(|line| line.strip_prefix("# public key: "))
        .unwrap()
        .to_owned();
    let mut settings = Settings::clone(&app.state.settings);
    settings.retention.backup_dir = backups.path().display().to_string();
    settings.retention.backup_recipient = recipient;
    settings.validate().unwrap();
    BackupSetup {
        settings,
        backups,
        identity,
        _keys: keys,
    }
}

fn backend_of(app: &TestApp) -> Backend {
    Backend::of_url(&app.state.settings.database.url).unwrap()
}

/// Runs `backup` and returns the one backup file it wrote.
async fn run_backup(setup: &BackupSetup) -> PathBuf {
    let before = files_in(setup.backups.path());
    let report = ops::backup(&setup.settings).await.unwrap();
    let new: Vec<String> = files_in(setup.backups.path()).difference(&before).cloned().collect();
    assert_eq!(new.len(), 1, "{report}: {new:?}");
    assert!(report.contains(&new[0]), "{report}");
    setup.backups.path().join(&new[0])
}

fn files_in(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

/// An organization with a team, clients, finalized and paid invoices, a
/// draft, and a second organization; returns the owner's token and the id
/// of a paid invoice.
async fn seed(app: &TestApp) -> (String, String) {
    let owner = app.signup("drill.owner@backup.example").await;
    app.join(&owner, "drill.books@backup.example", "accountant").await;
    let mut paid = String::new();
    for (name, amount) in [("Acme Bau GmbH", "200.56"), ("Beta Studio", "50.00")] {
        let client = app.client(&owner, name).await;
        let id = app.worked_example(&owner, &client).await.str("id");
        let finalized = app
            .post(&format!("/api/v1/invoices/{id}/finalize"), &owner.token, json!({}))
            .await;
        assert_eq!(finalized.status, StatusCode::OK, "{:?}", finalized.body);
        let payment = app
            .post(
                &format!("/api/v1/invoices/{id}/payments"),
                &owner.token,
                json!({"amount": amount, "paid_on": "2026-11-22", "method": "bank_transfer"}),
            )
            .await;
        assert_eq!(payment.status, StatusCode::CREATED, "{:?}", payment.body);
        paid = id;
    }
    let draft_client = app.client(&owner, "Gamma Events").await;
    app.worked_example(&owner, &draft_client).await;
    let other = app.signup("drill.other@backup.example").await;
    let other_client = app.client(&other, "Delta Druck").await;
    app.worked_example(&other, &other_client).await;
    app.drain_jobs().await;
    (owner.token, paid)
}

/// Every table of the schema (from `sqlite_master` or `information_schema`)
/// with its row count and a SHA-256 over its rows' text, in primary-key order.
async fn fingerprints(url: &str) -> BTreeMap<String, (usize, String)> {
    let db = fakturo_database::connect(&fakturo_database::DatabaseSettings {
        url: url.to_owned(),
        max_connections: 1,
        acquire_timeout: std::time::Duration::from_secs(30),
    })
    .await
    .unwrap();
    let backend = db.get_database_backend();
    let tables = fakturo_database::data_map::schema_columns(&db).await.unwrap();
    let mut prints = BTreeMap::new();
    for table in tables.keys() {
        let sql = match backend {
            DbBackend::Sqlite => {
                let columns = db
                    .query_all_raw(Statement::from_string(
                        backend,
                        format!("SELECT name, pk FROM pragma_table_info('{table}') ORDER BY cid"),
                    ))
                    .await
                    .unwrap();
                let mut keys: Vec<(i64, String)> = Vec::new();
                let mut rendered = Vec::new();
                for column in columns {
                    let name: String = column.try_get("", "name").unwrap();
                    let pk: i64 = column.try_get("", "pk").unwrap();
                    if pk > 0 {
                        keys.push((pk, format!("\"{name}\"")));
                    }
                    rendered.push(format!("quote(\"{name}\")"));
                }
                keys.sort();
                let order = order_by(keys.into_iter().map(|(_, k)| k).collect());
                format!(
                    "SELECT {} AS row_text FROM \"{table}\" ORDER BY {order}",
                    rendered.join(" || char(31) || ")
                )
            }
            _ => {
                let keys = db
                    .query_all_raw(Statement::from_string(
                        backend,
                        format!(
                            "SELECT a.attname::text AS name FROM pg_index i JOIN pg_attribute a \
                             ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) \
                             WHERE i.indrelid = '\"{table}\"'::regclass AND i.indisprimary \
                             ORDER BY array_position(i.indkey::int2[], a.attnum)"
                        ),
                    ))
                    .await
                    .unwrap()
                    .into_iter()
                    .map(|row| format!("\"{}\"", row.try_get::<String>("", "name").unwrap()))
                    .collect();
                format!(
                    "SELECT t::text AS row_text FROM \"{table}\" t ORDER BY {}",
                    order_by(keys)
                )
            }
        };
        let rows = db.query_all_raw(Statement::from_string(backend, sql)).await.unwrap();
        let mut hash = Sha256::new();
        for row in &rows {
            let text: Option<String> = row.try_get("", "row_text").unwrap();
            hash.update(text.unwrap_or_default().as_bytes());
            hash.update(b"\n");
        }
        prints.insert(table.clone(), (rows.len(), format!("{:x}", hash.finalize())));
    }
    let _ = db.close().await;
    prints
}

/// The primary key, or the whole row where a table has none.
fn order_by(keys: Vec<String>) -> String {
    if keys.is_empty() { "1".into() } else { keys.join(", ") }
}

async fn the_restore_drill_gives_back_every_row(app: TestApp) {
    let (owner_token, paid_invoice) = seed(&app).await;
    let setup = backup_setup(&app);
    let file = run_backup(&setup).await;
    let name = file.file_name().unwrap().to_string_lossy().into_owned();
    let suffix = match backend_of(&app) {
        Backend::Sqlite => ".sqlite.age",
        Backend::Postgres => ".pgdump.age",
    };
    assert!(name.starts_with("fakturo-") && name.ends_with(suffix), "{name}");
    assert_eq!(
        files_in(setup.backups.path()).len(),
        1,
        "nothing but the backup in backup_dir"
    );

    let sealed = std::fs::read(&file).unwrap();
    assert!(sealed.starts_with(b"age-encryption.org/v1\n"), "an age file");
    for plaintext in [
        "invoices",
        "payments",
        "organizations",
        "seaql_migrations",
        "CREATE TABLE",
        "drill.owner@backup.example",
        "drill.books@backup.example",
        "billing@client.example",
        "Acme Bau GmbH",
        "SQLite format 3",
        "PGDMP",
    ] {
        assert!(
            !sealed.windows(plaintext.len()).any(|w| w == plaintext.as_bytes()),
            "{plaintext:?} is readable in the backup"
        );
    }

    let original = fingerprints(&app.state.settings.database.url).await;
    for (table, at_least) in [
        ("users", 3),
        ("clients", 4),
        ("invoices", 4),
        ("payments", 2),
        ("audit_events", 1),
    ] {
        assert!(original[table].0 >= at_least, "{table}: {:?}", original[table]);
    }

    let fresh = ScratchDatabase::create(backend_of(&app)).await.unwrap();
    let report = ops::restore(&ops::RestoreRequest {
        file: file.clone(),
        into: fresh.url().to_owned(),
        identity: setup.identity.clone(),
    })
    .await
    .unwrap();
    assert!(report.contains(&format!("{} table(s)", original.len())), "{report}");
    let restored = fingerprints(fresh.url()).await;
    assert_eq!(
        restored.keys().collect::<Vec<_>>(),
        original.keys().collect::<Vec<_>>(),
        "the same tables"
    );
    for (table, print) in &original {
        assert_eq!(&restored[table], print, "table {table}: rows and checksum");
    }

    // The restored database is a working Fakturo: the same token reads the same invoice.
    let before = app.get(&format!("/api/v1/invoices/{paid_invoice}"), &owner_token).await;
    let restored_app = TestApp::spawn_on(&fresh, |_| {}).await;
    let after = restored_app
        .get(&format!("/api/v1/invoices/{paid_invoice}"), &owner_token)
        .await;
    assert_eq!(after.status, StatusCode::OK, "{:?}", after.body);
    let same_links = before.body.to_string().replace(&app.base, &restored_app.base);
    assert_eq!(after.body.to_string(), same_links);
}

async fn a_restore_is_refused_unless_everything_fits(app: TestApp) {
    app.signup("refused.owner@backup.example").await;
    let setup = backup_setup(&app);

    let mut unset = setup.settings.clone();
    unset.retention.backup_recipient = String::new();
    let message = ops::backup(&unset).await.unwrap_err().to_string();
    assert!(message.contains("retention.backup_recipient"), "{message}");
    assert!(
        files_in(setup.backups.path()).is_empty(),
        "no unencrypted backup is written"
    );

    let file = run_backup(&setup).await;
    let request = |into: &str| ops::RestoreRequest {
        file: file.clone(),
        into: into.to_owned(),
        identity: setup.identity.clone(),
    };

    // The live database holds every table: refused, and left as it was.
    let live = &app.state.settings.database.url;
    let before = fingerprints(live).await;
    let message = ops::restore(&request(live)).await.unwrap_err().to_string();
    assert!(message.contains("not empty"), "{message}");
    assert_eq!(fingerprints(live).await, before);

    // One table of any kind is enough to refuse.
    let other = ScratchDatabase::create(backend_of(&app)).await.unwrap();
    {
        let db = fakturo_database::connect(&fakturo_database::DatabaseSettings {
            url: other.url().to_owned(),
            max_connections: 1,
            acquire_timeout: std::time::Duration::from_secs(30),
        })
        .await
        .unwrap();
        db.execute_unprepared("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
            .await
            .unwrap();
        let _ = db.close().await;
    }
    let message = ops::restore(&request(other.url())).await.unwrap_err().to_string();
    assert!(message.contains("not empty") && message.contains("notes"), "{message}");

    // Another key does not open the backup.
    let fresh = ScratchDatabase::create(backend_of(&app)).await.unwrap();
    let keys = tempfile::tempdir().unwrap();
    let wrong = keys.path().join("other-identity.txt");
    std::fs::write(&wrong, ops::backup_keygen()).unwrap();
    let message = ops::restore(&ops::RestoreRequest {
        identity: wrong,
        ..request(fresh.url())
    })
    .await
    .unwrap_err()
    .to_string();
    assert!(message.contains("does not open"), "{message}");

    // A backup of one backend does not go into the other.
    let elsewhere = match backend_of(&app) {
        Backend::Sqlite => "postgres://nobody@127.0.0.1:1/fakturo_test_none".to_owned(),
        Backend::Postgres => keys.path().join("restored.db").display().to_string(),
    };
    let message = ops::restore(&request(&elsewhere)).await.unwrap_err().to_string();
    assert!(message.contains("backup; restore it into a"), "{message}");

    // A damaged backup fails loudly and restores nothing (PostgreSQL: one transaction).
    let sealed = std::fs::read(&file).unwrap();
    let cut = keys.path().join("cut.age");
    std::fs::write(&cut, &sealed[..sealed.len() - 64]).unwrap();
    let message = ops::restore(&ops::RestoreRequest {
        file: cut,
        ..request(fresh.url())
    })
    .await
    .unwrap_err()
    .to_string();
    assert!(message.contains("nothing was restored"), "{message}");
    assert!(fingerprints(fresh.url()).await.is_empty(), "nothing was restored");
}

fn stamp(at: DateTime<Utc>) -> String {
    at.format("%Y%m%dT%H%M%SZ").to_string()
}

async fn backups_expire_after_backup_days_as_of_a_date(app: TestApp) {
    let setup = backup_setup(&app);
    assert_eq!(setup.settings.retention.backup_days, 30);
    let dir = setup.backups.path();
    // A backup is named by the moment it is taken; the clock below counts from it.
    let probe = run_backup(&setup).await;
    let taken = NaiveDateTime::parse_from_str(&probe.file_name().unwrap().to_string_lossy()[8..24], "%Y%m%dT%H%M%SZ")
        .unwrap()
        .and_utc();
    std::fs::remove_file(&probe).unwrap();

    // Each backup run deletes what has expired by then.
    let long_gone = format!("fakturo-{}.sqlite.age", stamp(taken - TimeDelta::days(40)));
    std::fs::write(dir.join(&long_gone), b"old").unwrap();
    let fresh = run_backup(&setup).await;
    assert!(!dir.join(&long_gone).exists(), "the backup run pruned it");

    // As of the day after (noon UTC), the cut-off is 30 days before that noon.
    let as_of = taken.date_naive() + TimeDelta::days(1);
    let cutoff = as_of.and_hms_opt(12, 0, 0).unwrap().and_utc() - TimeDelta::days(30);
    let expired = [
        format!("fakturo-{}.pgdump.age", stamp(cutoff - TimeDelta::seconds(1))),
        format!("fakturo-{}.db", stamp(cutoff - TimeDelta::days(3))),
        format!("fakturo-{}.pgdump", stamp(cutoff - TimeDelta::days(5))),
    ];
    let kept = [
        format!("fakturo-{}.sqlite.age", stamp(cutoff)),
        format!("fakturo-{}.pgdump.age", stamp(cutoff + TimeDelta::days(1))),
    ];
    let foreign = [
        format!("fakturo-{}.txt", stamp(cutoff - TimeDelta::days(10))),
        format!("fakturo-{}.sqlite.age.keep", stamp(cutoff - TimeDelta::days(10))),
        "notes.txt".to_owned(),
    ];
    for name in expired.iter().chain(&kept).chain(&foreign) {
        std::fs::write(dir.join(name), b"x").unwrap();
    }
    let folder = format!("fakturo-{}.sqlite.age", stamp(cutoff - TimeDelta::days(20)));
    std::fs::create_dir(dir.join(&folder)).unwrap();

    let report = ops::prune_backups(&setup.settings, Some(as_of)).await.unwrap();
    assert!(report.contains("deleted: 3"), "{report}");
    let left = files_in(dir);
    for name in &expired {
        assert!(!left.contains(name), "{name} is older than 30 days: {report}");
        assert!(report.contains(name.as_str()), "{report}");
    }
    let fresh_name = fresh.file_name().unwrap().to_string_lossy().into_owned();
    for name in kept.iter().chain(&foreign).chain([&folder, &fresh_name]) {
        assert!(left.contains(name), "{name} is kept: {report}");
    }

    // A month on, the backup written today has expired too; other files stay.
    let later = taken.date_naive() + TimeDelta::days(31);
    let report = ops::prune_backups(&setup.settings, Some(later)).await.unwrap();
    let left = files_in(dir);
    assert!(!left.contains(&fresh_name), "{report}");
    assert!(kept.iter().all(|name| !left.contains(name)), "{report}");
    let mut expected: BTreeSet<String> = foreign.iter().cloned().collect();
    expected.insert(folder);
    assert_eq!(left, expected, "{report}");
}
