#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod lifecycle;
mod update;

use super::*;
use crate::access::user::Role;
use crate::invoicing::client::Client;
use crate::invoicing::testing::fixtures::{World, codes, date, line, start};

/// Monthly from 1 April 2026, one line of 10.00 at 19 %.
pub(super) fn monthly(client: &Client) -> RecurringFields {
    RecurringFields {
        client_id: Some(client.id),
        lines: Some(vec![line("Hosting", "1", "10.00", "19")]),
        frequency: Some("monthly".to_owned()),
        start_date: Some(date(2026, 4, 1)),
        ..RecurringFields::default()
    }
}

fn invalid(error: WriteRecurringError) -> Vec<String> {
    match error {
        WriteRecurringError::Invalid(errors) => codes(&errors),
        other => panic!("expected Invalid, got {other:?}"),
    }
}

async fn refused(world: &World, fields: RecurringFields) -> Vec<String> {
    let before = world.snapshot();
    let error = world.recurring().create(&world.owner(), fields).await.unwrap_err();
    assert_eq!(world.snapshot(), before, "nothing is written");
    invalid(error)
}

#[tokio::test]
async fn create_stores_an_active_schedule() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let fields = RecurringFields {
        notes: Some(Some("Monthly hosting".to_owned())),
        payment_terms_days: Some(Some(30)),
        interval: Some(2),
        end_after_count: Some(Some(6)),
        auto_send: Some(true),
        ..monthly(&client)
    };
    let recurring = world
        .recurring()
        .create(&world.as_role(Role::Member), fields)
        .await
        .unwrap();
    assert_eq!(recurring.status, RecurringStatus::Active);
    assert_eq!(recurring.next_period, 0);
    assert_eq!(recurring.client_id, client.id);
    assert_eq!(recurring.template.currency, world.org.default_currency);
    assert_eq!(recurring.template.lines.len(), 1);
    assert_eq!(recurring.template.notes.as_deref(), Some("Monthly hosting"));
    assert_eq!(recurring.template.payment_terms_days, Some(30));
    assert_eq!(
        recurring.schedule,
        Schedule::new(Frequency::Monthly, 2, date(2026, 4, 1), Some(6), None).unwrap()
    );
    assert!(recurring.auto_send);
    assert_eq!(recurring.created_at, start());
    assert_eq!(recurring.next_issue_date(), Some(date(2026, 4, 1)));
    let state = world.snapshot();
    assert_eq!(state.recurring.get(&(world.tenant, recurring.id)), Some(&recurring));
}

#[tokio::test]
async fn create_takes_the_clients_currency_by_default() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    world.edit_client(client.id, |c| {
        c.details.currency = Some(Currency::parse("GBP").unwrap())
    });
    let recurring = world
        .recurring()
        .create(&world.owner(), monthly(&client))
        .await
        .unwrap();
    assert_eq!(recurring.template.currency.code(), "GBP");
    assert!(!recurring.auto_send);
}

#[tokio::test]
async fn create_is_forbidden_to_an_accountant() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let before = world.snapshot();
    let error = world
        .recurring()
        .create(&world.accountant(), monthly(&client))
        .await
        .unwrap_err();
    assert!(matches!(error, WriteRecurringError::Forbidden(_)));
    assert_eq!(world.snapshot(), before);
}

#[tokio::test]
async fn create_without_a_client_is_invalid() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let fields = RecurringFields {
        client_id: None,
        ..monthly(&client)
    };
    assert_eq!(refused(&world, fields).await, ["client_id:required"]);
}

#[tokio::test]
async fn create_for_an_unknown_or_foreign_client_is_invalid() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let fields = RecurringFields {
        client_id: Some(ClientId::from_uuid(uuid::Uuid::nil())),
        ..monthly(&client)
    };
    assert_eq!(refused(&world, fields).await, ["client_id:not_found"]);
    let stranger = world.stranger();
    let before = world.snapshot();
    let error = world.recurring().create(&stranger, monthly(&client)).await.unwrap_err();
    assert_eq!(invalid(error), ["client_id:not_found"]);
    assert_eq!(world.snapshot(), before);
}

#[tokio::test]
async fn create_without_lines_is_invalid() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let fields = RecurringFields {
        lines: Some(Vec::new()),
        ..monthly(&client)
    };
    assert_eq!(refused(&world, fields).await, ["template.lines:required"]);
}

#[tokio::test]
async fn create_with_an_invalid_line_names_it() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let fields = RecurringFields {
        lines: Some(vec![line("", "1", "10.00", "19")]),
        ..monthly(&client)
    };
    assert_eq!(
        refused(&world, fields).await,
        ["template.lines[0].description:required"]
    );
}

#[tokio::test]
async fn create_without_or_with_an_unknown_frequency_is_invalid() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let none = RecurringFields {
        frequency: None,
        ..monthly(&client)
    };
    assert_eq!(refused(&world, none).await, ["frequency:required"]);
    let daily = RecurringFields {
        frequency: Some("daily".to_owned()),
        ..monthly(&client)
    };
    assert_eq!(refused(&world, daily).await, ["frequency:invalid_choice"]);
}

#[tokio::test]
async fn create_without_a_start_date_is_invalid() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let fields = RecurringFields {
        start_date: None,
        ..monthly(&client)
    };
    assert_eq!(refused(&world, fields).await, ["start_date:required"]);
}

#[tokio::test]
async fn create_with_an_invalid_schedule_names_its_fields() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let fields = RecurringFields {
        interval: Some(0),
        end_after_count: Some(Some(0)),
        end_on: Some(Some(date(2026, 3, 1))),
        ..monthly(&client)
    };
    assert_eq!(
        refused(&world, fields).await,
        [
            "schedule.interval:out_of_range",
            "schedule.end_after_count:out_of_range",
            "schedule.end_on:before_start_date"
        ]
    );
}

#[tokio::test]
async fn create_with_too_long_terms_or_an_unknown_currency_is_invalid() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let fields = RecurringFields {
        currency: Some("ABC".to_owned()),
        payment_terms_days: Some(Some(366)),
        ..monthly(&client)
    };
    assert_eq!(
        refused(&world, fields).await,
        ["currency:invalid_currency", "template.payment_terms_days:out_of_range"]
    );
}

#[tokio::test]
async fn get_and_list_are_scoped_to_the_tenant() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let service = world.recurring();
    let first = service.create(&world.owner(), monthly(&client)).await.unwrap();
    let second = service.create(&world.owner(), monthly(&client)).await.unwrap();
    assert_eq!(service.get(&world.accountant(), first.id).await.unwrap(), first);
    let page = service.list(&world.accountant(), PageRequest::first()).await.unwrap();
    assert_eq!(page.items, [second, first.clone()]);
    assert!(
        service
            .list(&world.stranger(), PageRequest::first())
            .await
            .unwrap()
            .items
            .is_empty()
    );
    let error = service.get(&world.stranger(), first.id).await.unwrap_err();
    assert!(matches!(error, ReadRecurringError::NotFound));
    let error = service
        .get(&world.owner(), RecurringInvoiceId::from_uuid(uuid::Uuid::nil()))
        .await
        .unwrap_err();
    assert!(matches!(error, ReadRecurringError::NotFound));
}
