#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::{TimeDelta, TimeZone, Utc};

use super::*;
use crate::access::user::Role;
use crate::invoicing::testing::fixtures::{World, codes, date, payment, start};
use crate::kernel::money::Currency;

#[tokio::test]
async fn void_issues_a_credit_note_that_negates_the_invoice() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let invoice = world.open_invoice(&client).await;
    world.clock.advance(TimeDelta::days(3));
    let note = world
        .credit_notes()
        .void(&world.as_role(Role::Member), invoice.id, Some("  wrong address "))
        .await
        .unwrap();
    assert_eq!(note.number, "CN-2026-0001");
    assert_eq!(note.invoice_id, invoice.id);
    assert_eq!(note.issue_date, date(2026, 3, 13));
    assert_eq!(note.reason.as_deref(), Some("wrong address"));
    assert_eq!(note.subtotal, Money::from_minor(-10_000, Currency::EUR));
    assert_eq!(note.tax_total, Money::from_minor(-1_900, Currency::EUR));
    assert_eq!(note.total, Money::from_minor(-11_900, Currency::EUR));
    assert_eq!(note.created_at, start() + TimeDelta::days(3));
    let state = world.snapshot();
    assert_eq!(state.credit_notes, [note]);
    let stored = &state.invoices[&(world.tenant, invoice.id)];
    assert_eq!(stored.status, InvoiceStatus::Void);
    assert_eq!(stored.updated_at, start() + TimeDelta::days(3));
    assert_eq!(stored.number, invoice.number, "the invoice keeps its number");
}

#[tokio::test]
async fn credit_notes_have_their_own_yearly_series() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let first = world.open_invoice(&client).await;
    let second = world.open_invoice(&client).await;
    let third = world.open_invoice(&client).await;
    let notes = world.credit_notes();
    assert_eq!(
        notes.void(&world.owner(), first.id, None).await.unwrap().number,
        "CN-2026-0001"
    );
    assert_eq!(
        notes.void(&world.owner(), second.id, None).await.unwrap().number,
        "CN-2026-0002"
    );
    world.clock.set(Utc.with_ymd_and_hms(2027, 1, 2, 9, 0, 0).unwrap());
    assert_eq!(
        notes.void(&world.owner(), third.id, None).await.unwrap().number,
        "CN-2027-0001"
    );
    let next = world.open_invoice(&client).await;
    assert_eq!(
        next.number.as_deref(),
        Some("INV-2027-0001"),
        "invoice numbers are not used up"
    );
}

#[tokio::test]
async fn a_paid_or_partially_paid_invoice_can_be_voided() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let paid = world.open_invoice(&client).await;
    let part = world.open_invoice(&client).await;
    let invoices = world.invoices();
    invoices
        .record_payment(&world.owner(), paid.id, payment("119.00", date(2026, 3, 10)))
        .await
        .unwrap();
    invoices
        .record_payment(&world.owner(), part.id, payment("1.00", date(2026, 3, 10)))
        .await
        .unwrap();
    for id in [paid.id, part.id] {
        world.credit_notes().void(&world.owner(), id, None).await.unwrap();
        assert_eq!(world.invoice(id).status, InvoiceStatus::Void);
    }
}

#[tokio::test]
async fn void_is_forbidden_to_an_accountant() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let invoice = world.open_invoice(&client).await;
    let before = world.snapshot();
    let error = world
        .credit_notes()
        .void(&world.accountant(), invoice.id, None)
        .await
        .unwrap_err();
    assert!(matches!(error, VoidInvoiceError::Forbidden(_)));
    assert_eq!(world.snapshot(), before);
}

#[tokio::test]
async fn void_of_an_unknown_invoice_is_not_found() {
    let world = World::new();
    let before = world.snapshot();
    let error = world
        .credit_notes()
        .void(&world.owner(), InvoiceId::from_uuid(uuid::Uuid::nil()), None)
        .await
        .unwrap_err();
    assert!(matches!(error, VoidInvoiceError::NotFound));
    assert_eq!(world.snapshot(), before);
}

#[tokio::test]
async fn void_of_another_tenants_invoice_is_not_found() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let invoice = world.open_invoice(&client).await;
    let error = world
        .credit_notes()
        .void(&world.stranger(), invoice.id, None)
        .await
        .unwrap_err();
    assert!(matches!(error, VoidInvoiceError::NotFound));
    assert_eq!(world.invoice(invoice.id).status, InvoiceStatus::Open);
}

#[tokio::test]
async fn a_draft_is_not_voided() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let draft = world.draft(&client).await;
    let before = world.snapshot();
    let error = world
        .credit_notes()
        .void(&world.owner(), draft.id, None)
        .await
        .unwrap_err();
    assert!(matches!(error, VoidInvoiceError::NotFinalized));
    assert_eq!(world.snapshot(), before);
}

#[tokio::test]
async fn voiding_twice_names_the_first_credit_note_and_uses_no_number() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let invoice = world.open_invoice(&client).await;
    world
        .credit_notes()
        .void(&world.owner(), invoice.id, None)
        .await
        .unwrap();
    let before = world.snapshot();
    let error = world
        .credit_notes()
        .void(&world.owner(), invoice.id, None)
        .await
        .unwrap_err();
    let VoidInvoiceError::AlreadyVoid(number) = error else {
        panic!("expected AlreadyVoid, got {error:?}");
    };
    assert_eq!(number, "CN-2026-0001");
    assert_eq!(world.snapshot(), before);
}

#[tokio::test]
async fn an_over_long_reason_is_invalid() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let invoice = world.open_invoice(&client).await;
    let before = world.snapshot();
    let reason = "x".repeat(1_001);
    let error = world
        .credit_notes()
        .void(&world.owner(), invoice.id, Some(&reason))
        .await
        .unwrap_err();
    let VoidInvoiceError::Invalid(errors) = error else {
        panic!("expected Invalid, got {error:?}");
    };
    assert_eq!(codes(&errors), ["reason:too_long"]);
    assert_eq!(world.snapshot(), before);
}

#[tokio::test]
async fn get_and_list_credit_notes_of_the_tenant() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let first = world.open_invoice(&client).await;
    let second = world.open_invoice(&client).await;
    let notes = world.credit_notes();
    let a = notes.void(&world.owner(), first.id, None).await.unwrap();
    let b = notes.void(&world.owner(), second.id, None).await.unwrap();
    assert_eq!(notes.get(&world.accountant(), a.id).await.unwrap(), a);
    let page = notes.list(&world.accountant(), PageRequest::first()).await.unwrap();
    assert_eq!(page.items, [b, a.clone()]);
    let foreign = notes.list(&world.stranger(), PageRequest::first()).await.unwrap();
    assert!(foreign.items.is_empty());
    let error = notes.get(&world.stranger(), a.id).await.unwrap_err();
    assert!(matches!(error, CreditNoteError::NotFound));
}

#[tokio::test]
async fn get_of_an_unknown_credit_note_is_not_found() {
    let world = World::new();
    let error = world
        .credit_notes()
        .get(&world.owner(), uuid::Uuid::nil())
        .await
        .unwrap_err();
    assert!(matches!(error, CreditNoteError::NotFound));
}

#[test]
fn the_credit_note_pattern_parses() {
    let pattern = credit_note_pattern();
    assert_eq!(pattern.as_str(), CREDIT_NOTE_PATTERN);
    assert_eq!(pattern.render(date(2026, 1, 1), 7), "CN-2026-0007");
}
