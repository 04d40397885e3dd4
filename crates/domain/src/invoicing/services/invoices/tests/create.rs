use crate::ClientId;
use crate::access::user::Role;
use crate::invoicing::invoice::{InvoiceFields, InvoiceStatus};
use crate::invoicing::services::CreateInvoiceError;
use crate::invoicing::testing::fixtures::{World, codes, line, start};
use crate::kernel::money::{Currency, Money};

fn invalid(error: CreateInvoiceError) -> Vec<String> {
    match error {
        CreateInvoiceError::Invalid(errors) => codes(&errors),
        other => panic!("expected Invalid, got {other:?}"),
    }
}

#[tokio::test]
async fn create_stores_a_draft_with_its_totals() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let fields = World::fields(
        &client,
        vec![
            line("Consulting", "2", "50.00", "19"),
            line("Travel", "1", "30.00", "7"),
        ],
    );
    let view = world
        .invoices()
        .create(&world.as_role(Role::Member), fields)
        .await
        .unwrap();
    let invoice = &view.invoice;
    assert!(!view.overdue);
    assert_eq!(invoice.status, InvoiceStatus::Draft);
    assert_eq!(invoice.number, None);
    assert_eq!(invoice.content.currency, Currency::EUR);
    assert_eq!(invoice.totals().subtotal, Money::from_minor(13_000, Currency::EUR));
    assert_eq!(invoice.totals().tax_total, Money::from_minor(2_110, Currency::EUR));
    assert_eq!(invoice.totals().total, Money::from_minor(15_110, Currency::EUR));
    assert_eq!(invoice.amount_paid, Money::zero(Currency::EUR));
    assert_eq!(invoice.created_at, start());
    let state = world.snapshot();
    assert_eq!(state.invoices.get(&(world.tenant, invoice.id)), Some(invoice));
    assert_eq!(state.commits, 1);
    assert!(state.counters.is_empty(), "a draft takes no number");
}

#[tokio::test]
async fn create_takes_the_clients_currency_when_none_is_given() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    world.edit_client(client.id, |c| {
        c.details.currency = Some(Currency::parse("CHF").unwrap())
    });
    let view = world
        .invoices()
        .create(
            &world.owner(),
            World::fields(&client, vec![line("A", "1", "1.00", "0")]),
        )
        .await
        .unwrap();
    assert_eq!(view.invoice.content.currency.code(), "CHF");
}

#[tokio::test]
async fn create_keeps_an_explicit_currency_over_the_clients() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    world.edit_client(client.id, |c| {
        c.details.currency = Some(Currency::parse("CHF").unwrap())
    });
    let fields = InvoiceFields {
        currency: Some("USD".to_owned()),
        ..World::fields(&client, vec![line("A", "1", "1.00", "0")])
    };
    let view = world.invoices().create(&world.owner(), fields).await.unwrap();
    assert_eq!(view.invoice.content.currency.code(), "USD");
}

#[tokio::test]
async fn create_is_forbidden_to_an_accountant() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let before = world.snapshot();
    let error = world
        .invoices()
        .create(&world.accountant(), World::fields(&client, vec![]))
        .await
        .unwrap_err();
    assert!(matches!(error, CreateInvoiceError::Forbidden(_)));
    assert_eq!(world.snapshot(), before);
}

#[tokio::test]
async fn create_for_an_unknown_client_is_invalid() {
    let world = World::new();
    let before = world.snapshot();
    let fields = InvoiceFields {
        client_id: Some(ClientId::from_uuid(uuid::Uuid::nil())),
        ..InvoiceFields::default()
    };
    let error = world.invoices().create(&world.owner(), fields).await.unwrap_err();
    assert_eq!(invalid(error), ["client_id:not_found"]);
    assert_eq!(world.snapshot(), before);
}

#[tokio::test]
async fn create_for_another_tenants_client_is_invalid() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let stranger = world.stranger();
    let before = world.snapshot();
    let error = world
        .invoices()
        .create(&stranger, World::fields(&client, vec![line("A", "1", "1.00", "0")]))
        .await
        .unwrap_err();
    assert_eq!(invalid(error), ["client_id:not_found"]);
    assert_eq!(world.snapshot(), before);
}

#[tokio::test]
async fn create_without_client_or_currency_names_both() {
    let world = World::new();
    let error = world
        .invoices()
        .create(&world.owner(), InvoiceFields::default())
        .await
        .unwrap_err();
    assert_eq!(invalid(error), ["client_id:required", "currency:required"]);
    assert!(world.snapshot().invoices.is_empty());
}

#[tokio::test]
async fn create_with_an_invalid_line_names_the_line_field() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let fields = World::fields(
        &client,
        vec![line("Fine", "1", "1.00", "0"), line("Bad", "0", "1.00", "101")],
    );
    let error = world.invoices().create(&world.owner(), fields).await.unwrap_err();
    assert_eq!(
        invalid(error),
        ["lines[1].quantity:out_of_range", "lines[1].tax_rate:out_of_range"]
    );
    assert!(world.snapshot().invoices.is_empty());
}

#[tokio::test]
async fn create_with_both_due_date_and_terms_is_a_conflict() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let fields = InvoiceFields {
        due_date: Some(Some(crate::invoicing::testing::fixtures::date(2026, 4, 1))),
        payment_terms_days: Some(Some(30)),
        ..World::fields(&client, vec![line("A", "1", "1.00", "0")])
    };
    let error = world.invoices().create(&world.owner(), fields).await.unwrap_err();
    assert_eq!(invalid(error), ["due_date:conflict"]);
}

#[tokio::test]
async fn create_with_an_unknown_currency_is_invalid() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let fields = InvoiceFields {
        currency: Some("EURO".to_owned()),
        ..World::fields(&client, vec![line("A", "1", "1.00", "0")])
    };
    let error = world.invoices().create(&world.owner(), fields).await.unwrap_err();
    assert_eq!(invalid(error), ["currency:invalid_currency"]);
}

#[tokio::test]
async fn create_with_amounts_that_overflow_is_invalid() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let fields = World::fields(&client, vec![line("Huge", "1000000000", "1000000000000", "0")]);
    let error = world.invoices().create(&world.owner(), fields).await.unwrap_err();
    assert_eq!(invalid(error), ["lines:out_of_range"]);
    assert!(world.snapshot().invoices.is_empty());
}
