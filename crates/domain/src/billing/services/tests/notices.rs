//! The owners' subscription notices: queued once per owner and change, the
//! end's closure window when configured, and their delivery.

use std::sync::Arc;

use chrono::TimeDelta;

use super::support::*;
use crate::billing::events::{BillingEvent, DecodedEvent, SubscriptionChange};
use crate::billing::notices::{BillingContact, SubscriptionNotice, WhenEnded};
use crate::billing::plan::{BillingProvider, BillingSettings};
use crate::billing::services::BillingDelivery;
use crate::billing::subscription::{SubscriptionSnapshot, SubscriptionStatus};
use crate::billing::webhook::{WebhookAccount, WebhookProvider};
use crate::kernel::email::EmailAddress;
use crate::messaging::delivery::{Notice, Prepared};
use crate::messaging::outbox::{Effect, Job, JobStatus};
use crate::tenancy::organization::Closure;
use crate::{TenantId, UserId};

fn owner(n: u128) -> BillingContact {
    BillingContact {
        id: UserId::from_uuid(uuid::Uuid::from_u128(500 + n)),
        email: EmailAddress::parse(&format!("owner{n}@example.com")).unwrap(),
        name: format!("Owner {n}"),
    }
}

fn owners_world(when_ended: WhenEnded) -> World {
    let world = World::with_settings(BillingSettings {
        when_ended,
        ..settings(BillingProvider::Paddle)
    });
    world.store.edit(|s| {
        s.owners.insert(tenant(1), vec![owner(1), owner(2)]);
        s.organization_names.insert(tenant(1), "Muster GmbH".to_owned());
    });
    world
}

fn change(id: &str, status: SubscriptionStatus, minutes: i64, cancel_at: Option<i64>) -> DecodedEvent {
    let snapshot = SubscriptionSnapshot {
        provider: WebhookProvider::Paddle,
        subscription_id: "sub_01".to_owned(),
        customer_id: Some("ctm_01".to_owned()),
        tenant: Some(tenant(1)),
        price_ids: vec!["pri_starter".to_owned()],
        status,
        current_period_end: Some(start() + TimeDelta::days(30)),
        cancel_at: cancel_at.map(|days| start() + TimeDelta::days(days)),
        ordering_key: start() + TimeDelta::minutes(minutes),
    };
    event(
        id,
        BillingEvent::SubscriptionUpdated(SubscriptionChange {
            subscription_id: snapshot.subscription_id.clone(),
            snapshot: Some(snapshot),
        }),
    )
}

async fn deliver(world: &World, event: &DecodedEvent) {
    world
        .deliver(WebhookProvider::Paddle, WebhookAccount::Operator, event)
        .await;
}

/// The queued notices: owner and notice, in queue order.
fn notices(world: &World) -> Vec<(UserId, SubscriptionNotice)> {
    world
        .store
        .snapshot()
        .jobs
        .iter()
        .filter_map(|job| match &job.effect {
            Effect::SendSubscriptionNotice { owner_id, notice } => Some((*owner_id, *notice)),
            _ => None,
        })
        .collect()
}

fn each_owner(notice: SubscriptionNotice) -> [(UserId, SubscriptionNotice); 2] {
    [(owner(1).id, notice), (owner(2).id, notice)]
}

#[tokio::test]
async fn each_owner_is_told_of_a_failed_payment_a_coming_end_and_the_end_once() {
    use SubscriptionStatus::{Active, Canceled, PastDue, Trialing};
    let world = owners_world(WhenEnded::ReadOnly);
    deliver(&world, &change("e1", Trialing, 0, None)).await;
    deliver(&world, &change("e2", Active, 10, None)).await;
    assert_eq!(notices(&world), []);

    deliver(&world, &change("e3", PastDue, 20, None)).await;
    // The same state again (a retried event under another id) and an older one tell nobody.
    deliver(&world, &change("e3-again", PastDue, 20, None)).await;
    deliver(&world, &change("e2-late", Active, 5, None)).await;
    assert_eq!(notices(&world), each_owner(SubscriptionNotice::PaymentFailed));

    deliver(&world, &change("e4", Active, 30, Some(31))).await;
    deliver(&world, &change("e5", Active, 40, Some(31))).await;
    deliver(&world, &change("e6", Canceled, 50, Some(31))).await;
    let at = start() + TimeDelta::days(31);
    let mut expected = each_owner(SubscriptionNotice::PaymentFailed).to_vec();
    expected.extend(each_owner(SubscriptionNotice::WillEnd { at }));
    expected.extend(each_owner(SubscriptionNotice::Ended { purge_after: None }));
    assert_eq!(notices(&world), expected);
    // Read-only, not closing.
    assert!(world.store.snapshot().closures.is_empty());

    let state = world.store.snapshot();
    let keys: std::collections::BTreeSet<&str> = state.jobs.iter().map(|j| j.idempotency_key.as_str()).collect();
    assert_eq!(keys.len(), state.jobs.len(), "one key per owner and notice");
    assert!(state.jobs.iter().all(|job| job.tenant_id == Some(tenant(1))));
}

