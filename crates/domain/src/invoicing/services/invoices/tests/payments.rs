use crate::InvoiceId;
use crate::invoicing::invoice::InvoiceStatus;
use crate::invoicing::invoice::payment::{PaymentMethod, PaymentRuleError};
use crate::invoicing::services::RecordPaymentError;
use crate::invoicing::testing::fixtures::{World, codes, date, payment, start};
use crate::kernel::money::{Currency, Money};
use crate::messaging::outbox::Effect;

fn eur(minor: i64) -> Money {
    Money::from_minor(minor, Currency::EUR)
}

#[tokio::test]
async fn a_partial_payment_leaves_the_invoice_partially_paid() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let invoice = world.open_invoice(&client).await;
    let mut fields = payment("19.00", date(2026, 3, 9));
    fields.reference = Some("  SEPA 42 ".to_owned());
    let (paid, view) = world
        .invoices()
        .record_payment(&world.owner(), invoice.id, fields)
        .await
        .unwrap();
    assert_eq!(paid.amount, eur(1_900));
    assert_eq!(paid.method, PaymentMethod::BankTransfer);
    assert_eq!(paid.reference.as_deref(), Some("SEPA 42"));
    assert_eq!(paid.paid_on, date(2026, 3, 9));
    assert_eq!(view.invoice.status, InvoiceStatus::PartiallyPaid);
    assert_eq!(view.invoice.amount_paid, eur(1_900));
    assert_eq!(view.invoice.balance_due(), eur(10_000));
    let state = world.snapshot();
    assert_eq!(state.payments, [paid]);
    assert_eq!(
        state.invoices[&(world.tenant, invoice.id)].status,
        InvoiceStatus::PartiallyPaid
    );
    assert!(state.jobs.is_empty(), "no receipt for an invoice never emailed");
}

#[tokio::test]
async fn payments_that_reach_the_total_settle_the_invoice() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let invoice = world.open_invoice(&client).await;
    let invoices = world.invoices();
    invoices
        .record_payment(&world.owner(), invoice.id, payment("100", date(2026, 3, 10)))
        .await
        .unwrap();
    let (_, view) = invoices
        .record_payment(&world.owner(), invoice.id, payment("19.00", date(2026, 3, 11)))
        .await
        .unwrap();
    assert_eq!(view.invoice.status, InvoiceStatus::Paid);
    assert_eq!(view.invoice.balance_due(), eur(0));
    assert_eq!(world.snapshot().payments.len(), 2);
}

#[tokio::test]
async fn a_payment_on_an_emailed_invoice_queues_a_receipt() {
    let world = World::new();
    let client = world.add_client("Acme", Some("billing@acme.example"));
    let invoice = world.open_invoice(&client).await;
    world.edit_invoice(invoice.id, |i| i.delivery.sent_at = Some(start()));
    let (paid, _) = world
        .invoices()
        .record_payment(&world.owner(), invoice.id, payment("5.00", date(2026, 3, 10)))
        .await
        .unwrap();
    let jobs = world.snapshot().jobs;
    assert_eq!(jobs.len(), 1);
    assert_eq!(
        jobs[0].effect,
        Effect::SendPaymentReceipt {
            invoice_id: invoice.id,
            payment_id: paid.id
        }
    );
    assert_eq!(jobs[0].idempotency_key, format!("payment-receipt:{}", paid.id));
}

#[tokio::test]
async fn record_payment_is_forbidden_to_an_accountant() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let invoice = world.open_invoice(&client).await;
    let before = world.snapshot();
    let error = world
        .invoices()
        .record_payment(&world.accountant(), invoice.id, payment("1.00", date(2026, 3, 10)))
        .await
        .unwrap_err();
    assert!(matches!(error, RecordPaymentError::Forbidden(_)));
    assert_eq!(world.snapshot(), before);
}

#[tokio::test]
async fn record_payment_on_an_unknown_invoice_is_not_found() {
    let world = World::new();
    let error = world
        .invoices()
        .record_payment(
            &world.owner(),
            InvoiceId::from_uuid(uuid::Uuid::nil()),
            payment("1.00", date(2026, 3, 10)),
        )
        .await
        .unwrap_err();
    assert!(matches!(error, RecordPaymentError::NotFound));
}

#[tokio::test]
async fn invalid_payment_fields_are_all_reported_and_nothing_is_recorded() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let invoice = world.open_invoice(&client).await;
    let before = world.snapshot();
    let mut fields = payment("0", date(2026, 3, 12));
    fields.method = "barter".to_owned();
    let error = world
        .invoices()
        .record_payment(&world.owner(), invoice.id, fields)
        .await
        .unwrap_err();
    let RecordPaymentError::Invalid(errors) = error else {
        panic!("expected Invalid, got {error:?}");
    };
    assert_eq!(
        codes(&errors),
        ["amount:out_of_range", "method:invalid_choice", "paid_on:in_future"]
    );
    assert_eq!(world.snapshot(), before);
}

