use chrono::TimeDelta;

use super::{job, sent_invoice};
use crate::InvoiceId;
use crate::invoicing::reminders::{InvoiceReminder, ReminderStatus};
use crate::invoicing::testing::fixtures::{World, date, payment, start};
use crate::kernel::money::{Currency, Money};
use crate::messaging::delivery::{Notice, Prepared};
use crate::messaging::outbox::Effect;

fn queue(world: &World, invoice: InvoiceId, days_from_due: i32) {
    world.store.edit(|state| {
        state.reminders.push(InvoiceReminder {
            tenant_id: world.tenant,
            invoice_id: invoice,
            days_from_due,
            due_on: date(2026, 3, 24),
            status: ReminderStatus::Queued,
            recipient: None,
            sent_at: None,
            created_at: start(),
        });
    });
}

fn effect(invoice: InvoiceId) -> Effect {
    Effect::SendPaymentReminder {
        invoice_id: invoice,
        days_from_due: 7,
    }
}

fn status(world: &World) -> ReminderStatus {
    world.snapshot().reminders[0].status
}

#[tokio::test]
async fn a_reminder_tells_the_balance_still_due() {
    let world = World::new();
    let invoice = sent_invoice(&world).await;
    world
        .invoices()
        .record_payment(&world.owner(), invoice.id, payment("19.00", date(2026, 3, 10)))
        .await
        .unwrap();
    queue(&world, invoice.id, 7);
    world.clock.advance(TimeDelta::days(21));
    let prepared = world
        .delivery()
        .prepare(&job(&world, effect(invoice.id), "rem"))
        .await
        .unwrap();
    let Prepared::Send(outgoing) = prepared else {
        panic!("expected an email, got {prepared:?}");
    };
    assert_eq!(
        outgoing.notice,
        Notice::PaymentReminder {
            invoice_number: "INV-2026-0001".to_owned(),
            balance_due: Money::from_minor(10_000, Currency::EUR),
            due_date: date(2026, 3, 24),
            days_from_due: 7,
            public_token: invoice.delivery.public_token.clone().unwrap(),
        }
    );
    assert_eq!(status(&world), ReminderStatus::Queued);
}

#[tokio::test]
async fn a_reminder_about_a_paid_invoice_is_cancelled() {
    let world = World::new();
    let invoice = sent_invoice(&world).await;
    world
        .invoices()
        .record_payment(&world.owner(), invoice.id, payment("119.00", date(2026, 3, 10)))
        .await
        .unwrap();
    queue(&world, invoice.id, 7);
    let prepared = world
        .delivery()
        .prepare(&job(&world, effect(invoice.id), "rem"))
        .await
        .unwrap();
    assert_eq!(
        prepared,
        Prepared::Skip("the invoice is settled or the client takes no reminders")
    );
    assert_eq!(status(&world), ReminderStatus::Cancelled);
}

#[tokio::test]
async fn a_reminder_to_a_client_who_takes_none_is_cancelled() {
    let world = World::new();
    let invoice = sent_invoice(&world).await;
    world.edit_client(invoice.content.client_id, |c| c.details.reminders_enabled = false);
    queue(&world, invoice.id, 7);
    let prepared = world
        .delivery()
        .prepare(&job(&world, effect(invoice.id), "rem"))
        .await
        .unwrap();
    assert!(matches!(prepared, Prepared::Skip(_)));
    assert_eq!(status(&world), ReminderStatus::Cancelled);
}

#[tokio::test]
async fn a_reminder_to_a_client_who_objected_is_cancelled() {
    let world = World::new();
    let invoice = sent_invoice(&world).await;
    world.edit_client(invoice.content.client_id, |c| c.privacy.objects_to_contact = true);
    queue(&world, invoice.id, 7);
    let prepared = world
        .delivery()
        .prepare(&job(&world, effect(invoice.id), "rem"))
        .await
        .unwrap();
    assert!(matches!(prepared, Prepared::Skip(_)));
    assert_eq!(status(&world), ReminderStatus::Cancelled);
}

#[tokio::test]
async fn a_reminder_about_a_restricted_invoice_is_cancelled() {
    let world = World::new();
    let invoice = sent_invoice(&world).await;
    world.edit_invoice(invoice.id, |i| i.hold.restricted = true);
    queue(&world, invoice.id, 7);
    let prepared = world
        .delivery()
        .prepare(&job(&world, effect(invoice.id), "rem"))
        .await
        .unwrap();
    assert!(matches!(prepared, Prepared::Skip(_)));
    assert_eq!(status(&world), ReminderStatus::Cancelled);
}
