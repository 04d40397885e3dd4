use chrono::{TimeZone, Utc};

use crate::InvoiceId;
use crate::invoicing::services::DeleteInvoiceError;
use crate::invoicing::testing::fixtures::{World, date, payment};

#[tokio::test]
async fn delete_removes_a_draft() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let draft = world.draft(&client).await;
    world.invoices().delete(&world.owner(), draft.id).await.unwrap();
    assert!(world.snapshot().invoices.is_empty());
}

#[tokio::test]
async fn delete_is_forbidden_to_an_accountant() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let draft = world.draft(&client).await;
    let before = world.snapshot();
    let error = world
        .invoices()
        .delete(&world.accountant(), draft.id)
        .await
        .unwrap_err();
    assert!(matches!(error, DeleteInvoiceError::Forbidden(_)));
    assert_eq!(world.snapshot(), before);
}

#[tokio::test]
async fn delete_of_an_unknown_invoice_is_not_found() {
    let world = World::new();
    let error = world
        .invoices()
        .delete(&world.owner(), InvoiceId::from_uuid(uuid::Uuid::nil()))
        .await
        .unwrap_err();
    assert!(matches!(error, DeleteInvoiceError::NotFound));
}

#[tokio::test]
async fn delete_of_another_tenants_draft_is_not_found() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let draft = world.draft(&client).await;
    let error = world.invoices().delete(&world.stranger(), draft.id).await.unwrap_err();
    assert!(matches!(error, DeleteInvoiceError::NotFound));
    assert!(world.snapshot().invoices.contains_key(&(world.tenant, draft.id)));
}

#[tokio::test]
async fn delete_of_a_finalized_invoice_inside_its_retention_is_a_legal_hold() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let invoice = world.open_invoice(&client).await;
    let before = world.snapshot();
    let error = world.invoices().delete(&world.owner(), invoice.id).await.unwrap_err();
    let DeleteInvoiceError::LegalHold { until, years, country } = error else {
        panic!("expected LegalHold, got {error:?}");
    };
    assert_eq!((until, years, country), (date(2034, 12, 31), 8, "DE"));
    assert_eq!(world.snapshot(), before);
}

#[tokio::test]
async fn delete_on_the_last_day_of_retention_is_still_held() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let invoice = world.open_invoice(&client).await;
    world.clock.set(Utc.with_ymd_and_hms(2034, 12, 31, 12, 0, 0).unwrap());
    let error = world.invoices().delete(&world.owner(), invoice.id).await.unwrap_err();
    assert!(matches!(error, DeleteInvoiceError::LegalHold { .. }));
}

#[tokio::test]
async fn delete_after_retention_removes_the_invoice_with_its_payments() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let invoice = world.open_invoice(&client).await;
    let other = world.open_invoice(&client).await;
    for id in [invoice.id, other.id] {
        world
            .invoices()
            .record_payment(&world.owner(), id, payment("10.00", date(2026, 3, 10)))
            .await
            .unwrap();
    }
    world.clock.set(Utc.with_ymd_and_hms(2035, 1, 1, 12, 0, 0).unwrap());
    world.invoices().delete(&world.owner(), invoice.id).await.unwrap();
    let state = world.snapshot();
    assert!(!state.invoices.contains_key(&(world.tenant, invoice.id)));
    assert!(state.invoices.contains_key(&(world.tenant, other.id)));
    let paid: Vec<_> = state.payments.iter().map(|p| p.invoice_id).collect();
    assert_eq!(paid, [other.id]);
}

#[tokio::test]
async fn a_longer_legal_hold_on_the_invoice_extends_retention() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let invoice = world.open_invoice(&client).await;
    world.edit_invoice(invoice.id, |i| i.hold.until = Some(date(2040, 6, 30)));
    world.clock.set(Utc.with_ymd_and_hms(2035, 1, 1, 12, 0, 0).unwrap());
    let error = world.invoices().delete(&world.owner(), invoice.id).await.unwrap_err();
    let DeleteInvoiceError::LegalHold { until, .. } = error else {
        panic!("expected LegalHold, got {error:?}");
    };
    assert_eq!(until, date(2040, 6, 30));
}

#[tokio::test]
async fn a_later_credit_note_restarts_retention() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let invoice = world.open_invoice(&client).await;
    world.clock.set(Utc.with_ymd_and_hms(2027, 2, 1, 12, 0, 0).unwrap());
    world
        .credit_notes()
        .void(&world.owner(), invoice.id, None)
        .await
        .unwrap();
    world.clock.set(Utc.with_ymd_and_hms(2035, 1, 1, 12, 0, 0).unwrap());
    let error = world.invoices().delete(&world.owner(), invoice.id).await.unwrap_err();
    let DeleteInvoiceError::LegalHold { until, .. } = error else {
        panic!("expected LegalHold, got {error:?}");
    };
    assert_eq!(until, date(2035, 12, 31));
}
