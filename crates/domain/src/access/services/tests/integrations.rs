//! Stripe credentials: sealed at rest, managed by owners and admins,
//! re-sealed by the key rotation.

use super::*;
use crate::access::audit::AuditAction;
use crate::access::integrations::{Provider, StoredCredentials, seal_context};
use crate::access::services::integrations::{IntegrationError, RotateKeysError, RotationReport};
use crate::access::user::Forbidden;
use crate::kernel::secrets::{SealedSecret, SecretBox, SecretError};

const KEY: &str = "sk_live_51Hx0aBcDeFgHiJk9876";
const WEBHOOK: &str = "whsec_abcdefghijklmnop";

fn forbidden(result: Result<impl std::fmt::Debug, IntegrationError>, role: Role, action: &str) {
    match result {
        Err(IntegrationError::Forbidden(Forbidden { role: r, action: a })) => assert_eq!((r, a), (role, action)),
        other => panic!("expected Forbidden, got {other:?}"),
    }
}

#[tokio::test]
async fn stripe_keys_are_stored_sealed_and_only_their_hint_is_shown() {
    let world = World::new();
    let ada = world.owner();
    let status = world
        .integrations
        .set_stripe(&signed_in(&ada), KEY, Some(WEBHOOK), &origin())
        .await
        .unwrap();
    assert!(status.connected && status.has_webhook_secret);
    assert_eq!(
        (status.live, status.hint.as_deref()),
        (Some(true), Some("sk_live_…9876"))
    );
    assert_eq!(status.updated_at, Some(start()));

    let state = world.snapshot();
    let stored = &state.integrations[&(ada.tenant_id, "stripe")];
    assert!(!stored.secret_key.as_str().contains(KEY));
    assert_eq!(stored.secret_key.key_id(), Some("k1"));
    assert_eq!(stored.updated_by, ada.id);
    let context = seal_context(ada.tenant_id, Provider::Stripe, "webhook_secret");
    let webhook = world
        .secrets
        .open(stored.webhook_secret.as_ref().unwrap(), &context)
        .unwrap();
    assert_eq!(webhook.expose(), WEBHOOK);
    let updated = state.events(AuditAction::IntegrationUpdated);
    assert_eq!(updated.len(), 1);
    assert_eq!(
        (
            updated[0].details["provider"].as_str(),
            updated[0].details["mode"].as_str()
        ),
        ("stripe", "live")
    );

    assert_eq!(world.integrations.stripe(&principal(&ada)).await.unwrap(), status);
    let clear = world.integrations.stripe_secret_key(ada.tenant_id).await.unwrap();
    assert_eq!(clear.expose(), KEY);
}

#[tokio::test]
async fn malformed_keys_name_their_field_and_store_nothing() {
    let world = World::new();
    let ada = world.owner();
    let before = world.snapshot();
    for (key, webhook, field, code) in [
        (
            "pk_live_abcdefghijklmnop",
            None,
            "secret_key",
            "invalid_stripe_secret_key",
        ),
        (KEY, Some("nope"), "webhook_secret", "invalid_stripe_webhook_secret"),
    ] {
        match world
            .integrations
            .set_stripe(&signed_in(&ada), key, webhook, &origin())
            .await
        {
            Err(IntegrationError::Invalid(errors)) => {
                assert_eq!(fields_of(&errors), [field]);
                assert_eq!(errors.errors()[0].code, code);
            }
            other => panic!("expected Invalid, got {other:?}"),
        }
    }
    assert_eq!(world.snapshot(), before);
}

#[tokio::test]
async fn only_managers_see_or_change_integrations() {
    let world = World::new();
    let ada = world.owner();
    let bob = world.user(ada.tenant_id, "bob@example.com", Role::Member);
    let before = world.snapshot();
    forbidden(
        world
            .integrations
            .set_stripe(&signed_in(&bob), KEY, None, &origin())
            .await,
        Role::Member,
        "manage integrations",
    );
    forbidden(
        world.integrations.stripe(&principal(&bob)).await,
        Role::Member,
        "see integrations",
    );
    forbidden(
        world.integrations.remove_stripe(&signed_in(&bob), &origin()).await,
        Role::Member,
        "manage integrations",
    );
    assert_eq!(world.snapshot(), before);
}

#[tokio::test]
async fn disconnecting_deletes_the_keys_and_twice_is_not_connected() {
    let world = World::new();
    let ada = world.owner();
    let who = signed_in(&ada);
    world.integrations.set_stripe(&who, KEY, None, &origin()).await.unwrap();
    world.integrations.remove_stripe(&who, &origin()).await.unwrap();
    let state = world.snapshot();
    assert!(state.integrations.is_empty());
    assert_eq!(state.events(AuditAction::IntegrationRemoved).len(), 1);
    assert!(matches!(
        world.integrations.remove_stripe(&who, &origin()).await,
        Err(IntegrationError::NotConnected)
    ));
    assert_eq!(world.snapshot(), state);
    let status = world.integrations.stripe(&principal(&ada)).await.unwrap();
    assert!(!status.connected && status.hint.is_none() && status.live.is_none());
}

#[tokio::test]
async fn the_secret_key_is_only_opened_for_its_own_tenant() {
    let world = World::new();
    let ada = world.owner();
    let outsider = world.owner_elsewhere();
    world
        .integrations
        .set_stripe(&signed_in(&ada), KEY, None, &origin())
        .await
        .unwrap();
    assert!(matches!(
        world.integrations.stripe_secret_key(outsider.tenant_id).await,
        Err(IntegrationError::NotConnected)
    ));
    // A sealed value copied into another tenant's row does not open there.
    world.store.edit(|s| {
        let mut copy = s.integrations[&(ada.tenant_id, "stripe")].clone();
        copy.tenant_id = outsider.tenant_id;
        s.integrations.insert((outsider.tenant_id, "stripe"), copy);
    });
    assert!(matches!(
        world.integrations.stripe_secret_key(outsider.tenant_id).await,
        Err(IntegrationError::Unexpected(_))
    ));
}

