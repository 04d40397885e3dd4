//! The public invoice page in a real browser (headless Chromium through
//! chromedriver): the Pay button is shown only while a balance is due and
//! the organization connected Stripe, and pressing it posts the page's form,
//! follows the 303 to the Checkout Session's URL and arrives on the wiremock
//! Stripe's hosted checkout page.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::json;

use crate::billing::{connect, sent_invoice, with_stripe_fake};
use crate::billing_fake::{CHECKOUT_PAGE_TITLE, StripeFake};
use crate::support::{Account, TestApp};
use crate::webdriver::Browser;

with_stripe_fake!(the_pay_button_shows_only_when_due_and_connected_and_reaches_the_checkout);

async fn record_payment(app: &TestApp, owner: &Account, invoice: &str, amount: &str) {
    let paid = app
        .post(
            &format!("/api/v1/invoices/{invoice}/payments"),
            &owner.token,
            json!({"amount": amount, "paid_on": "2026-11-22", "method": "bank_transfer"}),
        )
        .await;
    assert_eq!(paid.status, StatusCode::CREATED, "{:?}", paid.body);
}

async fn the_pay_button_shows_only_when_due_and_connected_and_reaches_the_checkout(app: TestApp, fake: StripeFake) {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let owner = app.signup("browser@billing.example").await;
    let (id, token) = sent_invoice(&app, &owner).await;
    let public = format!("{}/i/{token}", app.base);

    browser.goto(&public).await;
    assert_eq!(browser.current_url().await, public);
    assert_eq!(browser.find_all("main").await.len(), 1, "the invoice page is shown");
    assert!(
        browser.find_all("#pay").await.is_empty(),
        "no Pay button before Stripe is connected"
    );

    connect(&app, &owner).await;
    browser.goto(&public).await;
    let buttons = browser.find_all("#pay").await;
    assert_eq!(buttons.len(), 1, "the Pay button while a balance is due");
    let label = browser.text(&buttons[0]).await;
    assert!(label.contains("200.56") && label.contains("EUR"), "{label}");

    browser.click(&buttons[0]).await;
    let hosted = format!("{}/c/pay/", app.state.settings.billing.stripe.api_url);
    let arrived = browser
        .wait_for_url(|url| url.starts_with(&hosted), Duration::from_secs(20))
        .await;
    assert_eq!(browser.title().await, CHECKOUT_PAGE_TITLE);
    let session = arrived.trim_start_matches(&hosted).to_owned();
    assert_eq!(fake.session_ids(), vec![session], "the session the browser was sent to");
    let asked = fake.last("POST /v1/checkout/sessions");
    let field = |k: &str| asked.iter().find(|(key, _)| key == k).unwrap().1.clone();
    assert_eq!(field("line_items[0][price_data][unit_amount]"), "20056");
    assert_eq!(field("metadata[invoice_id]"), id);
    assert_eq!(
        field("cancel_url"),
        format!("{}/i/{token}", app.state.settings.http.public_base())
    );

    record_payment(&app, &owner, &id, "100.00").await;
    browser.goto(&public).await;
    let buttons = browser.find_all("#pay").await;
    assert_eq!(buttons.len(), 1, "still due when partially paid");
    let label = browser.text(&buttons[0]).await;
    assert!(label.contains("100.56"), "the balance due: {label}");

    record_payment(&app, &owner, &id, "100.56").await;
    browser.goto(&public).await;
    assert_eq!(browser.find_all("main").await.len(), 1);
    assert!(browser.find_all("#pay").await.is_empty(), "no Pay button once paid");
    browser.quit().await;
}
