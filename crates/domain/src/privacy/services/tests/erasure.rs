//! Erasure: what no law requires goes (drafts, reminders, schedules, jobs,
//! notes, files and their stored bytes), finalized invoices stay restricted
//! under a legal hold until their statutory end, the client is anonymized
//! or deleted, and the record says so without the data.

use super::*;
use crate::RecurringInvoiceId;
use crate::access::audit::AuditAction;
use crate::access::user::Forbidden;
use crate::invoicing::invoice::LegalHold;
use crate::kernel::files::ObjectKey;
use crate::privacy::services::client_privacy::{ClientPrivacyError, ErasedItem, ErasureReport, RetainedItem};

fn item(what: &str, count: u64) -> ErasedItem {
    ErasedItem {
        what: what.into(),
        count,
    }
}

/// A client with two drafts (one with two reminders planned), a schedule,
/// three jobs, two notes and two files stored in the file store.
fn client_with_content(w: &World) -> (Client, Vec<ObjectKey>) {
    let client = w.client("Erika Muster", Some("erika@example.com"));
    let first = w.invoice(&client, InvoiceStatus::Draft, None);
    w.invoice(&client, InvoiceStatus::Draft, None);
    let keys: Vec<ObjectKey> = (0..2)
        .map(|_| ObjectKey::tenant_file(w.tenant, w.ids.new_uuid()))
        .collect();
    for key in &keys {
        w.files.insert(key, b"scan");
    }
    let schedule = RecurringInvoiceId::from_uuid(w.ids.new_uuid());
    w.store.edit(|s| {
        s.reminders.insert((w.tenant, first.id), 2);
        s.schedules.insert((w.tenant, schedule), client.id);
        s.client_jobs.insert((w.tenant, client.id), 3);
        s.notes.insert((w.tenant, client.id), 2);
        s.files.insert((w.tenant, client.id), keys.clone());
    });
    (client, keys)
}

#[tokio::test]
async fn a_member_may_not_erase_and_nothing_is_touched() {
    let w = World::new();
    let (client, keys) = client_with_content(&w);
    let before = w.snapshot();
    let err = w
        .client_privacy()
        .erase(&signed_in(&w.member), client.id, None, &origin())
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            ClientPrivacyError::Forbidden(Forbidden {
                role: Role::Member,
                action: "erase a client's data"
            })
        ),
        "{err:?}"
    );
    assert_eq!(w.snapshot(), before);
    assert!(w.files.deleted().is_empty());
    assert!(keys.iter().all(|k| w.files.contains(k)));
}

#[tokio::test]
async fn erasing_an_unknown_client_is_not_found() {
    let w = World::new();
    let before = w.snapshot();
    let err = w
        .client_privacy()
        .erase(
            &signed_in(&w.owner),
            ClientId::from_uuid(uuid::Uuid::from_u128(404)),
            None,
            &origin(),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, ClientPrivacyError::NotFound), "{err:?}");
    assert_eq!(w.snapshot(), before);
}

#[tokio::test]
async fn a_client_without_finalized_invoices_is_deleted_with_everything_about_them() {
    let w = World::new();
    let (client, keys) = client_with_content(&w);
    let report = w
        .client_privacy()
        .erase(&signed_in(&w.owner), client.id, None, &origin())
        .await
        .unwrap();
    assert_eq!(
        report.deleted,
        vec![
            item("jobs", 3),
            item("notes", 2),
            item("files (records and stored bytes)", 2),
            item("draft invoices", 2),
            item("payment reminders sent or planned", 2),
            item("recurring invoices", 1),
            item("client record with its contact details", 1),
        ]
    );
    assert!(report.anonymized.is_empty());
    assert!(report.retained.is_empty());
    let state = w.snapshot();
    assert!(!state.clients.contains_key(&(w.tenant, client.id)));
    assert!(state.invoices.is_empty());
    assert!(state.schedules.is_empty() && state.client_jobs.is_empty());
    assert!(state.notes.is_empty() && state.files.is_empty() && state.reminders.is_empty());
    assert_eq!(w.files.deleted(), keys);
    assert!(keys.iter().all(|k| !w.files.contains(k)));
}

