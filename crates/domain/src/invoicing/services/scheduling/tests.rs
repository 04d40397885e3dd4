#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod reminders;
mod restarts;

use chrono::{DateTime, TimeZone, Utc};

use super::*;
use crate::invoicing::client::Client;
use crate::invoicing::invoice::InvoiceStatus;
use crate::invoicing::recurring::RecurringInvoice;
use crate::invoicing::services::RecurringFields;
use crate::invoicing::testing::fixtures::{World, date, line};
use crate::tenancy::Closure;

pub(super) fn at(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap()
}

/// Monthly from 1 April 2026, one line of 10.00 at 19 %.
fn monthly(client: &Client) -> RecurringFields {
    RecurringFields {
        client_id: Some(client.id),
        lines: Some(vec![line("Hosting", "1", "10.00", "19")]),
        frequency: Some("monthly".to_owned()),
        start_date: Some(date(2026, 4, 1)),
        ..RecurringFields::default()
    }
}

async fn schedule(world: &World, fields: RecurringFields) -> RecurringInvoice {
    world.recurring().create(&world.owner(), fields).await.unwrap()
}

fn stored(world: &World, id: RecurringInvoiceId) -> RecurringInvoice {
    world.snapshot().recurring[&(world.tenant, id)].clone()
}

#[tokio::test]
async fn a_due_period_is_issued_as_a_finalized_invoice() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let recurring = schedule(&world, monthly(&client)).await;
    world.clock.set(at(2026, 4, 1, 9));
    let report = world.scheduler().run_due().await.unwrap();
    assert_eq!(report.issued.len(), 1);
    let issued = &report.issued[0];
    assert_eq!(issued.schedule_id, recurring.id);
    assert_eq!(issued.number, "INV-2026-0001");
    assert_eq!(issued.issue_date, date(2026, 4, 1));
    let invoice = world.invoice(issued.invoice_id);
    assert_eq!(invoice.status, InvoiceStatus::Open);
    assert_eq!(invoice.number.as_deref(), Some("INV-2026-0001"));
    assert_eq!(invoice.recurring_invoice_id, Some(recurring.id));
    assert_eq!(invoice.content.client_id, client.id);
    assert_eq!(invoice.content.due_date, Some(date(2026, 4, 15)));
    assert_eq!(invoice.totals().total.minor(), 1_190);
    assert_eq!(invoice.buyer.as_ref().map(|b| b.name.as_str()), Some("Acme"));
    assert_eq!(invoice.delivery.public_token, None);
    let state = world.snapshot();
    assert!(state.runs.contains(&(world.tenant, recurring.id, date(2026, 4, 1))));
    assert!(state.jobs.is_empty());
    let after = stored(&world, recurring.id);
    assert_eq!(after.next_period, 1);
    assert_eq!(after.next_issue_date(), Some(date(2026, 5, 1)));
}

#[tokio::test]
async fn nothing_is_issued_before_the_start_date() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    schedule(&world, monthly(&client)).await;
    world.clock.set(at(2026, 3, 31, 12));
    let before = world.snapshot();
    let report = world.scheduler().run_due().await.unwrap();
    assert_eq!(report, InvoicingRun::default());
    assert_eq!(world.snapshot(), before);
}

#[tokio::test]
async fn the_first_day_is_reckoned_in_the_organizations_time_zone() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    schedule(&world, monthly(&client)).await;
    // 22:30 UTC on 31 March is 00:30 on 1 April in Berlin.
    world.clock.set(Utc.with_ymd_and_hms(2026, 3, 31, 22, 30, 0).unwrap());
    let report = world.scheduler().run_due().await.unwrap();
    assert_eq!(report.issued.len(), 1);
    assert_eq!(report.issued[0].issue_date, date(2026, 4, 1));
}

#[tokio::test]
async fn missed_periods_are_caught_up_in_order_with_the_templates_terms() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let fields = RecurringFields {
        payment_terms_days: Some(Some(30)),
        ..monthly(&client)
    };
    let recurring = schedule(&world, fields).await;
    world.clock.set(at(2026, 6, 15, 9));
    let report = world.scheduler().run_due().await.unwrap();
    let issued: Vec<_> = report
        .issued
        .iter()
        .map(|i| (i.number.as_str(), i.issue_date))
        .collect();
    assert_eq!(
        issued,
        [
            ("INV-2026-0001", date(2026, 4, 1)),
            ("INV-2026-0002", date(2026, 5, 1)),
            ("INV-2026-0003", date(2026, 6, 1))
        ]
    );
    let due = world.invoice(report.issued[2].invoice_id).content.due_date;
    assert_eq!(due, Some(date(2026, 7, 1)));
    assert_eq!(stored(&world, recurring.id).next_period, 3);
}

#[tokio::test]
async fn a_second_run_issues_nothing_more() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    schedule(&world, monthly(&client)).await;
    world.clock.set(at(2026, 4, 1, 9));
    world.scheduler().run_due().await.unwrap();
    let before = world.snapshot();
    let report = world.scheduler().run_due().await.unwrap();
    assert!(report.issued.is_empty());
    assert_eq!(world.snapshot(), before);
}

