use crate::InvoiceId;
use crate::invoicing::services::SendInvoiceError;
use crate::invoicing::testing::fixtures::{World, start};
use crate::messaging::outbox::{DEFAULT_MAX_ATTEMPTS, Effect};

#[tokio::test]
async fn send_gives_the_invoice_a_token_and_queues_the_email() {
    let world = World::new();
    let client = world.add_client("Acme", Some("billing@acme.example"));
    let invoice = world.open_invoice(&client).await;
    let view = world.invoices().send(&world.owner(), invoice.id).await.unwrap();
    let token = view.invoice.delivery.public_token.clone().expect("a public token");
    let state = world.snapshot();
    assert_eq!(
        state.invoices[&(world.tenant, invoice.id)].delivery.public_token,
        Some(token)
    );
    assert_eq!(state.jobs.len(), 1);
    let job = &state.jobs[0];
    assert_eq!(job.effect, Effect::SendInvoiceEmail { invoice_id: invoice.id });
    assert_eq!(job.tenant_id, Some(world.tenant));
    assert_eq!(job.run_at, start());
    assert_eq!(job.max_attempts, DEFAULT_MAX_ATTEMPTS);
    assert!(
        job.idempotency_key
            .starts_with(&format!("invoice-email:{}:", invoice.id))
    );
}

#[tokio::test]
async fn sending_again_keeps_the_token_and_queues_another_email() {
    let world = World::new();
    let client = world.add_client("Acme", Some("billing@acme.example"));
    let invoice = world.open_invoice(&client).await;
    let first = world.invoices().send(&world.owner(), invoice.id).await.unwrap();
    let second = world.invoices().send(&world.owner(), invoice.id).await.unwrap();
    assert_eq!(
        first.invoice.delivery.public_token,
        second.invoice.delivery.public_token
    );
    let jobs = world.snapshot().jobs;
    assert_eq!(jobs.len(), 2);
    assert_ne!(jobs[0].idempotency_key, jobs[1].idempotency_key);
}

#[tokio::test]
async fn send_is_forbidden_to_an_accountant() {
    let world = World::new();
    let client = world.add_client("Acme", Some("billing@acme.example"));
    let invoice = world.open_invoice(&client).await;
    let before = world.snapshot();
    let error = world
        .invoices()
        .send(&world.accountant(), invoice.id)
        .await
        .unwrap_err();
    assert!(matches!(error, SendInvoiceError::Forbidden(_)));
    assert_eq!(world.snapshot(), before);
}

#[tokio::test]
async fn send_of_an_unknown_invoice_is_not_found() {
    let world = World::new();
    let error = world
        .invoices()
        .send(&world.owner(), InvoiceId::from_uuid(uuid::Uuid::nil()))
        .await
        .unwrap_err();
    assert!(matches!(error, SendInvoiceError::NotFound));
}

#[tokio::test]
async fn a_draft_is_not_sendable() {
    let world = World::new();
    let client = world.add_client("Acme", Some("billing@acme.example"));
    let draft = world.draft(&client).await;
    let before = world.snapshot();
    let error = world.invoices().send(&world.owner(), draft.id).await.unwrap_err();
    assert!(matches!(error, SendInvoiceError::NotSendable));
    assert_eq!(world.snapshot(), before);
}

#[tokio::test]
async fn a_void_invoice_is_not_sendable() {
    let world = World::new();
    let client = world.add_client("Acme", Some("billing@acme.example"));
    let invoice = world.open_invoice(&client).await;
    world
        .credit_notes()
        .void(&world.owner(), invoice.id, None)
        .await
        .unwrap();
    let before = world.snapshot();
    let error = world.invoices().send(&world.owner(), invoice.id).await.unwrap_err();
    assert!(matches!(error, SendInvoiceError::NotSendable));
    assert_eq!(world.snapshot(), before);
}

#[tokio::test]
async fn send_for_a_client_without_email_has_no_recipient() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let invoice = world.open_invoice(&client).await;
    let before = world.snapshot();
    let error = world.invoices().send(&world.owner(), invoice.id).await.unwrap_err();
    assert!(matches!(error, SendInvoiceError::NoRecipient));
    assert_eq!(world.snapshot(), before, "no token is given either");
}

#[tokio::test]
async fn send_when_the_client_is_gone_is_not_found() {
    let world = World::new();
    let client = world.add_client("Acme", Some("billing@acme.example"));
    let invoice = world.open_invoice(&client).await;
    world.store.edit(|state| {
        state.clients.clear();
    });
    let before = world.snapshot();
    let error = world.invoices().send(&world.owner(), invoice.id).await.unwrap_err();
    assert!(matches!(error, SendInvoiceError::NotFound));
    assert_eq!(world.snapshot(), before);
}