#[tokio::test]
async fn finalized_invoices_are_kept_restricted_until_the_end_of_their_statutory_period() {
    let w = World::new();
    let client = w.client("Erika Muster", Some("erika@example.com"));
    let draft = w.invoice(&client, InvoiceStatus::Draft, None);
    let paid = w.invoice(&client, InvoiceStatus::Paid, Some(date(2026, 3, 15)));
    let voided = w.invoice(&client, InvoiceStatus::Void, Some(date(2026, 6, 1)));
    w.store.edit(|s| {
        s.payments.insert((w.tenant, paid.id), 2);
        s.credit_notes.insert((w.tenant, voided.id), date(2027, 2, 1));
    });
    w.advance(TimeDelta::hours(1));
    let report = w
        .client_privacy()
        .erase(&signed_in(&w.admin), client.id, None, &origin())
        .await
        .unwrap();

    let basis = "GDPR Art. 17(3)(b): § 147 AO and § 14b UStG (8 years from the end of the year of issue)";
    assert_eq!(
        report.retained,
        vec![
            RetainedItem {
                what: "finalized invoices (with the buyer's name, address and tax id as issued)".into(),
                count: 2,
                legal_basis: basis.into(),
                until: date(2035, 12, 31),
            },
            RetainedItem {
                what: "payments recorded against them".into(),
                count: 2,
                legal_basis: basis.into(),
                until: date(2035, 12, 31),
            },
        ]
    );
    assert_eq!(
        report.deleted,
        vec![
            item("draft invoices", 1),
            item("contact details (email, phone, address, tax id, language)", 1),
        ]
    );
    assert_eq!(report.anonymized, vec![item("client record (name replaced)", 1)]);

    let state = w.snapshot();
    assert!(!state.invoices.contains_key(&(w.tenant, draft.id)));
    let hold = |id| state.invoices[&(w.tenant, id)].hold;
    assert_eq!(
        hold(paid.id),
        LegalHold {
            restricted: true,
            until: Some(date(2034, 12, 31))
        }
    );
    assert_eq!(
        hold(voided.id),
        LegalHold {
            restricted: true,
            until: Some(date(2035, 12, 31))
        },
        "a later credit note is kept its own full period"
    );
    let kept = &state.clients[&(w.tenant, client.id)];
    assert!(kept.details.name.starts_with("Erased client "), "{}", kept.details.name);
    assert!(!kept.details.name.contains("Erika"));
    assert_eq!(
        (
            &kept.details.email,
            &kept.details.phone,
            &kept.details.address,
            &kept.details.tax_id
        ),
        (&None, &None, &None, &None)
    );
    assert!(!kept.details.reminders_enabled);
    assert!(kept.privacy.restricted);
    assert_eq!(kept.privacy.erased_at, Some(w.now()));
    assert_eq!(kept.updated_at, w.now());
}

#[tokio::test]
async fn the_record_and_the_audit_event_say_what_happened_without_the_data() {
    let w = World::new();
    let client = w.client("Erika Muster", Some("erika@example.com"));
    w.invoice(&client, InvoiceStatus::Open, Some(date(2026, 11, 2)));
    w.invoice(&client, InvoiceStatus::Draft, None);
    let case = uuid::Uuid::from_u128(77);
    let report = w
        .client_privacy()
        .erase(&signed_in(&w.owner), client.id, Some(case), &origin())
        .await
        .unwrap();
    let state = w.snapshot();
    assert_eq!(state.erasures.len(), 1);
    let record = &state.erasures[0];
    assert_eq!(record.id, report.erasure_id);
    assert_eq!(
        (record.tenant_id, record.client_id, record.privacy_request_id),
        (w.tenant, client.id, Some(case))
    );
    assert_eq!((record.performed_by, record.performed_at), (w.owner.id, w.now()));
    assert_eq!(record.report, serde_json::to_string(&report).unwrap());
    assert!(!record.report.contains("Erika") && !record.report.contains("erika@example.com"));

    let events = state.events(AuditAction::DataErased);
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].target.as_ref().map(|t| t.id), Some(client.id.as_uuid()));
    assert_eq!(
        events[0].details.get("retained_invoices").map(String::as_str),
        Some("1")
    );
    assert_eq!(events[0].details.get("deleted_drafts").map(String::as_str), Some("1"));
}

