//! The retention sweeper: only what expired goes, dry runs change nothing,
//! held invoices go when their hold ends, closed accounts are purged after
//! their window, and the daily run happens once a day.

use super::*;
use crate::invoicing::invoice::LegalHold;
use crate::kernel::files::{KeyPrefix, ObjectKey};
use crate::privacy::exports::{Export, ExportScope, ExportStatus};
use crate::privacy::ports::Expiry;
use crate::privacy::services::retention::SweepReport;
use crate::privacy::testing::AgedRow;
use crate::tenancy::Closure;

fn count(report: &SweepReport, what: &str) -> u64 {
    report.lines.iter().filter(|l| l.what == what).map(|l| l.count).sum()
}

fn aged(w: &World, kind: Expiry, days_ago: i64) {
    let row = AgedRow {
        kind,
        tenant_id: w.tenant,
        at: w.now() - TimeDelta::days(days_ago),
    };
    w.store.edit(|s| s.aged.push(row));
}

fn export(w: &World, status: ExportStatus, expires_in_days: i64) -> (Export, ObjectKey) {
    let id = w.ids.new_uuid();
    let key = ObjectKey::tenant_export(w.tenant, id);
    let export = Export {
        id,
        tenant_id: w.tenant,
        scope: ExportScope::Tenant,
        status,
        requested_by: w.owner.id,
        requested_at: w.now() - TimeDelta::days(8),
        completed_at: None,
        object_key: (status == ExportStatus::Ready).then(|| key.as_str().to_owned()),
        size_bytes: None,
        manifest: None,
        error: None,
        expires_at: w.now() + TimeDelta::days(expires_in_days),
    };
    w.files.insert(&key, b"zip");
    w.store.edit(|s| {
        s.exports.insert((w.tenant, id), export.clone());
    });
    (export, key)
}

#[tokio::test]
async fn only_rows_older_than_their_rule_are_deleted() {
    let w = World::new();
    aged(&w, Expiry::SecurityEvents, 366);
    aged(&w, Expiry::SecurityEvents, 364);
    aged(&w, Expiry::FinishedJobs, 91);
    aged(&w, Expiry::FinishedJobs, 89);
    aged(&w, Expiry::ExpiredSessions, 0);
    let report = w.retention(RetentionPolicy::default()).sweep(false).await.unwrap();
    assert!(!report.dry_run);
    assert_eq!(report.as_of, w.now());
    assert_eq!(count(&report, "security_events"), 1);
    assert_eq!(count(&report, "finished_jobs"), 1);
    assert_eq!(
        count(&report, "expired_sessions"),
        0,
        "a session expiring now is not before now"
    );
    let left: Vec<_> = w
        .snapshot()
        .aged
        .iter()
        .map(|r| (r.kind, (w.now() - r.at).num_days()))
        .collect();
    assert_eq!(
        left,
        [
            (Expiry::SecurityEvents, 364),
            (Expiry::FinishedJobs, 89),
            (Expiry::ExpiredSessions, 0)
        ]
    );
    assert_eq!(report.totals().get("security_events"), Some(&1));
}

#[tokio::test]
async fn a_dry_run_counts_and_deletes_nothing() {
    let w = World::new();
    aged(&w, Expiry::SpentTokens, 2);
    let (_, key) = export(&w, ExportStatus::Ready, -1);
    let client = w.client("Erika", None);
    let invoice = w.invoice(&client, InvoiceStatus::Paid, Some(date(2016, 1, 5)));
    w.store.edit(|s| {
        s.invoices.get_mut(&(w.tenant, invoice.id)).unwrap().hold = LegalHold {
            restricted: true,
            until: Some(date(2024, 12, 31)),
        };
    });
    let before = w.snapshot();
    let report = w.retention(RetentionPolicy::default()).sweep(true).await.unwrap();
    assert!(report.dry_run);
    assert_eq!(count(&report, "spent_single_use_tokens"), 1);
    assert_eq!(count(&report, "expired_exports"), 1);
    assert_eq!(count(&report, "held_invoices"), 1);
    assert_eq!(w.snapshot(), before);
    assert!(w.files.contains(&key) && w.files.deleted().is_empty());
}

#[tokio::test]
async fn expired_finished_exports_go_with_their_archives_and_pending_ones_stay() {
    let w = World::new();
    let (gone, key) = export(&w, ExportStatus::Ready, -1);
    let (failed, _) = export(&w, ExportStatus::Failed, -2);
    let (fresh, fresh_key) = export(&w, ExportStatus::Ready, 3);
    let (pending, _) = export(&w, ExportStatus::Pending, -1);
    let report = w.retention(RetentionPolicy::default()).sweep(false).await.unwrap();
    assert_eq!(count(&report, "expired_exports"), 2);
    let state = w.snapshot();
    assert!(!state.exports.contains_key(&(w.tenant, gone.id)));
    assert!(!state.exports.contains_key(&(w.tenant, failed.id)));
    assert!(state.exports.contains_key(&(w.tenant, fresh.id)));
    assert!(state.exports.contains_key(&(w.tenant, pending.id)));
    assert_eq!(w.files.deleted(), [key]);
    assert!(w.files.contains(&fresh_key));
}

