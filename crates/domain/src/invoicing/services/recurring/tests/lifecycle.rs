use chrono::{TimeDelta, TimeZone, Utc};

use super::monthly;
use crate::RecurringInvoiceId;
use crate::invoicing::recurring::{RecurringInvoice, RecurringStatus};
use crate::invoicing::services::{RecurringFields, WriteRecurringError};
use crate::invoicing::testing::fixtures::{World, date};

async fn schedule(world: &World) -> RecurringInvoice {
    let client = world.add_client("Acme", None);
    world
        .recurring()
        .create(&world.owner(), monthly(&client))
        .await
        .unwrap()
}

#[tokio::test]
async fn delete_removes_the_schedule_only() {
    let world = World::new();
    let recurring = schedule(&world).await;
    let kept = schedule(&world).await;
    world.recurring().delete(&world.owner(), recurring.id).await.unwrap();
    let state = world.snapshot();
    assert!(!state.recurring.contains_key(&(world.tenant, recurring.id)));
    assert!(state.recurring.contains_key(&(world.tenant, kept.id)));
}

#[tokio::test]
async fn delete_is_forbidden_to_an_accountant() {
    let world = World::new();
    let recurring = schedule(&world).await;
    let before = world.snapshot();
    let error = world
        .recurring()
        .delete(&world.accountant(), recurring.id)
        .await
        .unwrap_err();
    assert!(matches!(error, WriteRecurringError::Forbidden(_)));
    assert_eq!(world.snapshot(), before);
}

#[tokio::test]
async fn delete_of_an_unknown_schedule_is_not_found() {
    let world = World::new();
    let recurring = schedule(&world).await;
    let before = world.snapshot();
    let unknown = RecurringInvoiceId::from_uuid(uuid::Uuid::nil());
    let error = world.recurring().delete(&world.owner(), unknown).await.unwrap_err();
    assert!(matches!(error, WriteRecurringError::NotFound));
    let error = world
        .recurring()
        .delete(&world.stranger(), recurring.id)
        .await
        .unwrap_err();
    assert!(matches!(error, WriteRecurringError::NotFound));
    assert_eq!(world.snapshot().recurring, before.recurring);
}

#[tokio::test]
async fn pause_stops_an_active_schedule() {
    let world = World::new();
    let recurring = schedule(&world).await;
    world.clock.advance(TimeDelta::minutes(1));
    let paused = world.recurring().pause(&world.owner(), recurring.id).await.unwrap();
    assert_eq!(paused.status, RecurringStatus::Paused);
    assert_eq!(paused.next_issue_date(), None);
    assert_eq!(paused.updated_at, recurring.updated_at + TimeDelta::minutes(1));
    assert_eq!(world.snapshot().recurring[&(world.tenant, recurring.id)], paused);
}

#[tokio::test]
async fn pausing_a_paused_schedule_is_the_wrong_status() {
    let world = World::new();
    let recurring = schedule(&world).await;
    world.recurring().pause(&world.owner(), recurring.id).await.unwrap();
    let before = world.snapshot();
    let error = world.recurring().pause(&world.owner(), recurring.id).await.unwrap_err();
    assert!(matches!(error, WriteRecurringError::WrongStatus("paused")));
    assert_eq!(world.snapshot(), before);
}

#[tokio::test]
async fn resuming_an_active_schedule_is_the_wrong_status() {
    let world = World::new();
    let recurring = schedule(&world).await;
    let before = world.snapshot();
    let error = world
        .recurring()
        .resume(&world.owner(), recurring.id)
        .await
        .unwrap_err();
    assert!(matches!(error, WriteRecurringError::WrongStatus("active")));
    assert_eq!(world.snapshot(), before);
}

#[tokio::test]
async fn pausing_a_completed_schedule_is_the_wrong_status() {
    let world = World::new();
    let recurring = schedule(&world).await;
    world.store.edit(|state| {
        state.recurring.get_mut(&(world.tenant, recurring.id)).unwrap().status = RecurringStatus::Completed;
    });
    let error = world.recurring().pause(&world.owner(), recurring.id).await.unwrap_err();
    assert!(matches!(error, WriteRecurringError::WrongStatus("completed")));
}

#[tokio::test]
async fn resume_skips_the_periods_missed_while_paused() {
    let world = World::new();
    let recurring = schedule(&world).await;
    world.recurring().pause(&world.owner(), recurring.id).await.unwrap();
    world.clock.set(Utc.with_ymd_and_hms(2026, 6, 15, 8, 0, 0).unwrap());
    let resumed = world.recurring().resume(&world.owner(), recurring.id).await.unwrap();
    assert_eq!(resumed.status, RecurringStatus::Active);
    assert_eq!(resumed.next_period, 3);
    assert_eq!(resumed.next_issue_date(), Some(date(2026, 7, 1)));
}

#[tokio::test]
async fn resume_after_the_end_completes_the_schedule() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let fields = RecurringFields {
        end_on: Some(Some(date(2026, 5, 31))),
        ..monthly(&client)
    };
    let recurring = world.recurring().create(&world.owner(), fields).await.unwrap();
    world.recurring().pause(&world.owner(), recurring.id).await.unwrap();
    world.clock.set(Utc.with_ymd_and_hms(2026, 6, 15, 8, 0, 0).unwrap());
    let resumed = world.recurring().resume(&world.owner(), recurring.id).await.unwrap();
    assert_eq!(resumed.status, RecurringStatus::Completed);
}

#[tokio::test]
async fn pause_and_resume_are_forbidden_to_an_accountant() {
    let world = World::new();
    let recurring = schedule(&world).await;
    let before = world.snapshot();
    let error = world
        .recurring()
        .pause(&world.accountant(), recurring.id)
        .await
        .unwrap_err();
    assert!(matches!(error, WriteRecurringError::Forbidden(_)));
    let error = world
        .recurring()
        .resume(&world.accountant(), recurring.id)
        .await
        .unwrap_err();
    assert!(matches!(error, WriteRecurringError::Forbidden(_)));
    assert_eq!(world.snapshot(), before);
}

#[tokio::test]
async fn pause_and_resume_of_an_unknown_schedule_are_not_found() {
    let world = World::new();
    let unknown = RecurringInvoiceId::from_uuid(uuid::Uuid::nil());
    let error = world.recurring().pause(&world.owner(), unknown).await.unwrap_err();
    assert!(matches!(error, WriteRecurringError::NotFound));
    let error = world.recurring().resume(&world.owner(), unknown).await.unwrap_err();
    assert!(matches!(error, WriteRecurringError::NotFound));
}
