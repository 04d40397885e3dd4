#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod letters;

use super::*;
use crate::invoicing::testing::fixtures::World;

#[tokio::test]
async fn a_draft_document_is_a_preview_with_the_clients_current_details() {
    let world = World::new();
    let client = world.add_client("Acme", Some("billing@acme.example"));
    world.edit_client(client.id, |c| c.details.locale = Some("de-DE".to_owned()));
    let draft = world.draft(&client).await;
    let before = world.snapshot();
    let data = world.documents().invoice(&world.accountant(), draft.id).await.unwrap();
    assert!(data.is_draft());
    assert_eq!(data.subject, DocumentSubject::Invoice);
    assert_eq!(data.file_stem(), "draft");
    assert_eq!(
        data.buyer,
        Buyer::of(&world.snapshot().clients[&(world.tenant, client.id)].details)
    );
    assert_eq!(data.buyer_email.as_deref(), Some("billing@acme.example"));
    assert_eq!(data.buyer_locale.as_deref(), Some("de-DE"));
    assert_eq!(data.organization, world.org);
    assert_eq!(world.snapshot(), before, "reading a document changes nothing");
}

#[tokio::test]
async fn a_finalized_document_shows_the_buyer_as_invoiced() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let invoice = world.open_invoice(&client).await;
    world.edit_client(client.id, |c| c.details.name = "Acme Renamed".to_owned());
    let data = world.documents().invoice(&world.owner(), invoice.id).await.unwrap();
    assert!(!data.is_draft());
    assert_eq!(data.buyer.name, "Acme");
    assert_eq!(data.file_stem(), "INV-2026-0001");
    assert_eq!(data.invoice, invoice);
}

#[tokio::test]
async fn a_finalized_document_survives_its_client() {
    let world = World::new();
    let client = world.add_client("Acme", Some("billing@acme.example"));
    let invoice = world.open_invoice(&client).await;
    world.store.edit(|state| state.clients.clear());
    let data = world.documents().invoice(&world.owner(), invoice.id).await.unwrap();
    assert_eq!(data.buyer.name, "Acme");
    assert_eq!(data.buyer_email, None);
}

#[tokio::test]
async fn a_draft_whose_client_is_gone_is_not_found() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let draft = world.draft(&client).await;
    world.store.edit(|state| state.clients.clear());
    let error = world.documents().invoice(&world.owner(), draft.id).await.unwrap_err();
    assert!(matches!(error, DocumentError::NotFound("invoice")));
}

#[tokio::test]
async fn the_document_of_an_unknown_or_foreign_invoice_is_not_found() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let invoice = world.open_invoice(&client).await;
    let error = world
        .documents()
        .invoice(&world.owner(), InvoiceId::from_uuid(uuid::Uuid::nil()))
        .await
        .unwrap_err();
    assert!(matches!(error, DocumentError::NotFound("invoice")));
    let error = world
        .documents()
        .invoice(&world.stranger(), invoice.id)
        .await
        .unwrap_err();
    assert!(matches!(error, DocumentError::NotFound("invoice")));
}

#[tokio::test]
async fn the_credit_note_document_names_the_voided_invoice() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let invoice = world.open_invoice(&client).await;
    let note = world
        .credit_notes()
        .void(&world.owner(), invoice.id, None)
        .await
        .unwrap();
    let data = world
        .documents()
        .credit_note(&world.accountant(), note.id)
        .await
        .unwrap();
    assert_eq!(data.file_stem(), "CN-2026-0001");
    assert_eq!(data.invoice.id, invoice.id);
    assert_eq!(data.invoice.status, InvoiceStatus::Void);
    assert_eq!(data.subject, DocumentSubject::CreditNote(note));
}

#[tokio::test]
async fn an_unknown_or_foreign_credit_note_is_not_found() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let invoice = world.open_invoice(&client).await;
    let note = world
        .credit_notes()
        .void(&world.owner(), invoice.id, None)
        .await
        .unwrap();
    let error = world
        .documents()
        .credit_note(&world.owner(), uuid::Uuid::nil())
        .await
        .unwrap_err();
    assert!(matches!(error, DocumentError::NotFound("credit note")));
    let error = world
        .documents()
        .credit_note(&world.stranger(), note.id)
        .await
        .unwrap_err();
    assert!(matches!(error, DocumentError::NotFound("credit note")));
}

#[tokio::test]
async fn a_credit_note_whose_invoice_is_gone_is_not_found() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let invoice = world.open_invoice(&client).await;
    let note = world
        .credit_notes()
        .void(&world.owner(), invoice.id, None)
        .await
        .unwrap();
    world.store.edit(|state| state.invoices.clear());
    let error = world
        .documents()
        .credit_note(&world.owner(), note.id)
        .await
        .unwrap_err();
    assert!(matches!(error, DocumentError::NotFound("credit note")));
}

#[tokio::test]
async fn the_public_document_follows_the_public_page() {
    let world = World::new();
    let client = world.add_client("Acme", Some("billing@acme.example"));
    let invoice = world.open_invoice(&client).await;
    let sent = world.invoices().send(&world.owner(), invoice.id).await.unwrap().invoice;
    let token = sent.delivery.public_token.clone().unwrap();
    let data = world
        .documents()
        .public_invoice(&token)
        .await
        .unwrap()
        .expect("a document");
    assert_eq!(data.invoice, sent);
    assert_eq!(
        world
            .documents()
            .public_invoice("public-0000000000009999")
            .await
            .unwrap(),
        None
    );
    assert_eq!(world.documents().public_invoice("short").await.unwrap(), None);
    world.edit_invoice(invoice.id, |i| i.hold.restricted = true);
    assert_eq!(world.documents().public_invoice(&token).await.unwrap(), None);
}

#[tokio::test]
async fn the_delivery_document_is_only_for_finalized_invoices() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let draft = world.draft(&client).await;
    let invoice = world.open_invoice(&client).await;
    let documents = world.documents();
    let data = documents
        .for_delivery(world.tenant, invoice.id)
        .await
        .unwrap()
        .expect("a document");
    assert_eq!(data.invoice, invoice);
    assert_eq!(documents.for_delivery(world.tenant, draft.id).await.unwrap(), None);
    let unknown = InvoiceId::from_uuid(uuid::Uuid::nil());
    assert_eq!(documents.for_delivery(world.tenant, unknown).await.unwrap(), None);
    let foreign = world.stranger().tenant_id;
    assert_eq!(documents.for_delivery(foreign, invoice.id).await.unwrap(), None);
}

#[test]
fn file_stems_never_carry_unsafe_characters() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let mut invoice = crate::invoicing::invoice::Invoice::draft(
        InvoiceId::from_uuid(uuid::Uuid::nil()),
        world.tenant,
        crate::invoicing::invoice::InvoiceContent {
            client_id: client.id,
            currency: crate::kernel::money::Currency::EUR,
            issue_date: None,
            due_date: None,
            payment_terms_days: None,
            notes: None,
            lines: Vec::new(),
        },
        crate::invoicing::testing::fixtures::start(),
    )
    .unwrap();
    invoice.number = Some("2026/07 #1".to_owned());
    let data = DocumentData {
        subject: DocumentSubject::Invoice,
        organization: world.org.clone(),
        invoice,
        buyer: Buyer::of(&client.details),
        buyer_email: None,
        buyer_locale: None,
    };
    assert_eq!(data.file_stem(), "2026_07__1");
}
