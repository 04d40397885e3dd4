//! The whole path through a real SMTP server (aiosmtpd): the client
//! receives the invoice email with the right recipient, subject, amounts
//! and a working link to the public page.

use fakturo_server::settings::{EmailTransport, SmtpSecuritySetting};
use fakturo_tests::smtp_server::SmtpServer;
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::support::TestApp;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_client_receives_a_working_link() {
    let Some(smtp) = SmtpServer::start(&[]) else {
        return;
    };
    let port = smtp.port();
    let app = TestApp::spawn_with(fakturo_database::Backend::Sqlite, |settings| {
        settings.email.transport = EmailTransport::Smtp;
        settings.email.smtp_host = "127.0.0.1".into();
        settings.email.smtp_port = port;
        settings.email.smtp_security = SmtpSecuritySetting::None;
        settings.email.from_address = "billing@fakturo.test".into();
    })
    .await
    .unwrap();
    let owner = app.signup("owner@smtp.example").await;
    let client = app.client(&owner, "Client SARL").await;
    let id = app.worked_example(&owner, &client).await.str("id");
    app.post(&format!("/api/v1/invoices/{id}/finalize"), &owner.token, json!({}))
        .await;
    let sent = app
        .post(&format!("/api/v1/invoices/{id}/send"), &owner.token, json!({}))
        .await;
    assert_eq!(sent.status, StatusCode::ACCEPTED);
    assert_eq!(app.workers.drain().await.unwrap().done, 1);

    // The owner's address verification went out too; take the client's mail.
    let messages: Vec<Vec<u8>> = smtp
        .messages()
        .into_iter()
        .filter(|m| String::from_utf8_lossy(m).contains("X-RcptTo: billing@client.example"))
        .collect();
    assert_eq!(messages.len(), 1);
    let mail = mailparse::parse_mail(&messages[0]).unwrap();
    let header = |name: &str| {
        mail.headers
            .iter()
            .find(|h| h.get_key().eq_ignore_ascii_case(name))
            .map(|h| h.get_value())
            .unwrap_or_default()
    };
    assert_eq!(header("X-RcptTo"), "billing@client.example");
    assert!(header("From").contains("Muster Design GmbH"), "{}", header("From"));
    assert!(header("From").contains("billing@fakturo.test"));
    assert!(header("Reply-To").contains("owner@smtp.example"));
    assert!(header("Subject").contains("INV-2026-0001"), "{}", header("Subject"));
    let parts: Vec<String> = mail
        .subparts
        .iter()
        .flat_map(|p| {
            let mut bodies = vec![p.get_body().unwrap_or_default()];
            bodies.extend(p.subparts.iter().map(|s| s.get_body().unwrap_or_default()));
            bodies
        })
        .collect();
    let text = parts.join("\n");
    assert!(text.contains("200.56"), "the amount is in the email");
    let link = text
        .split_whitespace()
        .map(|word| word.trim_matches(|c: char| c == '"' || c == '<' || c == '>' || c == '(' || c == ')'))
        .find_map(|word| {
            word.find("/i/")
                .map(|at| word[at..].split(['"', '<']).next().unwrap_or_default().to_owned())
        })
        .expect("a link to the public page");
    let page = app.call(Method::GET, &link, None, None).await;
    assert_eq!(page.status, StatusCode::OK, "{link}");
    let html = page.body.as_str().unwrap();
    for expected in ["INV-2026-0001", "Design work", "180.64", "19.92", "200.56"] {
        assert!(html.contains(expected), "the page shows {expected}");
    }
    assert_eq!(
        app.call(Method::GET, "/i/0123456789abcdefghijklmnop", None, None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}