#[tokio::test]
async fn the_last_period_completes_the_schedule() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let fields = RecurringFields {
        end_after_count: Some(Some(2)),
        ..monthly(&client)
    };
    let recurring = schedule(&world, fields).await;
    world.clock.set(at(2026, 12, 1, 9));
    let report = world.scheduler().run_due().await.unwrap();
    assert_eq!(report.issued.len(), 2);
    assert_eq!(stored(&world, recurring.id).status, RecurringStatus::Completed);
}

#[tokio::test]
async fn a_paused_schedule_issues_nothing() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let recurring = schedule(&world, monthly(&client)).await;
    world.recurring().pause(&world.owner(), recurring.id).await.unwrap();
    world.clock.set(at(2026, 5, 2, 9));
    let before = world.snapshot();
    assert!(world.scheduler().run_due().await.unwrap().issued.is_empty());
    assert_eq!(world.snapshot(), before);
}

#[tokio::test]
async fn a_closed_account_gets_no_invoices() {
    let mut world = World::new();
    let client = world.add_client("Acme", None);
    schedule(&world, monthly(&client)).await;
    world.edit_org(|org| {
        org.closure = Some(Closure {
            closed_at: at(2026, 3, 20, 9),
            purge_after: at(2026, 4, 19, 9),
        });
    });
    world.clock.set(at(2026, 4, 1, 9));
    let before = world.snapshot();
    assert!(world.scheduler().run_due().await.unwrap().issued.is_empty());
    assert_eq!(world.snapshot(), before);
}

#[tokio::test]
async fn a_template_with_a_negative_total_pauses_its_schedule_without_using_a_number() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let fields = RecurringFields {
        lines: Some(vec![line("Credit", "1", "-5.00", "0")]),
        ..monthly(&client)
    };
    let recurring = schedule(&world, fields).await;
    world.clock.set(at(2026, 4, 1, 9));
    let report = world.scheduler().run_due().await.unwrap();
    assert_eq!(report.paused, [recurring.id]);
    assert!(report.issued.is_empty());
    let state = world.snapshot();
    assert!(state.invoices.is_empty());
    assert!(state.counters.is_empty());
    assert!(state.runs.is_empty());
    assert_eq!(
        state.recurring[&(world.tenant, recurring.id)].status,
        RecurringStatus::Paused
    );
}

#[tokio::test]
async fn auto_send_queues_the_email_of_each_invoice() {
    let world = World::new();
    let client = world.add_client("Acme", Some("billing@acme.example"));
    let fields = RecurringFields {
        auto_send: Some(true),
        ..monthly(&client)
    };
    let recurring = schedule(&world, fields).await;
    world.clock.set(at(2026, 4, 1, 9));
    let report = world.scheduler().run_due().await.unwrap();
    let invoice = world.invoice(report.issued[0].invoice_id);
    assert!(invoice.delivery.public_token.is_some());
    let jobs = world.snapshot().jobs;
    assert_eq!(jobs.len(), 1);
    assert_eq!(jobs[0].effect, Effect::SendInvoiceEmail { invoice_id: invoice.id });
    assert_eq!(
        jobs[0].idempotency_key,
        format!("recurring-email:{}:2026-04-01", recurring.id)
    );
}

#[tokio::test]
async fn auto_send_to_a_client_without_email_only_issues() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let fields = RecurringFields {
        auto_send: Some(true),
        ..monthly(&client)
    };
    schedule(&world, fields).await;
    world.clock.set(at(2026, 4, 1, 9));
    let report = world.scheduler().run_due().await.unwrap();
    assert_eq!(report.issued.len(), 1);
    assert_eq!(world.invoice(report.issued[0].invoice_id).delivery.public_token, None);
    assert!(world.snapshot().jobs.is_empty());
}

#[tokio::test]
async fn a_period_that_already_has_its_invoice_is_not_issued_again() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let recurring = schedule(&world, monthly(&client)).await;
    world.store.edit(|state| {
        state.runs.insert((world.tenant, recurring.id, date(2026, 4, 1)));
    });
    world.clock.set(at(2026, 4, 1, 9));
    let before = world.snapshot();
    let report = world.scheduler().run_due().await.unwrap();
    assert!(report.issued.is_empty());
    let after = world.snapshot();
    assert_eq!(after.invoices, before.invoices, "the attempt rolls back");
    assert_eq!(after.counters, before.counters, "its number included");
    assert_eq!(
        stored(&world, recurring.id).next_issue_date(),
        Some(date(2026, 5, 1)),
        "the schedule moves past the issued period instead of stopping there"
    );
}

#[test]
fn shift_moves_dates_both_ways_and_saturates() {
    assert_eq!(shift(date(2026, 3, 24), 7), date(2026, 3, 31));
    assert_eq!(shift(date(2026, 3, 24), -24), date(2026, 2, 28));
    assert_eq!(shift(NaiveDate::MAX, 1), NaiveDate::MAX);
    assert_eq!(shift(NaiveDate::MIN, -1), NaiveDate::MIN);
}
