use chrono::TimeDelta;

use super::monthly;
use crate::invoicing::recurring::{RecurringInvoice, RecurringStatus};
use crate::invoicing::services::{RecurringFields, WriteRecurringError};
use crate::invoicing::testing::fixtures::{World, codes, date, line};
use crate::{ClientId, RecurringInvoiceId};

async fn schedule(world: &World) -> RecurringInvoice {
    let client = world.add_client("Acme", None);
    world
        .recurring()
        .create(&world.owner(), monthly(&client))
        .await
        .unwrap()
}

async fn refused(world: &World, id: RecurringInvoiceId, fields: RecurringFields) -> Vec<String> {
    let before = world.snapshot();
    let error = world.recurring().update(&world.owner(), id, fields).await.unwrap_err();
    assert_eq!(world.snapshot(), before, "nothing is written");
    match error {
        WriteRecurringError::Invalid(errors) => codes(&errors),
        other => panic!("expected Invalid, got {other:?}"),
    }
}

#[tokio::test]
async fn update_changes_the_template_and_keeps_the_schedule() {
    let world = World::new();
    let recurring = schedule(&world).await;
    let other = world.add_client("Other", None);
    world.clock.advance(TimeDelta::hours(1));
    let fields = RecurringFields {
        client_id: Some(other.id),
        currency: Some("USD".to_owned()),
        lines: Some(vec![line("A", "1", "1.00", "0"), line("B", "2", "2.00", "0")]),
        notes: Some(Some("n".to_owned())),
        payment_terms_days: Some(Some(7)),
        auto_send: Some(true),
        ..RecurringFields::default()
    };
    let updated = world
        .recurring()
        .update(&world.owner(), recurring.id, fields)
        .await
        .unwrap();
    assert_eq!(updated.client_id, other.id);
    assert_eq!(updated.template.currency.code(), "USD");
    assert_eq!(updated.template.lines.len(), 2);
    assert_eq!(updated.template.notes.as_deref(), Some("n"));
    assert_eq!(updated.template.payment_terms_days, Some(7));
    assert!(updated.auto_send);
    assert_eq!(updated.schedule, recurring.schedule);
    assert_eq!(updated.updated_at, recurring.updated_at + TimeDelta::hours(1));
    assert_eq!(world.snapshot().recurring[&(world.tenant, recurring.id)], updated);
}

#[tokio::test]
async fn notes_and_terms_can_be_cleared() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let fields = RecurringFields {
        notes: Some(Some("n".to_owned())),
        payment_terms_days: Some(Some(7)),
        ..monthly(&client)
    };
    let recurring = world.recurring().create(&world.owner(), fields).await.unwrap();
    let clear = RecurringFields {
        notes: Some(None),
        payment_terms_days: Some(None),
        ..RecurringFields::default()
    };
    let updated = world
        .recurring()
        .update(&world.owner(), recurring.id, clear)
        .await
        .unwrap();
    assert_eq!(
        (updated.template.notes, updated.template.payment_terms_days),
        (None, None)
    );
}

#[tokio::test]
async fn a_new_start_date_restarts_the_count() {
    let world = World::new();
    let recurring = schedule(&world).await;
    world.store.edit(|state| {
        state
            .recurring
            .get_mut(&(world.tenant, recurring.id))
            .unwrap()
            .next_period = 3;
    });
    let fields = RecurringFields {
        start_date: Some(date(2026, 9, 15)),
        ..RecurringFields::default()
    };
    let updated = world
        .recurring()
        .update(&world.owner(), recurring.id, fields)
        .await
        .unwrap();
    assert_eq!(updated.next_period, 0);
    assert_eq!(updated.next_issue_date(), Some(date(2026, 9, 15)));
}

