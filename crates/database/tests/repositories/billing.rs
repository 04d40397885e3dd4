//! The billing repositories on both backends: the webhook inbox (stored
//! once, settled once), checkout records and waiting refunds, subscriptions
//! and billing records, connected accounts, and card payments and refunds
//! on the invoicing tables, idempotent by reference and tenant-isolated;
//! the operator's billing records kept through a tenant purge until swept.

use chrono::NaiveDate;
use fakturo_database::SqlStore;
use fakturo_domain::billing::PlanId;
use fakturo_domain::billing::gateway::StripeConnection;
use fakturo_domain::billing::ports::{BillingStore, OnlinePayment, OnlineRefund, PaymentOutcome};
use fakturo_domain::billing::records::{BillingTransaction, CheckoutRecord, CheckoutStatus, PendingRefund};
use fakturo_domain::billing::subscription::{Subscription, SubscriptionStatus};
use fakturo_domain::billing::webhook::{InboxEntry, InboxKey, InboxState, WebhookAccount, WebhookProvider};
use fakturo_domain::invoicing::invoice::InvoiceStatus;
use fakturo_domain::kernel::money::{Currency, Money};
use fakturo_domain::kernel::repository::RepositoryError;
use fakturo_domain::{InvoiceId, TenantId};

use crate::{at, id, seeded, worked_example};

on_both_backends!(
    the_inbox_stores_an_event_once_and_settles_it_once,
    checkout_records_and_pending_refunds_round_trip_per_tenant,
    subscriptions_and_billing_records_round_trip,
    card_payments_and_refunds_are_recorded_once_by_reference,
    billing_records_outlive_the_tenant_purge_until_their_period_ends,
);

fn entry(account: WebhookAccount, event_id: &str) -> InboxEntry {
    InboxEntry {
        key: InboxKey {
            provider: WebhookProvider::Stripe,
            account,
            event_id: event_id.to_owned(),
        },
        event_type: "checkout.session.completed".to_owned(),
        raw_body: b"{\"id\":\"evt_1\"}\x00\xff".to_vec(),
        received_at: at(5),
        state: InboxState::Received,
        settled_at: None,
    }
}

async fn the_inbox_stores_an_event_once_and_settles_it_once(store: SqlStore) {
    let tenant = TenantId::from_uuid(id());
    let first = entry(WebhookAccount::Tenant(tenant), "evt_1");
    let unit = BillingStore::begin(&store).await.unwrap();
    assert!(unit.inbox().insert(&first).await.unwrap());
    assert!(
        !unit.inbox().insert(&first).await.unwrap(),
        "the same key is stored once"
    );
    let operator = entry(WebhookAccount::Operator, "evt_1");
    assert!(
        unit.inbox().insert(&operator).await.unwrap(),
        "another account is another key"
    );
    unit.commit().await.unwrap();

    let unit = BillingStore::begin(&store).await.unwrap();
    assert_eq!(unit.inbox().get(&first.key).await.unwrap(), Some(first.clone()));
    assert_eq!(unit.inbox().received(10).await.unwrap().len(), 2);
    let parked = InboxState::Parked {
        reason: "the tenant has no such invoice".to_owned(),
    };
    unit.inbox().settle(&first.key, &parked, at(6)).await.unwrap();
    assert!(matches!(
        unit.inbox().settle(&first.key, &InboxState::Processed, at(6)).await,
        Err(RepositoryError::Conflict)
    ));
    drop(unit);
    let unit = BillingStore::begin(&store).await.unwrap();
    unit.inbox().settle(&first.key, &parked, at(6)).await.unwrap();
    unit.commit().await.unwrap();
    let unit = BillingStore::begin(&store).await.unwrap();
    let stored = unit.inbox().get(&first.key).await.unwrap().unwrap();
    assert_eq!(stored.state, parked);
    assert_eq!(stored.settled_at, Some(at(6)));
    assert_eq!(unit.inbox().received(10).await.unwrap(), vec![operator.key]);
}

