//! Personal API tokens: creating, listing, revoking, authenticating.

use super::*;
use crate::access::audit::{ActorKind, AuditAction};
use crate::access::services::accounts::AuthenticateError;
use crate::access::services::api_tokens::{ApiTokenError, CreateApiTokenError};
use crate::access::user::Forbidden;
use crate::kernel::pagination::PageRequest;

#[tokio::test]
async fn a_new_token_is_stored_as_a_digest_with_a_hint_and_recorded() {
    let world = World::new();
    let ada = world.owner();
    let new = world
        .api_tokens
        .create(&signed_in(&ada), " CI ", None, &origin())
        .await
        .unwrap();
    let secret = new.secret.expose().to_owned();
    assert_eq!(world.tokens.issued(), vec![secret.clone()]);
    assert!(secret.starts_with("fkt_"));
    assert_eq!(new.token.hint, &secret[4..10]);
    assert_eq!((new.token.name.as_str(), new.token.role), ("CI", Role::Owner));
    assert_eq!(new.token.token_digest, new.secret.digest());
    let state = world.snapshot();
    assert_eq!(state.api_tokens[&(ada.tenant_id, new.token.id)], new.token);
    let created = state.events(AuditAction::ApiTokenCreated);
    assert_eq!(created.len(), 1);
    assert_eq!(created[0].details["role"], "owner");
    assert_eq!(created[0].target.as_ref().unwrap().id, new.token.id.as_uuid());
}

#[tokio::test]
async fn a_token_acts_with_the_weaker_role_and_is_marked_used() {
    let world = World::new();
    let ada = world.owner();
    let new = world
        .api_tokens
        .create(&signed_in(&ada), "reports", Some("accountant"), &origin())
        .await
        .unwrap();
    world.advance(TimeDelta::minutes(5));
    let who = world.accounts.authenticate(&new.secret).await.unwrap();
    assert_eq!(who.principal.role, Role::Accountant);
    assert_eq!(who.credential, Credential::ApiToken(new.token.id));
    assert_eq!(who.actor().kind, ActorKind::ApiToken);
    let stored = world.snapshot().api_tokens[&(ada.tenant_id, new.token.id)].clone();
    assert_eq!(stored.last_used_at, Some(world.now()));

    // Demoting the user demotes the token.
    let member = world
        .api_tokens
        .create(&signed_in(&ada), "member", Some("member"), &origin())
        .await
        .unwrap();
    world.edit_user(&ada, |s| s.user.role = Role::Accountant);
    assert_eq!(
        world
            .accounts
            .authenticate(&member.secret)
            .await
            .unwrap()
            .principal
            .role,
        Role::Accountant
    );
}

#[tokio::test]
async fn names_and_roles_are_checked_and_nothing_is_stored_when_invalid() {
    let world = World::new();
    let ada = world.owner();
    let bob = world.user(ada.tenant_id, "bob@example.com", Role::Member);
    let before = world.snapshot();
    match world
        .api_tokens
        .create(&signed_in(&ada), "", Some("root"), &origin())
        .await
    {
        Err(CreateApiTokenError::Invalid(errors)) => {
            assert_eq!(fields_of(&errors), ["name", "role"]);
            assert_eq!(errors.errors()[1].code, "invalid_role");
        }
        other => panic!("expected Invalid, got {other:?}"),
    }
    match world
        .api_tokens
        .create(&signed_in(&bob), "mine", Some("admin"), &origin())
        .await
    {
        Err(CreateApiTokenError::Invalid(errors)) => {
            assert_eq!(fields_of(&errors), ["role"]);
            assert_eq!(errors.errors()[0].code, "role_too_high");
        }
        other => panic!("expected Invalid, got {other:?}"),
    }
    assert_eq!(world.snapshot(), before);
    assert!(world.tokens.issued().is_empty());
}

#[tokio::test]
async fn members_list_their_own_tokens_and_managers_everyones_newest_first() {
    let world = World::new();
    let ada = world.owner();
    let bob = world.user(ada.tenant_id, "bob@example.com", Role::Member);
    let outsider = world.owner_elsewhere();
    let a = world
        .api_tokens
        .create(&signed_in(&ada), "a", None, &origin())
        .await
        .unwrap();
    let b = world
        .api_tokens
        .create(&signed_in(&bob), "b", None, &origin())
        .await
        .unwrap();
    world
        .api_tokens
        .create(&signed_in(&outsider), "x", None, &origin())
        .await
        .unwrap();

    let mine = world
        .api_tokens
        .list(&principal(&bob), PageRequest::first())
        .await
        .unwrap();
    assert_eq!(mine.items, vec![b.token.clone()]);
    let all = world
        .api_tokens
        .list(&principal(&ada), PageRequest::first())
        .await
        .unwrap();
    assert_eq!(all.items, [b.token.clone(), a.token.clone()]);
    let page = world
        .api_tokens
        .list(&principal(&ada), PageRequest { limit: 1, after: None })
        .await
        .unwrap();
    assert_eq!(page.items, [b.token]);
    let rest = world
        .api_tokens
        .list(
            &principal(&ada),
            PageRequest::new(Some(1), page.next_cursor.as_deref()).unwrap(),
        )
        .await
        .unwrap();
    assert_eq!((rest.items, rest.next_cursor), (vec![a.token], None));
}