#[tokio::test]
async fn a_payment_with_more_decimals_than_the_currency_is_invalid() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let invoice = world.open_invoice(&client).await;
    let error = world
        .invoices()
        .record_payment(&world.owner(), invoice.id, payment("1.005", date(2026, 3, 10)))
        .await
        .unwrap_err();
    let RecordPaymentError::Invalid(errors) = error else {
        panic!("expected Invalid, got {error:?}");
    };
    assert_eq!(codes(&errors), ["amount:too_many_decimals"]);
}

#[tokio::test]
async fn a_payment_dated_tomorrow_is_accepted_but_not_the_day_after() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let invoice = world.open_invoice(&client).await;
    let invoices = world.invoices();
    invoices
        .record_payment(&world.owner(), invoice.id, payment("1.00", date(2026, 3, 11)))
        .await
        .unwrap();
    let error = invoices
        .record_payment(&world.owner(), invoice.id, payment("1.00", date(2026, 3, 12)))
        .await
        .unwrap_err();
    assert!(matches!(error, RecordPaymentError::Invalid(_)));
}

#[tokio::test]
async fn a_draft_takes_no_payment() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let draft = world.draft(&client).await;
    let before = world.snapshot();
    let error = world
        .invoices()
        .record_payment(&world.owner(), draft.id, payment("1.00", date(2026, 3, 10)))
        .await
        .unwrap_err();
    assert!(matches!(
        error,
        RecordPaymentError::Rule(PaymentRuleError::NotFinalized)
    ));
    assert_eq!(world.snapshot(), before);
}

#[tokio::test]
async fn a_paid_invoice_takes_no_more_payments() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let invoice = world.open_invoice(&client).await;
    let invoices = world.invoices();
    invoices
        .record_payment(&world.owner(), invoice.id, payment("119.00", date(2026, 3, 10)))
        .await
        .unwrap();
    let before = world.snapshot();
    let error = invoices
        .record_payment(&world.owner(), invoice.id, payment("0.01", date(2026, 3, 10)))
        .await
        .unwrap_err();
    assert!(matches!(
        error,
        RecordPaymentError::Rule(PaymentRuleError::NotPayable("paid"))
    ));
    assert_eq!(world.snapshot(), before);
}

#[tokio::test]
async fn a_void_invoice_takes_no_payment() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let invoice = world.open_invoice(&client).await;
    world
        .credit_notes()
        .void(&world.owner(), invoice.id, None)
        .await
        .unwrap();
    let before = world.snapshot();
    let error = world
        .invoices()
        .record_payment(&world.owner(), invoice.id, payment("1.00", date(2026, 3, 10)))
        .await
        .unwrap_err();
    assert!(matches!(
        error,
        RecordPaymentError::Rule(PaymentRuleError::NotPayable("void"))
    ));
    assert_eq!(world.snapshot(), before);
}

#[tokio::test]
async fn an_overpayment_is_refused_with_the_balance_due() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let invoice = world.open_invoice(&client).await;
    let invoices = world.invoices();
    invoices
        .record_payment(&world.owner(), invoice.id, payment("100.00", date(2026, 3, 10)))
        .await
        .unwrap();
    let before = world.snapshot();
    let error = invoices
        .record_payment(&world.owner(), invoice.id, payment("19.01", date(2026, 3, 10)))
        .await
        .unwrap_err();
    let RecordPaymentError::Rule(PaymentRuleError::Overpayment { amount, balance_due }) = error else {
        panic!("expected Overpayment, got {error:?}");
    };
    assert_eq!((amount, balance_due), (eur(1_901), eur(1_900)));
    assert_eq!(world.snapshot(), before);
}

#[tokio::test]
async fn a_payment_is_taken_in_the_invoice_currency() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    world.edit_client(client.id, |c| {
        c.details.currency = Some(Currency::parse("JPY").unwrap())
    });
    let fields = World::fields(
        &client,
        vec![crate::invoicing::testing::fixtures::line("A", "1", "1000", "0")],
    );
    let draft = world.invoices().create(&world.owner(), fields).await.unwrap().invoice;
    world.invoices().finalize(&world.owner(), draft.id).await.unwrap();
    let error = world
        .invoices()
        .record_payment(&world.owner(), draft.id, payment("10.50", date(2026, 3, 10)))
        .await
        .unwrap_err();
    let RecordPaymentError::Invalid(errors) = error else {
        panic!("expected Invalid, got {error:?}");
    };
    assert_eq!(codes(&errors), ["amount:too_many_decimals"]);
    let (paid, _) = world
        .invoices()
        .record_payment(&world.owner(), draft.id, payment("10", date(2026, 3, 10)))
        .await
        .unwrap();
    assert_eq!(paid.amount.currency().code(), "JPY");
    assert_eq!(paid.amount.minor(), 10);
}
