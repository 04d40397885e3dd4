#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod delivered;
mod reminders;

use chrono::TimeDelta;

use super::*;
use crate::invoicing::invoice::Invoice;
use crate::invoicing::testing::fixtures::{World, date, email, payment, start};
use crate::kernel::money::{Currency, Money};
use crate::messaging::outbox::JobStatus;

/// A running job of the fixtures' tenant.
pub(super) fn job(world: &World, effect: Effect, key: &str) -> Job {
    Job {
        id: uuid::Uuid::from_u128(0x70b),
        tenant_id: Some(world.tenant),
        effect,
        idempotency_key: key.to_owned(),
        status: JobStatus::Running,
        attempts: 1,
        max_attempts: 8,
        run_at: start(),
        locked_until: None,
        last_error: None,
        created_at: start(),
        updated_at: start(),
    }
}

/// A finalized, sent invoice of a client with an email address.
pub(super) async fn sent_invoice(world: &World) -> Invoice {
    let client = world.add_client("Acme", Some("billing@acme.example"));
    let invoice = world.open_invoice(&client).await;
    world.invoices().send(&world.owner(), invoice.id).await.unwrap().invoice
}

fn skipped(prepared: Prepared) -> &'static str {
    match prepared {
        Prepared::Skip(reason) => reason,
        Prepared::Send(outgoing) => panic!("expected a skip, got {outgoing:?}"),
    }
}

#[tokio::test]
async fn the_invoice_email_goes_to_the_client_with_the_public_link() {
    let world = World::new();
    let invoice = sent_invoice(&world).await;
    let job = job(
        &world,
        Effect::SendInvoiceEmail { invoice_id: invoice.id },
        "invoice-email:1",
    );
    let before = world.snapshot();
    let Prepared::Send(outgoing) = world.delivery().prepare(&job).await.unwrap() else {
        panic!("expected an email");
    };
    assert_eq!(outgoing.to, email("billing@acme.example"));
    assert_eq!(outgoing.to_name, "Acme");
    assert_eq!(outgoing.from_name, "Muster GmbH");
    assert_eq!(outgoing.reply_to, Some(email("owner@muster.example")));
    assert_eq!(outgoing.message_key, "invoice-email:1");
    assert_eq!(
        outgoing.notice,
        Notice::InvoiceSent {
            invoice_number: "INV-2026-0001".to_owned(),
            total: Money::from_minor(11_900, Currency::EUR),
            due_date: Some(date(2026, 3, 24)),
            public_token: invoice.delivery.public_token.clone().unwrap(),
        }
    );
    assert_eq!(world.snapshot(), before, "preparing writes nothing");
}

#[tokio::test]
async fn a_restricted_client_still_receives_the_invoice_the_law_requires() {
    let world = World::new();
    let invoice = sent_invoice(&world).await;
    world.edit_client(invoice.content.client_id, |c| c.privacy.restricted = true);
    let job = job(&world, Effect::SendInvoiceEmail { invoice_id: invoice.id }, "k");
    assert!(matches!(
        world.delivery().prepare(&job).await.unwrap(),
        Prepared::Send(_)
    ));
}

#[tokio::test]
async fn a_job_without_a_tenant_is_skipped() {
    let world = World::new();
    let invoice = sent_invoice(&world).await;
    let mut job = job(&world, Effect::SendInvoiceEmail { invoice_id: invoice.id }, "k");
    job.tenant_id = None;
    assert_eq!(
        skipped(world.delivery().prepare(&job).await.unwrap()),
        "the job names no organization"
    );
}

#[tokio::test]
async fn other_effects_are_not_invoicings() {
    let world = World::new();
    let effect = Effect::BuildExport {
        export_id: uuid::Uuid::nil(),
    };
    let job = job(&world, effect, "k");
    assert_eq!(
        skipped(world.delivery().prepare(&job).await.unwrap()),
        "not an invoice email"
    );
}

#[tokio::test]
async fn an_email_about_a_deleted_invoice_is_skipped() {
    let world = World::new();
    let job = job(
        &world,
        Effect::SendInvoiceEmail {
            invoice_id: crate::InvoiceId::from_uuid(uuid::Uuid::nil()),
        },
        "k",
    );
    assert_eq!(
        skipped(world.delivery().prepare(&job).await.unwrap()),
        "the invoice no longer exists"
    );
}