async fn checkout_records_and_pending_refunds_round_trip_per_tenant(store: SqlStore) {
    let (tenant, other) = (TenantId::from_uuid(id()), TenantId::from_uuid(id()));
    let mut record = CheckoutRecord {
        tenant,
        invoice: InvoiceId::from_uuid(id()),
        session_id: "cs_test_1".to_owned(),
        payment_intent: None,
        amount_minor: 5000,
        currency: "EUR".to_owned(),
        status: CheckoutStatus::Open,
        refunded_minor: 0,
        created_at: at(1),
        updated_at: at(1),
    };
    let unit = BillingStore::begin(&store).await.unwrap();
    unit.checkouts().save(&record).await.unwrap();
    record.payment_intent = Some("pi_1".to_owned());
    record.status = CheckoutStatus::Paid;
    record.updated_at = at(2);
    unit.checkouts().save(&record).await.unwrap();
    assert_eq!(
        unit.checkouts().by_session(tenant, "cs_test_1").await.unwrap(),
        Some(record.clone())
    );
    assert_eq!(unit.checkouts().by_session(other, "cs_test_1").await.unwrap(), None);
    assert_eq!(
        unit.checkouts().by_payment_intent(tenant, "pi_1").await.unwrap(),
        Some(record.clone())
    );
    assert_eq!(unit.checkouts().by_payment_intent(other, "pi_1").await.unwrap(), None);
    assert!(unit.checkouts().open_before(at(9), 10).await.unwrap().is_empty());
    let mut open = record.clone();
    open.session_id = "cs_test_2".to_owned();
    open.status = CheckoutStatus::Open;
    unit.checkouts().save(&open).await.unwrap();
    assert_eq!(unit.checkouts().open_before(at(9), 10).await.unwrap(), vec![open]);
    assert!(unit.checkouts().open_before(at(1), 10).await.unwrap().is_empty());

    let refund = PendingRefund {
        tenant,
        payment_intent: "pi_2".to_owned(),
        charge_id: "ch_2".to_owned(),
        amount_refunded_minor: 100,
        currency: "EUR".to_owned(),
    };
    unit.checkouts().save_pending_refund(&refund).await.unwrap();
    unit.checkouts()
        .save_pending_refund(&PendingRefund {
            amount_refunded_minor: 300,
            ..refund.clone()
        })
        .await
        .unwrap();
    let found = unit.checkouts().pending_refund(tenant, "pi_2").await.unwrap().unwrap();
    assert_eq!(found.amount_refunded_minor, 300);
    assert_eq!(unit.checkouts().pending_refund(other, "pi_2").await.unwrap(), None);
    unit.checkouts().remove_pending_refund(tenant, "pi_2").await.unwrap();
    assert_eq!(unit.checkouts().pending_refund(tenant, "pi_2").await.unwrap(), None);

    let connection = StripeConnection {
        tenant,
        account_id: "acct_1".to_owned(),
        endpoint_id: "we_1".to_owned(),
        endpoint_status: "enabled".to_owned(),
        connected_at: at(3),
    };
    unit.connections().save(&connection).await.unwrap();
    assert_eq!(unit.connections().get(tenant).await.unwrap(), Some(connection));
    assert_eq!(unit.connections().get(other).await.unwrap(), None);
    assert!(unit.connections().remove(tenant).await.unwrap());
    assert!(!unit.connections().remove(tenant).await.unwrap());
    unit.commit().await.unwrap();
}

