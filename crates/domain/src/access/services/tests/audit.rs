//! Reading the security log.

use super::*;
use crate::access::audit::AuditAction;
use crate::access::ports::AuditFilter;
use crate::access::services::audit::ListAuditEventsError;
use crate::access::user::Forbidden;
use crate::kernel::pagination::PageRequest;

#[tokio::test]
async fn only_owners_and_admins_read_the_log() {
    let world = World::new();
    let ada = world.owner();
    for role in [Role::Member, Role::Accountant] {
        let reader = world.user(ada.tenant_id, &format!("{}@example.com", role.as_str()), role);
        match world
            .audit
            .list(&principal(&reader), AuditFilter::default(), PageRequest::first())
            .await
        {
            Err(ListAuditEventsError::Forbidden(forbidden)) => assert_eq!(
                forbidden,
                Forbidden {
                    role,
                    action: "read the security log",
                }
            ),
            other => panic!("expected Forbidden, got {other:?}"),
        }
    }
    let eve = world.user(ada.tenant_id, "eve@example.com", Role::Admin);
    assert!(
        world
            .audit
            .list(&principal(&eve), AuditFilter::default(), PageRequest::first())
            .await
            .is_ok()
    );
}

#[tokio::test]
async fn the_log_is_the_tenants_own_newest_first_and_filtered() {
    let world = World::new();
    let ada = world.owner();
    let bob = world.user(ada.tenant_id, "bob@example.com", Role::Member);
    let outsider = world.owner_elsewhere();
    let who = signed_in(&ada);
    world
        .team
        .change_role(&who, bob.id, Role::Accountant, &origin())
        .await
        .unwrap();
    let token = world.api_tokens.create(&who, "ci", None, &origin()).await.unwrap();
    world
        .api_tokens
        .create(&signed_in(&outsider), "x", None, &origin())
        .await
        .unwrap();
    world.api_tokens.revoke(&who, token.token.id, &origin()).await.unwrap();

    let all = world
        .audit
        .list(&principal(&ada), AuditFilter::default(), PageRequest::first())
        .await
        .unwrap();
    let actions: Vec<_> = all.items.iter().map(|e| e.action).collect();
    assert_eq!(
        actions,
        [
            AuditAction::ApiTokenRevoked,
            AuditAction::ApiTokenCreated,
            AuditAction::RoleChanged
        ]
    );
    assert!(all.items.iter().all(|e| e.tenant_id == ada.tenant_id));

    let created = world
        .audit
        .list(
            &principal(&ada),
            AuditFilter {
                action: Some(AuditAction::ApiTokenCreated),
                user: None,
            },
            PageRequest::first(),
        )
        .await
        .unwrap();
    assert_eq!(created.items.len(), 1);

    // Events about Bob (the role change targets him) though Ada acted.
    let about_bob = world
        .audit
        .list(
            &principal(&ada),
            AuditFilter {
                action: None,
                user: Some(bob.id),
            },
            PageRequest::first(),
        )
        .await
        .unwrap();
    assert_eq!(about_bob.items.len(), 1);
    assert_eq!(about_bob.items[0].action, AuditAction::RoleChanged);
    assert_eq!(about_bob.items[0].details["from"], "member");
    assert_eq!(about_bob.items[0].details["to"], "accountant");

    let page = world
        .audit
        .list(
            &principal(&ada),
            AuditFilter::default(),
            PageRequest { limit: 2, after: None },
        )
        .await
        .unwrap();
    let rest = world
        .audit
        .list(
            &principal(&ada),
            AuditFilter::default(),
            PageRequest::new(Some(2), page.next_cursor.as_deref()).unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(rest.items, all.items[2..]);
}
