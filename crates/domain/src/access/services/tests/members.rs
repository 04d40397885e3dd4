//! The team's members: listing, role changes and removal.

use super::*;
use crate::access::audit::AuditAction;
use crate::access::services::accounts::AuthenticateError;
use crate::access::services::team::ManageUserError;
use crate::access::user::Forbidden;
use crate::kernel::pagination::PageRequest;

fn forbidden(result: Result<impl std::fmt::Debug, ManageUserError>, role: Role, action: &str) {
    match result {
        Err(ManageUserError::Forbidden(Forbidden { role: r, action: a })) => assert_eq!((r, a), (role, action)),
        other => panic!("expected Forbidden, got {other:?}"),
    }
}

#[tokio::test]
async fn any_role_sees_its_own_team_only() {
    let world = World::new();
    let ada = world.owner();
    let bob = world.user(ada.tenant_id, "bob@example.com", Role::Accountant);
    world.owner_elsewhere();
    let page = world.team.users(&principal(&bob), PageRequest::first()).await.unwrap();
    assert_eq!(page.items, vec![bob.clone(), ada.clone()], "newest first");
    let first = world
        .team
        .users(&principal(&bob), PageRequest { limit: 1, after: None })
        .await
        .unwrap();
    assert_eq!(first.items, vec![bob.clone()]);
    let rest = world
        .team
        .users(
            &principal(&bob),
            PageRequest::new(Some(1), first.next_cursor.as_deref()).unwrap(),
        )
        .await
        .unwrap();
    assert_eq!((rest.items, rest.next_cursor), (vec![ada], None));
}

#[tokio::test]
async fn a_role_change_is_stored_and_recorded() {
    let world = World::new();
    let ada = world.owner();
    let bob = world.user(ada.tenant_id, "bob@example.com", Role::Member);
    let changed = world
        .team
        .change_role(&signed_in(&ada), bob.id, Role::Admin, &origin())
        .await
        .unwrap();
    assert_eq!(changed.role, Role::Admin);
    let state = world.snapshot();
    assert_eq!(state.user(bob.id).unwrap().user.role, Role::Admin);
    let events = state.events(AuditAction::RoleChanged);
    assert_eq!(events.len(), 1);
    assert_eq!(
        (events[0].details["from"].as_str(), events[0].details["to"].as_str()),
        ("member", "admin")
    );
    assert_eq!(events[0].actor.user_id, Some(ada.id));
}

#[tokio::test]
async fn members_do_not_change_roles() {
    let world = World::new();
    let ada = world.owner();
    let bob = world.user(ada.tenant_id, "bob@example.com", Role::Member);
    let before = world.snapshot();
    forbidden(
        world
            .team
            .change_role(&signed_in(&bob), bob.id, Role::Admin, &origin())
            .await,
        Role::Member,
        "change roles",
    );
    assert_eq!(world.snapshot(), before);
}

#[tokio::test]
async fn admins_neither_grant_nor_take_away_ownership() {
    let world = World::new();
    let ada = world.owner();
    let eve = world.user(ada.tenant_id, "eve@example.com", Role::Admin);
    let bob = world.user(ada.tenant_id, "bob@example.com", Role::Member);
    let before = world.snapshot();
    let action = "grant or take away a role above their own";
    forbidden(
        world
            .team
            .change_role(&signed_in(&eve), bob.id, Role::Owner, &origin())
            .await,
        Role::Admin,
        action,
    );
    forbidden(
        world
            .team
            .change_role(&signed_in(&eve), ada.id, Role::Member, &origin())
            .await,
        Role::Admin,
        action,
    );
    assert_eq!(world.snapshot(), before);
    world
        .team
        .change_role(&signed_in(&eve), bob.id, Role::Accountant, &origin())
        .await
        .unwrap();
}

