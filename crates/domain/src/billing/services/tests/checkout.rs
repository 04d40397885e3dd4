//! Online checkout and the reconcile task.

use std::sync::Arc;

use chrono::TimeDelta;

use super::support::*;
use crate::billing::gateway::{BillingApiError, InvoiceCheckout, SessionStatus};
use crate::billing::records::CheckoutStatus;
use crate::billing::services::{CheckoutReconciler, OnlineCheckout, OpenCheckoutError, checkout_idempotency_key};
use crate::billing::testing::MemoryBillingStore;
use crate::kernel::ManualClock;
use crate::kernel::repository::RepositoryError;
use crate::kernel::secrets::RevealedSecret;

fn request(amount_minor: i64) -> InvoiceCheckout {
    InvoiceCheckout {
        tenant: tenant(1),
        invoice: invoice(1),
        description: "Invoice 2026-0001".to_owned(),
        amount_minor,
        currency: "EUR".to_owned(),
        success_url: "https://fakturo.example/i/t?paid=1".to_owned(),
        cancel_url: "https://fakturo.example/i/t".to_owned(),
        idempotency_key: checkout_idempotency_key(invoice(1), amount_minor, "EUR"),
    }
}

fn key() -> RevealedSecret {
    RevealedSecret::new("sk_test".to_owned())
}

#[test]
fn the_idempotency_key_follows_invoice_and_balance() {
    let key = checkout_idempotency_key(invoice(1), 5000, "EUR");
    assert_eq!(key, checkout_idempotency_key(invoice(1), 5000, "eur"));
    assert_ne!(key, checkout_idempotency_key(invoice(1), 4000, "EUR"));
    assert_ne!(key, checkout_idempotency_key(invoice(2), 5000, "EUR"));
}

#[tokio::test]
async fn opening_a_checkout_keeps_its_record() {
    let store = MemoryBillingStore::new();
    let gateway = Arc::new(FakeGateway::default());
    let service = OnlineCheckout::new(
        Arc::new(store.clone()),
        gateway.clone(),
        Arc::new(ManualClock::new(start())),
    );
    let session = service.open(&key(), &request(5000)).await.unwrap();
    service.open(&key(), &request(5000)).await.unwrap();
    assert_eq!(session.id, "cs_1");
    let state = store.snapshot();
    assert_eq!(state.checkouts.len(), 1);
    assert_eq!(
        state.checkouts[&(tenant(1), "cs_1".to_owned())].status,
        CheckoutStatus::Open
    );
    assert_eq!(
        gateway.created.lock().unwrap()[0].idempotency_key,
        request(5000).idempotency_key
    );
}

#[tokio::test]
async fn opening_a_checkout_fails_with_each_error() {
    let gateway = Arc::new(FakeGateway::default());
    let clock = Arc::new(ManualClock::new(start()));
    let service = OnlineCheckout::new(Arc::new(MemoryBillingStore::new()), gateway.clone(), clock.clone());
    assert!(matches!(
        service.open(&key(), &request(0)).await,
        Err(OpenCheckoutError::NothingDue)
    ));
    *gateway.down.lock().unwrap() = true;
    let down = service.open(&key(), &request(5000)).await;
    assert!(matches!(
        down,
        Err(OpenCheckoutError::Provider(BillingApiError::Unavailable))
    ));
    *gateway.down.lock().unwrap() = false;
    let broken = FlakyStore {
        inner: MemoryBillingStore::new(),
        begin_fails: true,
        commit_error: || RepositoryError::Conflict,
    };
    let service = OnlineCheckout::new(Arc::new(broken), gateway, clock);
    assert!(matches!(
        service.open(&key(), &request(5000)).await,
        Err(OpenCheckoutError::Unexpected(_))
    ));
}