#[tokio::test]
async fn an_email_to_a_deleted_client_is_skipped() {
    let world = World::new();
    let invoice = sent_invoice(&world).await;
    world.store.edit(|state| state.clients.clear());
    let job = job(&world, Effect::SendInvoiceEmail { invoice_id: invoice.id }, "k");
    assert_eq!(
        skipped(world.delivery().prepare(&job).await.unwrap()),
        "the client no longer exists"
    );
}

#[tokio::test]
async fn an_email_to_a_client_without_address_is_skipped() {
    let world = World::new();
    let invoice = sent_invoice(&world).await;
    world.edit_client(invoice.content.client_id, |c| c.details.email = None);
    let job = job(&world, Effect::SendInvoiceEmail { invoice_id: invoice.id }, "k");
    assert_eq!(
        skipped(world.delivery().prepare(&job).await.unwrap()),
        "the client has no email address"
    );
}

#[tokio::test]
async fn an_email_of_a_deleted_organization_is_skipped() {
    let world = World::new();
    let invoice = sent_invoice(&world).await;
    world.store.edit(|state| state.organizations.clear());
    let job = job(&world, Effect::SendInvoiceEmail { invoice_id: invoice.id }, "k");
    assert_eq!(
        skipped(world.delivery().prepare(&job).await.unwrap()),
        "the organization no longer exists"
    );
}

#[tokio::test]
async fn a_voided_invoice_is_no_longer_emailed() {
    let world = World::new();
    let invoice = sent_invoice(&world).await;
    world
        .credit_notes()
        .void(&world.owner(), invoice.id, None)
        .await
        .unwrap();
    let job = job(&world, Effect::SendInvoiceEmail { invoice_id: invoice.id }, "k");
    assert_eq!(
        skipped(world.delivery().prepare(&job).await.unwrap()),
        "the invoice is not sendable"
    );
}

#[tokio::test]
async fn a_receipt_names_the_payment_and_the_balance_left() {
    let world = World::new();
    let invoice = sent_invoice(&world).await;
    world.clock.advance(TimeDelta::days(1));
    let (paid, _) = world
        .invoices()
        .record_payment(&world.owner(), invoice.id, payment("19.00", date(2026, 3, 11)))
        .await
        .unwrap();
    let effect = Effect::SendPaymentReceipt {
        invoice_id: invoice.id,
        payment_id: paid.id,
    };
    let Prepared::Send(outgoing) = world.delivery().prepare(&job(&world, effect, "r")).await.unwrap() else {
        panic!("expected an email");
    };
    assert_eq!(
        outgoing.notice,
        Notice::PaymentReceived {
            invoice_number: "INV-2026-0001".to_owned(),
            amount: Money::from_minor(1_900, Currency::EUR),
            paid_on: date(2026, 3, 11),
            balance_due: Money::from_minor(10_000, Currency::EUR),
        }
    );
}

#[tokio::test]
async fn no_receipt_to_a_client_who_objected_to_contact() {
    let world = World::new();
    let invoice = sent_invoice(&world).await;
    let (paid, _) = world
        .invoices()
        .record_payment(&world.owner(), invoice.id, payment("19.00", date(2026, 3, 10)))
        .await
        .unwrap();
    world.edit_client(invoice.content.client_id, |c| c.privacy.objects_to_contact = true);
    let effect = Effect::SendPaymentReceipt {
        invoice_id: invoice.id,
        payment_id: paid.id,
    };
    assert_eq!(
        skipped(world.delivery().prepare(&job(&world, effect, "r")).await.unwrap()),
        "the client restricted processing or objected"
    );
}

#[tokio::test]
async fn no_receipt_for_a_payment_that_is_gone() {
    let world = World::new();
    let invoice = sent_invoice(&world).await;
    let effect = Effect::SendPaymentReceipt {
        invoice_id: invoice.id,
        payment_id: crate::PaymentId::from_uuid(uuid::Uuid::nil()),
    };
    assert_eq!(
        skipped(world.delivery().prepare(&job(&world, effect, "r")).await.unwrap()),
        "the payment no longer exists"
    );
}
