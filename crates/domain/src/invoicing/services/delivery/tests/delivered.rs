use chrono::TimeDelta;

use super::{job, sent_invoice};
use crate::invoicing::reminders::{InvoiceReminder, ReminderStatus};
use crate::invoicing::testing::fixtures::{World, date, email, start};
use crate::kernel::money::{Currency, Money};
use crate::messaging::delivery::{Notice, Outgoing};
use crate::messaging::outbox::Effect;

fn outgoing(to: &str) -> Outgoing {
    Outgoing {
        to: email(to),
        to_name: "Acme".to_owned(),
        from_name: "Muster GmbH".to_owned(),
        reply_to: None,
        message_key: "k".to_owned(),
        notice: Notice::InvoiceSent {
            invoice_number: "INV-2026-0001".to_owned(),
            total: Money::from_minor(11_900, Currency::EUR),
            due_date: None,
            public_token: String::new(),
        },
    }
}

#[tokio::test]
async fn a_delivered_invoice_email_records_when_and_to_whom() {
    let world = World::new();
    let invoice = sent_invoice(&world).await;
    world.clock.advance(TimeDelta::minutes(3));
    let job = job(&world, Effect::SendInvoiceEmail { invoice_id: invoice.id }, "k");
    world
        .delivery()
        .delivered(&job, &outgoing("billing@acme.example"))
        .await
        .unwrap();
    let stored = world.invoice(invoice.id);
    assert_eq!(stored.delivery.sent_at, Some(start() + TimeDelta::minutes(3)));
    assert_eq!(stored.delivery.sent_to.as_deref(), Some("billing@acme.example"));
    assert_eq!(stored.delivery.public_token, invoice.delivery.public_token);
}

#[tokio::test]
async fn a_delivered_reminder_is_marked_sent() {
    let world = World::new();
    let invoice = sent_invoice(&world).await;
    let reminder = |days_from_due| InvoiceReminder {
        tenant_id: world.tenant,
        invoice_id: invoice.id,
        days_from_due,
        due_on: date(2026, 3, 24),
        status: ReminderStatus::Queued,
        recipient: None,
        sent_at: None,
        created_at: start(),
    };
    world
        .store
        .edit(|state| state.reminders.extend([reminder(7), reminder(14)]));
    let effect = Effect::SendPaymentReminder {
        invoice_id: invoice.id,
        days_from_due: 7,
    };
    world
        .delivery()
        .delivered(&job(&world, effect, "k"), &outgoing("billing@acme.example"))
        .await
        .unwrap();
    let reminders = world.snapshot().reminders;
    assert_eq!(reminders[0].status, ReminderStatus::Sent);
    assert_eq!(reminders[0].recipient.as_deref(), Some("billing@acme.example"));
    assert_eq!(reminders[0].sent_at, Some(start()));
    assert_eq!(reminders[1], reminder(14), "other reminders are untouched");
}

#[tokio::test]
async fn a_delivery_without_a_tenant_records_nothing() {
    let world = World::new();
    let invoice = sent_invoice(&world).await;
    let mut job = job(&world, Effect::SendInvoiceEmail { invoice_id: invoice.id }, "k");
    job.tenant_id = None;
    let before = world.snapshot();
    world
        .delivery()
        .delivered(&job, &outgoing("billing@acme.example"))
        .await
        .unwrap();
    assert_eq!(world.snapshot(), before);
}

#[tokio::test]
async fn a_delivered_receipt_changes_no_invoicing_data() {
    let world = World::new();
    let invoice = sent_invoice(&world).await;
    let effect = Effect::SendPaymentReceipt {
        invoice_id: invoice.id,
        payment_id: crate::PaymentId::from_uuid(uuid::Uuid::nil()),
    };
    let before = world.snapshot();
    world
        .delivery()
        .delivered(&job(&world, effect, "k"), &outgoing("billing@acme.example"))
        .await
        .unwrap();
    let after = world.snapshot();
    assert_eq!(after.invoices, before.invoices);
    assert_eq!(after.reminders, before.reminders);
}
