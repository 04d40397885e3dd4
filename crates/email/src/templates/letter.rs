//! The one layout every email uses, rendered twice from the same content:
//! as plain text and as simple inline-styled HTML. Because both parts come
//! from one [`Letter`], they cannot drift apart, and because only
//! [`Letter::html`] writes HTML, every value passes through
//! [`html_escape`] on its way in.

use std::fmt::Write as _;

use super::{RenderedEmail, html_escape};

/// The content of an email, before it is rendered.
pub(super) struct Letter {
    /// The subject line, also the HTML document's title.
    pub subject: String,
    /// The first line, such as `Hello Jane,`.
    pub greeting: String,
    /// The body, one paragraph per entry.
    pub paragraphs: Vec<String>,
    /// Labelled facts shown as a small table: `("Invoice", "2026-0001")`.
    pub details: Vec<(&'static str, String)>,
    /// A link to follow: its label and the URL.
    pub action: Option<(&'static str, String)>,
    /// Who signs the email (the organization).
    pub signature: String,
}

const BODY_STYLE: &str = "margin:0;padding:24px 12px;background-color:#f4f4f5;";
const CARD_STYLE: &str = "max-width:560px;margin:0 auto;padding:24px;background-color:#ffffff;\
font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5;color:#1f2937;";
const LABEL_STYLE: &str = "padding:4px 16px 4px 0;color:#6b7280;";
const VALUE_STYLE: &str = "padding:4px 0;font-weight:bold;";
const BUTTON_STYLE: &str = "display:inline-block;padding:10px 18px;background-color:#1d4ed8;color:#ffffff;\
text-decoration:none;border-radius:4px;";
const SMALL_STYLE: &str = "font-size:13px;color:#6b7280;word-break:break-all;";

impl Letter {
    /// Both parts and the subject.
    pub(super) fn render(&self) -> RenderedEmail {
        RenderedEmail {
            subject: self.subject.clone(),
            text: self.text(),
            html: self.html(),
        }
    }

    fn text(&self) -> String {
        let mut text = format!("{}\n\n", self.greeting);
        for paragraph in &self.paragraphs {
            text.push_str(paragraph);
            text.push_str("\n\n");
        }
        if !self.details.is_empty() {
            let width = self
                .details
                .iter()
                .map(|(label, _)| label.chars().count())
                .max()
                .unwrap_or(0)
                + 1;
            for (label, value) in &self.details {
                let _ = writeln!(text, "{:<width$} {value}", format!("{label}:"), width = width);
            }
            text.push('\n');
        }
        if let Some((label, url)) = &self.action {
            let _ = write!(text, "{label}:\n{url}\n\n");
        }
        let _ = writeln!(text, "Kind regards,\n{}", self.signature);
        text
    }

    fn html(&self) -> String {
        let mut html = String::new();
        let _ = write!(
            html,
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <title>{}</title>\n</head>\n<body style=\"{BODY_STYLE}\">\n<div style=\"{CARD_STYLE}\">\n",
            html_escape(&self.subject)
        );
        let _ = writeln!(
            html,
            "<p style=\"margin:0 0 16px;\">{}</p>",
            html_escape(&self.greeting)
        );
        for paragraph in &self.paragraphs {
            let _ = writeln!(html, "<p style=\"margin:0 0 16px;\">{}</p>", html_escape(paragraph));
        }
        if !self.details.is_empty() {
            html.push_str("<table role=\"presentation\" style=\"margin:0 0 16px;border-collapse:collapse;\">\n");
            for (label, value) in &self.details {
                let _ = writeln!(
                    html,
                    "<tr><td style=\"{LABEL_STYLE}\">{}</td><td style=\"{VALUE_STYLE}\">{}</td></tr>",
                    html_escape(label),
                    html_escape(value)
                );
            }
            html.push_str("</table>\n");
        }
        if let Some((label, url)) = &self.action {
            let url = html_escape(url);
            let _ = writeln!(
                html,
                "<p style=\"margin:24px 0;\"><a href=\"{url}\" style=\"{BUTTON_STYLE}\">{}</a></p>\n\
                 <p style=\"margin:0 0 16px;{SMALL_STYLE}\">Or open this link: <a href=\"{url}\">{url}</a></p>",
                html_escape(label)
            );
        }
        let _ = write!(
            html,
            "<p style=\"margin:24px 0 0;\">Kind regards,<br>{}</p>\n</div>\n</body>\n</html>\n",
            html_escape(&self.signature)
        );
        html
    }
}

/// `1 day` or `N days`.
pub(super) fn days(count: i64) -> String {
    if count == 1 {
        "1 day".to_owned()
    } else {
        format!("{count} days")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn letter() -> Letter {
        Letter {
            subject: "Subject <b>".to_owned(),
            greeting: "Hello A & B,".to_owned(),
            paragraphs: vec!["First <script>alert(1)</script>".to_owned()],
            details: vec![("Invoice", "INV-1".to_owned()), ("Amount due", "5.00 EUR".to_owned())],
            action: Some(("View invoice", "https://example.com/i/t?a=1&b=2".to_owned())),
            signature: "O'Brien Ltd".to_owned(),
        }
    }

    #[test]
    fn the_text_part_lists_everything_in_order() {
        let text = letter().render().text;
        assert_eq!(
            text,
            "Hello A & B,\n\nFirst <script>alert(1)</script>\n\nInvoice:    INV-1\nAmount due: 5.00 EUR\n\n\
             View invoice:\nhttps://example.com/i/t?a=1&b=2\n\nKind regards,\nO'Brien Ltd\n"
        );
    }

    #[test]
    fn the_html_part_escapes_every_value() {
        let html = letter().render().html;
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("First &lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(html.contains("<title>Subject &lt;b&gt;</title>"));
        assert!(html.contains("Hello A &amp; B,"));
        assert!(html.contains("href=\"https://example.com/i/t?a=1&amp;b=2\""));
        assert!(html.contains("O&#39;Brien Ltd"));
    }

    #[test]
    fn days_are_counted_in_words() {
        assert_eq!(days(1), "1 day");
        assert_eq!(days(3), "3 days");
    }
}
