//! The memory store behaves like a transaction and like the SQL adapter.

use super::*;
use crate::access::ports::{AccessStore, PasswordHash};
use crate::kernel::pagination::PageRequest;
use crate::kernel::repository::RepositoryError;

#[tokio::test]
async fn a_dropped_unit_changes_nothing_and_a_committed_one_everything() {
    let world = World::new();
    let ada = world.owner();
    let before = world.snapshot();
    {
        let uow = world.store.begin().await.unwrap();
        assert!(uow.users().delete(ada.tenant_id, ada.id).await.unwrap());
        assert!(uow.users().get(ada.tenant_id, ada.id).await.unwrap().is_none());
    }
    assert_eq!(world.snapshot(), before);
    let uow = world.store.begin().await.unwrap();
    uow.users().delete(ada.tenant_id, ada.id).await.unwrap();
    uow.commit().await.unwrap();
    let after = world.snapshot();
    assert!(after.users.is_empty());
    assert_eq!(after.commits, before.commits + 1);
}

#[tokio::test]
async fn emails_are_unique_across_tenants_and_lookups_stay_in_their_tenant() {
    let world = World::new();
    let ada = world.owner();
    let other = world.organization("Other");
    let uow = world.store.begin().await.unwrap();
    let mut twin = ada.clone();
    twin.id = UserId::from_uuid(world.ids.new_uuid());
    twin.tenant_id = other;
    twin.email = EmailAddress::parse("ADA@example.com").unwrap();
    assert!(matches!(
        uow.users().insert(&twin, &PasswordHash::unusable()).await,
        Err(RepositoryError::Duplicate { constraint }) if constraint == "users_email_key"
    ));
    assert!(uow.users().get(other, ada.id).await.unwrap().is_none());
    assert!(!uow.users().set_role(other, ada.id, Role::Member).await.unwrap());
    assert!(!uow.users().delete(other, ada.id).await.unwrap());
    assert_eq!(uow.users().count_owners(other).await.unwrap(), 0);
    assert_eq!(uow.users().count_owners(ada.tenant_id).await.unwrap(), 1);
}

#[tokio::test]
async fn user_pages_are_newest_first_with_a_cursor() {
    let world = World::new();
    let ada = world.owner();
    let bob = world.user(ada.tenant_id, "bob@example.com", Role::Member);
    let cy = world.user(ada.tenant_id, "cy@example.com", Role::Member);
    let uow = world.store.begin().await.unwrap();
    let first = uow
        .users()
        .list(ada.tenant_id, PageRequest { limit: 2, after: None })
        .await
        .unwrap();
    assert_eq!(first.items.iter().map(|u| u.id).collect::<Vec<_>>(), [cy.id, bob.id]);
    let cursor = first.next_cursor.unwrap();
    let second = uow
        .users()
        .list(ada.tenant_id, PageRequest::new(Some(2), Some(&cursor)).unwrap())
        .await
        .unwrap();
    assert_eq!(second.items.iter().map(|u| u.id).collect::<Vec<_>>(), [ada.id]);
    assert_eq!(second.next_cursor, None);
}

#[tokio::test]
async fn scans_run_in_key_order_across_tenants() {
    let world = World::new();
    let ada = world.owner();
    let other = world.organization("Other");
    let bob = world.user(other, "bob@example.com", Role::Owner);
    let uow = world.store.begin().await.unwrap();
    let all = uow.users().scan(None, 10).await.unwrap();
    assert_eq!(all.iter().map(|u| u.id).collect::<Vec<_>>(), [ada.id, bob.id]);
    let rest = uow.users().scan(Some((ada.tenant_id, ada.id)), 10).await.unwrap();
    assert_eq!(rest.iter().map(|u| u.id).collect::<Vec<_>>(), [bob.id]);
    assert_eq!(uow.users().scan(None, 1).await.unwrap().len(), 1);
}