#[tokio::test]
async fn with_close_the_end_starts_the_closure_window_unless_the_owner_closed_first() {
    let world = owners_world(WhenEnded::Close);
    deliver(&world, &change("e1", SubscriptionStatus::Active, 0, None)).await;
    world.clock.advance(TimeDelta::hours(2));
    deliver(&world, &change("e2", SubscriptionStatus::Canceled, 10, None)).await;
    let now = start() + TimeDelta::hours(2);
    let purge_after = now + TimeDelta::days(30);
    assert_eq!(
        world.store.snapshot().closures[&tenant(1)],
        Closure {
            closed_at: now,
            purge_after
        }
    );
    assert_eq!(
        notices(&world),
        each_owner(SubscriptionNotice::Ended {
            purge_after: Some(purge_after)
        })
    );

    // An organization its owner had closed keeps that window; the notice names no new date.
    let closed = owners_world(WhenEnded::Close);
    let own = Closure {
        closed_at: start(),
        purge_after: start() + TimeDelta::days(3),
    };
    closed.store.edit(|s| {
        s.closures.insert(tenant(1), own);
    });
    deliver(&closed, &change("e1", SubscriptionStatus::Canceled, 0, None)).await;
    assert_eq!(closed.store.snapshot().closures[&tenant(1)], own);
    assert_eq!(
        notices(&closed),
        each_owner(SubscriptionNotice::Ended { purge_after: None })
    );
}

fn job(tenant: TenantId, owner_id: UserId, notice: SubscriptionNotice) -> Job {
    Job {
        id: uuid::Uuid::from_u128(9),
        tenant_id: Some(tenant),
        effect: Effect::SendSubscriptionNotice { owner_id, notice },
        idempotency_key: "subscription-notice:test".to_owned(),
        status: JobStatus::Running,
        attempts: 1,
        max_attempts: 5,
        run_at: start(),
        locked_until: None,
        last_error: None,
        created_at: start(),
        updated_at: start(),
    }
}

#[tokio::test]
async fn a_notice_goes_to_the_owner_while_they_are_one() {
    let world = owners_world(WhenEnded::ReadOnly);
    let delivery = BillingDelivery::new(Arc::new(world.store.clone()));
    let notice = SubscriptionNotice::PaymentFailed;
    let Prepared::Send(email) = delivery
        .prepare_subscription_notice(&job(tenant(1), owner(2).id, notice), tenant(1), owner(2).id, notice)
        .await
        .unwrap()
    else {
        panic!("not sent")
    };
    assert_eq!(email.to, owner(2).email);
    assert_eq!(email.to_name, "Owner 2");
    assert_eq!(email.message_key, "subscription-notice:test");
    assert_eq!(
        email.notice,
        Notice::Subscription {
            organization_name: "Muster GmbH".to_owned(),
            notice
        }
    );

    let stranger = UserId::from_uuid(uuid::Uuid::from_u128(77));
    let skipped = delivery
        .prepare_subscription_notice(&job(tenant(1), stranger, notice), tenant(1), stranger, notice)
        .await
        .unwrap();
    assert_eq!(skipped, Prepared::Skip("the user is no longer an owner"));

    world.store.edit(|s| {
        s.organization_names.clear();
    });
    let gone = delivery
        .prepare_subscription_notice(&job(tenant(1), owner(1).id, notice), tenant(1), owner(1).id, notice)
        .await
        .unwrap();
    assert_eq!(gone, Prepared::Skip("the organization no longer exists"));
}