#[tokio::test]
async fn reconcile_applies_what_stripe_says_about_sessions_open_for_an_hour() {
    let store = MemoryBillingStore::new();
    store.add_invoice(tenant(1), invoice(1), "EUR");
    let gateway = Arc::new(FakeGateway::default());
    let clock = Arc::new(ManualClock::new(start()));
    let opener = OnlineCheckout::new(Arc::new(store.clone()), gateway.clone(), clock.clone());
    opener.open(&key(), &request(5000)).await.unwrap();
    let reconciler = CheckoutReconciler::new(Arc::new(store.clone()), gateway.clone(), Arc::new(Keys), clock.clone());
    *gateway.sessions.lock().unwrap() = vec![session("cs_1", SessionStatus::Complete, true, tenant(1), invoice(1))];

    // Not an hour yet: not asked.
    clock.advance(TimeDelta::minutes(30));
    assert_eq!(reconciler.reconcile(TimeDelta::hours(1), 10).await.unwrap().checked, 0);
    clock.advance(TimeDelta::minutes(31));
    let run = reconciler.reconcile(TimeDelta::hours(1), 10).await.unwrap();
    assert_eq!((run.checked, run.completed), (1, 1));
    let state = store.snapshot();
    assert_eq!(
        state.invoices[&(tenant(1), invoice(1))].payments,
        vec![("pi_cs_1".to_owned(), 5000)]
    );
    assert_eq!(
        state.checkouts[&(tenant(1), "cs_1".to_owned())].status,
        CheckoutStatus::Paid
    );
    // Paid now: never asked again.
    assert_eq!(reconciler.reconcile(TimeDelta::hours(1), 10).await.unwrap().checked, 0);
}

#[tokio::test]
async fn reconcile_counts_open_expired_and_failed_sessions() {
    let store = MemoryBillingStore::new();
    let gateway = Arc::new(FakeGateway::default());
    let clock = Arc::new(ManualClock::new(start()));
    let opener = OnlineCheckout::new(Arc::new(store.clone()), gateway.clone(), clock.clone());
    opener.open(&key(), &request(5000)).await.unwrap();
    let mut foreign = request(5000);
    foreign.tenant = tenant(9);
    store.edit(|s| {
        let mut record = s.checkouts[&(tenant(1), "cs_1".to_owned())].clone();
        record.tenant = tenant(9);
        s.checkouts.insert((tenant(9), "cs_1".to_owned()), record);
    });
    clock.advance(TimeDelta::hours(2));
    let reconciler = CheckoutReconciler::new(Arc::new(store.clone()), gateway.clone(), Arc::new(Keys), clock.clone());
    // Tenant 9 has no key; Stripe does not know the session.
    let run = reconciler.reconcile(TimeDelta::hours(1), 10).await.unwrap();
    assert_eq!((run.checked, run.failed), (2, 2));
    *gateway.sessions.lock().unwrap() = vec![session("cs_1", SessionStatus::Open, false, tenant(1), invoice(1))];
    assert_eq!(
        reconciler.reconcile(TimeDelta::hours(1), 10).await.unwrap().still_open,
        1
    );
    *gateway.sessions.lock().unwrap() = vec![session("cs_1", SessionStatus::Expired, false, tenant(1), invoice(1))];
    assert_eq!(reconciler.reconcile(TimeDelta::hours(1), 10).await.unwrap().expired, 1);
    assert_eq!(
        store.snapshot().checkouts[&(tenant(1), "cs_1".to_owned())].status,
        CheckoutStatus::Expired
    );
    // A completed session for an invoice the tenant does not have fails (parked).
    store.edit(|s| s.checkouts.get_mut(&(tenant(1), "cs_1".to_owned())).unwrap().status = CheckoutStatus::Open);
    *gateway.sessions.lock().unwrap() = vec![session("cs_1", SessionStatus::Complete, true, tenant(1), invoice(1))];
    assert_eq!(reconciler.reconcile(TimeDelta::hours(1), 10).await.unwrap().failed, 2);
}
