#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod delete;

use chrono::TimeDelta;

use super::*;
use crate::access::user::Role;
use crate::invoicing::testing::fixtures::{World, codes, email};
use crate::kernel::pagination::PageRequest;

fn named(name: &str) -> ClientFields {
    ClientFields {
        name: Some(name.to_owned()),
        ..ClientFields::default()
    }
}

#[tokio::test]
async fn create_stores_the_parsed_client_stamped_with_the_clock() {
    let world = World::new();
    let fields = ClientFields {
        name: Some("  Acme AG ".to_owned()),
        email: Some("billing@acme.example".to_owned()),
        currency: Some("CHF".to_owned()),
        country: Some("CH".to_owned()),
        ..ClientFields::default()
    };
    let client = world
        .clients()
        .create(&world.as_role(Role::Member), fields)
        .await
        .unwrap();
    assert_eq!(client.details.name, "Acme AG");
    assert_eq!(client.details.email, Some(email("billing@acme.example")));
    assert_eq!(client.details.currency.map(|c| c.code()), Some("CHF"));
    assert!(client.details.reminders_enabled);
    assert_eq!(client.tenant_id, world.tenant);
    assert_eq!(client.created_at, crate::invoicing::testing::fixtures::start());
    let state = world.snapshot();
    assert_eq!(state.clients.get(&(world.tenant, client.id)), Some(&client));
    assert_eq!(state.commits, 1);
}

#[tokio::test]
async fn create_is_forbidden_to_an_accountant_and_writes_nothing() {
    let world = World::new();
    let before = world.snapshot();
    let error = world
        .clients()
        .create(&world.accountant(), named("Acme"))
        .await
        .unwrap_err();
    assert!(matches!(
        error,
        CreateClientError::Forbidden(Forbidden {
            role: Role::Accountant,
            ..
        })
    ));
    assert_eq!(world.snapshot(), before);
}

#[tokio::test]
async fn create_without_a_name_is_invalid() {
    let world = World::new();
    let before = world.snapshot();
    let error = world
        .clients()
        .create(&world.owner(), ClientFields::default())
        .await
        .unwrap_err();
    let CreateClientError::Invalid(errors) = error else {
        panic!("expected Invalid, got {error:?}");
    };
    assert_eq!(codes(&errors), ["name:required"]);
    assert_eq!(world.snapshot(), before);
}

#[tokio::test]
async fn create_reports_every_invalid_field_at_once() {
    let world = World::new();
    let fields = ClientFields {
        name: Some("Acme".to_owned()),
        email: Some("not an address".to_owned()),
        currency: Some("XYZ".to_owned()),
        phone: Some("call me".to_owned()),
        ..ClientFields::default()
    };
    let error = world.clients().create(&world.owner(), fields).await.unwrap_err();
    let CreateClientError::Invalid(errors) = error else {
        panic!("expected Invalid, got {error:?}");
    };
    let fields: Vec<_> = errors.errors().iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["email", "phone", "currency"]);
    assert!(world.snapshot().clients.is_empty());
}

#[tokio::test]
async fn get_returns_the_tenants_client() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let found = world.clients().get(&world.accountant(), client.id).await.unwrap();
    assert_eq!(found, client);
}

#[tokio::test]
async fn get_of_an_unknown_client_is_not_found() {
    let world = World::new();
    let error = world
        .clients()
        .get(&world.owner(), ClientId::from_uuid(uuid::Uuid::nil()))
        .await
        .unwrap_err();
    assert!(matches!(error, GetClientError::NotFound));
}

#[tokio::test]
async fn get_of_another_tenants_client_is_not_found() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let error = world.clients().get(&world.stranger(), client.id).await.unwrap_err();
    assert!(matches!(error, GetClientError::NotFound));
}

#[tokio::test]
async fn list_pages_the_tenants_clients_newest_first() {
    let world = World::new();
    let first = world.add_client("First", None);
    let second = world.add_client("Second", None);
    let third = world.add_client("Third", None);
    let stranger = world.stranger();
    world.clients().create(&stranger, named("Foreign")).await.unwrap();

    let page = world
        .clients()
        .list(&world.accountant(), PageRequest::new(Some(2), None).unwrap())
        .await
        .unwrap();
    let ids: Vec<_> = page.items.iter().map(|c| c.id).collect();
    assert_eq!(ids, [third.id, second.id]);
    let cursor = page.next_cursor.expect("a second page");
    let rest = world
        .clients()
        .list(&world.accountant(), PageRequest::new(Some(2), Some(&cursor)).unwrap())
        .await
        .unwrap();
    let ids: Vec<_> = rest.items.iter().map(|c| c.id).collect();
    assert_eq!(ids, [first.id]);
    assert_eq!(rest.next_cursor, None);
}

#[tokio::test]
async fn update_patches_the_given_fields_and_keeps_the_rest() {
    let world = World::new();
    let client = world.add_client("Acme", Some("old@acme.example"));
    world.clock.advance(TimeDelta::hours(2));
    let fields = ClientFields {
        name: Some("Acme Holding".to_owned()),
        email: Some(String::new()),
        reminders_enabled: Some(false),
        ..ClientFields::default()
    };
    let updated = world.clients().update(&world.owner(), client.id, fields).await.unwrap();
    assert_eq!(updated.details.name, "Acme Holding");
    assert_eq!(updated.details.email, None);
    assert!(!updated.details.reminders_enabled);
    assert_eq!(updated.created_at, client.created_at);
    assert_eq!(updated.updated_at, client.updated_at + TimeDelta::hours(2));
    assert_eq!(world.snapshot().clients.get(&(world.tenant, client.id)), Some(&updated));
}

#[tokio::test]
async fn update_is_forbidden_to_an_accountant() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let before = world.snapshot();
    let error = world
        .clients()
        .update(&world.accountant(), client.id, named("Changed"))
        .await
        .unwrap_err();
    assert!(matches!(error, UpdateClientError::Forbidden(_)));
    assert_eq!(world.snapshot(), before);
}

#[tokio::test]
async fn update_of_an_unknown_or_foreign_client_is_not_found() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let before = world.snapshot();
    let error = world
        .clients()
        .update(&world.owner(), ClientId::from_uuid(uuid::Uuid::nil()), named("X"))
        .await
        .unwrap_err();
    assert!(matches!(error, UpdateClientError::NotFound));
    let stranger = world.stranger();
    let before_foreign = world.snapshot();
    let error = world
        .clients()
        .update(&stranger, client.id, named("X"))
        .await
        .unwrap_err();
    assert!(matches!(error, UpdateClientError::NotFound));
    assert_eq!(world.snapshot(), before_foreign);
    assert_eq!(before.clients, before_foreign.clients);
}

#[tokio::test]
async fn update_with_an_invalid_field_changes_nothing() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let before = world.snapshot();
    let fields = ClientFields {
        name: Some("   ".to_owned()),
        locale: Some("not a locale!".to_owned()),
        ..ClientFields::default()
    };
    let error = world
        .clients()
        .update(&world.owner(), client.id, fields)
        .await
        .unwrap_err();
    let UpdateClientError::Invalid(errors) = error else {
        panic!("expected Invalid, got {error:?}");
    };
    assert_eq!(codes(&errors), ["name:required", "locale:invalid_locale"]);
    assert_eq!(world.snapshot(), before);
}