async fn subscriptions_and_billing_records_round_trip(store: SqlStore) {
    let tenant = TenantId::from_uuid(id());
    let mut subscription = Subscription {
        tenant,
        provider: WebhookProvider::Paddle,
        subscription_id: "sub_01".to_owned(),
        customer_id: Some("ctm_01".to_owned()),
        plan: Some(PlanId("starter".to_owned())),
        status: SubscriptionStatus::Trialing,
        current_period_end: Some(at(20)),
        cancel_at: None,
        ordering_key: at(2),
    };
    let unit = BillingStore::begin(&store).await.unwrap();
    unit.subscriptions().save(&subscription).await.unwrap();
    subscription.status = SubscriptionStatus::PastDue;
    subscription.cancel_at = Some(at(25));
    subscription.ordering_key = at(3);
    unit.subscriptions().save(&subscription).await.unwrap();
    assert_eq!(
        unit.subscriptions().get(tenant).await.unwrap(),
        Some(subscription.clone())
    );
    assert_eq!(
        unit.subscriptions()
            .by_provider_id(WebhookProvider::Paddle, "sub_01")
            .await
            .unwrap(),
        Some(subscription)
    );
    assert_eq!(
        unit.subscriptions()
            .by_provider_id(WebhookProvider::Stripe, "sub_01")
            .await
            .unwrap(),
        None
    );
    let charge = BillingTransaction {
        tenant,
        provider: WebhookProvider::Paddle,
        provider_reference: "txn_01".to_owned(),
        amount_minor: 1900,
        currency: "EUR".to_owned(),
        status: "billed".to_owned(),
        occurred_at: at(4),
        invoice_url: None,
    };
    unit.transactions().record(&charge).await.unwrap();
    let completed = BillingTransaction {
        status: "completed".to_owned(),
        invoice_url: Some("https://paddle.example/invoice.pdf".to_owned()),
        ..charge.clone()
    };
    unit.transactions().record(&completed).await.unwrap();
    let refund = BillingTransaction {
        provider_reference: "adj_01".to_owned(),
        amount_minor: -1900,
        occurred_at: at(5),
        ..charge
    };
    unit.transactions().record(&refund).await.unwrap();
    assert_eq!(
        unit.transactions().list(tenant, 10).await.unwrap(),
        vec![refund, completed]
    );
    assert!(
        unit.transactions()
            .list(TenantId::from_uuid(id()), 10)
            .await
            .unwrap()
            .is_empty()
    );
    unit.commit().await.unwrap();
}

async fn card_payments_and_refunds_are_recorded_once_by_reference(store: SqlStore) {
    let (org, c) = seeded(&store).await;
    let uow = store.begin().await.unwrap();
    let draft = worked_example(org.id, c.id);
    uow.invoices().insert(&draft).await.unwrap();
    let dates = draft
        .finalization_dates(NaiveDate::from_ymd_opt(2026, 11, 4).unwrap(), 14)
        .unwrap();
    let mut invoice = draft.clone();
    invoice.mark_finalized("INV-2026-0001".into(), dates, at(4));
    uow.invoices().save_finalized(&invoice).await.unwrap();
    uow.commit().await.unwrap();
    let total = invoice.totals().total;
    let eur = Currency::parse("EUR").unwrap();

    let payment = OnlinePayment {
        reference: "pi_1".to_owned(),
        amount: total,
        received_at: at(6),
    };
    let stranger = TenantId::from_uuid(id());
    let unit = BillingStore::begin(&store).await.unwrap();
    let payments = unit.invoice_payments();
    assert_eq!(
        payments
            .record_card_payment(stranger, invoice.id, &payment)
            .await
            .unwrap(),
        PaymentOutcome::InvoiceNotFound,
        "a foreign tenant behaves like a missing invoice"
    );
    assert_eq!(
        payments
            .record_card_payment(org.id, invoice.id, &payment)
            .await
            .unwrap(),
        PaymentOutcome::Recorded
    );
    assert_eq!(
        payments
            .record_card_payment(org.id, invoice.id, &payment)
            .await
            .unwrap(),
        PaymentOutcome::AlreadyRecorded
    );
    unit.commit().await.unwrap();
    let uow = store.begin().await.unwrap();
    let paid = uow.invoices().get(org.id, invoice.id).await.unwrap().unwrap();
    assert_eq!(paid.status, InvoiceStatus::Paid);
    assert_eq!(paid.amount_paid, total);
    drop(uow);

    let refund = |reference: &str, minor: i64| OnlineRefund {
        payment_reference: "pi_1".to_owned(),
        refund_reference: reference.to_owned(),
        amount: Money::from_minor(minor, eur),
        refunded_at: at(7),
    };
    let unit = BillingStore::begin(&store).await.unwrap();
    let payments = unit.invoice_payments();
    assert_eq!(
        payments
            .record_refund(org.id, invoice.id, &refund("ch_1:100", 100))
            .await
            .unwrap(),
        PaymentOutcome::Recorded
    );
    assert_eq!(
        payments
            .record_refund(org.id, invoice.id, &refund("ch_1:100", 100))
            .await
            .unwrap(),
        PaymentOutcome::AlreadyRecorded
    );
    assert!(matches!(
        payments
            .record_refund(org.id, invoice.id, &refund("ch_1:too-much", total.minor()))
            .await
            .unwrap(),
        PaymentOutcome::Refused(_)
    ));
    unit.commit().await.unwrap();
    let uow = store.begin().await.unwrap();
    let partly = uow.invoices().get(org.id, invoice.id).await.unwrap().unwrap();
    assert_eq!(partly.status, InvoiceStatus::PartiallyPaid);
    assert_eq!(partly.amount_paid.minor(), total.minor() - 100);
    drop(uow);

    let unit = BillingStore::begin(&store).await.unwrap();
    let rest = refund("ch_1:all", total.minor() - 100);
    assert_eq!(
        unit.invoice_payments()
            .record_refund(org.id, invoice.id, &rest)
            .await
            .unwrap(),
        PaymentOutcome::Recorded
    );
    unit.commit().await.unwrap();
    let uow = store.begin().await.unwrap();
    let open = uow.invoices().get(org.id, invoice.id).await.unwrap().unwrap();
    assert_eq!(open.status, InvoiceStatus::Open);
    assert_eq!(open.amount_paid.minor(), 0);
}

