//! The access and security repositories on both backends: API tokens,
//! single-use tokens, invitations, identities, throttles, the audit log,
//! sealed credentials, and what removing a user takes with it.

use chrono::TimeDelta;
use fakturo_database::SqlStore;
use fakturo_domain::access::api_tokens::ApiToken;
use fakturo_domain::access::audit::{Actor, AuditAction, AuditEvent, IpPrefix, RequestOrigin};
use fakturo_domain::access::integrations::{Provider, StoredCredentials};
use fakturo_domain::access::one_time_tokens::{OneTimeToken, Redemption, TokenPurpose};
use fakturo_domain::access::ports::{AuditFilter, ExternalIdentity, PasswordHash};
use fakturo_domain::access::session::Session;
use fakturo_domain::access::team::Invitation;
use fakturo_domain::access::throttle::{ThrottleKey, ThrottleState};
use fakturo_domain::access::user::Role;
use fakturo_domain::kernel::email::EmailAddress;
use fakturo_domain::kernel::pagination::PageRequest;
use fakturo_domain::kernel::repository::RepositoryError;
use fakturo_domain::kernel::secrets::SealedSecret;
use fakturo_domain::kernel::tokens::SecretToken;
use fakturo_domain::{ApiTokenId, AuditEventId, InvitationId, SessionId, TenantId};

use crate::{at, id, organization, user};

on_both_backends!(
    api_tokens_are_found_by_digest_until_revoked,
    single_use_tokens_redeem_exactly_once,
    invitations_round_trip_and_are_found_by_link,
    removing_a_user_takes_sessions_tokens_and_identities,
    throttle_counters_are_per_key,
    audit_events_page_newest_first_per_tenant,
    sealed_credentials_are_stored_as_given_and_scanned,
);

async fn seeded_owner(store: &SqlStore) -> (TenantId, fakturo_domain::access::user::User) {
    let org = organization();
    let owner = user(org.id, &format!("owner-{}@example.com", id().simple()));
    let uow = store.begin().await.unwrap();
    uow.organizations().insert(&org).await.unwrap();
    uow.users()
        .insert(&owner, &PasswordHash::from_phc("x".into()))
        .await
        .unwrap();
    uow.commit().await.unwrap();
    (org.id, owner)
}

fn api_token(tenant: TenantId, user: &fakturo_domain::access::user::User, secret: &str) -> ApiToken {
    ApiToken {
        id: ApiTokenId::from_uuid(id()),
        tenant_id: tenant,
        user_id: user.id,
        name: "Export".into(),
        role: Role::Accountant,
        token_digest: SecretToken::new(secret.into()).digest(),
        hint: "abcdef".into(),
        created_at: at(1),
        last_used_at: None,
        revoked_at: None,
    }
}

async fn api_tokens_are_found_by_digest_until_revoked(store: SqlStore) {
    let (tenant, owner) = seeded_owner(&store).await;
    let token = api_token(tenant, &owner, "fkt_secret");
    let uow = store.begin().await.unwrap();
    uow.api_tokens().insert(&token).await.unwrap();
    let digest = SecretToken::new("fkt_secret".into()).digest();
    assert_eq!(
        uow.api_tokens().find_active(&digest).await.unwrap(),
        Some(token.clone())
    );
    uow.api_tokens().touch(tenant, token.id, at(2)).await.unwrap();
    let listed = uow
        .api_tokens()
        .list(tenant, Some(owner.id), PageRequest::first())
        .await
        .unwrap();
    assert_eq!(listed.items.len(), 1);
    assert_eq!(listed.items[0].last_used_at, Some(at(2)));
    assert!(
        uow.api_tokens()
            .list(TenantId::from_uuid(id()), None, PageRequest::first())
            .await
            .unwrap()
            .items
            .is_empty()
    );
    assert!(
        !uow.api_tokens()
            .revoke(TenantId::from_uuid(id()), token.id, at(3))
            .await
            .unwrap()
    );
    assert!(uow.api_tokens().revoke(tenant, token.id, at(3)).await.unwrap());
    assert!(!uow.api_tokens().revoke(tenant, token.id, at(4)).await.unwrap(), "once");
    assert_eq!(uow.api_tokens().find_active(&digest).await.unwrap(), None);
    assert_eq!(
        uow.api_tokens()
            .get(tenant, token.id)
            .await
            .unwrap()
            .unwrap()
            .revoked_at,
        Some(at(3))
    );
    assert!(matches!(
        uow.api_tokens()
            .insert(&ApiToken {
                id: ApiTokenId::from_uuid(id()),
                ..token
            })
            .await,
        Err(RepositoryError::Duplicate { .. })
    ));
}

