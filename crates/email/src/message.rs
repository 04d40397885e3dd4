//! Builds the one RFC 5322 message that both mailers deliver from the
//! port's [`EmailMessage`].
//!
//! The sender address is the deployment's; the tenant appears as the display
//! name and in Reply-To. Display names, subjects and file names go through
//! lettre's header encoding, after control characters are replaced so that
//! no value can start a header of its own.

use std::str::FromStr;

use fakturo_domain::kernel::email::EmailAddress;
use fakturo_domain::messaging::ports::{Attachment, EmailMessage, MailError};
use lettre::message::header::ContentType;
use lettre::message::{self, Mailbox, MultiPart, SinglePart};
use lettre::{Address, Message};

use crate::errors;

/// The lettre message for `message`, sent from `from_address`: text and
/// HTML as multipart/alternative, wrapped in multipart/mixed with the
/// attachments when there are any.
pub(crate) fn build_message(message: &EmailMessage, from_address: &Address) -> Result<Message, MailError> {
    let from = Mailbox::new(display_name(&message.from_name), from_address.clone());
    let to_address = address(&message.to, "the recipient address")?;
    let to = Mailbox::new(message.to_name.as_deref().and_then(display_name), to_address);

    let mut builder = Message::builder()
        .from(from)
        .to(to)
        .subject(single_line(&message.subject))
        .message_id(Some(message_id(&message.message_id)));
    if let Some(reply_to) = &message.reply_to {
        builder = builder.reply_to(Mailbox::new(None, address(reply_to, "the reply-to address")?));
    }

    let body = MultiPart::alternative_plain_html(message.text.clone(), message.html.clone());
    let built = if message.attachments.is_empty() {
        builder.multipart(body)
    } else {
        let mut mixed = MultiPart::mixed().multipart(body);
        for attachment in &message.attachments {
            mixed = mixed.singlepart(attachment_part(attachment)?);
        }
        builder.multipart(mixed)
    };
    built.map_err(|error| errors::from_builder(&error))
}

/// A display name fit for a header, or none when it is blank.
fn display_name(name: &str) -> Option<String> {
    let name = single_line(name);
    let name = name.trim();
    (!name.is_empty()).then(|| name.to_owned())
}

/// `text` with every control character (line breaks included) replaced by a space.
fn single_line(text: &str) -> String {
    text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}

/// The Message-ID in angle brackets, as RFC 5322 writes it.
fn message_id(id: &str) -> String {
    let id = single_line(id);
    let id = id.trim();
    if id.starts_with('<') && id.ends_with('>') {
        id.to_owned()
    } else {
        format!("<{id}>")
    }
}

/// A domain address as lettre's; `what` names it in the error, the value never appears.
fn address(email: &EmailAddress, what: &str) -> Result<Address, MailError> {
    Address::from_str(email.as_str()).map_err(|_| MailError::Permanent(format!("{what} cannot be used in a message")))
}

/// One attachment; an unreadable MIME type is sent as `application/octet-stream`.
fn attachment_part(attachment: &Attachment) -> Result<SinglePart, MailError> {
    let content_type = ContentType::parse(&attachment.content_type)
        .or_else(|_| ContentType::parse("application/octet-stream"))
        .map_err(|_| MailError::Permanent("an attachment's content type cannot be used".to_owned()))?;
    let file_name = single_line(&attachment.file_name);
    Ok(message::Attachment::new(file_name).body(attachment.content.clone(), content_type))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_ids_get_angle_brackets_once() {
        assert_eq!(message_id("<abc@example.com>"), "<abc@example.com>");
        assert_eq!(message_id("abc@example.com"), "<abc@example.com>");
    }

    #[test]
    fn control_characters_cannot_start_a_header() {
        assert_eq!(single_line("Acme\r\nBcc: x@example.com"), "Acme  Bcc: x@example.com");
        assert_eq!(display_name(" \n "), None);
    }
}