async fn billing_records_outlive_the_tenant_purge_until_their_period_ends(store: SqlStore) {
    use fakturo_domain::privacy::ports::{Expiry, RetentionRepository};
    let (org, _) = seeded(&store).await;
    let subscription = Subscription {
        tenant: org.id,
        provider: WebhookProvider::Stripe,
        subscription_id: "sub_purge".to_owned(),
        customer_id: Some("cus_purge".to_owned()),
        plan: None,
        status: SubscriptionStatus::Canceled,
        current_period_end: None,
        cancel_at: None,
        ordering_key: at(2),
    };
    let charge = BillingTransaction {
        tenant: org.id,
        provider: WebhookProvider::Stripe,
        provider_reference: "in_purge".to_owned(),
        amount_minor: 1900,
        currency: "EUR".to_owned(),
        status: "paid".to_owned(),
        occurred_at: at(2),
        invoice_url: None,
    };
    let unit = BillingStore::begin(&store).await.unwrap();
    unit.subscriptions().save(&subscription).await.unwrap();
    unit.transactions().record(&charge).await.unwrap();
    unit.inbox()
        .insert(&entry(WebhookAccount::Tenant(org.id), "evt_purge"))
        .await
        .unwrap();
    unit.commit().await.unwrap();

    let uow = store.begin().await.unwrap();
    let deleted = uow.purge_tenant(org.id, None, at(9)).await.unwrap();
    assert_eq!(
        deleted.get("webhook_inbox"),
        Some(&1),
        "technical records go with the tenant"
    );
    assert!(!deleted.contains_key("subscriptions") && !deleted.contains_key("billing_transactions"));
    let counts = uow.count_tenant_rows(org.id).await.unwrap();
    assert_eq!(
        (counts["subscriptions"], counts["billing_transactions"]),
        (1, 1),
        "kept through the purge"
    );
    // Before the end of their period nothing goes; after it, everything does.
    assert_eq!(uow.count_expired(Expiry::BillingRecords, at(1)).await.unwrap(), 0);
    assert_eq!(uow.delete_expired(Expiry::BillingRecords, at(3)).await.unwrap(), 2);
    let counts = uow.count_tenant_rows(org.id).await.unwrap();
    assert_eq!((counts["subscriptions"], counts["billing_transactions"]), (0, 0));
    uow.commit().await.unwrap();
}
