//! Sending invoices: the email the client receives and the public page its
//! link opens.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::on_both_backends;
use crate::support::TestApp;

on_both_backends!(sent_invoices_link_to_their_public_page);

async fn sent_invoices_link_to_their_public_page(app: TestApp) {
    let owner = app.signup("sender@muster.example").await;
    let client = app.client(&owner, "Client <SARL>").await;
    let draft = app.worked_example(&owner, &client).await.str("id");

    let early = app
        .post(&format!("/api/v1/invoices/{draft}/send"), &owner.token, json!({}))
        .await;
    assert_eq!(
        (early.status, early.code()),
        (StatusCode::CONFLICT, "invoice_not_sendable")
    );
    app.post(&format!("/api/v1/invoices/{draft}/finalize"), &owner.token, json!({}))
        .await;

    let sent = app
        .post(&format!("/api/v1/invoices/{draft}/send"), &owner.token, json!({}))
        .await;
    assert_eq!(sent.status, StatusCode::ACCEPTED, "{:?}", sent.body);
    let public_url = sent.str("public_url");
    assert!(
        public_url.starts_with(&format!("{}/i/", app.state.settings.http.public_url)),
        "{public_url}"
    );
    let token = public_url.rsplit('/').next().unwrap().to_owned();
    assert!(token.len() >= 22, "at least 128 bits");

    assert!(
        app.emails_to("billing@client.example").is_empty(),
        "nothing leaves before the worker runs"
    );
    let stats = app.workers.drain().await.unwrap();
    assert_eq!(stats.done, 1);
    let messages = app.emails_to("billing@client.example");
    assert_eq!(messages.len(), 1);
    let email = &messages[0];
    assert!(email.contains("billing@client.example"));
    assert!(email.contains("INV-2026-0001"));
    assert!(email.contains("200.56"));
    assert!(email.contains(&token));
    assert!(email.contains("Muster Design GmbH"));
    let fetched = app.get(&format!("/api/v1/invoices/{draft}"), &owner.token).await;
    assert_eq!(fetched.str("public_url"), public_url);
    assert_eq!(
        fetched.str("sent_to"),
        "billing@client.example",
        "when and to whom it was sent"
    );
    assert_eq!(fetched.str("sent_at"), "2026-11-22T10:00:00+00:00");

    let page = app.call(Method::GET, &format!("/i/{token}"), None, None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.content_type.starts_with("text/html"));
    let html = page.body.as_str().unwrap();
    for expected in [
        "INV-2026-0001",
        "Design work",
        "Travel",
        "Stickers",
        "180.64",
        "19.92",
        "200.56",
        "Client &lt;SARL&gt;",
    ] {
        assert!(html.contains(expected), "the page shows {expected}");
    }
    assert!(!html.contains("Client <SARL>"), "names are escaped");

    let random = app
        .call(Method::GET, "/i/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", None, None)
        .await;
    assert_eq!(random.status, StatusCode::NOT_FOUND);
    let short = app.call(Method::GET, "/i/x", None, None).await;
    assert_eq!(short.status, StatusCode::NOT_FOUND);

    // A payment on a sent invoice gets a receipt.
    app.post(
        &format!("/api/v1/invoices/{draft}/payments"),
        &owner.token,
        json!({"amount": "50.00", "paid_on": "2026-11-22", "method": "card"}),
    )
    .await;
    app.workers.drain().await.unwrap();
    assert_eq!(app.emails_to("billing@client.example").len(), 2);

    let no_email = app
        .post("/api/v1/clients", &owner.token, json!({"name": "Offline client"}))
        .await
        .str("id");
    let other = app.worked_example(&owner, &no_email).await.str("id");
    app.post(&format!("/api/v1/invoices/{other}/finalize"), &owner.token, json!({}))
        .await;
    let refused = app
        .post(&format!("/api/v1/invoices/{other}/send"), &owner.token, json!({}))
        .await;
    assert_eq!(
        (refused.status, refused.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "client_has_no_email")
    );
}