async fn single_use_tokens_redeem_exactly_once(store: SqlStore) {
    let (tenant, owner) = seeded_owner(&store).await;
    let link = |secret: &str, purpose| OneTimeToken {
        digest: SecretToken::new(secret.into()).digest(),
        purpose,
        tenant_id: Some(tenant),
        user_id: Some(owner.id),
        payload: None,
        created_at: at(1),
        expires_at: at(1) + TimeDelta::minutes(15),
        used_at: None,
    };
    let uow = store.begin().await.unwrap();
    uow.one_time_tokens()
        .insert(&link("a", TokenPurpose::LoginLink))
        .await
        .unwrap();
    uow.one_time_tokens()
        .insert(&link("b", TokenPurpose::PasswordReset))
        .await
        .unwrap();
    uow.one_time_tokens()
        .insert(&link("c", TokenPurpose::PasswordReset))
        .await
        .unwrap();
    uow.commit().await.unwrap();

    let digest = |secret: &str| SecretToken::new(secret.into()).digest();
    let now = at(1) + TimeDelta::minutes(5);
    let uow = store.begin().await.unwrap();
    let tokens = uow.one_time_tokens();
    assert_eq!(
        tokens
            .redeem(&digest("a"), TokenPurpose::PasswordReset, now)
            .await
            .unwrap(),
        Redemption::Unknown,
        "a token of another purpose does not work"
    );
    match tokens.redeem(&digest("a"), TokenPurpose::LoginLink, now).await.unwrap() {
        Redemption::Redeemed(token) => assert_eq!(token.user_id, Some(owner.id)),
        other => panic!("expected a redemption, got {other:?}"),
    }
    assert_eq!(
        tokens.redeem(&digest("a"), TokenPurpose::LoginLink, now).await.unwrap(),
        Redemption::AlreadyUsed
    );
    assert_eq!(
        tokens
            .redeem(
                &digest("b"),
                TokenPurpose::PasswordReset,
                at(1) + TimeDelta::minutes(16)
            )
            .await
            .unwrap(),
        Redemption::Expired
    );
    assert_eq!(
        tokens
            .expire_for_user(tenant, owner.id, TokenPurpose::PasswordReset, now)
            .await
            .unwrap(),
        2
    );
    assert_eq!(
        tokens
            .redeem(&digest("c"), TokenPurpose::PasswordReset, now)
            .await
            .unwrap(),
        Redemption::AlreadyUsed
    );
    assert_eq!(
        tokens
            .redeem(&digest("zzz"), TokenPurpose::LoginLink, now)
            .await
            .unwrap(),
        Redemption::Unknown
    );
    assert_eq!(tokens.delete_expired(at(2)).await.unwrap(), 3);
}

async fn invitations_round_trip_and_are_found_by_link(store: SqlStore) {
    let (tenant, owner) = seeded_owner(&store).await;
    let mut invitation = Invitation {
        id: InvitationId::from_uuid(id()),
        tenant_id: tenant,
        email: EmailAddress::parse("New.Person@example.com").unwrap(),
        role: Role::Admin,
        invited_by: owner.id,
        token_digest: None,
        created_at: at(1),
        expires_at: at(8),
        accepted_at: None,
        revoked_at: None,
    };
    let uow = store.begin().await.unwrap();
    uow.invitations().insert(&invitation).await.unwrap();
    invitation.token_digest = Some(SecretToken::new("link".into()).digest());
    assert!(uow.invitations().update(&invitation).await.unwrap());
    assert_eq!(
        uow.invitations()
            .find_by_token(&SecretToken::new("link".into()).digest())
            .await
            .unwrap(),
        Some(invitation.clone())
    );
    assert_eq!(
        uow.invitations()
            .get(TenantId::from_uuid(id()), invitation.id)
            .await
            .unwrap(),
        None
    );
    invitation.accepted_at = Some(at(2));
    uow.invitations().update(&invitation).await.unwrap();
    let listed = uow.invitations().list(tenant, PageRequest::first()).await.unwrap();
    assert_eq!(listed.items, vec![invitation]);
}

