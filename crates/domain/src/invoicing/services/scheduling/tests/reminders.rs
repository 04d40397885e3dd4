use super::at;
use crate::invoicing::invoice::Invoice;
use crate::invoicing::reminders::{ReminderRule, ReminderStatus};
use crate::invoicing::testing::fixtures::{World, date, payment};
use crate::messaging::outbox::Effect;
use crate::tenancy::Closure;

fn rule(days_from_due: i32) -> ReminderRule {
    ReminderRule {
        days_from_due,
        repeat_every_days: None,
        max_repeats: None,
    }
}

/// An open invoice due on 24 March 2026, with reminders at `offsets`.
async fn setup(offsets: &[i32]) -> (World, Invoice) {
    let world = World::new();
    let client = world.add_client("Acme", Some("billing@acme.example"));
    let invoice = world.open_invoice(&client).await;
    assert_eq!(invoice.content.due_date, Some(date(2026, 3, 24)));
    let rules = offsets.iter().copied().map(rule).collect();
    world.reminders().save(&world.owner(), true, rules).await.unwrap();
    (world, invoice)
}

#[tokio::test]
async fn a_reminder_that_came_due_is_queued_once() {
    let (world, invoice) = setup(&[7]).await;
    world.clock.set(at(2026, 3, 31, 9));
    let report = world.scheduler().run_due().await.unwrap();
    assert_eq!(
        (
            report.reminders_queued,
            report.reminders_skipped,
            report.reminders_refused
        ),
        (1, 0, 0)
    );
    let state = world.snapshot();
    assert_eq!(state.reminders.len(), 1);
    let reminder = &state.reminders[0];
    assert_eq!((reminder.days_from_due, reminder.due_on), (7, date(2026, 3, 31)));
    assert_eq!(reminder.status, ReminderStatus::Queued);
    assert_eq!(state.jobs.len(), 1);
    assert_eq!(
        state.jobs[0].effect,
        Effect::SendPaymentReminder {
            invoice_id: invoice.id,
            days_from_due: 7
        }
    );
    assert_eq!(state.jobs[0].idempotency_key, format!("reminder:{}:7", invoice.id));
    assert!(
        world.invoice(invoice.id).delivery.public_token.is_some(),
        "the reminder links the invoice"
    );

    let again = world.scheduler().run_due().await.unwrap();
    assert_eq!(again.reminders_queued, 0);
    let after = world.snapshot();
    assert_eq!((after.reminders.len(), after.jobs.len()), (1, 1));
}

#[tokio::test]
async fn nothing_is_queued_before_the_first_offset() {
    let (world, _) = setup(&[7]).await;
    world.clock.set(at(2026, 3, 30, 9));
    let before = world.snapshot();
    let report = world.scheduler().run_due().await.unwrap();
    assert_eq!(report.reminders_queued, 0);
    assert_eq!(world.snapshot().reminders, before.reminders);
    assert!(world.snapshot().jobs.is_empty());
}

#[tokio::test]
async fn missed_reminders_are_skipped_for_the_latest() {
    let (world, _) = setup(&[-3, 7, 14]).await;
    world.clock.set(at(2026, 4, 8, 9));
    let report = world.scheduler().run_due().await.unwrap();
    assert_eq!((report.reminders_queued, report.reminders_skipped), (1, 2));
    let statuses: Vec<_> = world
        .snapshot()
        .reminders
        .iter()
        .map(|r| (r.days_from_due, r.status))
        .collect();
    assert_eq!(
        statuses,
        [
            (-3, ReminderStatus::Skipped),
            (7, ReminderStatus::Skipped),
            (14, ReminderStatus::Queued)
        ]
    );
    assert_eq!(world.snapshot().jobs.len(), 1);
}

#[tokio::test]
async fn a_client_who_objected_is_refused_and_nothing_is_recorded() {
    let (world, invoice) = setup(&[7]).await;
    world.edit_client(invoice.content.client_id, |c| c.privacy.objects_to_contact = true);
    world.clock.set(at(2026, 3, 31, 9));
    let report = world.scheduler().run_due().await.unwrap();
    assert_eq!((report.reminders_queued, report.reminders_refused), (0, 1));
    let state = world.snapshot();
    assert!(state.reminders.is_empty());
    assert!(state.jobs.is_empty());
}

#[tokio::test]
async fn a_restricted_invoice_is_refused() {
    let (world, invoice) = setup(&[7]).await;
    world.edit_invoice(invoice.id, |i| i.hold.restricted = true);
    world.clock.set(at(2026, 3, 31, 9));
    let report = world.scheduler().run_due().await.unwrap();
    assert_eq!(report.reminders_refused, 1);
    assert!(world.snapshot().reminders.is_empty());
}

#[tokio::test]
async fn a_client_who_takes_no_reminders_is_passed_over() {
    let (world, invoice) = setup(&[7]).await;
    world.edit_client(invoice.content.client_id, |c| c.details.reminders_enabled = false);
    world.clock.set(at(2026, 3, 31, 9));
    let report = world.scheduler().run_due().await.unwrap();
    assert_eq!((report.reminders_queued, report.reminders_refused), (0, 0));
    assert!(world.snapshot().reminders.is_empty());
}

#[tokio::test]
async fn a_paid_invoice_is_not_reminded() {
    let (world, invoice) = setup(&[7]).await;
    world
        .invoices()
        .record_payment(&world.owner(), invoice.id, payment("119.00", date(2026, 3, 10)))
        .await
        .unwrap();
    world.clock.set(at(2026, 3, 31, 9));
    let report = world.scheduler().run_due().await.unwrap();
    assert_eq!(report.reminders_queued, 0);
    assert!(world.snapshot().reminders.is_empty());
}

#[tokio::test]
async fn disabled_reminders_queue_nothing() {
    let (world, _) = setup(&[7]).await;
    world
        .reminders()
        .save(&world.owner(), false, vec![rule(7)])
        .await
        .unwrap();
    world.clock.set(at(2026, 3, 31, 9));
    let before = world.snapshot();
    let report = world.scheduler().run_due().await.unwrap();
    assert_eq!(report, super::InvoicingRun::default());
    assert_eq!(world.snapshot(), before);
}

#[tokio::test]
async fn a_closed_account_gets_no_reminders() {
    let (mut world, _) = setup(&[7]).await;
    world.edit_org(|org| {
        org.closure = Some(Closure {
            closed_at: at(2026, 3, 25, 9),
            purge_after: at(2026, 4, 24, 9),
        });
    });
    world.clock.set(at(2026, 3, 31, 9));
    let before = world.snapshot();
    let report = world.scheduler().run_due().await.unwrap();
    assert_eq!(report.reminders_queued, 0);
    assert_eq!(world.snapshot(), before);
}

#[tokio::test]
async fn an_invoice_past_the_last_offset_is_no_longer_reminded() {
    let (world, _) = setup(&[7]).await;
    world.clock.set(at(2026, 4, 2, 9));
    let report = world.scheduler().run_due().await.unwrap();
    assert_eq!(report.reminders_queued, 0);
    assert!(world.snapshot().reminders.is_empty());
}
