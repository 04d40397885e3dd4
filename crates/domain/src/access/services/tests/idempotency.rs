//! Idempotency keys: claims, replays, reuse with another body, leases and retention.

use super::*;
use crate::access::services::idempotency::{Claim, IN_FLIGHT_LEASE, IdempotencyError, RETENTION, request_digest};

fn digest(body: &str) -> String {
    request_digest("create_invoice", body)
}

#[tokio::test]
async fn malformed_keys_are_refused_before_the_store() {
    let world = World::new();
    let tenant = world.organization("Ada Design");
    for key in [
        String::new(),
        "k".repeat(256),
        "with space".into(),
        "tab\t".into(),
        "ключ".into(),
    ] {
        assert!(
            matches!(
                world.idempotency.claim(tenant, &key, &digest("{}")).await,
                Err(IdempotencyError::InvalidKey)
            ),
            "{key:?}"
        );
    }
    assert_eq!(world.snapshot().commits, 0);
    assert_eq!(
        world
            .idempotency
            .claim(tenant, &"k".repeat(255), &digest("{}"))
            .await
            .unwrap(),
        Claim::Proceed
    );
}

#[tokio::test]
async fn the_first_claim_is_committed_and_a_repeat_in_flight_waits() {
    let world = World::new();
    let tenant = world.organization("Ada Design");
    assert_eq!(
        world.idempotency.claim(tenant, "key-1", &digest("{}")).await.unwrap(),
        Claim::Proceed
    );
    let record = world.snapshot().idempotency[&(tenant, "key-1".to_owned())].clone();
    assert_eq!((record.started_at, record.response), (start(), None));
    assert_eq!(record.request_digest, digest("{}"));
    world.advance(IN_FLIGHT_LEASE);
    assert!(matches!(
        world.idempotency.claim(tenant, "key-1", &digest("{}")).await,
        Err(IdempotencyError::InFlight)
    ));
}

#[tokio::test]
async fn a_completed_request_is_replayed_for_the_same_body_only() {
    let world = World::new();
    let tenant = world.organization("Ada Design");
    world
        .idempotency
        .claim(tenant, "key-1", &digest("{\"a\":1}"))
        .await
        .unwrap();
    world.idempotency.complete(tenant, "key-1", "{\"id\":7}").await.unwrap();
    world.advance(RETENTION);
    assert_eq!(
        world
            .idempotency
            .claim(tenant, "key-1", &digest("{\"a\":1}"))
            .await
            .unwrap(),
        Claim::Replay {
            response: "{\"id\":7}".into(),
        }
    );
    let before = world.snapshot();
    assert!(matches!(
        world.idempotency.claim(tenant, "key-1", &digest("{\"a\":2}")).await,
        Err(IdempotencyError::KeyReused)
    ));
    assert_eq!(world.snapshot(), before);
}

#[tokio::test]
async fn a_released_key_may_be_claimed_again() {
    let world = World::new();
    let tenant = world.organization("Ada Design");
    world.idempotency.claim(tenant, "key-1", &digest("{}")).await.unwrap();
    world.idempotency.release(tenant, "key-1").await.unwrap();
    assert!(world.snapshot().idempotency.is_empty());
    assert_eq!(
        world
            .idempotency
            .claim(tenant, "key-1", &digest("{\"other\":true}"))
            .await
            .unwrap(),
        Claim::Proceed
    );
}

#[tokio::test]
async fn an_abandoned_claim_is_taken_over_after_the_lease() {
    let world = World::new();
    let tenant = world.organization("Ada Design");
    world.idempotency.claim(tenant, "key-1", &digest("{}")).await.unwrap();
    world.advance(IN_FLIGHT_LEASE + TimeDelta::seconds(1));
    assert_eq!(
        world.idempotency.claim(tenant, "key-1", &digest("{}")).await.unwrap(),
        Claim::Proceed
    );
    let record = world.snapshot().idempotency[&(tenant, "key-1".to_owned())].clone();
    assert_eq!(record.started_at, world.now(), "the new claim's lease runs from now");
    assert!(matches!(
        world.idempotency.claim(tenant, "key-1", &digest("{}")).await,
        Err(IdempotencyError::InFlight)
    ));
}

#[tokio::test]
async fn an_expired_response_is_forgotten_and_the_key_runs_again() {
    let world = World::new();
    let tenant = world.organization("Ada Design");
    world.idempotency.claim(tenant, "key-1", &digest("{}")).await.unwrap();
    world.idempotency.complete(tenant, "key-1", "{}").await.unwrap();
    world.advance(RETENTION + TimeDelta::seconds(1));
    assert_eq!(
        world
            .idempotency
            .claim(tenant, "key-1", &digest("{\"new\":1}"))
            .await
            .unwrap(),
        Claim::Proceed
    );
    let record = world.snapshot().idempotency[&(tenant, "key-1".to_owned())].clone();
    assert_eq!((record.response, record.request_digest), (None, digest("{\"new\":1}")));
}

#[tokio::test]
async fn keys_belong_to_their_tenant() {
    let world = World::new();
    let ada = world.organization("Ada Design");
    let other = world.organization("Other");
    world.idempotency.claim(ada, "key-1", &digest("{}")).await.unwrap();
    world.idempotency.complete(ada, "key-1", "{\"ada\":1}").await.unwrap();
    assert_eq!(
        world.idempotency.claim(other, "key-1", &digest("{}")).await.unwrap(),
        Claim::Proceed
    );
    world.idempotency.release(other, "key-1").await.unwrap();
    assert!(matches!(
        world.idempotency.claim(ada, "key-1", &digest("{}")).await.unwrap(),
        Claim::Replay { .. }
    ));
}