#[tokio::test]
async fn a_held_invoice_goes_when_its_hold_ended_and_the_erased_client_with_its_last_one() {
    let w = World::new();
    let client = w.client("Erika", None);
    let ended = w.invoice(&client, InvoiceStatus::Paid, Some(date(2016, 3, 1)));
    let running = w.invoice(&client, InvoiceStatus::Paid, Some(date(2020, 3, 1)));
    let hold = |until| LegalHold {
        restricted: true,
        until: Some(until),
    };
    w.store.edit(|s| {
        s.invoices.get_mut(&(w.tenant, ended.id)).unwrap().hold = hold(date(2024, 12, 31));
        s.invoices.get_mut(&(w.tenant, running.id)).unwrap().hold = hold(date(2028, 12, 31));
        s.payments.insert((w.tenant, ended.id), 2);
        let stored = s.clients.get_mut(&(w.tenant, client.id)).unwrap();
        stored.privacy.erased_at = Some(at(2025, 1, 1, 0, 0));
    });
    let policy = RetentionPolicy::default();
    let report = w.retention(policy.clone()).sweep(false).await.unwrap();
    assert_eq!(
        (count(&report, "held_invoices"), count(&report, "held_payments")),
        (1, 2)
    );
    assert_eq!(count(&report, "held_clients"), 0);
    let state = w.snapshot();
    assert!(!state.invoices.contains_key(&(w.tenant, ended.id)));
    assert!(state.invoices.contains_key(&(w.tenant, running.id)));
    assert!(state.clients.contains_key(&(w.tenant, client.id)));

    w.clock.set(at(2029, 1, 1, 12, 0));
    let report = w.retention(policy).sweep(false).await.unwrap();
    assert_eq!(count(&report, "held_clients"), 1);
    assert!(!w.snapshot().clients.contains_key(&(w.tenant, client.id)));
}

fn close(w: &World, tenant: TenantId, days_ago: i64) {
    let closed_at = w.now() - TimeDelta::days(days_ago);
    let closure = Closure {
        closed_at,
        purge_after: closed_at + TimeDelta::days(30),
    };
    w.store
        .edit(|s| s.organizations.get_mut(&tenant).unwrap().closure = Some(closure));
}

#[tokio::test]
async fn a_closed_account_is_purged_after_its_window_with_its_files_and_nobody_elses() {
    let w = World::new();
    let client = w.client("Erika", Some("erika@example.com"));
    w.invoice(&client, InvoiceStatus::Open, Some(date(2026, 5, 1)));
    let file = ObjectKey::tenant_file(w.tenant, w.ids.new_uuid());
    w.files.insert(&file, b"scan");
    let elsewhere = w.organization("Other Ltd", "FR", "Europe/Paris");
    let theirs = w.client_of(elsewhere, "Jean", None);
    let their_file = ObjectKey::tenant_file(elsewhere, w.ids.new_uuid());
    w.files.insert(&their_file, b"scan");
    close(&w, w.tenant, 29);
    let service = w.retention(RetentionPolicy::default());
    let report = service.sweep(false).await.unwrap();
    assert_eq!(count(&report, "closed_account_rows"), 0, "still inside the window");
    assert!(w.snapshot().organizations.contains_key(&w.tenant));

    w.advance(TimeDelta::days(2));
    let dry = service.sweep(true).await.unwrap();
    let rows = count(&dry, "closed_account_rows");
    assert_eq!(rows, 1 + 4 + 1 + 1, "organization, users, client, invoice");
    let report = service.sweep(false).await.unwrap();
    assert_eq!(count(&report, "closed_account_rows"), rows);
    let state = w.snapshot();
    assert!(!state.tenants().contains(&w.tenant));
    assert_eq!(state.clients[&(elsewhere, theirs.id)], theirs);
    assert_eq!(w.files.deleted_prefixes(), [KeyPrefix::tenant(w.tenant)]);
    assert!(!w.files.contains(&file) && w.files.contains(&their_file));
}

#[tokio::test]
async fn with_the_legal_hold_setting_finalized_invoices_outlive_the_purge() {
    let w = World::new();
    let client = w.client("Erika", Some("erika@example.com"));
    let kept = w.invoice(&client, InvoiceStatus::Paid, Some(date(2026, 5, 1)));
    let draft = w.invoice(&client, InvoiceStatus::Draft, None);
    close(&w, w.tenant, 31);
    let policy = RetentionPolicy {
        keep_accounting_after_closure: true,
        ..RetentionPolicy::default()
    };
    let report = w.retention(policy).sweep(false).await.unwrap();
    let line = report.lines.iter().find(|l| l.what == "closed_account_rows").unwrap();
    assert!(
        line.reason.ends_with("(accounting records kept under legal hold)"),
        "{}",
        line.reason
    );
    let state = w.snapshot();
    assert!(!state.invoices.contains_key(&(w.tenant, draft.id)));
    assert_eq!(
        state.invoices[&(w.tenant, kept.id)].hold,
        LegalHold {
            restricted: true,
            until: Some(date(2034, 12, 31))
        }
    );
    let anonymized = &state.clients[&(w.tenant, client.id)];
    assert!(anonymized.privacy.restricted && anonymized.details.email.is_none());
    assert!(state.users.is_empty());
}

#[tokio::test]
async fn the_daily_sweep_runs_once_a_day_and_records_its_totals() {
    let w = World::new();
    aged(&w, Expiry::SecurityEvents, 400);
    let service = w.retention(RetentionPolicy::default());
    let report = service.run_daily().await.unwrap().unwrap();
    assert_eq!(count(&report, "security_events"), 1);
    let day = w.now().date_naive();
    let recorded = w.snapshot().sweeps[&day].clone().unwrap();
    assert_eq!(recorded, serde_json::to_string(&report.totals()).unwrap());
    aged(&w, Expiry::SecurityEvents, 400);
    assert_eq!(service.run_daily().await.unwrap(), None);
    assert_eq!(w.snapshot().aged.len(), 1, "the second run swept nothing");
    w.advance(TimeDelta::days(1));
    assert!(service.run_daily().await.unwrap().is_some());
    assert!(w.snapshot().aged.is_empty());
}