fn stored(world: &World, tenant: TenantId, webhook: bool) -> StoredCredentials {
    let seal = |field: &str, text: &str| {
        world
            .secrets
            .seal(text, &seal_context(tenant, Provider::Stripe, field))
            .unwrap()
    };
    StoredCredentials {
        tenant_id: tenant,
        provider: Provider::Stripe,
        secret_key: seal("secret_key", KEY),
        webhook_secret: webhook.then(|| seal("webhook_secret", WEBHOOK)),
        hint: "sk_live_…9876".into(),
        live: true,
        updated_by: UserId::from_uuid(uuid::Uuid::nil()),
        updated_at: start(),
    }
}

#[tokio::test]
async fn rotation_reseals_everything_under_the_new_key_across_batches() {
    let world = World::new();
    let tenants: Vec<_> = (0..150).map(|i| world.organization(&format!("T{i}"))).collect();
    world.store.edit(|s| {
        for (i, tenant) in tenants.iter().enumerate() {
            s.integrations
                .insert((*tenant, "stripe"), stored(&world, *tenant, i % 2 == 0));
        }
    });
    world.secrets.rotate_to("k2");
    // One already under the new key is left as it is.
    let fresh = stored(&world, tenants[3], true);
    world.store.edit(|s| {
        s.integrations.insert((tenants[3], "stripe"), fresh.clone());
    });
    let commits = world.snapshot().commits;

    let report = world.integrations.rotate_keys().await.unwrap();
    assert_eq!(
        report,
        RotationReport {
            examined: 150,
            resealed: 149,
        }
    );
    let state = world.snapshot();
    assert_eq!(state.commits, commits + 2, "one transaction per batch of 100");
    assert_eq!(state.integrations[&(tenants[3], "stripe")], fresh);
    let all_current = state.integrations.values().all(|c| {
        c.secret_key.key_id() == Some("k2") && c.webhook_secret.as_ref().is_none_or(|w| w.key_id() == Some("k2"))
    });
    assert!(all_current);

    world.secrets.retire("k1");
    assert_eq!(
        world.integrations.stripe_secret_key(tenants[0]).await.unwrap().expose(),
        KEY
    );
    assert_eq!(
        world.integrations.rotate_keys().await.unwrap(),
        RotationReport {
            examined: 150,
            resealed: 0,
        }
    );
}

#[tokio::test]
async fn rotation_names_the_first_value_that_does_not_open() {
    let world = World::new();
    let first = world.organization("First");
    let second = world.organization("Second");
    world.store.edit(|s| {
        s.integrations.insert((first, "stripe"), stored(&world, first, false));
        let mut broken = stored(&world, second, false);
        broken.secret_key = SealedSecret::from_stored("v1.k0.gone".into());
        s.integrations.insert((second, "stripe"), broken);
    });
    world.secrets.rotate_to("k2");
    let before = world.snapshot();
    match world.integrations.rotate_keys().await {
        Err(RotateKeysError::Unreadable {
            tenant,
            provider,
            source: SecretError::UnknownKey(key),
        }) => assert_eq!((tenant, provider, key.as_str()), (second, "stripe", "k0")),
        other => panic!("expected Unreadable, got {other:?}"),
    }
    assert_eq!(world.snapshot(), before, "the batch that failed was not committed");
}

#[tokio::test]
async fn rotation_refuses_a_value_moved_from_another_row() {
    let world = World::new();
    let first = world.organization("First");
    let second = world.organization("Second");
    world.store.edit(|s| {
        s.integrations.insert((first, "stripe"), stored(&world, first, false));
        let mut moved = stored(&world, second, false);
        moved.secret_key = stored(&world, first, false).secret_key;
        s.integrations.insert((second, "stripe"), moved);
    });
    world.secrets.rotate_to("k2");
    match world.integrations.rotate_keys().await {
        Err(RotateKeysError::Unreadable {
            tenant,
            source: SecretError::Invalid,
            ..
        }) => assert_eq!(tenant, second),
        other => panic!("expected Unreadable, got {other:?}"),
    }
}

#[tokio::test]
async fn new_keys_replace_the_old_ones_and_the_mode_follows_the_key() {
    let world = World::new();
    let ada = world.owner();
    let eve = world.user(ada.tenant_id, "eve@example.com", Role::Admin);
    world
        .integrations
        .set_stripe(&signed_in(&ada), KEY, Some(WEBHOOK), &origin())
        .await
        .unwrap();
    world.advance(TimeDelta::days(1));
    let status = world
        .integrations
        .set_stripe(&signed_in(&eve), "  rk_test_abcdefghijkl4321 ", None, &origin())
        .await
        .unwrap();
    assert_eq!(
        (status.live, status.hint.as_deref()),
        (Some(false), Some("rk_test_…4321"))
    );
    assert!(!status.has_webhook_secret);
    let state = world.snapshot();
    assert_eq!(state.integrations.len(), 1);
    let stored = &state.integrations[&(ada.tenant_id, "stripe")];
    assert_eq!((stored.updated_by, stored.updated_at), (eve.id, world.now()));
    assert_eq!(state.events(AuditAction::IntegrationUpdated)[1].details["mode"], "test");
    let clear = world.integrations.stripe_secret_key(ada.tenant_id).await.unwrap();
    assert_eq!(clear.expose(), "rk_test_abcdefghijkl4321");
}