#[tokio::test]
async fn a_shorter_end_completes_the_schedule_and_a_longer_one_reactivates_it() {
    let world = World::new();
    let recurring = schedule(&world).await;
    world.store.edit(|state| {
        state
            .recurring
            .get_mut(&(world.tenant, recurring.id))
            .unwrap()
            .next_period = 2;
    });
    let service = world.recurring();
    let shorter = RecurringFields {
        end_after_count: Some(Some(2)),
        ..RecurringFields::default()
    };
    let updated = service.update(&world.owner(), recurring.id, shorter).await.unwrap();
    assert_eq!(updated.status, RecurringStatus::Completed);
    let longer = RecurringFields {
        end_after_count: Some(None),
        ..RecurringFields::default()
    };
    let updated = service.update(&world.owner(), recurring.id, longer).await.unwrap();
    assert_eq!(updated.status, RecurringStatus::Active);
    assert_eq!(updated.next_issue_date(), Some(date(2026, 6, 1)));
}

#[tokio::test]
async fn update_is_forbidden_to_an_accountant() {
    let world = World::new();
    let recurring = schedule(&world).await;
    let before = world.snapshot();
    let error = world
        .recurring()
        .update(&world.accountant(), recurring.id, RecurringFields::default())
        .await
        .unwrap_err();
    assert!(matches!(error, WriteRecurringError::Forbidden(_)));
    assert_eq!(world.snapshot(), before);
}

#[tokio::test]
async fn update_of_an_unknown_or_foreign_schedule_is_not_found() {
    let world = World::new();
    let recurring = schedule(&world).await;
    let unknown = RecurringInvoiceId::from_uuid(uuid::Uuid::nil());
    let error = world
        .recurring()
        .update(&world.owner(), unknown, RecurringFields::default())
        .await
        .unwrap_err();
    assert!(matches!(error, WriteRecurringError::NotFound));
    let error = world
        .recurring()
        .update(&world.stranger(), recurring.id, RecurringFields::default())
        .await
        .unwrap_err();
    assert!(matches!(error, WriteRecurringError::NotFound));
}

#[tokio::test]
async fn update_to_an_unknown_client_is_invalid() {
    let world = World::new();
    let recurring = schedule(&world).await;
    let fields = RecurringFields {
        client_id: Some(ClientId::from_uuid(uuid::Uuid::nil())),
        ..RecurringFields::default()
    };
    assert_eq!(refused(&world, recurring.id, fields).await, ["client_id:not_found"]);
}

#[tokio::test]
async fn update_to_no_lines_is_invalid() {
    let world = World::new();
    let recurring = schedule(&world).await;
    let fields = RecurringFields {
        lines: Some(Vec::new()),
        ..RecurringFields::default()
    };
    assert_eq!(refused(&world, recurring.id, fields).await, ["template.lines:required"]);
}

#[tokio::test]
async fn update_with_invalid_template_fields_names_them() {
    let world = World::new();
    let recurring = schedule(&world).await;
    let fields = RecurringFields {
        currency: Some("??".to_owned()),
        lines: Some(vec![line("A", "-1", "1.00", "0")]),
        payment_terms_days: Some(Some(1000)),
        ..RecurringFields::default()
    };
    assert_eq!(
        refused(&world, recurring.id, fields).await,
        [
            "currency:invalid_currency",
            "template.lines[0].quantity:out_of_range",
            "template.payment_terms_days:out_of_range"
        ]
    );
}

#[tokio::test]
async fn update_with_an_invalid_schedule_names_it() {
    let world = World::new();
    let recurring = schedule(&world).await;
    let fields = RecurringFields {
        frequency: Some("hourly".to_owned()),
        ..RecurringFields::default()
    };
    assert_eq!(
        refused(&world, recurring.id, fields).await,
        ["frequency:invalid_choice"]
    );
    let fields = RecurringFields {
        interval: Some(53),
        end_on: Some(Some(date(2026, 1, 1))),
        ..RecurringFields::default()
    };
    assert_eq!(
        refused(&world, recurring.id, fields).await,
        ["schedule.interval:out_of_range", "schedule.end_on:before_start_date"]
    );
}