async fn removing_a_user_takes_sessions_tokens_and_identities(store: SqlStore) {
    let (tenant, owner) = seeded_owner(&store).await;
    let member = user(tenant, &format!("member-{}@example.com", id().simple()));
    let member = fakturo_domain::access::user::User {
        role: Role::Member,
        ..member
    };
    let uow = store.begin().await.unwrap();
    uow.users()
        .insert(&member, &PasswordHash::from_phc("x".into()))
        .await
        .unwrap();
    let session = Session {
        id: SessionId::from_uuid(id()),
        tenant_id: tenant,
        user_id: member.id,
        token_digest: SecretToken::new("member-session".into()).digest(),
        created_at: at(1),
        expires_at: at(2),
        last_seen_at: at(1),
    };
    uow.sessions().insert(&session).await.unwrap();
    uow.api_tokens()
        .insert(&api_token(tenant, &member, "fkt_member"))
        .await
        .unwrap();
    uow.identities()
        .insert(&ExternalIdentity {
            tenant_id: tenant,
            user_id: member.id,
            provider: "google".into(),
            subject: "sub-123".into(),
            linked_at: at(1),
        })
        .await
        .unwrap();
    uow.one_time_tokens()
        .insert(&OneTimeToken {
            digest: SecretToken::new("member-link".into()).digest(),
            purpose: TokenPurpose::LoginLink,
            tenant_id: Some(tenant),
            user_id: Some(member.id),
            payload: None,
            created_at: at(1),
            expires_at: at(2),
            used_at: None,
        })
        .await
        .unwrap();
    uow.commit().await.unwrap();

    let uow = store.begin().await.unwrap();
    assert_eq!(uow.users().count_owners(tenant).await.unwrap(), 1);
    assert!(uow.users().set_role(tenant, member.id, Role::Accountant).await.unwrap());
    assert_eq!(
        uow.users().get(tenant, member.id).await.unwrap().unwrap().role,
        Role::Accountant
    );
    assert_eq!(
        uow.users()
            .list(tenant, PageRequest::first())
            .await
            .unwrap()
            .items
            .len(),
        2
    );
    assert!(uow.users().delete(tenant, member.id).await.unwrap());
    assert_eq!(
        uow.sessions()
            .find_active(&session.token_digest, at(1), at(1) - TimeDelta::hours(1))
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        uow.api_tokens()
            .find_active(&SecretToken::new("fkt_member".into()).digest())
            .await
            .unwrap(),
        None
    );
    assert_eq!(uow.identities().find("google", "sub-123").await.unwrap(), None);
    assert_eq!(
        uow.one_time_tokens()
            .redeem(
                &SecretToken::new("member-link".into()).digest(),
                TokenPurpose::LoginLink,
                at(1)
            )
            .await
            .unwrap(),
        Redemption::Unknown
    );
    assert!(uow.users().get(tenant, owner.id).await.unwrap().is_some());
}

async fn throttle_counters_are_per_key(store: SqlStore) {
    let home = ThrottleKey::new("ada@example.com", IpPrefix::from_stored("192.0.2.0/24".into()));
    let away = ThrottleKey::new("ada@example.com", IpPrefix::from_stored("198.51.100.0/24".into()));
    let state = ThrottleState {
        failures: 11,
        window_started_at: Some(at(1)),
        blocked_until: Some(at(2)),
    };
    let uow = store.begin().await.unwrap();
    assert_eq!(uow.throttles().get(&home).await.unwrap(), ThrottleState::default());
    uow.throttles().save(&home, &state, at(1)).await.unwrap();
    uow.throttles()
        .save(
            &home,
            &ThrottleState {
                failures: 12,
                ..state.clone()
            },
            at(1),
        )
        .await
        .unwrap();
    uow.commit().await.unwrap();
    let uow = store.begin().await.unwrap();
    assert_eq!(uow.throttles().get(&home).await.unwrap().failures, 12);
    assert_eq!(uow.throttles().get(&away).await.unwrap(), ThrottleState::default());
    uow.throttles().clear(&home).await.unwrap();
    assert_eq!(uow.throttles().get(&home).await.unwrap(), ThrottleState::default());
}

