#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::*;
use crate::invoicing::invoice::InvoiceStatus;
use crate::invoicing::ports::InvoicingStore;
use crate::invoicing::testing::fixtures::{World, date, start};

#[tokio::test]
async fn the_same_key_is_enqueued_once() {
    let world = World::new();
    let uow = world.store.begin().await.unwrap();
    let effect = || Effect::SendInvoiceEmail {
        invoice_id: crate::InvoiceId::from_uuid(uuid::Uuid::nil()),
    };
    let ids = world.ids.as_ref();
    let clock = world.clock.as_ref();
    assert!(
        enqueue(uow.as_ref(), ids, clock, world.tenant, effect(), "k".to_owned())
            .await
            .unwrap()
    );
    assert!(
        !enqueue(uow.as_ref(), ids, clock, world.tenant, effect(), "k".to_owned())
            .await
            .unwrap()
    );
    assert!(
        enqueue(uow.as_ref(), ids, clock, world.tenant, effect(), "other".to_owned())
            .await
            .unwrap()
    );
    uow.commit().await.unwrap();
    let keys: Vec<_> = world.snapshot().jobs.into_iter().map(|j| j.idempotency_key).collect();
    assert_eq!(keys, ["k", "other"]);
}

#[tokio::test]
async fn a_public_token_is_given_once_and_stored() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let mut invoice = world.open_invoice(&client).await;
    let uow = world.store.begin().await.unwrap();
    ensure_public_token(uow.as_ref(), world.tokens.as_ref(), &mut invoice)
        .await
        .unwrap();
    let token = invoice.delivery.public_token.clone().expect("a token");
    ensure_public_token(uow.as_ref(), world.tokens.as_ref(), &mut invoice)
        .await
        .unwrap();
    assert_eq!(invoice.delivery.public_token.as_ref(), Some(&token));
    uow.commit().await.unwrap();
    assert_eq!(world.invoice(invoice.id).delivery.public_token, Some(token));
}

#[tokio::test]
async fn finalizing_a_non_draft_breaks_the_rule_and_takes_no_number() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let mut invoice = world.open_invoice(&client).await;
    let uow = world.store.begin().await.unwrap();
    let failure = finalize(uow.as_ref(), &mut invoice, &world.org, date(2026, 3, 10), start())
        .await
        .unwrap_err();
    assert!(matches!(failure, FinalizeFailure::Rule(FinalizeRuleError::NotDraft)));
    uow.commit().await.unwrap();
    assert_eq!(world.snapshot().counters.values().copied().collect::<Vec<_>>(), [1]);
}

#[tokio::test]
async fn a_dropped_unit_gives_its_number_back() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let mut draft = world.draft(&client).await;
    {
        let uow = world.store.begin().await.unwrap();
        finalize(uow.as_ref(), &mut draft, &world.org, date(2026, 3, 10), start())
            .await
            .unwrap();
        assert_eq!(draft.number.as_deref(), Some("INV-2026-0001"));
    }
    assert!(world.snapshot().counters.is_empty());
    let again = world
        .invoices()
        .finalize(&world.owner(), draft.id)
        .await
        .unwrap()
        .invoice;
    assert_eq!(again.number.as_deref(), Some("INV-2026-0001"));
}

#[tokio::test]
async fn finalizing_for_a_client_that_is_gone_keeps_no_buyer() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let mut draft = world.draft(&client).await;
    world.store.edit(|state| state.clients.clear());
    let uow = world.store.begin().await.unwrap();
    finalize(uow.as_ref(), &mut draft, &world.org, date(2026, 3, 10), start())
        .await
        .unwrap();
    assert_eq!(draft.status, InvoiceStatus::Open);
    assert_eq!(draft.buyer, None);
}
