use chrono::TimeDelta;

use crate::InvoiceId;
use crate::invoicing::invoice::InvoiceStatus;
use crate::invoicing::reminders::{InvoiceReminder, ReminderStatus};
use crate::invoicing::services::{GetInvoiceError, InvoiceQuery, ListRemindersError};
use crate::invoicing::testing::fixtures::{World, date, start};
use crate::kernel::pagination::PageRequest;

#[tokio::test]
async fn get_tells_whether_the_invoice_is_overdue_today() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let invoice = world.open_invoice(&client).await;
    assert_eq!(invoice.content.due_date, Some(date(2026, 3, 24)));
    let view = world.invoices().get(&world.accountant(), invoice.id).await.unwrap();
    assert!(!view.overdue);
    world.clock.advance(TimeDelta::days(14));
    assert!(!world.invoices().get(&world.owner(), invoice.id).await.unwrap().overdue);
    world.clock.advance(TimeDelta::days(1));
    let view = world.invoices().get(&world.owner(), invoice.id).await.unwrap();
    assert!(view.overdue);
    assert_eq!(view.invoice, invoice);
}

#[tokio::test]
async fn get_of_an_unknown_invoice_is_not_found() {
    let world = World::new();
    let error = world
        .invoices()
        .get(&world.owner(), InvoiceId::from_uuid(uuid::Uuid::nil()))
        .await
        .unwrap_err();
    assert!(matches!(error, GetInvoiceError::NotFound));
}

#[tokio::test]
async fn get_of_another_tenants_invoice_is_not_found() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let invoice = world.draft(&client).await;
    let error = world.invoices().get(&world.stranger(), invoice.id).await.unwrap_err();
    assert!(matches!(error, GetInvoiceError::NotFound));
}

#[tokio::test]
async fn list_filters_by_status_client_and_overdue() {
    let world = World::new();
    let acme = world.add_client("Acme", None);
    let other = world.add_client("Other", None);
    let draft = world.draft(&acme).await;
    let overdue = world.open_invoice(&acme).await;
    world.clock.advance(TimeDelta::days(20));
    let current = world.open_invoice(&other).await;
    let invoices = world.invoices();
    let who = world.accountant();
    let ids = |page: crate::kernel::pagination::Page<crate::invoicing::services::InvoiceView>| {
        page.items
            .into_iter()
            .map(|v| (v.invoice.id, v.overdue))
            .collect::<Vec<_>>()
    };

    let all = invoices
        .list(&who, InvoiceQuery::default(), PageRequest::first())
        .await
        .unwrap();
    assert_eq!(ids(all), [(current.id, false), (overdue.id, true), (draft.id, false)]);

    let drafts = InvoiceQuery {
        status: Some(InvoiceStatus::Draft),
        ..InvoiceQuery::default()
    };
    assert_eq!(
        ids(invoices.list(&who, drafts, PageRequest::first()).await.unwrap()),
        [(draft.id, false)]
    );

    let of_other = InvoiceQuery {
        client_id: Some(other.id),
        ..InvoiceQuery::default()
    };
    assert_eq!(
        ids(invoices.list(&who, of_other, PageRequest::first()).await.unwrap()),
        [(current.id, false)]
    );

    let only_overdue = InvoiceQuery {
        overdue: Some(true),
        ..InvoiceQuery::default()
    };
    assert_eq!(
        ids(invoices.list(&who, only_overdue, PageRequest::first()).await.unwrap()),
        [(overdue.id, true)]
    );

    let not_overdue = InvoiceQuery {
        overdue: Some(false),
        ..InvoiceQuery::default()
    };
    assert_eq!(
        ids(invoices.list(&who, not_overdue, PageRequest::first()).await.unwrap()),
        [(current.id, false), (draft.id, false)]
    );
}

#[tokio::test]
async fn list_shows_only_the_tenants_invoices() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    world.draft(&client).await;
    let page = world
        .invoices()
        .list(&world.stranger(), InvoiceQuery::default(), PageRequest::first())
        .await
        .unwrap();
    assert!(page.items.is_empty());
}

#[tokio::test]
async fn reminders_of_an_unknown_invoice_are_not_found() {
    let world = World::new();
    let error = world
        .invoices()
        .reminders(&world.owner(), InvoiceId::from_uuid(uuid::Uuid::nil()))
        .await
        .unwrap_err();
    assert!(matches!(error, ListRemindersError::NotFound));
}

#[tokio::test]
async fn reminders_are_listed_by_offset() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let invoice = world.open_invoice(&client).await;
    let reminder = |days_from_due: i32| InvoiceReminder {
        tenant_id: world.tenant,
        invoice_id: invoice.id,
        days_from_due,
        due_on: date(2026, 3, 24),
        status: ReminderStatus::Sent,
        recipient: None,
        sent_at: None,
        created_at: start(),
    };
    let (late, early) = (reminder(7), reminder(-3));
    world
        .store
        .edit(|state| state.reminders.extend([late.clone(), early.clone()]));
    let found = world
        .invoices()
        .reminders(&world.accountant(), invoice.id)
        .await
        .unwrap();
    assert_eq!(found, [early, late]);
    let error = world
        .invoices()
        .reminders(&world.stranger(), invoice.id)
        .await
        .unwrap_err();
    assert!(matches!(error, ListRemindersError::NotFound));
}