async fn audit_events_page_newest_first_per_tenant(store: SqlStore) {
    let (tenant, owner) = seeded_owner(&store).await;
    let (other, _) = seeded_owner(&store).await;
    let origin = RequestOrigin::from_ip(Some("203.0.113.77".parse().unwrap()));
    let uow = store.begin().await.unwrap();
    for (n, action) in [
        AuditAction::SignInFailed,
        AuditAction::SignInSucceeded,
        AuditAction::RoleChanged,
    ]
    .into_iter()
    .enumerate()
    {
        let event = AuditEvent::new(
            AuditEventId::from_uuid(id()),
            tenant,
            at(1) + TimeDelta::minutes(i64::try_from(n).unwrap()),
            Actor::user(owner.id),
            action,
            &origin,
        )
        .about("user", owner.id.as_uuid())
        .with("method", "password");
        uow.audit().append(&event).await.unwrap();
    }
    uow.audit()
        .append(&AuditEvent::new(
            AuditEventId::from_uuid(id()),
            other,
            at(1),
            Actor::system(),
            AuditAction::SignInFailed,
            &RequestOrigin::default(),
        ))
        .await
        .unwrap();
    uow.commit().await.unwrap();

    let uow = store.begin().await.unwrap();
    let first = uow
        .audit()
        .list(tenant, AuditFilter::default(), PageRequest::new(Some(2), None).unwrap())
        .await
        .unwrap();
    let actions: Vec<_> = first.items.iter().map(|e| e.action).collect();
    assert_eq!(actions, [AuditAction::RoleChanged, AuditAction::SignInSucceeded]);
    assert_eq!(first.items[0].ip.as_ref().unwrap().as_str(), "203.0.113.0/24");
    assert_eq!(first.items[0].details["method"], "password");
    let rest = uow
        .audit()
        .list(
            tenant,
            AuditFilter::default(),
            PageRequest::new(Some(2), first.next_cursor.as_deref()).unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(rest.items.len(), 1);
    assert_eq!(rest.next_cursor, None);
    let failed = uow
        .audit()
        .list(
            tenant,
            AuditFilter {
                action: Some(AuditAction::SignInFailed),
                user: Some(owner.id),
            },
            PageRequest::first(),
        )
        .await
        .unwrap();
    assert_eq!(failed.items.len(), 1, "the other tenant's event is not listed");
}

async fn sealed_credentials_are_stored_as_given_and_scanned(store: SqlStore) {
    let (tenant, owner) = seeded_owner(&store).await;
    let credentials = StoredCredentials {
        tenant_id: tenant,
        provider: Provider::Stripe,
        secret_key: SealedSecret::from_stored("v1.k1.c2VhbGVk".into()),
        webhook_secret: None,
        hint: "sk_test_…4242".into(),
        live: false,
        updated_by: owner.id,
        updated_at: at(1),
    };
    let uow = store.begin().await.unwrap();
    uow.integrations().save(&credentials).await.unwrap();
    let replaced = StoredCredentials {
        secret_key: SealedSecret::from_stored("v1.k2.b3RoZXI".into()),
        webhook_secret: Some(SealedSecret::from_stored("v1.k2.d2g".into())),
        ..credentials.clone()
    };
    uow.integrations().save(&replaced).await.unwrap();
    assert_eq!(
        uow.integrations().get(tenant, Provider::Stripe).await.unwrap(),
        Some(replaced.clone())
    );
    let scanned = uow.integrations().scan(None, 10).await.unwrap();
    assert!(scanned.contains(&replaced));
    assert!(
        uow.integrations()
            .scan(Some((tenant, Provider::Stripe)), 10)
            .await
            .unwrap()
            .iter()
            .all(|c| c.tenant_id > tenant)
    );
    assert!(uow.integrations().delete(tenant, Provider::Stripe).await.unwrap());
    assert!(!uow.integrations().delete(tenant, Provider::Stripe).await.unwrap());
}
