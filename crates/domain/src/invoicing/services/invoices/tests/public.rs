use crate::invoicing::services::PublicInvoiceError;
use crate::invoicing::testing::fixtures::World;

async fn sent(world: &World) -> (crate::invoicing::invoice::Invoice, String) {
    let client = world.add_client("Acme", Some("billing@acme.example"));
    let invoice = world.open_invoice(&client).await;
    let view = world.invoices().send(&world.owner(), invoice.id).await.unwrap();
    let token = view.invoice.delivery.public_token.clone().unwrap();
    (view.invoice, token)
}

#[tokio::test]
async fn the_public_view_shows_invoice_issuer_and_client() {
    let world = World::new();
    let (invoice, token) = sent(&world).await;
    let public = world.invoices().public_view(&token).await.unwrap();
    assert_eq!(public.invoice.invoice, invoice);
    assert!(!public.invoice.overdue);
    assert_eq!(public.organization, world.org);
    assert_eq!(public.client.id, invoice.content.client_id);
}

#[tokio::test]
async fn an_unknown_token_is_not_found() {
    let world = World::new();
    sent(&world).await;
    let error = world
        .invoices()
        .public_view("public-9999999999999999")
        .await
        .unwrap_err();
    assert!(matches!(error, PublicInvoiceError::NotFound));
}

#[tokio::test]
async fn a_malformed_token_is_not_found() {
    let world = World::new();
    let (_, token) = sent(&world).await;
    for bad in [&token[..15], &"x".repeat(65)] {
        let error = world.invoices().public_view(bad).await.unwrap_err();
        assert!(matches!(error, PublicInvoiceError::NotFound), "{bad}");
    }
}

#[tokio::test]
async fn a_draft_is_never_shown_whatever_its_token() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let draft = world.draft(&client).await;
    world.edit_invoice(draft.id, |i| {
        i.delivery.public_token = Some("public-draft-token-01".to_owned())
    });
    let error = world.invoices().public_view("public-draft-token-01").await.unwrap_err();
    assert!(matches!(error, PublicInvoiceError::NotFound));
}

#[tokio::test]
async fn a_restricted_invoice_is_no_longer_shown() {
    let world = World::new();
    let (invoice, token) = sent(&world).await;
    world.edit_invoice(invoice.id, |i| i.hold.restricted = true);
    let error = world.invoices().public_view(&token).await.unwrap_err();
    assert!(matches!(error, PublicInvoiceError::NotFound));
}

#[tokio::test]
async fn the_public_view_of_a_deleted_clients_invoice_is_not_found() {
    let world = World::new();
    let (_, token) = sent(&world).await;
    world.store.edit(|state| state.clients.clear());
    let error = world.invoices().public_view(&token).await.unwrap_err();
    assert!(matches!(error, PublicInvoiceError::NotFound));
}