#[tokio::test]
async fn a_revoked_token_stops_working_and_revoking_again_records_nothing() {
    let world = World::new();
    let ada = world.owner();
    let bob = world.user(ada.tenant_id, "bob@example.com", Role::Member);
    let new = world
        .api_tokens
        .create(&signed_in(&bob), "b", None, &origin())
        .await
        .unwrap();
    world
        .api_tokens
        .revoke(&signed_in(&ada), new.token.id, &origin())
        .await
        .unwrap();
    assert!(matches!(
        world.accounts.authenticate(&new.secret).await,
        Err(AuthenticateError::InvalidToken)
    ));
    let state = world.snapshot();
    assert_eq!(
        state.api_tokens[&(ada.tenant_id, new.token.id)].revoked_at,
        Some(start())
    );
    assert_eq!(state.events(AuditAction::ApiTokenRevoked).len(), 1);

    world
        .api_tokens
        .revoke(&signed_in(&bob), new.token.id, &origin())
        .await
        .unwrap();
    assert_eq!(world.snapshot(), state);
}

#[tokio::test]
async fn another_tenants_token_is_not_found() {
    let world = World::new();
    let ada = world.owner();
    let outsider = world.owner_elsewhere();
    let theirs = world
        .api_tokens
        .create(&signed_in(&outsider), "x", None, &origin())
        .await
        .unwrap();
    let before = world.snapshot();
    assert!(matches!(
        world
            .api_tokens
            .revoke(&signed_in(&ada), theirs.token.id, &origin())
            .await,
        Err(ApiTokenError::NotFound)
    ));
    assert_eq!(world.snapshot(), before);
}

#[tokio::test]
async fn members_may_not_revoke_other_users_tokens() {
    let world = World::new();
    let ada = world.owner();
    let bob = world.user(ada.tenant_id, "bob@example.com", Role::Member);
    let new = world
        .api_tokens
        .create(&signed_in(&ada), "a", None, &origin())
        .await
        .unwrap();
    let before = world.snapshot();
    match world.api_tokens.revoke(&signed_in(&bob), new.token.id, &origin()).await {
        Err(ApiTokenError::Forbidden(forbidden)) => assert_eq!(
            forbidden,
            Forbidden {
                role: Role::Member,
                action: "revoke other users' API tokens",
            }
        ),
        other => panic!("expected Forbidden, got {other:?}"),
    }
    assert_eq!(world.snapshot(), before);
}

#[tokio::test]
async fn admins_may_not_revoke_an_owners_token() {
    let world = World::new();
    let ada = world.owner();
    let eve = world.user(ada.tenant_id, "eve@example.com", Role::Admin);
    let new = world
        .api_tokens
        .create(&signed_in(&ada), "a", None, &origin())
        .await
        .unwrap();
    let before = world.snapshot();
    match world.api_tokens.revoke(&signed_in(&eve), new.token.id, &origin()).await {
        Err(ApiTokenError::Forbidden(forbidden)) => assert_eq!(
            forbidden,
            Forbidden {
                role: Role::Admin,
                action: "revoke the API token of a user with a higher role",
            }
        ),
        other => panic!("expected Forbidden, got {other:?}"),
    }
    assert_eq!(world.snapshot(), before);
}

#[tokio::test]
async fn a_token_is_marked_used_at_most_once_a_minute() {
    let world = World::new();
    let ada = world.owner();
    let new = world
        .api_tokens
        .create(&signed_in(&ada), "ci", None, &origin())
        .await
        .unwrap();
    world.accounts.authenticate(&new.secret).await.unwrap();
    let state = world.snapshot();
    assert_eq!(
        state.api_tokens[&(ada.tenant_id, new.token.id)].last_used_at,
        Some(start())
    );
    world.advance(TimeDelta::seconds(59));
    world.accounts.authenticate(&new.secret).await.unwrap();
    assert_eq!(world.snapshot(), state, "no write within the minute");
    world.advance(TimeDelta::seconds(1));
    world.accounts.authenticate(&new.secret).await.unwrap();
    let touched = world.snapshot().api_tokens[&(ada.tenant_id, new.token.id)].clone();
    assert_eq!(touched.last_used_at, Some(world.now()));
}
