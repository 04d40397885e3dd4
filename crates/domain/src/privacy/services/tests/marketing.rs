//! The operator's product updates: one job per user, queued once, the
//! consent decided when the job runs.

use super::*;
use crate::messaging::delivery::{Notice, Prepared};
use crate::messaging::outbox::Effect;
use crate::privacy::services::consent::ConsentFields;
use crate::privacy::services::marketing::{ProductUpdateError, ProductUpdateReport};

#[tokio::test]
async fn a_blank_subject_or_body_is_invalid_and_nothing_is_queued() {
    let w = World::new();
    let err = w
        .marketing()
        .send_product_update(" ", &"x".repeat(20_001), None)
        .await
        .unwrap_err();
    let ProductUpdateError::Invalid(errors) = err else {
        panic!("{err:?}")
    };
    assert_eq!(
        errors.errors().iter().map(|e| e.field.as_str()).collect::<Vec<_>>(),
        ["subject", "body"]
    );
    assert!(w.snapshot().jobs.is_empty());
}

#[tokio::test]
async fn an_update_for_one_tenant_is_queued_once_per_user_of_that_tenant() {
    let w = World::new();
    let elsewhere = w.organization("Other Ltd", "FR", "Europe/Paris");
    let olga = w.user(elsewhere, "olga@example.org", Role::Owner);
    let report = w
        .marketing()
        .send_product_update("New: recurring invoices", "Hello!", Some(w.tenant))
        .await
        .unwrap();
    assert_eq!(
        report,
        ProductUpdateReport {
            queued: 4,
            already_queued: 0
        }
    );
    let state = w.snapshot();
    assert!(state.jobs.iter().all(|j| j.tenant_id == Some(w.tenant)));
    assert!(
        !state
            .jobs
            .iter()
            .any(|j| j.idempotency_key.ends_with(&olga.id.to_string()))
    );
    let key = &state.jobs[0].idempotency_key;
    assert!(key.starts_with("product-update:") && key.len() > "product-update:".len() + 16);
    assert!(state.jobs.iter().any(|j| j.effect
        == Effect::SendProductUpdate {
            user_id: w.member.id,
            subject: "New: recurring invoices".into(),
            body: "Hello!".into()
        }));

    let again = w
        .marketing()
        .send_product_update("New: recurring invoices", "Hello!", Some(w.tenant))
        .await
        .unwrap();
    assert_eq!(
        again,
        ProductUpdateReport {
            queued: 0,
            already_queued: 4
        }
    );
    assert_eq!(w.snapshot().jobs.len(), 4);
}

#[tokio::test]
async fn an_update_for_everyone_reaches_every_tenant_and_a_new_text_is_a_new_update() {
    let w = World::new();
    let elsewhere = w.organization("Other Ltd", "FR", "Europe/Paris");
    w.user(elsewhere, "olga@example.org", Role::Owner);
    let all = w.marketing().send_product_update("Hi", "One", None).await.unwrap();
    assert_eq!(all.queued, 5);
    let other = w.marketing().send_product_update("Hi", "Two", None).await.unwrap();
    assert_eq!((other.queued, other.already_queued), (5, 0));
    assert_eq!(w.snapshot().jobs.len(), 10);
}

#[tokio::test]
async fn the_email_goes_out_only_if_the_user_consents_when_the_job_runs() {
    let w = World::new();
    w.marketing()
        .send_product_update("Hi", "Body", Some(w.tenant))
        .await
        .unwrap();
    let state = w.snapshot();
    let job = state
        .jobs
        .iter()
        .find(|j| matches!(j.effect, Effect::SendProductUpdate { user_id, .. } if user_id == w.member.id))
        .unwrap();
    let delivery = w.delivery();
    let job = claimed(job);
    let prepare = || delivery.prepare_product_update(&job, w.tenant, w.member.id, "Hi", "Body");
    assert_eq!(
        prepare().await.unwrap(),
        Prepared::Skip("the user does not consent to marketing email")
    );
    let grant = |granted| ConsentFields {
        purpose: "marketing_email".into(),
        granted,
        channel: None,
    };
    w.consent().record(&signed_in(&w.member), grant(true)).await.unwrap();
    let Prepared::Send(email) = prepare().await.unwrap() else {
        panic!("not sent")
    };
    assert_eq!(email.to, w.member.email);
    assert_eq!(email.from_name, "Fakturo");
    assert_eq!(email.message_key, job.idempotency_key);
    assert_eq!(
        email.notice,
        Notice::ProductUpdate {
            subject: "Hi".into(),
            body: "Body".into()
        }
    );
    w.advance(TimeDelta::minutes(1));
    w.consent().record(&signed_in(&w.member), grant(false)).await.unwrap();
    assert!(matches!(prepare().await.unwrap(), Prepared::Skip(_)));

    let (tenant, member) = (w.tenant, w.member.id);
    w.store.edit(|s| {
        s.users.remove(&(tenant, member));
    });
    assert_eq!(prepare().await.unwrap(), Prepared::Skip("the user no longer exists"));
}
