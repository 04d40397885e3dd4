use chrono::{TimeZone, Utc};

use crate::InvoiceId;
use crate::invoicing::invoice::{Buyer, InvoiceFields, InvoiceStatus};
use crate::invoicing::services::FinalizeInvoiceError;
use crate::invoicing::testing::fixtures::{World, codes, date, line, start};
use crate::kernel::numbering::NumberPattern;

#[tokio::test]
async fn finalize_numbers_dates_and_freezes_the_draft() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    world.edit_client(client.id, |c| c.details.address = Some("Hauptstr. 1".to_owned()));
    let draft = world.draft(&client).await;
    let view = world.invoices().finalize(&world.owner(), draft.id).await.unwrap();
    let invoice = view.invoice;
    assert_eq!(invoice.number.as_deref(), Some("INV-2026-0001"));
    assert_eq!(invoice.status, InvoiceStatus::Open);
    assert_eq!(invoice.content.issue_date, Some(date(2026, 3, 10)));
    assert_eq!(invoice.content.due_date, Some(date(2026, 3, 24)));
    assert_eq!(invoice.finalized_at, Some(start()));
    assert_eq!(
        invoice.buyer,
        Some(Buyer {
            name: "Acme".to_owned(),
            address: Some("Hauptstr. 1".to_owned()),
            country: None,
            tax_id: None,
        })
    );
    let state = world.snapshot();
    assert_eq!(state.invoices.get(&(world.tenant, draft.id)), Some(&invoice));
    assert_eq!(
        state.counters.get(&(world.tenant, "INV-2026-#".to_owned())).copied(),
        Some(1)
    );
}

#[tokio::test]
async fn finalize_takes_consecutive_numbers() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let first = world.open_invoice(&client).await;
    let second = world.open_invoice(&client).await;
    assert_eq!(first.number.as_deref(), Some("INV-2026-0001"));
    assert_eq!(second.number.as_deref(), Some("INV-2026-0002"));
}

#[tokio::test]
async fn finalize_reckons_today_in_the_organizations_time_zone() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let draft = world.draft(&client).await;
    // 23:30 UTC on 31 December is already New Year's Day in Berlin.
    world.clock.set(Utc.with_ymd_and_hms(2026, 12, 31, 23, 30, 0).unwrap());
    let invoice = world
        .invoices()
        .finalize(&world.owner(), draft.id)
        .await
        .unwrap()
        .invoice;
    assert_eq!(invoice.content.issue_date, Some(date(2027, 1, 1)));
    assert_eq!(invoice.number.as_deref(), Some("INV-2027-0001"));
}

#[tokio::test]
async fn finalize_keeps_given_dates_and_uses_the_terms() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let fields = InvoiceFields {
        issue_date: Some(Some(date(2026, 3, 1))),
        payment_terms_days: Some(Some(30)),
        ..World::fields(&client, vec![line("A", "1", "10.00", "0")])
    };
    let draft = world.invoices().create(&world.owner(), fields).await.unwrap().invoice;
    let invoice = world
        .invoices()
        .finalize(&world.owner(), draft.id)
        .await
        .unwrap()
        .invoice;
    assert_eq!(invoice.content.issue_date, Some(date(2026, 3, 1)));
    assert_eq!(invoice.content.due_date, Some(date(2026, 3, 31)));
}

#[tokio::test]
async fn a_zero_invoice_is_paid_on_issue() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let fields = World::fields(&client, vec![line("Free", "1", "0", "19")]);
    let draft = world.invoices().create(&world.owner(), fields).await.unwrap().invoice;
    let invoice = world
        .invoices()
        .finalize(&world.owner(), draft.id)
        .await
        .unwrap()
        .invoice;
    assert_eq!(invoice.status, InvoiceStatus::Paid);
}

#[tokio::test]
async fn finalize_is_forbidden_to_an_accountant() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let draft = world.draft(&client).await;
    let before = world.snapshot();
    let error = world
        .invoices()
        .finalize(&world.accountant(), draft.id)
        .await
        .unwrap_err();
    assert!(matches!(error, FinalizeInvoiceError::Forbidden(_)));
    assert_eq!(world.snapshot(), before);
}

#[tokio::test]
async fn finalize_of_an_unknown_invoice_is_not_found() {
    let world = World::new();
    let error = world
        .invoices()
        .finalize(&world.owner(), InvoiceId::from_uuid(uuid::Uuid::nil()))
        .await
        .unwrap_err();
    assert!(matches!(error, FinalizeInvoiceError::NotFound));
}

#[tokio::test]
async fn finalize_of_another_tenants_draft_is_not_found() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let draft = world.draft(&client).await;
    let before = world.snapshot();
    let error = world
        .invoices()
        .finalize(&world.stranger(), draft.id)
        .await
        .unwrap_err();
    assert!(matches!(error, FinalizeInvoiceError::NotFound));
    assert_eq!(world.snapshot().invoices, before.invoices);
}

