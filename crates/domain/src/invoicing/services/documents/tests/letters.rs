use chrono::TimeDelta;

use crate::InvoiceId;
use crate::invoicing::reminders::{InvoiceReminder, ReminderStatus};
use crate::invoicing::services::{DocumentError, DocumentSubject, FINAL_REMINDER_DAYS, ReminderLetter};
use crate::invoicing::testing::fixtures::{World, date, payment, start};

fn reminder(world: &World, invoice: InvoiceId, days_from_due: i32, status: ReminderStatus) -> InvoiceReminder {
    InvoiceReminder {
        tenant_id: world.tenant,
        invoice_id: invoice,
        days_from_due,
        due_on: date(2026, 3, 24),
        status,
        recipient: None,
        sent_at: None,
        created_at: start(),
    }
}

#[tokio::test]
async fn the_letter_counts_the_overdue_reminders_sent_and_sets_a_new_deadline() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let invoice = world.open_invoice(&client).await;
    world.store.edit(|state| {
        state.reminders.extend([
            reminder(&world, invoice.id, -3, ReminderStatus::Sent),
            reminder(&world, invoice.id, 7, ReminderStatus::Sent),
            reminder(&world, invoice.id, 14, ReminderStatus::Sent),
            reminder(&world, invoice.id, 21, ReminderStatus::Skipped),
        ]);
    });
    world.clock.advance(TimeDelta::days(30));
    let before = world.snapshot();
    let data = world
        .documents()
        .reminder_letter(&world.accountant(), invoice.id)
        .await
        .unwrap();
    let expected = ReminderLetter {
        date: date(2026, 4, 9),
        level: 3,
        original_due_date: date(2026, 3, 24),
        days_overdue: 16,
        pay_by: date(2026, 4, 9) + TimeDelta::days(i64::try_from(FINAL_REMINDER_DAYS).unwrap()),
    };
    assert_eq!(data.subject, DocumentSubject::ReminderLetter(expected));
    assert_eq!(data.file_stem(), "reminder-INV-2026-0001");
    assert_eq!(world.snapshot(), before);
}

#[tokio::test]
async fn a_partially_paid_invoice_gets_a_first_letter() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let invoice = world.open_invoice(&client).await;
    world
        .invoices()
        .record_payment(&world.owner(), invoice.id, payment("10.00", date(2026, 3, 10)))
        .await
        .unwrap();
    world.clock.advance(TimeDelta::days(15));
    let data = world
        .documents()
        .reminder_letter(&world.owner(), invoice.id)
        .await
        .unwrap();
    let DocumentSubject::ReminderLetter(letter) = data.subject else {
        panic!("expected a reminder letter");
    };
    assert_eq!((letter.level, letter.days_overdue), (1, 1));
}

#[tokio::test]
async fn no_letter_for_an_unknown_invoice() {
    let world = World::new();
    let error = world
        .documents()
        .reminder_letter(&world.owner(), InvoiceId::from_uuid(uuid::Uuid::nil()))
        .await
        .unwrap_err();
    assert!(matches!(error, DocumentError::NotFound("invoice")));
}

#[tokio::test]
async fn no_letter_for_a_draft() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let draft = world.draft(&client).await;
    let error = world
        .documents()
        .reminder_letter(&world.owner(), draft.id)
        .await
        .unwrap_err();
    assert!(matches!(error, DocumentError::NotFinalized));
}

#[tokio::test]
async fn no_letter_for_a_paid_invoice() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let invoice = world.open_invoice(&client).await;
    world
        .invoices()
        .record_payment(&world.owner(), invoice.id, payment("119.00", date(2026, 3, 10)))
        .await
        .unwrap();
    world.clock.advance(TimeDelta::days(30));
    let error = world
        .documents()
        .reminder_letter(&world.owner(), invoice.id)
        .await
        .unwrap_err();
    assert!(matches!(error, DocumentError::NotOverdue("it is paid")));
}

#[tokio::test]
async fn no_letter_for_a_void_invoice() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let invoice = world.open_invoice(&client).await;
    world
        .credit_notes()
        .void(&world.owner(), invoice.id, None)
        .await
        .unwrap();
    world.clock.advance(TimeDelta::days(30));
    let error = world
        .documents()
        .reminder_letter(&world.owner(), invoice.id)
        .await
        .unwrap_err();
    assert!(matches!(error, DocumentError::NotOverdue("it is void")));
}

#[tokio::test]
async fn no_letter_on_the_due_date_itself() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let invoice = world.open_invoice(&client).await;
    world.clock.advance(TimeDelta::days(14));
    let error = world
        .documents()
        .reminder_letter(&world.owner(), invoice.id)
        .await
        .unwrap_err();
    assert!(matches!(
        error,
        DocumentError::NotOverdue("its due date has not passed")
    ));
}

#[tokio::test]
async fn no_letter_for_a_restricted_invoice() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let invoice = world.open_invoice(&client).await;
    world.edit_invoice(invoice.id, |i| i.hold.restricted = true);
    world.clock.advance(TimeDelta::days(30));
    let error = world
        .documents()
        .reminder_letter(&world.owner(), invoice.id)
        .await
        .unwrap_err();
    assert!(matches!(error, DocumentError::Restricted));
}
