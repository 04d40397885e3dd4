//! The memory store's token, invitation and identity repositories keep the
//! SQL adapter's rules.

use super::*;
use crate::access::one_time_tokens::{OneTimeToken, Redemption, TokenPurpose};
use crate::access::ports::{AccessStore, ExternalIdentity};
use crate::access::team::Invitation;
use crate::kernel::repository::RepositoryError;
use crate::kernel::tokens::SecretToken;
use crate::{InvitationId, SessionId};

fn one_time(text: &str, user: &User, expires_at: DateTime<Utc>) -> OneTimeToken {
    OneTimeToken {
        digest: SecretToken::new(text.into()).digest(),
        purpose: TokenPurpose::LoginLink,
        tenant_id: Some(user.tenant_id),
        user_id: Some(user.id),
        payload: None,
        created_at: start(),
        expires_at,
        used_at: None,
    }
}

#[tokio::test]
async fn a_single_use_token_is_redeemed_once_for_its_own_purpose_until_it_expires() {
    let world = World::new();
    let ada = world.owner();
    let uow = world.store.begin().await.unwrap();
    let tokens = uow.one_time_tokens();
    let later = start() + TimeDelta::minutes(15);
    tokens.insert(&one_time("a", &ada, later)).await.unwrap();
    tokens.insert(&one_time("b", &ada, later)).await.unwrap();
    assert!(matches!(
        tokens.insert(&one_time("a", &ada, later)).await,
        Err(RepositoryError::Duplicate { .. })
    ));
    let digest = |t: &str| SecretToken::new(t.into()).digest();
    assert_eq!(
        tokens
            .redeem(&digest("a"), TokenPurpose::PasswordReset, start())
            .await
            .unwrap(),
        Redemption::Unknown
    );
    assert!(matches!(
        tokens.redeem(&digest("a"), TokenPurpose::LoginLink, start()).await.unwrap(),
        Redemption::Redeemed(token) if token.used_at == Some(start())
    ));
    assert_eq!(
        tokens
            .redeem(&digest("a"), TokenPurpose::LoginLink, later)
            .await
            .unwrap(),
        Redemption::AlreadyUsed,
        "used beats expired"
    );
    assert_eq!(
        tokens
            .redeem(&digest("b"), TokenPurpose::LoginLink, later)
            .await
            .unwrap(),
        Redemption::Expired
    );
    assert_eq!(tokens.delete_expired(later).await.unwrap(), 0);
    assert_eq!(tokens.delete_expired(later + TimeDelta::seconds(1)).await.unwrap(), 2);
}

#[tokio::test]
async fn invitation_links_are_unique_and_found_across_tenants() {
    let world = World::new();
    let ada = world.owner();
    let outsider = world.owner_elsewhere();
    let invitation = |by: &User| Invitation {
        id: InvitationId::from_uuid(world.ids.new_uuid()),
        tenant_id: by.tenant_id,
        email: EmailAddress::parse("nina@example.com").unwrap(),
        role: Role::Member,
        invited_by: by.id,
        token_digest: Some(SecretToken::new(format!("link-{}", by.id)).digest()),
        created_at: start(),
        expires_at: start() + TimeDelta::days(7),
        accepted_at: None,
        revoked_at: None,
    };
    let ours = invitation(&ada);
    let mut theirs = invitation(&outsider);
    let uow = world.store.begin().await.unwrap();
    uow.invitations().insert(&ours).await.unwrap();
    uow.invitations().insert(&theirs).await.unwrap();
    assert!(matches!(
        uow.invitations().insert(&ours).await,
        Err(RepositoryError::Duplicate { .. })
    ));
    assert_eq!(
        uow.invitations()
            .find_by_token(ours.token_digest.as_ref().unwrap())
            .await
            .unwrap(),
        Some(ours.clone())
    );
    assert_eq!(uow.invitations().get(outsider.tenant_id, ours.id).await.unwrap(), None);
    theirs.token_digest.clone_from(&ours.token_digest);
    assert!(matches!(
        uow.invitations().update(&theirs).await,
        Err(RepositoryError::Duplicate { constraint }) if constraint == "invitations_token_digest_key"
    ));
    let mut stray = ours.clone();
    stray.tenant_id = outsider.tenant_id;
    stray.token_digest = None;
    assert!(!uow.invitations().update(&stray).await.unwrap());
}

#[tokio::test]
async fn sessions_identities_and_api_tokens_refuse_duplicates_and_stay_in_their_tenant() {
    let world = World::new();
    let ada = world.owner();
    let outsider = world.owner_elsewhere();
    let new = world
        .accounts
        .login("ada@example.com", password(PASSWORD), &origin())
        .await
        .unwrap();
    let uow = world.store.begin().await.unwrap();
    let mut copy = new.session.clone();
    copy.id = SessionId::from_uuid(world.ids.new_uuid());
    assert!(matches!(
        uow.sessions().insert(&copy).await,
        Err(RepositoryError::Duplicate { constraint }) if constraint == "sessions_token_digest_key"
    ));
    assert!(!uow.sessions().delete(outsider.tenant_id, new.session.id).await.unwrap());
    assert_eq!(
        uow.sessions()
            .delete_for_user(outsider.tenant_id, ada.id, None)
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        uow.sessions()
            .delete_for_user(ada.tenant_id, ada.id, Some(new.session.id))
            .await
            .unwrap(),
        0,
        "the kept session stays"
    );

    let link = ExternalIdentity {
        tenant_id: ada.tenant_id,
        user_id: ada.id,
        provider: "google".into(),
        subject: "sub-1".into(),
        linked_at: start(),
    };
    uow.identities().insert(&link).await.unwrap();
    assert!(matches!(
        uow.identities().insert(&link).await,
        Err(RepositoryError::Duplicate { .. })
    ));
    assert_eq!(uow.identities().find("google", "sub-2").await.unwrap(), None);

    assert!(
        !uow.api_tokens()
            .revoke(ada.tenant_id, crate::ApiTokenId::from_uuid(uuid::Uuid::nil()), start())
            .await
            .unwrap()
    );
    assert_eq!(
        uow.api_tokens()
            .revoke_all_for_user(ada.tenant_id, ada.id, start())
            .await
            .unwrap(),
        0
    );
}

#[tokio::test]
async fn deleting_a_user_takes_their_sessions_api_tokens_and_links_along() {
    let world = World::new();
    let ada = world.owner();
    let bob = world.user(ada.tenant_id, "bob@example.com", Role::Member);
    world
        .accounts
        .login("bob@example.com", password(PASSWORD), &origin())
        .await
        .unwrap();
    world
        .accounts
        .login("ada@example.com", password(PASSWORD), &origin())
        .await
        .unwrap();
    world
        .api_tokens
        .create(&signed_in(&bob), "b", None, &origin())
        .await
        .unwrap();
    let uow = world.store.begin().await.unwrap();
    uow.one_time_tokens()
        .insert(&one_time("x", &bob, start() + TimeDelta::minutes(15)))
        .await
        .unwrap();
    assert!(uow.users().delete(bob.tenant_id, bob.id).await.unwrap());
    uow.commit().await.unwrap();
    let state = world.snapshot();
    assert!(state.sessions.values().all(|s| s.user_id == ada.id));
    assert_eq!(state.sessions.len(), 1);
    assert!(state.api_tokens.is_empty() && state.one_time_tokens.is_empty());
}