#[tokio::test]
async fn the_last_owner_is_not_demoted_but_one_of_two_is() {
    let world = World::new();
    let ada = world.owner();
    let before = world.snapshot();
    assert!(matches!(
        world
            .team
            .change_role(&signed_in(&ada), ada.id, Role::Admin, &origin())
            .await,
        Err(ManageUserError::LastOwner)
    ));
    assert_eq!(world.snapshot(), before);
    let zoe = world.user(ada.tenant_id, "zoe@example.com", Role::Owner);
    world
        .team
        .change_role(&signed_in(&zoe), ada.id, Role::Admin, &origin())
        .await
        .unwrap();
    assert_eq!(world.snapshot().user(ada.id).unwrap().user.role, Role::Admin);
}

#[tokio::test]
async fn users_of_another_tenant_are_not_found() {
    let world = World::new();
    let ada = world.owner();
    let outsider = world.owner_elsewhere();
    let before = world.snapshot();
    assert!(matches!(
        world
            .team
            .change_role(&signed_in(&ada), outsider.id, Role::Member, &origin())
            .await,
        Err(ManageUserError::NotFound)
    ));
    assert!(matches!(
        world.team.remove(&signed_in(&ada), outsider.id, &origin()).await,
        Err(ManageUserError::NotFound)
    ));
    assert_eq!(world.snapshot(), before);
}

#[tokio::test]
async fn removing_a_user_ends_their_sessions_and_tokens_at_once() {
    let world = World::new();
    let ada = world.owner();
    let bob = world.user(ada.tenant_id, "bob@example.com", Role::Member);
    let session = world
        .accounts
        .login("bob@example.com", password(PASSWORD), &origin())
        .await
        .unwrap();
    let token = world
        .api_tokens
        .create(&signed_in(&bob), "b", None, &origin())
        .await
        .unwrap();
    world.team.remove(&signed_in(&ada), bob.id, &origin()).await.unwrap();
    for secret in [&session.token, &token.secret] {
        assert!(matches!(
            world.accounts.authenticate(secret).await,
            Err(AuthenticateError::InvalidToken)
        ));
    }
    let state = world.snapshot();
    assert!(state.user(bob.id).is_none());
    assert!(state.sessions.is_empty() && state.api_tokens.is_empty());
    let removed = state.events(AuditAction::UserRemoved);
    assert_eq!(removed.len(), 1);
    assert_eq!(removed[0].details["role"], "member");
    assert_eq!(removed[0].target.as_ref().unwrap().id, bob.id.as_uuid());
}

#[tokio::test]
async fn anyone_may_leave_but_members_remove_nobody_else() {
    let world = World::new();
    let ada = world.owner();
    let bob = world.user(ada.tenant_id, "bob@example.com", Role::Member);
    let cy = world.user(ada.tenant_id, "cy@example.com", Role::Accountant);
    let before = world.snapshot();
    forbidden(
        world.team.remove(&signed_in(&bob), cy.id, &origin()).await,
        Role::Member,
        "remove users",
    );
    assert_eq!(world.snapshot(), before);
    world.team.remove(&signed_in(&cy), cy.id, &origin()).await.unwrap();
    assert!(world.snapshot().user(cy.id).is_none());
}

#[tokio::test]
async fn admins_do_not_remove_owners() {
    let world = World::new();
    let ada = world.owner();
    let eve = world.user(ada.tenant_id, "eve@example.com", Role::Admin);
    let before = world.snapshot();
    forbidden(
        world.team.remove(&signed_in(&eve), ada.id, &origin()).await,
        Role::Admin,
        "remove a user with a higher role",
    );
    assert_eq!(world.snapshot(), before);
}

#[tokio::test]
async fn the_last_owner_cannot_leave() {
    let world = World::new();
    let ada = world.owner();
    let before = world.snapshot();
    assert!(matches!(
        world.team.remove(&signed_in(&ada), ada.id, &origin()).await,
        Err(ManageUserError::LastOwner)
    ));
    assert_eq!(world.snapshot(), before);
}