#[tokio::test]
async fn an_invoice_without_an_issue_date_is_held_from_today_in_the_organizations_zone() {
    let w = World::new();
    // 23:30 UTC on New Year's Eve is already 2027 in Berlin.
    w.clock.set(at(2026, 12, 31, 23, 30));
    let client = w.client("Erika Muster", None);
    let invoice = w.invoice(&client, InvoiceStatus::Open, None);
    let report = w
        .client_privacy()
        .erase(&signed_in(&w.owner), client.id, None, &origin())
        .await
        .unwrap();
    assert_eq!(report.retained[0].until, date(2035, 12, 31));
    assert_eq!(
        w.snapshot().invoices[&(w.tenant, invoice.id)].hold.until,
        Some(date(2035, 12, 31))
    );
}

#[tokio::test]
async fn an_erased_client_cannot_be_erased_again() {
    let w = World::new();
    let client = w.client("Erika Muster", None);
    w.invoice(&client, InvoiceStatus::Open, Some(date(2026, 5, 1)));
    w.client_privacy()
        .erase(&signed_in(&w.owner), client.id, None, &origin())
        .await
        .unwrap();
    let before = w.snapshot();
    let err = w
        .client_privacy()
        .erase(&signed_in(&w.owner), client.id, None, &origin())
        .await
        .unwrap_err();
    assert!(matches!(err, ClientPrivacyError::AlreadyErased), "{err:?}");
    assert_eq!(w.snapshot(), before);
}

#[tokio::test]
async fn when_the_stored_bytes_cannot_be_deleted_nothing_is_erased_and_a_retry_finishes() {
    let w = World::new();
    let (client, keys) = client_with_content(&w);
    let before = w.snapshot();
    w.files.fail_deletes(true);
    let err = w
        .client_privacy()
        .erase(&signed_in(&w.owner), client.id, None, &origin())
        .await
        .unwrap_err();
    assert!(matches!(err, ClientPrivacyError::Unexpected(_)), "{err:?}");
    assert_eq!(w.snapshot(), before, "the unit was not committed");
    assert!(keys.iter().all(|k| w.files.contains(k)));

    w.files.fail_deletes(false);
    let report: ErasureReport = w
        .client_privacy()
        .erase(&signed_in(&w.owner), client.id, None, &origin())
        .await
        .unwrap();
    assert_eq!(report.deleted[2], item("files (records and stored bytes)", 2));
    assert!(keys.iter().all(|k| !w.files.contains(k)));
    assert_eq!(w.snapshot().erasures.len(), 1);
}

#[tokio::test]
async fn when_the_commit_fails_the_records_stay_for_a_retry_to_erase() {
    let w = World::new();
    let (client, keys) = client_with_content(&w);
    let before = w.snapshot();
    w.store.fail_commits(true);
    let err = w
        .client_privacy()
        .erase(&signed_in(&w.owner), client.id, None, &origin())
        .await
        .unwrap_err();
    assert!(matches!(err, ClientPrivacyError::Unexpected(_)), "{err:?}");
    assert_eq!(w.snapshot(), before);
    assert_eq!(w.files.deleted(), keys, "the bytes go before the commit");

    w.store.fail_commits(false);
    w.client_privacy()
        .erase(&signed_in(&w.owner), client.id, None, &origin())
        .await
        .unwrap();
    let state = w.snapshot();
    assert!(!state.clients.contains_key(&(w.tenant, client.id)));
    assert!(state.files.is_empty());
}

#[tokio::test]
async fn erasing_one_client_leaves_the_others_alone() {
    let w = World::new();
    let (client, _) = client_with_content(&w);
    let other = w.client("Max Mustermann", Some("max@example.com"));
    let theirs = w.invoice(&other, InvoiceStatus::Draft, None);
    w.store.edit(|s| {
        s.notes.insert((w.tenant, other.id), 1);
    });
    w.client_privacy()
        .erase(&signed_in(&w.owner), client.id, None, &origin())
        .await
        .unwrap();
    let state = w.snapshot();
    assert_eq!(state.clients[&(w.tenant, other.id)], other);
    assert!(state.invoices.contains_key(&(w.tenant, theirs.id)));
    assert_eq!(state.notes.get(&(w.tenant, other.id)), Some(&1));
}
