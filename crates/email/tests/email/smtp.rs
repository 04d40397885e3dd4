//! [`SmtpMailer`] against a real aiosmtpd: delivery, and how refusals and
//! unreachable servers are classified.

use std::time::Duration;

use fakturo_domain::messaging::ports::{MailError, Mailer};
use fakturo_email::{SmtpMailer, SmtpSecurity, SmtpSettings};
use mailparse::MailHeaderMap;

use crate::support::{FROM_ADDRESS, PUBLIC_URL, assert_is_the_sample, sample_message};
use fakturo_tests::smtp_server::{SmtpServer, free_port};

fn mailer(port: u16) -> SmtpMailer {
    SmtpMailer::new(SmtpSettings {
        host: "127.0.0.1".to_owned(),
        port,
        security: SmtpSecurity::None,
        username: None,
        password: None,
        from_address: FROM_ADDRESS.to_owned(),
        timeout: Duration::from_secs(10),
    })
    .unwrap()
}

#[tokio::test]
async fn delivers_to_a_real_smtp_server() {
    let Some(server) = SmtpServer::start(&[]) else { return };
    let message_id = "<5b8e2f01c3d4@fakturo.example>";

    mailer(server.port()).send(&sample_message(message_id)).await.unwrap();

    let messages = server.messages();
    assert_eq!(messages.len(), 1);
    let mail = mailparse::parse_mail(&messages[0]).unwrap();
    assert_eq!(
        mail.headers.get_first_value("X-RcptTo").as_deref(),
        Some("jane@client.example")
    );
    assert_eq!(
        mail.headers.get_first_value("X-MailFrom").as_deref(),
        Some(FROM_ADDRESS)
    );
    assert_is_the_sample(&mail, message_id);
    let html = crate::support::find_part(&mail, "text/html")
        .unwrap()
        .get_body()
        .unwrap();
    assert!(html.contains(&PUBLIC_URL.replace('&', "&amp;")), "{html}");
}

#[tokio::test]
async fn a_refused_message_is_a_permanent_failure_without_personal_data() {
    // aiosmtpd answers 552 when a message exceeds its size limit.
    let Some(server) = SmtpServer::start(&["-s", "2000"]) else {
        return;
    };
    let mut message = sample_message("<too-big@fakturo.example>");
    message.attachments[0].content = vec![b'x'; 20_000];

    let error = mailer(server.port()).send(&message).await.unwrap_err();

    assert!(matches!(error, MailError::Permanent(_)), "{error:?}");
    let text = error.to_string();
    assert!(text.contains("552"), "{text}");
    assert!(
        !text.contains("jane@client.example") && !text.contains("Jane"),
        "{text}"
    );
    assert!(server.messages().is_empty());
}

#[tokio::test]
async fn an_unreachable_server_is_a_transient_failure() {
    let error = mailer(free_port())
        .send(&sample_message("<x@fakturo.example>"))
        .await
        .unwrap_err();

    assert!(matches!(error, MailError::Transient(_)), "{error:?}");
    assert!(!error.to_string().contains("jane@client.example"), "{error}");
}
