use chrono::TimeDelta;

use crate::invoicing::invoice::InvoiceFields;
use crate::invoicing::services::UpdateInvoiceError;
use crate::invoicing::testing::fixtures::{World, codes, date, line};
use crate::kernel::money::{Currency, Money};
use crate::{ClientId, InvoiceId};

fn with_lines(lines: Vec<crate::invoicing::invoice::LineFields>) -> InvoiceFields {
    InvoiceFields {
        lines: Some(lines),
        ..InvoiceFields::default()
    }
}

#[tokio::test]
async fn update_replaces_the_lines_and_recomputes_the_totals() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let draft = world.draft(&client).await;
    world.clock.advance(TimeDelta::minutes(5));
    let fields = InvoiceFields {
        notes: Some(Some("Thanks".to_owned())),
        ..with_lines(vec![line("Design", "3", "10.00", "0")])
    };
    let view = world.invoices().update(&world.owner(), draft.id, fields).await.unwrap();
    assert_eq!(view.invoice.totals().total, Money::from_minor(3_000, Currency::EUR));
    assert_eq!(view.invoice.content.notes.as_deref(), Some("Thanks"));
    assert_eq!(view.invoice.content.lines.len(), 1);
    assert_eq!(view.invoice.updated_at, draft.updated_at + TimeDelta::minutes(5));
    assert_eq!(world.invoice(draft.id), view.invoice);
}

#[tokio::test]
async fn update_with_a_due_date_drops_the_payment_terms() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let draft = world.draft(&client).await;
    let terms = InvoiceFields {
        payment_terms_days: Some(Some(30)),
        ..InvoiceFields::default()
    };
    world.invoices().update(&world.owner(), draft.id, terms).await.unwrap();
    let due = InvoiceFields {
        due_date: Some(Some(date(2026, 5, 1))),
        ..InvoiceFields::default()
    };
    let view = world.invoices().update(&world.owner(), draft.id, due).await.unwrap();
    assert_eq!(view.invoice.content.due_date, Some(date(2026, 5, 1)));
    assert_eq!(view.invoice.content.payment_terms_days, None);
}

#[tokio::test]
async fn update_is_forbidden_to_an_accountant() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let draft = world.draft(&client).await;
    let before = world.snapshot();
    let error = world
        .invoices()
        .update(&world.accountant(), draft.id, InvoiceFields::default())
        .await
        .unwrap_err();
    assert!(matches!(error, UpdateInvoiceError::Forbidden(_)));
    assert_eq!(world.snapshot(), before);
}

#[tokio::test]
async fn update_of_an_unknown_invoice_is_not_found() {
    let world = World::new();
    let error = world
        .invoices()
        .update(
            &world.owner(),
            InvoiceId::from_uuid(uuid::Uuid::nil()),
            InvoiceFields::default(),
        )
        .await
        .unwrap_err();
    assert!(matches!(error, UpdateInvoiceError::NotFound));
}

#[tokio::test]
async fn update_of_a_finalized_invoice_is_refused_and_changes_nothing() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let invoice = world.open_invoice(&client).await;
    let before = world.snapshot();
    let error = world
        .invoices()
        .update(
            &world.owner(),
            invoice.id,
            with_lines(vec![line("Cheaper", "1", "1.00", "0")]),
        )
        .await
        .unwrap_err();
    assert!(matches!(error, UpdateInvoiceError::NotDraft));
    assert_eq!(world.snapshot(), before);
}

#[tokio::test]
async fn update_to_an_unknown_client_is_invalid() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let draft = world.draft(&client).await;
    let before = world.snapshot();
    let fields = InvoiceFields {
        client_id: Some(ClientId::from_uuid(uuid::Uuid::nil())),
        ..InvoiceFields::default()
    };
    let error = world
        .invoices()
        .update(&world.owner(), draft.id, fields)
        .await
        .unwrap_err();
    let UpdateInvoiceError::Invalid(errors) = error else {
        panic!("expected Invalid, got {error:?}");
    };
    assert_eq!(codes(&errors), ["client_id:not_found"]);
    assert_eq!(world.snapshot(), before);
}

#[tokio::test]
async fn update_with_invalid_fields_changes_nothing() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let draft = world.draft(&client).await;
    let before = world.snapshot();
    let fields = InvoiceFields {
        currency: Some("??".to_owned()),
        issue_date: Some(Some(date(2026, 4, 10))),
        due_date: Some(Some(date(2026, 4, 1))),
        ..InvoiceFields::default()
    };
    let error = world
        .invoices()
        .update(&world.owner(), draft.id, fields)
        .await
        .unwrap_err();
    let UpdateInvoiceError::Invalid(errors) = error else {
        panic!("expected Invalid, got {error:?}");
    };
    assert_eq!(
        codes(&errors),
        ["currency:invalid_currency", "due_date:before_issue_date"]
    );
    assert_eq!(world.snapshot(), before);
}

#[tokio::test]
async fn update_to_amounts_that_overflow_is_invalid() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let draft = world.draft(&client).await;
    let before = world.snapshot();
    let fields = with_lines(vec![line("Huge", "1000000000", "1000000000000", "0")]);
    let error = world
        .invoices()
        .update(&world.owner(), draft.id, fields)
        .await
        .unwrap_err();
    let UpdateInvoiceError::Invalid(errors) = error else {
        panic!("expected Invalid, got {error:?}");
    };
    assert_eq!(codes(&errors), ["lines:out_of_range"]);
    assert_eq!(world.snapshot(), before);
}
