use crate::ClientId;
use crate::access::user::Role;
use crate::invoicing::client::ClientFields;
use crate::invoicing::services::DeleteClientError;
use crate::invoicing::testing::fixtures::{World, line};

#[tokio::test]
async fn delete_removes_a_client_without_invoices() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let kept = world.add_client("Kept", None);
    world
        .clients()
        .delete(&world.as_role(Role::Member), client.id)
        .await
        .unwrap();
    let state = world.snapshot();
    assert!(!state.clients.contains_key(&(world.tenant, client.id)));
    assert!(state.clients.contains_key(&(world.tenant, kept.id)));
    assert!(world.files.deleted.lock().unwrap().is_empty());
}

#[tokio::test]
async fn delete_is_forbidden_to_an_accountant() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let before = world.snapshot();
    let error = world
        .clients()
        .delete(&world.accountant(), client.id)
        .await
        .unwrap_err();
    assert!(matches!(error, DeleteClientError::Forbidden(_)));
    assert_eq!(world.snapshot(), before);
}

#[tokio::test]
async fn delete_of_an_unknown_client_is_not_found() {
    let world = World::new();
    let error = world
        .clients()
        .delete(&world.owner(), ClientId::from_uuid(uuid::Uuid::nil()))
        .await
        .unwrap_err();
    assert!(matches!(error, DeleteClientError::NotFound));
}

#[tokio::test]
async fn delete_of_another_tenants_client_is_not_found_and_keeps_it() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let stranger = world.stranger();
    let error = world.clients().delete(&stranger, client.id).await.unwrap_err();
    assert!(matches!(error, DeleteClientError::NotFound));
    assert!(world.snapshot().clients.contains_key(&(world.tenant, client.id)));
}

#[tokio::test]
async fn delete_of_a_client_with_an_invoice_is_refused() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    world.draft(&client).await;
    let before = world.snapshot();
    let error = world.clients().delete(&world.owner(), client.id).await.unwrap_err();
    assert!(matches!(error, DeleteClientError::HasInvoices));
    assert_eq!(world.snapshot(), before);
}

#[tokio::test]
async fn delete_of_a_client_with_a_recurring_invoice_is_refused() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let fields = crate::invoicing::services::RecurringFields {
        client_id: Some(client.id),
        lines: Some(vec![line("Hosting", "1", "10.00", "19")]),
        frequency: Some("monthly".to_owned()),
        start_date: Some(crate::invoicing::testing::fixtures::date(2026, 4, 1)),
        ..Default::default()
    };
    world.recurring().create(&world.owner(), fields).await.unwrap();
    let before = world.snapshot();
    let error = world.clients().delete(&world.owner(), client.id).await.unwrap_err();
    assert!(matches!(error, DeleteClientError::HasInvoices));
    assert_eq!(world.snapshot(), before);
}

#[tokio::test]
async fn delete_of_a_client_with_jobs_is_refused() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    world.store.edit(|state| {
        state.clients_with_jobs.insert((world.tenant, client.id));
    });
    let before = world.snapshot();
    let error = world.clients().delete(&world.owner(), client.id).await.unwrap_err();
    assert!(matches!(error, DeleteClientError::HasJobs));
    assert_eq!(world.snapshot(), before);
}

#[tokio::test]
async fn a_deleted_client_can_no_longer_be_read_or_changed() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    world.clients().delete(&world.owner(), client.id).await.unwrap();
    assert!(world.clients().get(&world.owner(), client.id).await.is_err());
    let fields = ClientFields {
        name: Some("Back".to_owned()),
        ..ClientFields::default()
    };
    let error = world
        .clients()
        .update(&world.owner(), client.id, fields)
        .await
        .unwrap_err();
    assert!(matches!(error, crate::invoicing::services::UpdateClientError::NotFound));
}
