//! A sample message with awkward names and an attachment, and helpers to
//! look inside a parsed message.

use fakturo_domain::kernel::email::EmailAddress;
use fakturo_domain::messaging::ports::{Attachment, EmailMessage};
use fakturo_email::templates::{self, InvoiceSentEmail};
use mailparse::{MailHeaderMap, ParsedMail};

/// The link the sample's HTML part must carry.
pub const PUBLIC_URL: &str = "https://fakturo.example/i/tok-123?lang=en&v=2";
/// The sender address of the deployment in these tests.
pub const FROM_ADDRESS: &str = "invoices@fakturo.example";
/// The bytes of the sample attachment.
pub const PDF_BYTES: &[u8] = b"%PDF-1.7\n\x00\x01\x02 not really a pdf \xff\n";

/// An invoice email from "Zoë's Tools, Inc." to "Müller, Jane".
pub fn sample_message(message_id: &str) -> EmailMessage {
    let rendered = templates::invoice_sent(&InvoiceSentEmail {
        organization_name: "Zoë's Tools, Inc.".to_owned(),
        client_name: "Müller, Jane".to_owned(),
        invoice_number: "2026-0042".to_owned(),
        total: "200.56".to_owned(),
        currency: "EUR".to_owned(),
        due_date: "2026-12-06".to_owned(),
        public_url: PUBLIC_URL.to_owned(),
    });
    EmailMessage {
        message_id: message_id.to_owned(),
        from_name: "Zoë's Tools, Inc.".to_owned(),
        reply_to: Some(EmailAddress::parse("owner@zoes-tools.example").unwrap()),
        to: EmailAddress::parse("jane@client.example").unwrap(),
        to_name: Some("Müller, Jane".to_owned()),
        subject: rendered.subject,
        text: rendered.text,
        html: rendered.html,
        attachments: vec![Attachment {
            file_name: "Invoice 2026-0042.pdf".to_owned(),
            content_type: "application/pdf".to_owned(),
            content: PDF_BYTES.to_vec(),
        }],
    }
}

/// The first part (depth first) of MIME type `mimetype`.
pub fn find_part<'a>(mail: &'a ParsedMail<'a>, mimetype: &str) -> Option<&'a ParsedMail<'a>> {
    mail.parts().find(|part| part.ctype.mimetype == mimetype)
}

/// The single address in header `name`, as (display name, address).
pub fn mailbox(mail: &ParsedMail<'_>, name: &str) -> (Option<String>, String) {
    let header = mail
        .headers
        .get_first_header(name)
        .unwrap_or_else(|| panic!("no {name} header"));
    let info = mailparse::addrparse_header(header)
        .unwrap()
        .extract_single_info()
        .unwrap();
    (info.display_name, info.addr)
}

/// Checks what both mailers must produce for [`sample_message`].
pub fn assert_is_the_sample(mail: &ParsedMail<'_>, message_id: &str) {
    assert_eq!(
        mailbox(mail, "From"),
        (Some("Zoë's Tools, Inc.".to_owned()), FROM_ADDRESS.to_owned())
    );
    assert_eq!(mailbox(mail, "Reply-To").1, "owner@zoes-tools.example");
    assert_eq!(
        mailbox(mail, "To"),
        (Some("Müller, Jane".to_owned()), "jane@client.example".to_owned())
    );
    assert_eq!(
        mail.headers.get_first_value("Subject").as_deref(),
        Some("Invoice 2026-0042 from Zoë's Tools, Inc.")
    );
    assert_eq!(mail.headers.get_first_value("Message-ID").as_deref(), Some(message_id));
    assert_eq!(mail.ctype.mimetype, "multipart/mixed");

    let alternative = find_part(mail, "multipart/alternative").expect("a multipart/alternative part");
    let text = find_part(alternative, "text/plain")
        .expect("a text part")
        .get_body()
        .unwrap();
    let html = find_part(alternative, "text/html")
        .expect("an HTML part")
        .get_body()
        .unwrap();
    assert!(text.contains(PUBLIC_URL), "{text}");
    assert!(text.contains("200.56 EUR"), "{text}");
    assert!(
        html.contains("https://fakturo.example/i/tok-123?lang=en&amp;v=2"),
        "{html}"
    );
    assert!(html.contains("Müller, Jane"), "{html}");

    let pdf = find_part(mail, "application/pdf").expect("the attachment");
    let disposition = pdf.get_content_disposition();
    assert_eq!(disposition.disposition, mailparse::DispositionType::Attachment);
    assert_eq!(
        disposition.params.get("filename").map(String::as_str),
        Some("Invoice 2026-0042.pdf")
    );
    assert_eq!(pdf.get_body_raw().unwrap(), PDF_BYTES);
}