#[tokio::test]
async fn finalizing_twice_is_refused_without_taking_a_number() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let invoice = world.open_invoice(&client).await;
    let before = world.snapshot();
    let error = world.invoices().finalize(&world.owner(), invoice.id).await.unwrap_err();
    assert!(matches!(error, FinalizeInvoiceError::NotDraft));
    assert_eq!(world.snapshot(), before);
}

#[tokio::test]
async fn finalize_of_a_draft_without_lines_is_incomplete_and_uses_no_number() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let draft = world
        .invoices()
        .create(&world.owner(), World::fields(&client, vec![]))
        .await
        .unwrap();
    let before = world.snapshot();
    let error = world
        .invoices()
        .finalize(&world.owner(), draft.invoice.id)
        .await
        .unwrap_err();
    let FinalizeInvoiceError::Incomplete(errors) = error else {
        panic!("expected Incomplete, got {error:?}");
    };
    assert_eq!(codes(&errors), ["lines:required"]);
    assert_eq!(world.snapshot(), before);
    assert!(before.counters.is_empty());
}

#[tokio::test]
async fn finalize_of_a_negative_total_is_incomplete() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let fields = World::fields(&client, vec![line("Refund", "1", "-10.00", "0")]);
    let draft = world.invoices().create(&world.owner(), fields).await.unwrap().invoice;
    let before = world.snapshot();
    let error = world.invoices().finalize(&world.owner(), draft.id).await.unwrap_err();
    let FinalizeInvoiceError::Incomplete(errors) = error else {
        panic!("expected Incomplete, got {error:?}");
    };
    assert_eq!(codes(&errors), ["lines:negative_total"]);
    assert_eq!(world.snapshot(), before);
}

#[tokio::test]
async fn finalize_after_the_due_date_is_incomplete() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let fields = InvoiceFields {
        due_date: Some(Some(date(2026, 3, 1))),
        ..World::fields(&client, vec![line("A", "1", "10.00", "0")])
    };
    let draft = world.invoices().create(&world.owner(), fields).await.unwrap().invoice;
    let before = world.snapshot();
    let error = world.invoices().finalize(&world.owner(), draft.id).await.unwrap_err();
    let FinalizeInvoiceError::Incomplete(errors) = error else {
        panic!("expected Incomplete, got {error:?}");
    };
    assert_eq!(codes(&errors), ["due_date:before_issue_date"]);
    assert_eq!(world.snapshot(), before);
}

#[tokio::test]
async fn finalize_onto_a_taken_number_is_refused_and_returns_the_number() {
    let mut world = World::new();
    let client = world.add_client("Acme", None);
    world.edit_org(|org| org.invoice_number_pattern = NumberPattern::parse("A{SEQ:2}").unwrap());
    let first = world.open_invoice(&client).await;
    assert_eq!(first.number.as_deref(), Some("A01"));
    // A new series whose first number renders like one of the old series.
    world.edit_org(|org| org.invoice_number_pattern = NumberPattern::parse("A0{SEQ:1}").unwrap());
    let draft = world.draft(&client).await;
    let before = world.snapshot();
    let error = world.invoices().finalize(&world.owner(), draft.id).await.unwrap_err();
    let FinalizeInvoiceError::NumberTaken(number) = error else {
        panic!("expected NumberTaken, got {error:?}");
    };
    assert_eq!(number, "A01");
    assert_eq!(world.snapshot(), before, "the new series' counter is rolled back");
}

#[tokio::test]
async fn a_monthly_cap_counts_the_months_finalized_invoices_and_keeps_the_draft() {
    use crate::invoicing::services::MonthlyCap;
    let world = World::new();
    let client = world.add_client("Acme", None);
    world.open_invoice(&client).await;
    world.open_invoice(&client).await;
    let cap = MonthlyCap {
        limit: 3,
        month_start: start(),
    };
    let third = world.draft(&client).await;
    let passed = world
        .invoices()
        .finalize_within(&world.owner(), third.id, Some(cap))
        .await
        .unwrap();
    assert_eq!(passed.invoice.number.as_deref(), Some("INV-2026-0003"));

    let fourth = world.draft(&client).await;
    let refused = world
        .invoices()
        .finalize_within(&world.owner(), fourth.id, Some(cap))
        .await;
    assert!(matches!(
        refused,
        Err(FinalizeInvoiceError::MonthlyCapReached { limit: 3 })
    ));
    let kept = world.invoices().get(&world.owner(), fourth.id).await.unwrap();
    assert_eq!(kept.invoice.status, InvoiceStatus::Draft, "nothing written");

    // A new month counts afresh, and the refused attempt used up no number.
    let next_month = MonthlyCap {
        month_start: start() + chrono::TimeDelta::days(1),
        ..cap
    };
    let later = world
        .invoices()
        .finalize_within(&world.owner(), fourth.id, Some(next_month))
        .await
        .unwrap();
    assert_eq!(later.invoice.number.as_deref(), Some("INV-2026-0004"));
}
